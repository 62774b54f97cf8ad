"""Shared fixtures: the data mirror, and PostgreSQL tests skipped loudly when not configured."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

POSTGRES_URL = os.environ.get("COTERA_TEST_POSTGRES_URL", "")
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
    configured = os.environ.get("COTERA_DATA_MIRROR")
    path = (
        Path(configured) if configured else Path(__file__).resolve().parents[2] / "shared" / "data"
    )
    if not (path / "SOURCES.md").exists():
        if os.environ.get("CI"):
            raise pytest.UsageError(f"data mirror not found at {path}")
        pytest.skip(f"data mirror not found at {path} (set COTERA_DATA_MIRROR)")
    return path
