"""Bulk writes of territories and observations, SQLite and PostgreSQL.

Run: ``.venv/bin/python -m bench.storage [--observations N]``. PostgreSQL is measured when
``COTERA_BENCH_POSTGRES_URL`` (or ``COTERA_TEST_POSTGRES_URL``) is set, in a throw-away schema.
Data is synthetic (synthétique): 35,000 territories and N observations (default 150,000).
Baseline, measured in the same run: the ORM unit of work (``Session.add_all`` + commit), the
way an application would naively write the same rows.
Targets (issue 2 / brief H3): 35k territories and 100k+ observations in seconds; we take
"seconds" as < 5 s for each, on each backend.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import polars as pl
import sqlalchemy
from sqlalchemy.orm import Session

from cotera.indicators.model import OBSERVATION_COLUMNS, IndicatorKind, IndicatorSpec
from cotera.storage.batch_store import open_batch
from cotera.storage.engine import open_database
from cotera.storage.indicator_store import SourceRecord, replace_source_data, save_source
from cotera.storage.indicator_tables import ObservationRow
from cotera.storage.territory_store import replace_territories
from cotera.storage.territory_tables import TerritoryRow
from cotera.territory.model import FRANCE, Territory, TerritoryCode
from cotera.types import Direction, Level

TARGET_S = 5.0
TERRITORIES = 35_000


def _territories() -> list[Territory]:
    dep = TerritoryCode(Level.DEPARTEMENT, "93")
    return [Territory(FRANCE, "France", 1)] + [
        Territory(TerritoryCode(Level.COMMUNE, f"{i:05d}"), f"Commune {i}", i, (dep, FRANCE))
        for i in range(1, TERRITORIES)
    ]


def _observations(n: int) -> pl.DataFrame:
    per = 10
    return pl.DataFrame(
        {
            "indicator": [f"bench_{i % per}" for i in range(n)],
            "territory": [f"com:{i // per:05d}" for i in range(n)],
            "year": [2013] * n,
            "value": [float(i) for i in range(n)],
            "missing_reason": [None] * n,
            "numerator": [None] * n,
            "denominator": [None] * n,
            "method": ["source"] * n,
        },
        schema={name: getattr(pl, dtype) for name, dtype in OBSERVATION_COLUMNS.items()},
    )


def _specs() -> list[IndicatorSpec]:
    return [
        IndicatorSpec(f"bench_{i}", "banc", "bench", "F01", Direction.HIGHER_IS_MORE_FRAGILE,
                      "%", IndicatorKind.RATE, (Level.COMMUNE,), "bench", (2013,))
        for i in range(10)
    ]  # fmt: skip


@contextmanager
def _database(backend: str) -> Iterator[sqlalchemy.Engine]:
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as directory:
            engine = open_database(f"sqlite:///{Path(directory) / 'bench.sqlite'}")
            yield engine
            engine.dispose()
        return
    url = os.environ.get("COTERA_BENCH_POSTGRES_URL") or os.environ["COTERA_TEST_POSTGRES_URL"]
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = sqlalchemy.create_engine(url)
    with admin.begin() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    scoped = sqlalchemy.make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
    engine = open_database(scoped.render_as_string(hide_password=False))
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


def _timed(function: Callable[[], object]) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def _prepare(engine: sqlalchemy.Engine) -> int:
    with engine.begin() as connection:
        save_source(connection, SourceRecord("bench", "banc", "bench", "-", "-", "-"))
        batch = open_batch(connection, "bench", "0" * 64, "bench", 0)
        replace_source_data(connection, "bench", _specs(), _observations(0), batch)
    return batch


def _cotera(
    engine: sqlalchemy.Engine, territories: list[Territory], frame: pl.DataFrame
) -> tuple[float, float]:
    batch = _prepare(engine)

    def write_territories() -> None:
        with engine.begin() as connection:
            replace_territories(connection, territories)

    def write_observations() -> None:
        with engine.begin() as connection:
            replace_source_data(connection, "bench", _specs(), frame, batch)

    return _timed(write_territories), _timed(write_observations)


def _orm(
    engine: sqlalchemy.Engine, territories: list[Territory], frame: pl.DataFrame
) -> tuple[float, float]:
    batch = _prepare(engine)

    def write_territories() -> None:
        with Session(engine) as session:
            session.add_all(
                TerritoryRow(code=str(t.code), level=t.level.value, insee_code=t.code.code,
                             name=t.name, name_key=t.name.lower(), population=t.population)
                for t in territories
            )  # fmt: skip
            session.commit()

    def write_observations() -> None:
        with Session(engine) as session:
            session.add_all(ObservationRow(**row, batch_id=batch) for row in frame.to_dicts())
            session.commit()

    return _timed(write_territories), _timed(write_observations)


def main() -> None:
    """Measure and print times, ratios and targets."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--observations", type=int, default=150_000)
    args = parser.parse_args()
    territories, frame = _territories(), _observations(args.observations)
    backends = ["sqlite"]
    if os.environ.get("COTERA_BENCH_POSTGRES_URL") or os.environ.get("COTERA_TEST_POSTGRES_URL"):
        backends.append("postgresql")
    print(f"{len(territories):,} territories, {frame.height:,} observations (synthétique)")
    for backend in backends:
        with _database(backend) as engine:
            ours = _cotera(engine, territories, frame)
        with _database(backend) as engine:
            baseline = _orm(engine, territories, frame)
        for what, mine, base in zip(("territories", "observations"), ours, baseline, strict=True):
            verdict = "PASS" if mine < TARGET_S else "MISS"
            print(
                f"{backend:10} {what:12} cotera {mine:6.2f} s | ORM add_all {base:6.2f} s | "
                f"speed-up x{base / mine:5.1f} | target < {TARGET_S:.0f} s: {verdict}"
            )


if __name__ == "__main__":
    main()
