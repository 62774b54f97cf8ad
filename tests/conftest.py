"""Shared fixtures: the data mirror, and PostgreSQL tests skipped loudly when not configured."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy

POSTGRES_URL = os.environ.get("COTERA_TEST_POSTGRES_URL", "")
MIRROR_ENV = os.environ.get("COTERA_DATA_MIRROR", "")
# Settings a test must pass explicitly; the caller's environment never leaks into a test.
_USER_SETTINGS = (
    "COTERA_DATABASE_URL",
    "COTERA_DATA_MIRROR",
    "COTERA_DATA_DIR",
    "COTERA_ALLOW_DOWNLOAD",
    "COTERA_LANGUAGE",
    "COTERA_SQLITE_BUSY_TIMEOUT",
)
_skipped_postgres: list[str] = []


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip PostgreSQL tests loudly when no server is configured (fail if CI requires one)."""
    if POSTGRES_URL:
        return
    if os.environ.get("COTERA_TEST_REQUIRE_POSTGRES"):
        raise pytest.UsageError(
            "COTERA_TEST_REQUIRE_POSTGRES is set but COTERA_TEST_POSTGRES_URL is not"
        )
    marker = pytest.mark.skip(reason="PostgreSQL not configured (COTERA_TEST_POSTGRES_URL)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(marker)
            _skipped_postgres.append(item.nodeid)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say loudly that PostgreSQL tests were skipped."""
    if _skipped_postgres:
        terminalreporter.write_sep(
            "!",
            f"{len(_skipped_postgres)} PostgreSQL tests SKIPPED: set COTERA_TEST_POSTGRES_URL",
            red=True,
            bold=True,
        )


@pytest.fixture(scope="session")
def mirror() -> Path:
    """The real-data mirror (../shared/data by default); tests needing it skip without it."""
    configured = MIRROR_ENV
    path = (
        Path(configured) if configured else Path(__file__).resolve().parents[2] / "shared" / "data"
    )
    if not (path / "SOURCES.md").exists():
        if os.environ.get("CI"):
            raise pytest.UsageError(f"data mirror not found at {path}")
        pytest.skip(f"data mirror not found at {path} (set COTERA_DATA_MIRROR)")
    return path


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database on each backend: an SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'db' / 'cotera.sqlite'}"
        return
    schema = f"test_{uuid.uuid4().hex[:16]}"
    admin = sqlalchemy.create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    url = sqlalchemy.make_url(POSTGRES_URL).update_query_dict(
        {"options": f"-csearch_path={schema}"}
    )
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


@pytest.fixture
def engine(database_url: str) -> Iterator[sqlalchemy.Engine]:
    """A migrated engine on each backend (see ``database_url``)."""
    from cotera.storage.engine import open_database

    engine = open_database(database_url)
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture(autouse=True)
def _isolated_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Clear the user's COTERA_* settings so each test states what it uses."""
    for name in _USER_SETTINGS:
        monkeypatch.delenv(name, raising=False)
