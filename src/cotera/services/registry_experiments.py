"""Collective experiments (needs → solutions → evaluation) and hand-edited fragilities.

An experiment file is TOML::

    name = "Insertion par le sport"
    territory = "dep:93"            # optional: code, name or custom:slug
    fragilities = ["F01", "F04"]
    stage = "solutions"             # needs | solutions | evaluation (or the French label)
    needs = ["Jeunes éloignés de l'emploi"]
    solutions = ["Parcours sport-emploi"]
    evaluation = ""

    [[members]]
    organization = 12               # Cotera id (see cotera match / the registry)
    role = "lead"                   # lead | partner | funder | facilitator | researcher
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import select

from cotera.actor import Actor
from cotera.errors import ConfigurationError, CoteraError, Problem, ValidationError
from cotera.registry.fragility_mask import fragility_bit
from cotera.registry.model import (
    CollectiveExperiment,
    ExperimentStage,
    Member,
    MemberRole,
    Organization,
)
from cotera.services.database import database
from cotera.services.registry import communes_of
from cotera.services.territories import resolve_in
from cotera.settings import Settings
from cotera.sources.toml_file import read_toml
from cotera.storage.registry_experiments import StoredExperiment, read_experiments
from cotera.storage.registry_store import add_experiment, get_organization, set_fragilities
from cotera.storage.registry_tables import OrganizationRow
from cotera.storage.registry_versions import current_version
from cotera.storage.transactions import write_transaction

FIELDS = {"name", "territory", "fragilities", "stage", "needs", "solutions", "evaluation",
          "members"}  # fmt: skip


def _fragility_problems(codes: Sequence[str], file: str = "") -> list[Problem]:
    problems = []
    for code in codes:
        try:
            fragility_bit(code)
        except ConfigurationError as exc:
            problems.append(Problem("fragilite_inconnue", str(exc), file=file, value=code,
                                    column="fragilities", expected="F01…F16"))  # fmt: skip
    return problems


def _strings(raw: dict[str, Any], key: str, problems: list[Problem], file: str) -> list[str]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(Problem("liste_attendue", f"{key} : liste de textes attendue", file=file,
                                column=key, value=str(value)))  # fmt: skip
        return []
    return value


def _members(raw: dict[str, Any], problems: list[Problem], file: str) -> list[Member]:
    members = []
    for index, item in enumerate(raw.get("members", []), start=1):
        organization, role = item.get("organization"), item.get("role", "partner")
        if not isinstance(organization, int):
            problems.append(Problem("membre_invalide", "identifiant d'organisation attendu",
                                    file=file, row=index, column="organization",
                                    value=str(organization)))  # fmt: skip
            continue
        try:
            members.append(Member(organization, MemberRole.parse(str(role))))
        except ConfigurationError as exc:
            problems.append(Problem("role_inconnu", str(exc), file=file, row=index,
                                    column="role", value=str(role)))  # fmt: skip
    return members


def add_experiment_file(settings: Settings, path: Path, actor: Actor) -> StoredExperiment:
    """Store the experiment described by a TOML file (every problem reported, nothing written)."""
    file = path.name
    raw = read_toml(path, "expérimentation")
    problems = [Problem("champ_inconnu", f"champ inconnu : {k}", file=file, column=k)
                for k in sorted(set(raw) - FIELDS)]  # fmt: skip
    fragilities = _strings(raw, "fragilities", problems, file)
    problems += _fragility_problems(fragilities, file)
    needs, solutions = (_strings(raw, k, problems, file) for k in ("needs", "solutions"))
    members = _members(raw, problems, file)
    stage = ExperimentStage.NEEDS
    try:
        stage = ExperimentStage.parse(str(raw.get("stage", "needs")))
    except ConfigurationError as exc:
        problems.append(Problem("etape_inconnue", str(exc), file=file, column="stage"))
    with database(settings) as engine, write_transaction(engine) as connection:
        territory = None
        if raw.get("territory"):
            try:
                territory = resolve_in(connection, str(raw["territory"])).territory.code
            except CoteraError as exc:
                problems.append(
                    Problem(
                        "territoire_inconnu",
                        str(exc),
                        file=file,
                        column="territory",
                        value=str(raw["territory"]),
                    )
                )
        ids = [m.organization_id for m in members]
        known = set(
            connection.scalars(select(OrganizationRow.id).where(OrganizationRow.id.in_(ids)))
        )
        problems += [
            Problem("organisation_inconnue", f"organisation inconnue : {i}", file=file,
                    column="members", value=str(i))
            for i in ids if i not in known
        ]  # fmt: skip
        experiment = None
        try:
            experiment = CollectiveExperiment(
                name=str(raw.get("name", "")), members=tuple(members), territory=territory,
                fragilities=frozenset(c.strip().upper() for c in fragilities), stage=stage,
                needs=tuple(needs), solutions=tuple(solutions),
                evaluation=str(raw.get("evaluation", "")),
            )  # fmt: skip
        except ConfigurationError as exc:
            problems.append(Problem("experimentation_invalide", str(exc), file=file))
        if problems or experiment is None:
            raise ValidationError(f"{file} : expérimentation refusée, rien n'a été écrit", problems)
        new_id = add_experiment(connection, experiment, actor)
        return next(e for e in read_experiments(connection) if e.experiment.id == new_id)


def list_experiments(settings: Settings, territory: str | None = None) -> list[StoredExperiment]:
    """Stored experiments, oldest first; with ``territory``, those set there or with a member
    organisation located in it."""
    with database(settings) as engine, engine.connect() as connection:
        stored = read_experiments(connection)
        if territory is None:
            return stored
        place = resolve_in(connection, territory)
    communes, code = set(communes_of(place)), place.territory.code
    return [
        s for s in stored
        if s.experiment.territory == code or any(m.commune in communes for m in s.members)
    ]  # fmt: skip


def edit_fragilities(
    settings: Settings,
    organization_id: int,
    codes: Sequence[str],
    actor: Actor,
    expected_version: int | None = None,
) -> Organization:
    """Set an organisation's fragilities by hand (audited; later imports keep them).

    ``expected_version`` (see :func:`organization_version`): ConflictError, nothing written,
    when someone changed the organisation since that version was read.
    """
    problems = _fragility_problems(codes)
    if problems:
        raise ValidationError("fragilités refusées, rien n'a été écrit", problems)
    with database(settings) as engine, write_transaction(engine) as connection:
        set_fragilities(connection, organization_id, codes, actor, expected_version)
        return get_organization(connection, organization_id)


def organization_version(settings: Settings, organization_id: int) -> int:
    """The current version of an organisation (bumped by every change)."""
    with database(settings) as engine, engine.connect() as connection:
        return current_version(connection, OrganizationRow, organization_id)
