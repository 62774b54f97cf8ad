"""One import per source at a time: a lock that dies with its holder, and a visible marker.

The lock itself is a PostgreSQL session advisory lock (keyed by schema and source, held on a
connection of its own) or, on SQLite, an exclusive ``flock`` on ``<base>-import-<source>.lock``
next to the database file. Both are released by the operating system or the server when the
holding process ends, even when it is killed: a crashed import never blocks the next one.

The marker row of ``import_lock`` (migration ``0008_concurrency``) says who holds it and since
when, so that a second import fails at once with a clear French message
(:class:`~cotera.errors.ImportRunningError`). A marker left by a killed import is stale but
harmless: it is only read while someone holds the lock, and the next holder replaces it.
"""

from __future__ import annotations

import fcntl
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import DateTime, Engine, String, delete, func, insert, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column

from cotera.actor import Actor
from cotera.errors import CoteraError, ImportRunningError
from cotera.storage.base import Base
from cotera.storage.transactions import advisory_key, write_transaction


class ImportLockRow(Base):
    """The running import of a source: its holder's token, actor and start time."""

    __tablename__ = "import_lock"

    source: Mapped[str] = mapped_column(String(64), primary_key=True)
    token: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str | None] = mapped_column(String(100))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


@contextmanager
def import_lock(engine: Engine, source: str, actor: Actor | None = None) -> Iterator[None]:
    """Hold the import lock of ``source`` for the block; ``ImportRunningError`` if it is held."""
    with _os_or_server_lock(engine, source) as held:
        if not held:
            raise _running(engine, source)
        token = secrets.token_hex(16)
        with write_transaction(engine) as connection:
            connection.execute(delete(ImportLockRow).where(ImportLockRow.source == source))
            connection.execute(
                insert(ImportLockRow),
                {"source": source, "token": token, "started_at": datetime.now(UTC),
                 "actor": None if actor is None else str(actor)},
            )  # fmt: skip
        try:
            yield
        finally:
            _clear(engine, source, token)


def _clear(engine: Engine, source: str, token: str) -> None:
    """Remove our marker; a failure leaves a stale marker, which the lock makes harmless."""
    try:
        with write_transaction(engine) as connection:
            connection.execute(
                delete(ImportLockRow).where(
                    ImportLockRow.source == source, ImportLockRow.token == token
                )
            )
    except (CoteraError, SQLAlchemyError):
        pass


def _running(engine: Engine, source: str) -> ImportRunningError:
    with engine.connect() as connection:
        row = connection.execute(
            select(ImportLockRow.started_at, ImportLockRow.actor).where(
                ImportLockRow.source == source
            )
        ).first()
    if row is None:  # the holder has not written its marker yet
        return ImportRunningError(source, None, None)
    started = row.started_at
    if started.tzinfo is None:  # SQLite stores naive UTC datetimes
        started = started.replace(tzinfo=UTC)
    return ImportRunningError(source, started, row.actor)


@contextmanager
def _os_or_server_lock(engine: Engine, source: str) -> Iterator[bool]:
    """Try to take the lock without waiting; yield whether it was taken."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT")
            key = advisory_key(connection, f"import:{source}")
            held = bool(connection.execute(select(func.pg_try_advisory_lock(key))).scalar_one())
            try:
                yield held
            finally:
                if held:
                    connection.execute(select(func.pg_advisory_unlock(key)))
        return
    path = lock_file(engine, source)
    if path is None:  # in-memory database: one connection, nothing to share
        yield True
        return
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True  # closing the file releases the lock


def lock_file(engine: Engine, source: str) -> Path | None:
    """The lock file of ``source`` next to an SQLite database file (None in memory)."""
    database = engine.url.database
    if not database or database == ":memory:":
        return None
    base = Path(database).expanduser().resolve()
    return base.with_name(f"{base.name}-import-{re.sub(r'[^A-Za-z0-9_]', '_', source)}.lock")
