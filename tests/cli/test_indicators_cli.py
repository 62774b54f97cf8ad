"""``cotera indicators``: the empty-table message says whether anything is loaded at all.

Synthetic (synthétique) base: sample territories, one indicator on dep:93 only.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import polars as pl
import sqlalchemy
from typer.testing import CliRunner

from cotera.cli.main import app
from cotera.services.data_quality import quality_base, store_quality
from cotera.services.indicators import territory_indicators
from cotera.services.territories import create_custom_territory
from cotera.settings import Settings
from cotera.storage.batch_store import open_batch
from cotera.storage.indicator_store import SourceRecord, replace_source_data, save_source
from cotera.storage.territory_store import replace_territories
from tests.storage.samples import TERRITORIES, observations, spec

SOURCE = SourceRecord("demo", "Démo synthétique", "Demo", "Cotera", "LO 2.0", "https://e.org")


def _env(database_url: str, tmp_path: Path) -> dict[str, str]:
    return {"COTERA_DATABASE_URL": database_url, "COTERA_DATA_DIR": str(tmp_path)}


def _run(env: dict[str, str], *args: str) -> str:
    result = CliRunner().invoke(app, ["indicators", *args], env=env)
    assert result.exit_code == 0, result.output
    return result.output


def test_nothing_loaded_says_to_load(
    engine: sqlalchemy.Engine, database_url: str, tmp_path: Path
) -> None:
    with engine.begin() as connection:
        replace_territories(connection, TERRITORIES)  # territories only: no indicator loaded
    output = _run(_env(database_url, tmp_path), "epci:200054781")
    assert "Aucune valeur chargée (lancez « cotera data load »)" in output


def test_territory_without_values_suggests_parent_and_communes(
    engine: sqlalchemy.Engine, database_url: str, tmp_path: Path
) -> None:
    frame = observations([("demo_rate", "dep:93", 2013, 27.8)])
    with engine.begin() as connection:
        replace_territories(connection, TERRITORIES)
        save_source(connection, SOURCE)
        batch = open_batch(connection, "demo", "0" * 64, "1", frame.height)
        replace_source_data(connection, "demo", [spec("demo_rate")], frame, batch)
    env = _env(database_url, tmp_path)
    output = _run(env, "epci:200054781")
    assert "cotera data load" not in output
    assert "Aucune valeur publiée pour Métropole du Grand Paris (epci:200054781)" in output
    assert "Territoire parent : cotera indicators dep:75" in output
    assert "--members epci:200054781" in output
    with_year = _run(env, "dep:93", "--year", "2020")
    assert "(dep:93) en 2020" in with_year
    assert "Sans --year : cotera indicators dep:93" in with_year
    assert "27,8" in _run(env, "dep:93")


def test_every_missing_reason_has_a_french_label() -> None:
    from cotera.cli.formatting import MISSING_LABELS, missing_label
    from cotera.indicators.model import MissingReason

    assert set(MISSING_LABELS) == set(MissingReason)
    assert missing_label("merged_perimeter") == "périmètre fusionné"


def test_values_carry_their_data_quality(
    engine: sqlalchemy.Engine, database_url: str, tmp_path: Path
) -> None:
    # synthetic: both communes at 0 -> "non comparable"; the two départements -> "fiable"
    frame = observations(
        [
            ("demo_count", "com:93066", 2013, 0.0),
            ("demo_count", "com:75056", 2013, 0.0),
            ("demo_rate", "dep:93", 2013, 27.8),
            ("demo_rate", "dep:75", 2013, 16.0),
        ]
    )
    with engine.begin() as connection:
        replace_territories(connection, TERRITORIES)
        save_source(connection, SOURCE)
        batch = open_batch(connection, "demo", "0" * 64, "1", frame.height)
        replace_source_data(
            connection, "demo", [spec("demo_rate"), spec("demo_count")], frame, batch
        )
        store_quality(connection, "demo", frame, quality_base(TERRITORIES), batch)
    env = _env(database_url, tmp_path)
    table = _run(env, "com:93066")
    assert "non comparable" in table
    (value,) = json.loads(_run(env, "com:93066", "--format", "json"))["values"]
    assert (value["quality"], value["quality_note"]) == (
        "not_comparable",
        "non comparable entre territoires : 2 communes sur 2 à 0 (100\u202f%)",
    )
    rows = pl.read_csv(io.StringIO(_run(env, "dep:93", "--format", "csv")))
    assert rows.select("indicator", "quality", "quality_note").rows() == [
        ("demo_rate", "reliable", "")
    ]
    assert "fiable" in _run(env, "dep:93")
    # a custom territory of the two communes: the commune level's status, said the same way
    settings = Settings(database_url=database_url, data_dir=tmp_path)
    create_custom_territory(settings, "deux", "Deux communes", ["com:93066", "com:75056"])
    (custom,) = territory_indicators(settings, "custom:deux").values
    assert custom.quality == "not_comparable"
    assert custom.quality_note == value["quality_note"]
