"""Engines and migrations on both backends."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from cotera.storage import indicator_tables, territory_tables
from cotera.storage.base import Base
from cotera.storage.engine import create_database_engine, migrate

FOUNDATION_TABLES = {
    "territory",
    "custom_territory",
    "custom_territory_member",
    "source",
    "indicator",
    "observation",
    "load_batch",
}


def test_migration_matches_the_models(engine: sqlalchemy.Engine) -> None:
    assert {t.name for t in Base.metadata.sorted_tables} >= FOUNDATION_TABLES
    assert territory_tables.TerritoryRow.__tablename__ in FOUNDATION_TABLES
    assert indicator_tables.ObservationRow.__tablename__ in FOUNDATION_TABLES
    with engine.connect() as connection:
        context = MigrationContext.configure(connection)
        diffs = compare_metadata(context, Base.metadata)
        assert set(sqlalchemy.inspect(connection).get_table_names()) >= FOUNDATION_TABLES
    mine = [d for d in diffs if _table_of(d) in FOUNDATION_TABLES]
    assert mine == []


def test_migrate_is_idempotent_and_at_head(engine: sqlalchemy.Engine) -> None:
    migrate(engine)
    with engine.connect() as connection:
        versions = connection.exec_driver_sql("SELECT version_num FROM alembic_version").all()
    assert len(versions) == 1


def test_sqlite_pragmas_and_parent_directory(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "deeper" / "cotera.sqlite"
    engine = create_database_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() > 0
        assert path.parent.is_dir()
    finally:
        engine.dispose()


def test_sqlite_transaction_rolls_back_ddl_and_dml(tmp_path: Path) -> None:
    engine = create_database_engine(f"sqlite:///{tmp_path / 'x.sqlite'}")
    try:
        connection = engine.connect()
        transaction = connection.begin()
        connection.exec_driver_sql("CREATE TABLE t (x INTEGER)")
        connection.exec_driver_sql("INSERT INTO t VALUES (1)")
        transaction.rollback()
        connection.close()
        with engine.connect() as connection:
            assert "t" not in sqlalchemy.inspect(connection).get_table_names()
    finally:
        engine.dispose()


def _table_of(diff: object) -> str | None:
    """The table an Alembic autogenerate diff is about."""
    operation = diff[0] if isinstance(diff, list) else diff
    assert isinstance(operation, tuple)
    for part in operation[1:]:
        if isinstance(part, sqlalchemy.Table):
            return str(part.name)
        table = getattr(part, "table", None)
        if isinstance(table, sqlalchemy.Table):
            return str(table.name)
    return operation[2] if isinstance(operation[2], str) else None
