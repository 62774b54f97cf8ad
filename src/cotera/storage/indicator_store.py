"""Read and write sources, indicator catalogue rows and observations."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import asdict, dataclass

import polars as pl
from sqlalchemy import Connection, RowMapping, case, delete, func, insert, select, update

from cotera.indicators.model import OBSERVATION_COLUMNS, IndicatorKind, IndicatorSpec
from cotera.storage.base import Base
from cotera.storage.bulk import bulk_insert
from cotera.storage.indicator_tables import (
    IndicatorQualityRow,
    IndicatorRow,
    ObservationRow,
    SourceRow,
)
from cotera.types import Direction, Level

_PREFIXED_LEVELS = tuple(level for level in Level if level is not Level.COUNTRY)
OBSERVATION_SCHEMA = {name: getattr(pl, dtype) for name, dtype in OBSERVATION_COLUMNS.items()}


@dataclass(frozen=True, slots=True)
class SourceRecord:
    """A source's provenance as stored (shown next to every figure)."""

    id: str
    label_fr: str
    label_en: str
    producer: str
    licence: str
    official_url: str
    repository: str = ""
    description_fr: str = ""


def save_source(connection: Connection, source: SourceRecord) -> None:
    """Insert or update a source's provenance."""
    values = asdict(source)
    exists = connection.execute(select(SourceRow.id).where(SourceRow.id == source.id)).first()
    if exists is None:
        connection.execute(insert(SourceRow), [values])
    else:
        connection.execute(update(SourceRow).where(SourceRow.id == source.id).values(**values))


def read_sources(connection: Connection) -> list[SourceRecord]:
    """Every stored source, by id."""
    rows = connection.execute(select(SourceRow.__table__).order_by(SourceRow.id)).mappings()
    return [SourceRecord(**row) for row in rows]


def replace_source_data(
    connection: Connection,
    source_id: str,
    specs: Sequence[IndicatorSpec],
    observations: pl.DataFrame,
    batch_id: int,
) -> int:
    """Replace a source's indicators and observations (in the caller's transaction); rows.

    ``observations`` has the OBSERVATION_COLUMNS; the optional ones it lacks (population
    vintages, perimeter) are stored as null. Their quality assessments go too
    (``storage.indicator_quality.replace_quality`` writes the new ones)."""
    codes = [spec.code for spec in specs]
    owned = select(IndicatorRow.code).where(IndicatorRow.source_id == source_id)
    for table in (IndicatorQualityRow, ObservationRow):
        connection.execute(delete(table).where(table.indicator.in_(owned)))
        connection.execute(delete(table).where(table.indicator.in_(codes)))
    connection.execute(delete(IndicatorRow).where(IndicatorRow.source_id == source_id))
    if specs:
        connection.execute(insert(IndicatorRow), [_spec_row(spec, source_id) for spec in specs])
    frame = observations.select(
        (pl.col(name) if name in observations.columns else pl.lit(None, dtype())).alias(name)
        for name, dtype in OBSERVATION_SCHEMA.items()
    ).with_columns(pl.lit(batch_id).alias("batch_id"))
    bulk_insert(connection, Base.metadata.tables["observation"], frame)
    return frame.height


def read_indicator_specs(
    connection: Connection, codes: Collection[str] | None = None
) -> list[IndicatorSpec]:
    """Stored catalogue entries (all, or those in ``codes``), by code."""
    query = select(IndicatorRow.__table__).order_by(IndicatorRow.code)
    if codes is not None:
        query = query.where(IndicatorRow.code.in_(list(codes)))
    return [_spec(row) for row in connection.execute(query).mappings()]


def read_observations(
    connection: Connection,
    territories: Collection[str] | None = None,
    indicators: Collection[str] | None = None,
    years: Collection[int] | None = None,
) -> pl.DataFrame:
    """Observations as a frame with OBSERVATION_COLUMNS, filtered by canonical territory codes,
    indicator codes and years (None: no filter)."""
    table = ObservationRow.__table__
    query = select(*(table.c[name] for name in OBSERVATION_COLUMNS))
    if territories is not None:
        query = query.where(table.c.territory.in_(list(territories)))
    if indicators is not None:
        query = query.where(table.c.indicator.in_(list(indicators)))
    if years is not None:
        query = query.where(table.c.year.in_(list(years)))
    query = query.order_by(table.c.indicator, table.c.territory, table.c.year)
    rows = connection.execute(query).all()
    return pl.DataFrame(rows, schema=OBSERVATION_SCHEMA, orient="row")


