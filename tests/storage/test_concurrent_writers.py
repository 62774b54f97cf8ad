"""Concurrent writers in separate processes: first migrations, SQLite's write lock and timeout."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.migration import MigrationContext

from cotera.errors import StorageError
from cotera.services.database import database
from cotera.settings import Settings
from cotera.storage.engine import create_database_engine, open_database
from cotera.storage.transactions import write_transaction
from tests.processes import CONTEXT, SAFETY, outcome, start

pytestmark = pytest.mark.slow
HEAD = "0008_concurrency"
GRACE = 3.0  # seconds given to a writer to (wrongly) read before the other one commits


def _migrate(url: str, barrier: object) -> str:
    barrier.wait(SAFETY)  # type: ignore[attr-defined]
    open_database(url).dispose()
    return "migrated"


def test_two_first_migrations_at_once_both_succeed(database_url: str) -> None:
    barrier = CONTEXT.Barrier(2)
    workers = [start(_migrate, database_url, barrier) for _ in range(2)]
    assert [outcome(*worker) for worker in workers] == [("ok", "migrated")] * 2
    engine = create_database_engine(database_url)
    with engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() == HEAD
    engine.dispose()


def _table(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'writers.sqlite'}"
    engine = open_database(url)  # migrated: the waiting below is the writers', not a migration's
    with write_transaction(engine) as connection:
        connection.exec_driver_sql("CREATE TABLE t (who TEXT)")
    engine.dispose()
    return url


def _hold_write_lock(url: str, holding: object, release: object, committed: object) -> str:
    engine = create_database_engine(url)
    with write_transaction(engine) as connection:
        connection.exec_driver_sql("INSERT INTO t VALUES ('first')")
        holding.set()  # type: ignore[attr-defined]
        release.wait(SAFETY)  # type: ignore[attr-defined]
    committed.set()  # type: ignore[attr-defined]
    engine.dispose()
    return "committed"


def _read_then_write(url: str, ready: object, selected: object, committed: object) -> int:
    engine = create_database_engine(url, busy_timeout=SAFETY)
    ready.set()  # type: ignore[attr-defined]
    with write_transaction(engine) as connection:
        seen = int(connection.exec_driver_sql("SELECT COUNT(*) FROM t").scalar_one())
        selected.set()  # type: ignore[attr-defined]
        committed.wait(SAFETY)  # type: ignore[attr-defined]
        connection.exec_driver_sql("INSERT INTO t VALUES ('second')")
    engine.dispose()
    return seen


def test_sqlite_writer_waits_for_the_other_writer_instead_of_failing(tmp_path: Path) -> None:
    """A plain ``BEGIN`` reads a snapshot, then fails at once when it writes ("database is
    locked"): ``BEGIN IMMEDIATE`` waits for the first writer, then reads its row."""
    url = _table(tmp_path)
    holding, release, committed = CONTEXT.Event(), CONTEXT.Event(), CONTEXT.Event()
    ready, selected = CONTEXT.Event(), CONTEXT.Event()
    first = start(_hold_write_lock, url, holding, release, committed)
    assert holding.wait(SAFETY)
    second = start(_read_then_write, url, ready, selected, committed)
    assert ready.wait(SAFETY)
    read_too_early = selected.wait(GRACE)
    release.set()
    assert outcome(*first) == ("ok", "committed")
    assert outcome(*second) == ("ok", 1)  # it saw the first writer's row
    assert not read_too_early


def test_sqlite_writer_gives_up_after_the_busy_timeout_in_french(tmp_path: Path) -> None:
    url = _table(tmp_path)
    holding, release, committed = CONTEXT.Event(), CONTEXT.Event(), CONTEXT.Event()
    first = start(_hold_write_lock, url, holding, release, committed)
    assert holding.wait(SAFETY)
    settings = Settings(database_url=url, data_dir=tmp_path, sqlite_busy_timeout=0.2)
    try:
        with (
            pytest.raises(StorageError, match="occupée par une autre écriture") as busy,
            database(settings) as engine,
            write_transaction(engine) as connection,
        ):
            connection.exec_driver_sql("INSERT INTO t VALUES ('second')")
    finally:
        release.set()
    assert "COTERA_SQLITE_BUSY_TIMEOUT" in str(busy.value)
    assert outcome(*first) == ("ok", "committed")
    engine = create_database_engine(url)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT who FROM t").scalars().all() == ["first"]
    engine.dispose()
