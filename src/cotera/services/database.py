"""The database a command works on: opened from the settings, migrated, disposed after use."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from cotera.errors import StorageError
from cotera.settings import Settings
from cotera.storage.engine import open_database


@contextmanager
def database(settings: Settings) -> Iterator[Engine]:
    """An engine on the configured database, schema at the latest migration.

    A driver error escaping the block becomes a StorageError with the driver's reason only.
    """
    engine = open_database(settings.resolved_database_url(), settings.sqlite_busy_timeout)
    try:
        yield engine
    except DBAPIError as exc:  # never the statement nor its values in the message
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
        raise StorageError(f"la base a refusé l'opération : {reason}") from exc
    finally:
        engine.dispose()
