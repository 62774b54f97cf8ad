"""A real ``cotera data load`` process killed (SIGKILL) at several points leaves a consistent base.

After each kill: SQLite's integrity check passes, every source is either absent or exactly as
committed by its batch (row counts match the batch, every row belongs to it, the content equals
an uninterrupted load's), and a final load completes to the same content as an uninterrupted one.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy

from tests.services.fingerprint import fingerprint

pytestmark = pytest.mark.slow

# (progress lines to wait for, then seconds before SIGKILL)
KILL_POINTS = ((0, 1.0), (1, 0.0), (2, 0.3), (4, 0.0), (6, 0.5))


def _env(db: Path, mirror: Path) -> dict[str, str]:
    return {
        **os.environ,
        "COTERA_DATABASE_URL": f"sqlite:///{db}",
        "COTERA_DATA_MIRROR": str(mirror),
        "COTERA_DATA_DIR": str(db.parent),
        "COLUMNS": "200",
    }


def _load(db: Path, mirror: Path, kill: tuple[int, float] | None = None) -> list[str]:
    """Run ``cotera data load``; with ``kill``, SIGKILL it after that many progress lines."""
    process = subprocess.Popen(
        [sys.executable, "-m", "cotera", "data", "load"],
        env=_env(db, mirror),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    lines: list[str] = []
    if kill is None:
        lines = process.stdout.read().splitlines()
        assert process.wait() == 0, "\n".join(lines)
        return lines
    wanted, delay = kill
    while len(lines) < wanted:
        line = process.stdout.readline()
        if not line:
            break
        if line.startswith(("✓", "=", "✗")):
            lines.append(line.strip())
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait()
    process.stdout.close()
    return lines


def _per_source(engine: sqlalchemy.Engine) -> dict[str, tuple[int, int, str]]:
    """Per current batch: its rows, rows actually stored, digest of the stored content."""
    result = {}
    with engine.connect() as connection:
        batches = connection.exec_driver_sql(
            "SELECT id, source_id, rows FROM load_batch WHERE status = 'current'"
        ).all()
        for batch_id, source_id, rows in batches:
            if source_id == "cog":
                stored = connection.exec_driver_sql(
                    "SELECT code, name, population FROM territory ORDER BY code"
                ).all()
            elif source_id == "contours":
                stored = connection.exec_driver_sql(
                    "SELECT code, detail, level, geometry, batch_id = ? "
                    "FROM territory_boundary ORDER BY 1, 2",
                    (batch_id,),
                ).all()
                assert all(row[4] for row in stored), "contours: rows of another batch"
            else:
                stored = connection.exec_driver_sql(
                    "SELECT o.indicator, o.territory, o.year, o.value, o.batch_id = ? "
                    "FROM observation o JOIN indicator i ON i.code = o.indicator "
                    "WHERE i.source_id = ? ORDER BY 1, 2, 3",
                    (batch_id, source_id),
                ).all()
                assert all(row[4] for row in stored), f"{source_id}: rows of another batch"
            digest = hashlib.sha256(repr([tuple(r[:4]) for r in stored]).encode()).hexdigest()
            result[source_id] = (rows, len(stored), digest)
        orphans = connection.exec_driver_sql(
            "SELECT COUNT(*) FROM observation o JOIN indicator i ON i.code = o.indicator "
            "WHERE i.source_id NOT IN (SELECT source_id FROM load_batch WHERE status = 'current')"
        ).scalar()
        assert orphans == 0
    return result


def _state(db: Path) -> tuple[dict[str, tuple[int, int, str]], dict[str, tuple[int, str]]]:
    engine = sqlalchemy.create_engine(f"sqlite:///{db}")
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        return _per_source(engine), fingerprint(engine)
    finally:
        engine.dispose()


def test_killed_loads_leave_the_base_consistent(mirror: Path, tmp_path: Path) -> None:
    reference_db = tmp_path / "reference" / "cotera.sqlite"
    reference_db.parent.mkdir()
    _load(reference_db, mirror)
    reference, reference_fingerprint = _state(reference_db)

    db = tmp_path / "killed" / "cotera.sqlite"
    db.parent.mkdir()
    committed: set[str] = set()
    for point in KILL_POINTS:
        _load(db, mirror, point)
        if not db.exists():
            continue
        per_source, _ = _state(db)
        for source_id, (batch_rows, stored_rows, digest) in per_source.items():
            assert batch_rows == stored_rows, source_id
            assert (batch_rows, stored_rows, digest) == reference[source_id], source_id
        assert committed <= set(per_source)  # nothing committed earlier was lost
        committed = set(per_source)
    assert committed, "no kill point happened after a committed source"
    assert committed != set(reference), "every kill came after the end of the load"

    lines = _load(db, mirror)
    assert any(line.startswith("=") for line in lines)  # sources committed before are skipped
    per_source, final_fingerprint = _state(db)
    assert per_source == reference
    assert final_fingerprint == reference_fingerprint
