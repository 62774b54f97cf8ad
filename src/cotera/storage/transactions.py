"""Write transactions: the SQLite write lock taken at ``BEGIN``, concurrency failures in French.

A transaction that writes goes through :func:`write_transaction`. On SQLite it starts with
``BEGIN IMMEDIATE``: the write lock is taken before the first read, so another writer makes it
wait (up to the busy timeout) instead of failing at once on a stale snapshot, and what it reads
cannot change before it writes. Reads (``engine.connect()``) stay deferred and never wait. On
PostgreSQL it is a plain transaction; row versions and locks do the serialising
(``registry_versions``, ``import_lock``).
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from cotera.errors import ConflictError, CoteraError, StorageError

WRITE_OPTION = "cotera_write"  # execution option read by the engine's ``begin`` listener
_PG_RETRY_STATES = {"40001": "sérialisation", "40P01": "interblocage"}
_SQLITE_UNIQUE = {1555, 2067}  # SQLITE_CONSTRAINT_PRIMARYKEY, SQLITE_CONSTRAINT_UNIQUE
_SQLITE_FOREIGN_KEY = 787  # SQLITE_CONSTRAINT_FOREIGNKEY


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A connection in a transaction that writes, committed at the end of the block.

    SQLite busy past the timeout → ``StorageError``; a PostgreSQL deadlock or serialisation
    failure, a unique value written meanwhile or a referenced row deleted meanwhile →
    ``ConflictError``. Nothing is kept then.
    """
    try:
        with engine.connect() as connection:
            connection.execution_options(**{WRITE_OPTION: True})
            with connection.begin():
                yield connection
    except (OperationalError, IntegrityError) as exc:
        translated = concurrency_error(exc)
        if translated is None:
            raise
        raise translated from exc


def concurrency_error(exc: DBAPIError) -> CoteraError | None:
    """The French error for a database failure caused by another writer, if it is one."""
    original = exc.orig
    if isinstance(original, sqlite3.Error):
        code = getattr(original, "sqlite_errorcode", 0)
        if code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            return StorageError(
                "la base SQLite est restée occupée par une autre écriture au-delà du délai "
                "d'attente (COTERA_SQLITE_BUSY_TIMEOUT) ; rien n'a été écrit, réessayez"
            )
        if code in _SQLITE_UNIQUE:
            return _unique(str(original).removeprefix("UNIQUE constraint failed: "))
        return _missing_reference() if code == _SQLITE_FOREIGN_KEY else None
    state = getattr(original, "sqlstate", None)
    if state in _PG_RETRY_STATES:
        return ConflictError(
            f"conflit avec une écriture simultanée ({_PG_RETRY_STATES[state]}) ; rien n'a été "
            "écrit, relancez la commande"
        )
    if state == "23505":
        diag = getattr(original, "diag", None)
        return _unique(getattr(diag, "constraint_name", None) or "valeur unique")
    return _missing_reference() if state == "23503" else None


def _missing_reference() -> ConflictError:
    return ConflictError(
        "conflit d'écriture : un enregistrement référencé n'existe plus (peut-être supprimé au "
        "même moment par une autre commande) ; rien n'a été écrit"
    )


def _unique(what: str) -> ConflictError:
    return ConflictError(
        f"conflit d'écriture : {what} existe déjà (peut-être enregistré au même moment par une "
        "autre commande) ; rien n'a été écrit"
    )


def advisory_key(connection: Connection, name: str) -> int:
    """A PostgreSQL advisory-lock key for ``name`` in the connection's schema (64-bit signed).

    Advisory locks are per database, so the schema is part of the key: two Cotera bases in
    two schemas of one database never block each other.
    """
    schema = connection.exec_driver_sql("SELECT current_schema()").scalar_one()
    digest = hashlib.blake2b(f"cotera\0{schema}\0{name}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)
