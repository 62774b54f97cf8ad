"""Every import takes its source's lock: while another process holds it, the import fails at
once with a clear French error and writes nothing (both backends)."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy

from cotera.actor import Actor, ActorKind
from cotera.errors import ImportRunningError
from cotera.registry.synthetic import SyntheticSpec
from cotera.services.data_load import load_all
from cotera.services.load_summary import LoadStatus
from cotera.services.registry import RegisterKind, import_register, synthesize
from cotera.settings import Settings
from cotera.storage.engine import open_database
from cotera.storage.import_lock import import_lock
from cotera.storage.survey_store import list_waves
from cotera.storage.territory_store import replace_territories
from tests.sources.registers.layouts import rna_row, write_rna
from tests.storage.samples import TERRITORIES
from tests.storage.test_survey_store import _responses, _store

ALICE, BOB = Actor(ActorKind.CLI, "alice"), Actor(ActorKind.CLI, "bob")


@pytest.fixture
def engine_and_settings(
    database_url: str, tmp_path: Path
) -> tuple[sqlalchemy.Engine, Settings]:  # fmt: skip
    engine = open_database(database_url)
    with engine.begin() as connection:
        replace_territories(connection, TERRITORIES)
    return engine, Settings(database_url=database_url, data_dir=tmp_path / "data")


def _count(engine: sqlalchemy.Engine, table: str) -> int:
    with engine.connect() as connection:
        return int(connection.exec_driver_sql(f"SELECT COUNT(*) FROM {table}").scalar_one())


def test_registry_imports_and_synthetic_loads_wait_their_turn(
    engine_and_settings: tuple[sqlalchemy.Engine, Settings], tmp_path: Path
) -> None:
    engine, settings = engine_and_settings
    path = write_rna(tmp_path / "rna.csv", [rna_row("W931000001", "Alpha", "93066")])
    with import_lock(engine, "rna", ALICE):
        with pytest.raises(ImportRunningError, match=r"source rna est déjà en cours .*cli:alice"):
            import_register(settings, RegisterKind.RNA, path, BOB)
        spec = SyntheticSpec(associations=20, partnerships=5, companies=5, public_bodies=1,
                             universities=1, media=1, citizen_collectives=1)  # fmt: skip
        synthesize(settings, spec, BOB)  # another source: not blocked
        with import_lock(engine, "synthetic", ALICE), pytest.raises(ImportRunningError):
            synthesize(settings, spec, BOB)
    assert _count(engine, "registry_import") == 0
    assert import_register(settings, RegisterKind.RNA, path, BOB).counts["created"] == 1
    engine.dispose()


def test_survey_waves_wait_their_turn(
    engine_and_settings: tuple[sqlalchemy.Engine, Settings],
) -> None:
    engine, _ = engine_and_settings
    with import_lock(engine, "survey", ALICE), pytest.raises(ImportRunningError):
        _store(engine, _responses(), "A", "a" * 64)
    assert list_waves(engine) == ()
    engine.dispose()


def test_a_source_being_loaded_elsewhere_fails_and_the_load_goes_on(
    engine_and_settings: tuple[sqlalchemy.Engine, Settings], mirror: Path
) -> None:
    engine, settings = engine_and_settings
    settings = settings.model_copy(update={"data_mirror": mirror})
    with import_lock(engine, "cog", ALICE):
        summary = load_all(settings, only="cog", sources=[])
    (outcome,) = summary.outcomes
    assert outcome.status is LoadStatus.FAILED
    assert outcome.error.startswith("un import de la source cog est déjà en cours")
    assert _count(engine, "load_batch") == 0
    engine.dispose()
