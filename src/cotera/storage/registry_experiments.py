"""Read collective experiments back, with their members' kinds and communes."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select

from cotera.registry.fragility_mask import from_mask
from cotera.registry.model import (
    CollectiveExperiment,
    ExperimentStage,
    Member,
    MemberRole,
    OrganizationKind,
)
from cotera.storage.registry_tables import ExperimentMemberRow, ExperimentRow, OrganizationRow
from cotera.territory.model import TerritoryCode


@dataclass(frozen=True, slots=True)
class StoredMember:
    """A member of a stored experiment, with what the registry knows of it."""

    member: Member
    name: str
    kind: OrganizationKind
    commune: str | None


@dataclass(frozen=True, slots=True)
class StoredExperiment:
    """A stored collective experiment and its members, in insertion order."""

    experiment: CollectiveExperiment
    members: tuple[StoredMember, ...]


def read_experiments(connection: Connection) -> list[StoredExperiment]:
    """Every stored experiment, oldest first."""
    member, org = ExperimentMemberRow.__table__, OrganizationRow.__table__
    query = select(member, org.c.name, org.c.kind, org.c.commune).join(
        org, org.c.id == member.c.organization_id
    )
    members: dict[int, list[StoredMember]] = {}
    for row in connection.execute(query).mappings():
        found = Member(row["organization_id"], MemberRole(row["role"]))
        members.setdefault(row["experiment_id"], []).append(
            StoredMember(found, row["name"], OrganizationKind(row["kind"]), row["commune"])
        )
    stored = []
    for row in connection.execute(select(ExperimentRow.__table__).order_by("id")).mappings():
        mine = tuple(members.get(row["id"], []))
        experiment = CollectiveExperiment(
            name=row["name"],
            members=tuple(m.member for m in mine),
            territory=TerritoryCode.parse(row["territory"]) if row["territory"] else None,
            fragilities=from_mask(row["fragility_mask"]),
            stage=ExperimentStage(row["stage"]),
            needs=tuple(row["needs"]),
            solutions=tuple(row["solutions"]),
            evaluation=row["evaluation"],
            id=row["id"],
        )
        stored.append(StoredExperiment(experiment, mine))
    return stored