def read_source_keys(connection: Connection, source_id: str) -> pl.DataFrame:
    """The (indicator, territory, year) of a source's stored observations that have a value."""
    obs = ObservationRow.__table__.c
    owned = select(IndicatorRow.code).where(IndicatorRow.source_id == source_id)
    query = select(obs.indicator, obs.territory, obs.year).where(
        obs.indicator.in_(owned), obs.value.is_not(None)
    )
    schema = {"indicator": pl.String, "territory": pl.String, "year": pl.Int64}
    return pl.DataFrame(connection.execute(query).all(), schema=schema, orient="row")


def read_coverage(connection: Connection) -> pl.DataFrame:
    """Per indicator and territory level, the territories with a value and the years covered.

    Columns: source, indicator, fragility, level, territories, rows, first_year, last_year.
    """
    obs = ObservationRow.__table__.c
    ind = IndicatorRow.__table__.c
    level = case(
        *((obs.territory.like(f"{lvl.value}:%"), lvl.value) for lvl in _PREFIXED_LEVELS),
        else_=Level.COUNTRY.value,
    ).label("level")
    query = (
        select(
            ind.source_id.label("source"),
            ind.code.label("indicator"),
            ind.fragility,
            level,
            func.count(func.distinct(obs.territory)).label("territories"),
            func.count().label("rows"),
            func.min(obs.year).label("first_year"),
            func.max(obs.year).label("last_year"),
        )
        .select_from(ObservationRow.__table__)
        .join(IndicatorRow.__table__, ind.code == obs.indicator)
        .where(obs.value.is_not(None))
        .group_by(ind.source_id, ind.code, ind.fragility, level)
        .order_by(ind.source_id, ind.code, level)
    )
    schema = {
        "source": pl.String,
        "indicator": pl.String,
        "fragility": pl.String,
        "level": pl.String,
        "territories": pl.Int64,
        "rows": pl.Int64,
        "first_year": pl.Int32,
        "last_year": pl.Int32,
    }
    return pl.DataFrame(connection.execute(query).all(), schema=schema, orient="row")


def read_source_years(connection: Connection) -> dict[str, tuple[int, ...]]:
    """The years with at least one observation, per source."""
    obs = ObservationRow.__table__.c
    ind = IndicatorRow.__table__.c
    query = (
        select(ind.source_id, obs.year)
        .distinct()
        .select_from(ObservationRow.__table__)
        .join(IndicatorRow.__table__, ind.code == obs.indicator)
        .order_by(ind.source_id, obs.year)
    )
    years: dict[str, tuple[int, ...]] = {}
    for source_id, year in connection.execute(query):
        years[source_id] = (*years.get(source_id, ()), year)
    return years


def _spec_row(spec: IndicatorSpec, source_id: str) -> dict[str, object]:
    return {
        "code": spec.code,
        "source_id": source_id,
        "label_fr": spec.label_fr,
        "label_en": spec.label_en,
        "fragility": spec.fragility,
        "direction": spec.direction.value,
        "unit": spec.unit,
        "kind": spec.kind.value,
        "levels": ",".join(level.value for level in spec.levels),
        "years": ",".join(str(year) for year in spec.years),
        "description_fr": spec.description_fr,
    }


def _spec(values: RowMapping) -> IndicatorSpec:
    return IndicatorSpec(
        code=values["code"],
        label_fr=values["label_fr"],
        label_en=values["label_en"],
        fragility=values["fragility"],
        direction=Direction(values["direction"]),
        unit=values["unit"],
        kind=IndicatorKind(values["kind"]),
        levels=tuple(Level(x) for x in values["levels"].split(",") if x),
        source=values["source_id"],
        years=tuple(int(x) for x in values["years"].split(",") if x),
        description_fr=values["description_fr"],
    )
