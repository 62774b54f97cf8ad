"""Stored outlines on both backends: replace, read a level, within a territory, insets."""

from __future__ import annotations

import json

import polars as pl
import shapely
import sqlalchemy
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from cotera.sources.boundary_maps import BOUNDARY_COLUMNS
from cotera.storage.base import Base
from cotera.storage.batch_store import open_batch
from cotera.storage.boundary_store import boundary_counts, read_boundaries, replace_boundaries
from cotera.storage.boundary_tables import BoundaryRow
from cotera.storage.indicator_store import SourceRecord, save_source
from cotera.storage.territory_store import replace_territories
from cotera.territory.model import FRANCE, Territory, TerritoryCode
from cotera.types import Level, MapDetail
from tests.storage.samples import TERRITORIES

REG01 = TerritoryCode.parse("reg:01")
TERRITORIES_DROM = (
    Territory(REG01, "Guadeloupe", 10, (FRANCE,)),
    Territory(TerritoryCode.parse("dep:971"), "Guadeloupe", 10, (REG01, FRANCE)),
)


def _square(x: float, y: float) -> str:
    ring = [[x, y], [x, y + 1], [x + 1, y + 1], [x + 1, y], [x, y]]  # clockwise
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


ROWS = [  # synthetic squares, not real outlines
    ("com:93066", "com", "local", _square(2.3, 48.9)),
    ("com:75056", "com", "local", _square(2.2, 48.8)),
    ("dep:93", "dep", "national", _square(0, 200)),
    ("dep:75", "dep", "national", _square(-10, 200)),
    ("dep:971", "dep", "national", _square(-800, 400)),
    ("dep:93", "dep", "local", _square(2.3, 48.8)),
]


def _store(engine: sqlalchemy.Engine, rows: list[tuple[str, str, str, str]]) -> int:
    frame = pl.DataFrame(
        [(*row, *shapely.bounds(shapely.from_geojson(row[3]))) for row in rows],
        schema=BOUNDARY_COLUMNS,
        orient="row",
    )
    with engine.begin() as connection:
        replace_territories(connection, [*TERRITORIES, *TERRITORIES_DROM])
        save_source(connection, SourceRecord("contours", "Contours", "Outlines", "IGN", "LO", ""))
        batch = open_batch(connection, "contours", "0" * 64, "test", frame.height)
        return replace_boundaries(connection, frame, batch)


def test_migration_matches_the_model(engine: sqlalchemy.Engine) -> None:
    with engine.connect() as connection:
        diffs = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    table = BoundaryRow.__tablename__
    assert [d for d in diffs if table in repr(d)] == []


def test_read_a_level_within_a_territory(engine: sqlalchemy.Engine) -> None:
    assert _store(engine, ROWS) == len(ROWS)
    with engine.connect() as connection:
        national = read_boundaries(connection, Level.DEPARTEMENT)
        local = read_boundaries(connection, Level.DEPARTEMENT, detail=MapDetail.LOCAL)
        communes = read_boundaries(connection, Level.COMMUNE, "dep:93")
        region = read_boundaries(connection, Level.COMMUNE, TerritoryCode.parse("reg:11"))
        some = read_boundaries(connection, Level.DEPARTEMENT, codes={"dep:93", "dep:75"})
        counts = boundary_counts(connection)
    assert [f["properties"] for f in national["features"]] == [
        {"code": "dep:75", "nom": "Paris"},
        {"code": "dep:93", "nom": "Seine-Saint-Denis"},
        {"code": "dep:971", "nom": "Guadeloupe"},
    ]
    assert national["cotera"]["detail"] == "national"
    assert [i["code"] for i in national["cotera"]["insets"]] == ["dep:971"]
    assert national["cotera"]["insets"][0]["bbox"] == [-880.0, 360.0, -680.0, 560.0]
    assert national["features"][1]["geometry"] == json.loads(ROWS[2][3])
    assert national["bbox"][:2] == [-800.0, 200.0]
    assert [f["properties"]["code"] for f in local["features"]] == ["dep:93"]
    assert local["cotera"] == {"detail": "local", "insets": []}
    assert [f["properties"]["code"] for f in communes["features"]] == ["com:93066"]
    assert communes["cotera"]["detail"] == "local"  # the default detail of communes
    assert [f["properties"]["code"] for f in region["features"]] == ["com:75056", "com:93066"]
    assert some["cotera"]["insets"] == []  # no overseas département drawn: no inset frame
    assert counts == {
        (Level.COMMUNE, MapDetail.LOCAL): 2,
        (Level.DEPARTEMENT, MapDetail.NATIONAL): 3,
        (Level.DEPARTEMENT, MapDetail.LOCAL): 1,
    }


def test_replace_replaces_and_nothing_stored_reads_empty(engine: sqlalchemy.Engine) -> None:
    with engine.connect() as connection:
        empty = read_boundaries(connection, Level.EPCI)
    assert empty == {"type": "FeatureCollection", "features": [],
                     "cotera": {"detail": "national", "insets": []}}  # fmt: skip
    _store(engine, ROWS)
    _store(engine, ROWS[:1])
    with engine.connect() as connection:
        assert boundary_counts(connection) == {(Level.COMMUNE, MapDetail.LOCAL): 1}
