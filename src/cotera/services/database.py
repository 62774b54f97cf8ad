"""The database a command works on: opened from the settings, migrated, disposed after use."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine

from cotera.settings import Settings
from cotera.storage.engine import open_database


@contextmanager
def database(settings: Settings) -> Iterator[Engine]:
    """An engine on the configured database, schema at the latest migration."""
    engine = open_database(settings.resolved_database_url(), settings.sqlite_busy_timeout)
    try:
        yield engine
    finally:
        engine.dispose()
