"""Registry use cases on both backends: idempotent imports, synthetic load, match, pioneers."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy

from cotera.actor import Actor
from cotera.errors import ValidationError
from cotera.registry.barometer import Dimension
from cotera.registry.synthetic import SyntheticSpec
from cotera.services.registry import (
    RegisterKind,
    barometer,
    import_register,
    match,
    pioneers,
    synthesize,
)
from cotera.services.territory_priorities import PrioritySource
from cotera.settings import Settings
from cotera.storage.engine import open_database
from cotera.storage.territory_store import replace_territories
from tests.sources.registers.layouts import (
    UNIT_COLUMNS,
    rna_row,
    unit_row,
    with_key,
    write_csv,
    write_rna,
)
from tests.storage.samples import TERRITORIES

ACTOR = Actor.system("test")

SIREN = with_key("12345678")


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    engine = open_database(database_url)
    with engine.begin() as connection:
        replace_territories(connection, TERRITORIES)
    engine.dispose()
    return Settings(database_url=database_url, data_dir=tmp_path / "data")


def _count(settings: Settings, sql: str) -> int:
    engine = sqlalchemy.create_engine(settings.database_url)
    with engine.connect() as connection:
        value = int(connection.exec_driver_sql(sql).scalar_one())
    engine.dispose()
    return value


def test_imports_are_idempotent_and_newer_files_update_and_dissolve(
    settings: Settings, tmp_path: Path
) -> None:
    rows = [rna_row("W931000001", "Emploi Solidaire", "93066"),
            rna_row("W931000002", "Club", "93066", objet_social1="011000")]  # fmt: skip
    first = write_rna(tmp_path / "rna_v1.csv", rows)
    report = import_register(settings, RegisterKind.RNA, first, ACTOR)
    assert report.counts["created"] == 2
    again = import_register(settings, RegisterKind.RNA, first, ACTOR)
    assert again.already_imported
    audit_rows = _count(settings, "select count(*) from registry_audit")
    newer = write_rna(
        tmp_path / "rna_v2.csv", [rna_row("W931000001", "Emploi Solidaire 93", "93066")]
    )
    report = import_register(settings, RegisterKind.RNA, newer, ACTOR, allow_mass_change=True)
    assert (report.counts["updated"], report.counts["dissolved"]) == (1, 1)
    assert _count(settings, "select count(*) from registry_audit") == audit_rows + 3  # 2 + import
    units = write_csv(tmp_path / "StockUniteLegale.csv", UNIT_COLUMNS,
                      [unit_row(SIREN, "INSERTION SA", "5710", "78.20Z")])  # fmt: skip
    assert import_register(settings, RegisterKind.SIRENE, units, ACTOR).counts["created"] == 1
    partnerships = tmp_path / "partenariats.csv"
    partnerships.write_text(
        "partnership_id,name,form,members,fragilities,start_on\n"
        f'P1,Tremplin,innovation sociétale,"W931000001=porteur;{SIREN}",F01,2010-01-01\n',
        encoding="utf-8",
    )
    assert import_register(settings, RegisterKind.PARTNERSHIPS, partnerships, ACTOR).counts == {
        "created": 1, "updated": 0, "unchanged": 0, "dissolved": 0, "skipped": 0, "rejected": 0,
    }  # fmt: skip
    found = pioneers(settings, "dep:93", ["F01"])
    assert (found.territory.name, found.ranked[0].name) == ("Seine-Saint-Denis", "Tremplin")
    assert found.priorities.source is PrioritySource.USER
    assert found.ranked[0].candidate.priorities == ("F01",)
    default = pioneers(settings, "dep:93")  # no indicator loaded: no priorities, said so
    assert default.priorities.source is PrioritySource.NONE
    assert default.ranked[0].candidate.priorities == ()
    rates = barometer(settings, None, [Dimension.KIND], [2015])
    assert rates.filter(kind="company")["rate"].to_list() == [1.0]


def test_invalid_file_writes_nothing_and_lists_every_problem(
    settings: Settings, tmp_path: Path
) -> None:
    path = write_rna(
        tmp_path / "bad.csv",
        [rna_row("W931000001", "Ok", "93066"), rna_row("bad", "X", "93066"),
         rna_row("W931000003", "", "93066")],
    )  # fmt: skip
    with pytest.raises(ValidationError) as error:
        import_register(settings, RegisterKind.RNA, path, ACTOR)
    assert [p.code for p in error.value.problems] == ["rna_invalide", "titre_vide"]
    assert _count(settings, "select count(*) from registry_organization") == 0
    report = import_register(settings, RegisterKind.RNA, path, ACTOR, skip_invalid=True)
    assert (report.counts["created"], len(report.rejected)) == (1, 2)


def test_synthetic_registry_and_matching(settings: Settings) -> None:
    spec = SyntheticSpec(associations=400, partnerships=300, companies=200, public_bodies=4,
                         universities=1, media=1, citizen_collectives=2, seed=5)  # fmt: skip
    counts = synthesize(settings, spec, ACTOR)
    assert counts["organizations"] == 608
    report = match(settings, territory="dep:93", fragility="F14", top=3)
    assert report.priorities.source is PrioritySource.NONE
    found = report.suggestions
    assert found
    assert all(f.synthetic and "synthétique" in f.name for f in found)
    assert [f.suggestion.score for f in found] == sorted(
        (f.suggestion.score for f in found), reverse=True
    )
    organization = found[0].suggestion.organization_id
    suggestions = match(settings, organization_id=organization, top=5).suggestions
    assert organization not in {s.suggestion.organization_id for s in suggestions}
