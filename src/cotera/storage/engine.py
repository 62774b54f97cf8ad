"""Database engines (SQLite with WAL by default, PostgreSQL through psycopg 3) and migrations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, func, make_url, select
from sqlalchemy.exc import SQLAlchemyError

from cotera.errors import StorageError
from cotera.storage.transactions import WRITE_OPTION, advisory_key, write_transaction
from cotera.storage.value_checks import install_value_checks

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT = 30.0  # seconds a writer waits for another one (COTERA_SQLITE_BUSY_TIMEOUT)


def create_database_engine(url: str, busy_timeout: float = SQLITE_BUSY_TIMEOUT) -> Engine:
    """An Engine for ``url``; SQLite gets WAL, foreign keys, ``busy_timeout`` (seconds) and its
    directory, and write transactions (:func:`write_transaction`) begin ``IMMEDIATE``."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    # Autocommit at the driver level, explicit BEGIN on our side: pysqlite's implicit
    # transactions would otherwise leave DDL and reads outside the transaction.
    engine = create_engine(url, connect_args={"isolation_level": None, "timeout": busy_timeout})

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={round(busy_timeout * 1000)}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        writes = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")

    return engine


def migrate(engine: Engine) -> None:
    """Bring the schema to the latest Alembic revision (run before any command uses the DB).

    A base already at the head is only read. Otherwise the upgrade runs in one write
    transaction holding the migration lock (a PostgreSQL advisory lock, SQLite's write lock),
    so two first runs at once both succeed: the second waits, then finds the head.
    """
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    head = ScriptDirectory.from_config(config).get_current_head()
    try:
        with engine.connect() as connection:
            if MigrationContext.configure(connection).get_current_revision() == head:
                return
        with write_transaction(engine) as connection:
            if connection.dialect.name == "postgresql":
                key = advisory_key(connection, "migrate")
                connection.execute(select(func.pg_advisory_xact_lock(key)))
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except SQLAlchemyError as exc:
        raise StorageError(f"mise à jour du schéma de la base impossible : {exc}") from exc


def open_database(url: str, busy_timeout: float = SQLITE_BUSY_TIMEOUT) -> Engine:
    """An engine on ``url`` with its schema migrated to the latest revision."""
    engine = create_database_engine(url, busy_timeout)
    install_value_checks(engine)
    migrate(engine)
    return engine
