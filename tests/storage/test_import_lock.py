"""The import lock on both backends: one holder per source, a clear French error, no leftovers."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy

from cotera.actor import Actor, ActorKind
from cotera.errors import ConflictError, ImportRunningError
from cotera.storage.import_lock import ImportLockRow, import_lock, lock_file

ALICE = Actor(ActorKind.CLI, "alice")


def _markers(engine: sqlalchemy.Engine) -> list[tuple[str, str | None]]:
    with engine.connect() as connection:
        query = sqlalchemy.select(ImportLockRow.source, ImportLockRow.actor)
        return [tuple(row) for row in connection.execute(query)]


def test_a_second_holder_of_one_source_is_told_who_and_since_when(
    engine: sqlalchemy.Engine,
) -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    with import_lock(engine, "rna", ALICE):
        assert _markers(engine) == [("rna", "cli:alice")]
        with pytest.raises(ImportRunningError) as running, import_lock(engine, "rna"):
            pass
        with import_lock(engine, "sirene_units"):  # another source is free
            pass
    error = running.value
    assert isinstance(error, ConflictError)
    assert (error.source, error.actor) == ("rna", "cli:alice")
    assert error.started_at is not None
    assert error.started_at >= before
    assert str(error).startswith("un import de la source rna est déjà en cours (commencé le ")
    assert str(error).endswith(
        "par cli:alice) ; rien n'a été écrit, relancez quand il sera terminé"
    )
    assert _markers(engine) == []
    with import_lock(engine, "rna"):  # released, even after the failed attempt
        pass


def test_the_lock_is_released_when_the_block_fails(engine: sqlalchemy.Engine) -> None:
    with pytest.raises(ValueError, match="boom"), import_lock(engine, "rna", ALICE):
        raise ValueError("boom")
    with import_lock(engine, "rna"):
        assert _markers(engine) == [("rna", None)]


def test_sqlite_lock_files_sit_next_to_the_database(tmp_path: object) -> None:
    engine = sqlalchemy.create_engine(f"sqlite:///{tmp_path}/base/cotera.sqlite")
    path = lock_file(engine, "sirene/units")
    assert path is not None
    assert path.name == "cotera.sqlite-import-sirene_units.lock"
    assert lock_file(sqlalchemy.create_engine("sqlite://"), "rna") is None
