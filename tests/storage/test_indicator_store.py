"""Sources, catalogue rows, observations and batches on both backends."""

from __future__ import annotations

import polars as pl
import pytest
import sqlalchemy
from sqlalchemy.exc import IntegrityError

from cotera.indicators.model import OBSERVATION_COLUMNS
from cotera.storage.batch_store import current_batch, current_batches, open_batch
from cotera.storage.indicator_store import (
    SourceRecord,
    read_coverage,
    read_indicator_specs,
    read_observations,
    read_source_years,
    read_sources,
    replace_source_data,
    save_source,
)
from cotera.storage.indicator_tables import BatchStatus, LoadBatchRow
from tests.storage.samples import observations, spec

SOURCE = SourceRecord(
    "demo", "Démo", "Demo", "Cotera", "Licence Ouverte 2.0", "https://example.org/x"
)


def _load(engine: sqlalchemy.Engine, rows: list[tuple[str, str, int, float | None]]) -> int:
    with engine.begin() as connection:
        save_source(connection, SOURCE)
        batch = open_batch(connection, "demo", "ab" * 32, "1", len(rows))
        replace_source_data(
            connection, "demo", [spec("demo_a"), spec("demo_b", "F01")], observations(rows), batch
        )
    return batch


def test_source_upsert(engine: sqlalchemy.Engine) -> None:
    with engine.begin() as connection:
        save_source(connection, SOURCE)
        save_source(connection, SourceRecord("demo", "Démo 2", "Demo 2", "P", "L", "U", "R", "D"))
    with engine.connect() as connection:
        assert read_sources(connection) == [
            SourceRecord("demo", "Démo 2", "Demo 2", "P", "L", "U", "R", "D")
        ]


def test_observations_round_trip_with_filters(engine: sqlalchemy.Engine) -> None:
    rows = [
        ("demo_a", "dep:93", 2013, 27.8),
        ("demo_a", "dep:93", 2014, None),
        ("demo_a", "reg:11", 2013, 15.9),
        ("demo_b", "dep:2A", 2013, 1.5),
    ]
    _load(engine, rows)
    with engine.connect() as connection:
        frame = read_observations(connection)
        dep93 = read_observations(connection, territories=["dep:93"], years=[2013])
        specs = read_indicator_specs(connection, ["demo_b"])
    assert frame.schema == {n: getattr(pl, t) for n, t in OBSERVATION_COLUMNS.items()}
    assert frame.select("indicator", "territory", "year", "value").rows() == sorted(rows)
    assert frame.filter(pl.col("value").is_null())["missing_reason"].to_list() == ["secret"]
    assert dep93["value"].to_list() == [27.8]
    assert specs == [spec("demo_b", "F01")]


def test_population_vintages_and_perimeter_round_trip(engine: sqlalchemy.Engine) -> None:
    frame = observations([("demo_a", "dep:93", 2013, 9.6), ("demo_a", "fr", 2013, 9.3)])
    frame = frame.with_columns(
        population_year_min=pl.Series([2026, 2013], dtype=pl.Int32),
        population_year_max=pl.Series([2026, 2026], dtype=pl.Int32),
        perimeter=pl.Series([None, "metropolitan"]),
        perimeter_missing=pl.Series([None, "2A,47"]),
    )
    with engine.begin() as connection:
        save_source(connection, SOURCE)
        batch = open_batch(connection, "demo", "ab" * 32, "1", frame.height)
        replace_source_data(connection, "demo", [spec("demo_a")], frame, batch)
    with engine.connect() as connection:
        stored = read_observations(connection)
    columns = ["territory", "population_year_min", "population_year_max", "perimeter"]
    assert stored.select(*columns, "perimeter_missing").rows() == [
        ("dep:93", 2026, 2026, None, None),
        ("fr", 2013, 2026, "metropolitan", "2A,47"),
    ]


def test_reload_replaces_and_supersedes(engine: sqlalchemy.Engine) -> None:
    first = _load(engine, [("demo_a", "dep:93", 2013, 1.0), ("demo_a", "dep:75", 2013, 2.0)])
    second = _load(engine, [("demo_a", "dep:93", 2013, 3.0)])
    with engine.connect() as connection:
        frame = read_observations(connection)
        statuses = dict(
            connection.execute(sqlalchemy.select(LoadBatchRow.id, LoadBatchRow.status)).all()
        )
        current = current_batch(connection, "demo")
        assert set(current_batches(connection)) == {"demo"}
    assert frame.select("territory", "value").rows() == [("dep:93", 3.0)]
    assert statuses == {first: BatchStatus.SUPERSEDED, second: BatchStatus.CURRENT}
    assert current is not None
    assert (current.id, current.rows, current.loaded_at.tzinfo is not None) == (second, 1, True)


def test_duplicate_observation_is_rejected_and_nothing_written(
    engine: sqlalchemy.Engine,
) -> None:
    _load(engine, [("demo_a", "dep:93", 2013, 1.0)])
    with pytest.raises(IntegrityError):
        _load(engine, [("demo_a", "dep:75", 2013, 1.0), ("demo_a", "dep:75", 2013, 2.0)])
    with engine.connect() as connection:
        assert read_observations(connection).select("territory", "value").rows() == [
            ("dep:93", 1.0)
        ]
        assert len(connection.execute(sqlalchemy.select(LoadBatchRow.id)).all()) == 1


def test_coverage_counts_territories_with_values_per_level(engine: sqlalchemy.Engine) -> None:
    _load(
        engine,
        [
            ("demo_a", "dep:93", 2013, 27.8),
            ("demo_a", "dep:75", 2014, 15.0),
            ("demo_a", "dep:2A", 2014, None),
            ("demo_a", "reg:11", 2013, 15.9),
            ("demo_a", "fr", 2013, 14.5),
            ("demo_b", "com:93066", 2013, 1.0),
        ],
    )
    with engine.connect() as connection:
        coverage = read_coverage(connection)
        years = read_source_years(connection)
    assert coverage.select("indicator", "fragility", "level", "territories").rows() == [
        ("demo_a", "F04", "dep", 2),
        ("demo_a", "F04", "fr", 1),
        ("demo_a", "F04", "reg", 1),
        ("demo_b", "F01", "com", 1),
    ]
    dep = coverage.filter(pl.col("level") == "dep").row(0, named=True)
    assert (dep["first_year"], dep["last_year"], dep["rows"]) == (2013, 2014, 2)
    assert years == {"demo": (2013, 2014)}


def test_floats_and_text_round_trip_exactly(engine: sqlalchemy.Engine) -> None:
    values = [0.1 + 0.2, 1 / 3, 1e-12, 123456789.123456789, -2.5e300, 27.8]
    rows = [("demo_a", f"com:{i:05d}", 2013, v) for i, v in enumerate(values)]
    rows.append(("demo_a", 'custom:a,b"c', 2013, None))  # separators and quotes in text
    _load(engine, rows)
    with engine.connect() as connection:
        frame = read_observations(connection)
    assert frame.select("indicator", "territory", "year", "value").rows() == sorted(rows)
