"""Write transactions: SQLite begins them IMMEDIATE, failures caused by others are French."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy

from cotera.errors import ConflictError
from cotera.storage.transactions import write_transaction

SRC = Path(__file__).resolve().parents[2] / "src" / "cotera"


def test_writes_begin_immediate_and_reads_stay_deferred(tmp_path: Path) -> None:
    from cotera.storage.engine import create_database_engine

    engine = create_database_engine(f"sqlite:///{tmp_path / 'x.sqlite'}")
    statements: list[str] = []
    sqlalchemy.event.listen(
        engine, "before_cursor_execute", lambda *args: statements.append(args[2])
    )
    with write_transaction(engine) as connection:
        connection.exec_driver_sql("CREATE TABLE t (x INTEGER)")
    with engine.connect() as connection:
        connection.exec_driver_sql("SELECT * FROM t").all()
    engine.dispose()
    assert [s for s in statements if s.startswith("BEGIN")] == ["BEGIN IMMEDIATE", "BEGIN"]


def test_every_write_in_cotera_goes_through_write_transaction() -> None:
    """``engine.begin()`` would start a deferred SQLite transaction (a stale read, then
    « database is locked » at the first write)."""
    found = [
        f"{path.relative_to(SRC)}:{number}"
        for path in sorted(SRC.rglob("*.py"))
        if "migrations" not in path.parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if re.search(r"\.begin\(\)", line) and path.name != "transactions.py"
    ]
    assert found == []


def test_a_unique_value_written_meanwhile_is_a_conflict(engine: sqlalchemy.Engine) -> None:
    with write_transaction(engine) as connection:
        connection.exec_driver_sql("CREATE TABLE u (code VARCHAR(8) PRIMARY KEY)")
        connection.exec_driver_sql("INSERT INTO u VALUES ('a')")
    both = "INSERT INTO u VALUES ('b'), ('a')"
    with (
        pytest.raises(ConflictError, match=r"existe déjà .* rien n'a été écrit"),
        write_transaction(engine) as connection,
    ):
        connection.exec_driver_sql(both)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT code FROM u").scalars().all() == ["a"]
