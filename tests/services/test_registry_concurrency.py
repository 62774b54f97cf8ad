"""Registry writers in separate processes, on both backends: imports of one source are
serialised (the second is told, then applies on top), concurrent edits never lose a change,
and a killed import does not block the next one."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
import sqlalchemy

from cotera.actor import Actor
from cotera.errors import ImportRunningError
from cotera.services.registry import RegisterKind, import_register
from cotera.services.registry_experiments import edit_fragilities, organization_version
from cotera.settings import Settings
from cotera.storage.engine import open_database
from cotera.storage.registry_store import audit_entries, get_organization
from cotera.storage.territory_store import replace_territories
from tests.processes import CONTEXT, SAFETY, outcome, pause_once, start
from tests.sources.registers.layouts import rna_row, write_rna
from tests.storage.samples import TERRITORIES

pytestmark = pytest.mark.slow
RNA = "W931000001"
BASE = Actor.system("base")


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    engine = open_database(database_url)
    with engine.begin() as connection:
        replace_territories(connection, TERRITORIES)
    engine.dispose()
    settings = Settings(database_url=database_url, data_dir=tmp_path / "data")
    first = write_rna(tmp_path / "rna_v1.csv", [rna_row(RNA, "Alpha", "93066")])
    import_register(settings, RegisterKind.RNA, first, BASE)
    return settings


def _renaming(tmp_path: Path, name: str) -> Path:
    return write_rna(tmp_path / f"rna_{name}.csv", [rna_row(RNA, name, "93066")])


def _import(settings: Settings, path: Path, who: str, inside: object, go: object) -> int:
    progress = pause_once(inside, go)  # type: ignore[arg-type]
    report = import_register(settings, RegisterKind.RNA, path, Actor.system(who), progress)
    return report.counts["updated"]


def _name_trail(settings: Settings) -> list[tuple[str, object, object]]:
    engine = open_database(settings.database_url)
    with engine.connect() as connection:
        org_id = connection.exec_driver_sql("SELECT id FROM registry_organization").scalar_one()
        trail = audit_entries(connection, "organization", org_id)
    engine.dispose()
    return [(e["actor"], (e["before"] or {}).get("name"), e["after"]["name"]) for e in trail]


def test_two_rna_imports_at_once_one_runs_the_other_is_told(
    settings: Settings, tmp_path: Path
) -> None:
    inside, go = CONTEXT.Event(), CONTEXT.Event()
    first = start(_import, settings, _renaming(tmp_path, "Alpha X"), "first", inside, go)
    assert inside.wait(SAFETY)  # the first import is running, in its transaction
    second = _renaming(tmp_path, "Alpha Y")
    try:
        with pytest.raises(ImportRunningError) as running:
            import_register(settings, RegisterKind.RNA, second, Actor.system("second"))
    finally:
        go.set()
    assert outcome(*first) == ("ok", 1)
    message = str(running.value)
    assert message.startswith("un import de la source rna est déjà en cours (commencé le ")
    assert "par system:first) ; rien n'a été écrit" in message
    assert running.value.started_at is not None
    # Run again once the first is done, the second applies on top of it: no rename is lost
    # and each "before" is the value it replaced.
    assert (
        import_register(settings, RegisterKind.RNA, second, Actor.system("second")).counts[
            "updated"
        ]
        == 1
    )
    assert _name_trail(settings) == [
        ("system:base", None, "Alpha"),
        ("system:first", "Alpha", "Alpha X"),
        ("system:second", "Alpha X", "Alpha Y"),
    ]


def _edit(settings: Settings, codes: list[str], who: str, barrier: object) -> int:
    version = organization_version(settings, 1)
    barrier.wait(SAFETY)  # type: ignore[attr-defined]
    edit_fragilities(settings, 1, codes, Actor.system(who), expected_version=version)
    return version


def test_concurrent_edits_of_one_organisation_the_second_gets_a_conflict(
    settings: Settings,
) -> None:
    barrier = CONTEXT.Barrier(2)
    edits = {"a": ["F01"], "b": ["F04"]}
    workers = {who: start(_edit, settings, codes, who, barrier) for who, codes in edits.items()}
    results = {who: outcome(*worker) for who, worker in workers.items()}
    winners = [who for who, result in results.items() if result == ("ok", 1)]
    assert len(winners) == 1, results
    (loser,) = set(edits) - set(winners)
    assert results[loser][:2] == ("error", "ConflictError")
    assert "modifiée par une autre écriture depuis sa lecture (version 1)" in results[loser][2]
    engine = open_database(settings.database_url)
    with engine.connect() as connection:
        assert get_organization(connection, 1).fragilities == set(edits[winners[0]])
        trail = audit_entries(connection, "organization", 1)
    updates = [e for e in trail if e["action"] != "create"]
    engine.dispose()
    assert [e["actor"] for e in updates] == [f"system:{winners[0]}"]  # the loser wrote nothing
    assert organization_version(settings, 1) == 2


def _sessions(url: str, name: str) -> int:
    engine = sqlalchemy.create_engine(url)
    with engine.connect() as connection:
        count = connection.exec_driver_sql(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = %s", (name,)
        ).scalar_one()
    engine.dispose()
    return int(count)


def test_a_killed_import_does_not_block_the_next_one(settings: Settings, tmp_path: Path) -> None:
    url = sqlalchemy.make_url(settings.database_url)
    name = f"cotera-killed-{os.getpid()}"
    if url.get_backend_name() == "postgresql":
        url = url.update_query_dict({"application_name": name})
    killed = settings.model_copy(update={"database_url": url.render_as_string(False)})
    inside, go = CONTEXT.Event(), CONTEXT.Event()
    process, _ = start(_import, killed, _renaming(tmp_path, "Alpha X"), "killed", inside, go)
    assert inside.wait(SAFETY)
    os.kill(process.pid, signal.SIGKILL)  # type: ignore[arg-type]
    process.join(SAFETY)
    if url.get_backend_name() == "postgresql":  # wait for the server to end its sessions
        deadline = time.monotonic() + SAFETY
        while _sessions(settings.database_url, name) and time.monotonic() < deadline:
            time.sleep(0.05)
    report = import_register(settings, RegisterKind.RNA, _renaming(tmp_path, "Alpha Y"), BASE)
    assert report.counts["updated"] == 1
    assert [name for _, _, name in _name_trail(settings)] == ["Alpha", "Alpha Y"]
