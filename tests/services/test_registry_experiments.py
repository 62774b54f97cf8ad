"""Collective experiments and hand-edited fragilities on both backends."""

from __future__ import annotations

from pathlib import Path

import pytest

from cotera.actor import Actor, ActorKind
from cotera.errors import ValidationError
from cotera.registry.model import ExperimentStage, Organization, OrganizationKind
from cotera.services.registry_experiments import (
    add_experiment_file,
    edit_fragilities,
    list_experiments,
)
from cotera.settings import Settings
from cotera.storage.engine import open_database
from cotera.storage.registry_store import add_organization, audit_entries
from cotera.storage.territory_store import replace_territories
from tests.storage.samples import TERRITORIES

ACTOR, ALICE = Actor.system("test"), Actor(ActorKind.CLI, "alice")

ORGANIZATIONS = (
    Organization(OrganizationKind.UNIVERSITY, "Université Paris 8", "93066"),
    Organization(OrganizationKind.PUBLIC_BODY, "Ville de Paris", "75056"),
    Organization(OrganizationKind.ASSOCIATION, "Sport Dans la Ville", "75056"),
)
GOOD = """
name = "Insertion par le sport"
territory = "dep:93"
fragilities = ["F01", "f04"]
stage = "co-construire les solutions"
needs = ["Jeunes éloignés de l'emploi"]
solutions = ["Parcours sport-emploi"]

[[members]]
organization = 1
role = "chercheur"

[[members]]
organization = 2
role = "funder"
"""


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    engine = open_database(database_url)
    with engine.begin() as connection:
        replace_territories(connection, TERRITORIES)
        for organization in ORGANIZATIONS:
            add_organization(connection, organization, ACTOR)
    engine.dispose()
    return Settings(database_url=database_url, data_dir=tmp_path / "data")


def test_experiment_from_a_file_is_stored_and_listed_by_territory(
    settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "exp.toml"
    path.write_text(GOOD, encoding="utf-8")
    stored = add_experiment_file(settings, path, ACTOR)
    experiment = stored.experiment
    assert experiment.stage is ExperimentStage.SOLUTIONS
    assert experiment.fragilities == {"F01", "F04"}
    assert str(experiment.territory) == "dep:93"
    kinds = [m.kind for m in stored.members]
    assert kinds == [OrganizationKind.UNIVERSITY, OrganizationKind.PUBLIC_BODY]
    assert [e.experiment.id for e in list_experiments(settings)] == [experiment.id]
    # dep:75 through its member Ville de Paris (commune 75056); com:93066 through Paris 8
    assert len(list_experiments(settings, "dep:75")) == 1
    path.write_text(
        GOOD.replace('"dep:93"', '"com:93066"').replace("organization = 1", "organization = 3")
    )
    add_experiment_file(settings, path, ACTOR)
    assert [len(list_experiments(settings, t)) for t in ("dep:93", "dep:75", "fr")] == [1, 2, 2]


def test_invalid_experiment_lists_every_problem_and_writes_nothing(
    settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "bad.toml"
    text = GOOD.replace('"F01", "f04"', '"F01", "F99"').replace(
        "organization = 2", "organization = 9"
    )
    text = text.replace('stage = "co-construire les solutions"', 'stage = "evaluation"\nfoo = 2')
    path.write_text(text.replace('solutions = ["Parcours sport-emploi"]', ""), encoding="utf-8")
    with pytest.raises(ValidationError) as error:
        add_experiment_file(settings, path, ACTOR)
    codes = sorted(p.code for p in error.value.problems)
    assert codes == ["champ_inconnu", "experimentation_invalide", "fragilite_inconnue",
                     "organisation_inconnue"]  # fmt: skip
    assert list_experiments(settings) == []
    path.write_text(GOOD.replace('stage = "co-construire les solutions"', 'stage = "evaluation"')
                    .replace('solutions = ["Parcours sport-emploi"]', ""))  # fmt: skip
    with pytest.raises(ValidationError, match="rien n'a été écrit") as error:
        add_experiment_file(settings, path, ACTOR)
    assert [p.code for p in error.value.problems] == ["experimentation_invalide"]


def test_fragilities_are_edited_by_hand_and_audited(settings: Settings) -> None:
    organization = edit_fragilities(settings, 3, ["F01", "F04"], ALICE)
    assert organization.fragilities == {"F01", "F04"}
    assert organization.fragilities_edited
    with pytest.raises(ValidationError) as error:
        edit_fragilities(settings, 3, ["F02", "F77", "X"], ALICE)
    assert [p.value for p in error.value.problems] == ["F77", "X"]
    engine = open_database(settings.database_url)
    with engine.connect() as connection:
        trail = audit_entries(connection, "organization", 3)
    engine.dispose()
    assert [(e["action"], e["actor"]) for e in trail] == [
        ("create", "system:test"),
        ("update", "cli:alice"),
    ]
    assert trail[-1]["after"] == {"fragility_mask": 0b1001, "fragilities_edited": True}
