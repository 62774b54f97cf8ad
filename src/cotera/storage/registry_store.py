"""Read and write organisations, partnerships and experiments; every change is audited."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any

import polars as pl
from sqlalchemy import Connection, Integer, cast, delete, func, insert, select

from cotera.actor import Actor
from cotera.errors import NotFoundError
from cotera.registry.fragility_mask import from_mask, to_mask
from cotera.registry.model import (
    CollectiveExperiment,
    Organization,
    OrganizationKind,
    OrganizationStatus,
    Partnership,
    SizeBand,
)
from cotera.storage.registry_tables import (
    AuditRow,
    ExperimentMemberRow,
    ExperimentRow,
    OrganizationRow,
    PartnershipImpactRow,
    PartnershipMemberRow,
    PartnershipRow,
)
from cotera.storage.registry_versions import conflict, versioned_update

ORGANIZATION_FIELDS = (
    "kind", "name", "commune", "rna", "siren", "siret", "naf", "waldec", "size_band",
    "employer", "ess", "status", "created_on", "dissolved_on", "fragility_mask",
    "fragilities_edited", "synthetic",
)  # fmt: skip


def _json(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value


AuditEntry = tuple[
    Actor, str, object, str, Mapping[str, object] | None, Mapping[str, object] | None
]


def audit(
    connection: Connection,
    actor: Actor,
    entity: str,
    entity_id: object,
    action: str,
    before: Mapping[str, object] | None,
    after: Mapping[str, object] | None,
) -> None:
    """Append one audit entry (dates stored as ISO text)."""
    audit_many(connection, [(actor, entity, entity_id, action, before, after)])


def audit_many(connection: Connection, entries: Iterable[AuditEntry]) -> None:
    """Append several audit entries at once (the actor as ``kind:identity``)."""
    now = datetime.now(UTC)
    rows = [
        {
            "at": now,
            "actor": str(actor),
            "entity": entity,
            "entity_id": str(entity_id),
            "action": action,
            "before": None if before is None else {k: _json(v) for k, v in before.items()},
            "after": None if after is None else {k: _json(v) for k, v in after.items()},
        }
        for actor, entity, entity_id, action, before, after in entries
    ]
    if rows:
        connection.execute(insert(AuditRow), rows)


def organization_row(organization: Organization, source: str) -> dict[str, Any]:
    """The table row of an organisation (without id)."""
    return {
        "kind": organization.kind.value,
        "name": organization.name,
        "commune": organization.commune,
        "rna": organization.rna,
        "siren": organization.siren,
        "siret": organization.siret,
        "naf": organization.naf,
        "waldec": ",".join(organization.waldec) or None,
        "size_band": organization.size_band.value,
        "employer": organization.employer,
        "ess": organization.ess,
        "status": organization.status.value,
        "created_on": organization.created_on,
        "dissolved_on": organization.dissolved_on,
        "fragility_mask": to_mask(organization.fragilities),
        "fragilities_edited": organization.fragilities_edited,
        "synthetic": organization.synthetic,
        "source": source,
    }


def _organization(row: Any) -> Organization:
    return Organization(
        id=row["id"],
        kind=OrganizationKind(row["kind"]),
        name=row["name"],
        commune=row["commune"],
        rna=row["rna"],
        siren=row["siren"],
        siret=row["siret"],
        naf=row["naf"],
        waldec=tuple(row["waldec"].split(",")) if row["waldec"] else (),
        size_band=SizeBand(row["size_band"]),
        employer=row["employer"],
        ess=row["ess"],
        status=OrganizationStatus(row["status"]),
        created_on=row["created_on"],
        dissolved_on=row["dissolved_on"],
        fragilities=from_mask(row["fragility_mask"]),
        fragilities_edited=row["fragilities_edited"],
        synthetic=row["synthetic"],
    )


def add_organization(
    connection: Connection, organization: Organization, actor: Actor, source: str = "manual"
) -> int:
    """Store a new organisation; its id."""
    row = organization_row(organization, source)
    new_id = connection.execute(
        insert(OrganizationRow).returning(OrganizationRow.id), row
    ).scalar_one()
    audit(connection, actor, "organization", new_id, "create", None, row)
    return int(new_id)


def get_organization(connection: Connection, organization_id: int) -> Organization:
    """The organisation with this id (NotFoundError otherwise)."""
    row = connection.execute(
        select(OrganizationRow.__table__).where(OrganizationRow.id == organization_id)
    ).first()
    if row is None:
        raise NotFoundError(f"organisation inconnue : {organization_id}")
    return _organization(row._mapping)


def update_organization(
    connection: Connection,
    organization_id: int,
    changes: Mapping[str, Any],
    actor: Actor,
    expected_version: int | None = None,
) -> dict[str, Any]:
    """Apply ``changes`` (table columns) and audit the fields that really changed.

    The row is read locked (``FOR UPDATE`` on PostgreSQL; SQLite's write lock is already
    held), so "before" is what is replaced. ``expected_version``: the version the caller read
    (e.g. shown in a form); ConflictError when the row changed since.
    """
    table = OrganizationRow.__table__
    current = connection.execute(
        select(table).where(table.c.id == organization_id).with_for_update()
    ).first()
    if current is None:
        raise NotFoundError(f"organisation inconnue : {organization_id}")
    stored = current._mapping
    if expected_version is not None and stored["version"] != expected_version:
        raise conflict(OrganizationRow, organization_id, expected_version)
    before = {k: stored[k] for k in changes if stored[k] != changes[k]}
    after = {k: changes[k] for k in before}
    if after:
        versioned_update(connection, OrganizationRow, organization_id, stored["version"], after)
        audit(connection, actor, "organization", organization_id, "update", before, after)
    return after


def set_fragilities(
    connection: Connection,
    organization_id: int,
    codes: Iterable[str],
    actor: Actor,
    expected_version: int | None = None,
) -> None:
    """Edit an organisation's fragilities by hand (imports will keep them from now on)."""
    update_organization(
        connection,
        organization_id,
        {"fragility_mask": to_mask(codes), "fragilities_edited": True},
        actor,
        expected_version,
    )


def add_partnership(connection: Connection, partnership: Partnership, actor: Actor) -> int:
    """Store a partnership with its members and impacts; its id."""
    missing = {m.organization_id for m in partnership.members} - set(
        connection.execute(
            select(OrganizationRow.id).where(
                OrganizationRow.id.in_([m.organization_id for m in partnership.members])
            )
        ).scalars()
    )
    if missing:
        raise NotFoundError(f"organisations inconnues : {sorted(missing)}")
    row = {
        "external_id": partnership.external_id,
        "name": partnership.name,
        "form": partnership.form.value,
        "fragility_mask": to_mask(partnership.fragilities),
        "territory": str(partnership.territory) if partnership.territory else None,
        "start_on": partnership.start_on,
        "end_on": partnership.end_on,
        "status": partnership.status.value,
        "synthetic": partnership.synthetic,
    }
    new_id = int(
        connection.execute(insert(PartnershipRow).returning(PartnershipRow.id), row).scalar_one()
    )
    write_members_and_impacts(connection, new_id, partnership)
    after = row | {
        "members": [f"{m.organization_id}:{m.role.value}" for m in partnership.members],
        "impacts": [f"{i.dimension.value}:{i.level.value}" for i in partnership.impacts],
    }
    audit(connection, actor, "partnership", new_id, "create", None, after)
    return new_id


def write_members_and_impacts(
    connection: Connection, partnership_id: int, partnership: Partnership
) -> None:
    """(Re)write a partnership's member and impact rows."""
    connection.execute(
        delete(PartnershipMemberRow).where(PartnershipMemberRow.partnership_id == partnership_id)
    )
    connection.execute(
        delete(PartnershipImpactRow).where(PartnershipImpactRow.partnership_id == partnership_id)
    )
    connection.execute(
        insert(PartnershipMemberRow),
        [
            {"partnership_id": partnership_id, "organization_id": m.organization_id,
             "role": m.role.value}
            for m in partnership.members
        ],
    )  # fmt: skip
    if partnership.impacts:
        connection.execute(
            insert(PartnershipImpactRow),
            [
                {"partnership_id": partnership_id, "dimension": i.dimension.value,
                 "level": i.level.value, "evidence": i.evidence}
                for i in partnership.impacts
            ],
        )  # fmt: skip


def add_experiment(connection: Connection, experiment: CollectiveExperiment, actor: Actor) -> int:
    """Store a collective experiment and its members; its id."""
    row = {
        "name": experiment.name,
        "territory": str(experiment.territory) if experiment.territory else None,
        "fragility_mask": to_mask(experiment.fragilities),
        "stage": experiment.stage.value,
        "needs": list(experiment.needs),
        "solutions": list(experiment.solutions),
        "evaluation": experiment.evaluation,
    }
    new_id = int(
        connection.execute(insert(ExperimentRow).returning(ExperimentRow.id), row).scalar_one()
    )
    connection.execute(
        insert(ExperimentMemberRow),
        [
            {"experiment_id": new_id, "organization_id": m.organization_id, "role": m.role.value}
            for m in experiment.members
        ],
    )
    audit(connection, actor, "experiment", new_id, "create", None, row)
    return new_id


def partners_of(connection: Connection, organization_id: int) -> set[int]:
    """Ids of the organisations sharing at least one partnership with this one."""
    mine = select(PartnershipMemberRow.partnership_id).where(
        PartnershipMemberRow.organization_id == organization_id
    )
    query = select(PartnershipMemberRow.organization_id).where(
        PartnershipMemberRow.partnership_id.in_(mine),
        PartnershipMemberRow.organization_id != organization_id,
    )
    return set(connection.execute(query).scalars())


def audit_entries(connection: Connection, entity: str, entity_id: object) -> list[dict[str, Any]]:
    """The audit trail of one entity, oldest first."""
    query = (
        select(AuditRow.__table__)
        .where(AuditRow.entity == entity, AuditRow.entity_id == str(entity_id))
        .order_by(AuditRow.id)
    )
    return [dict(row._mapping) for row in connection.execute(query)]


def organization_count(connection: Connection) -> int:
    """How many organisations are stored."""
    return int(connection.execute(select(func.count()).select_from(OrganizationRow)).scalar_one())


def _year(column: Any) -> Any:
    return cast(func.extract("year", column), Integer)


def _frame(connection: Connection, query: Any, schema: dict[str, Any]) -> pl.DataFrame:
    result = connection.execute(query)
    columns = list(result.keys())
    rows = result.fetchall()
    return pl.DataFrame(rows, schema={c: schema[c] for c in columns}, orient="row")


ORGANIZATION_SCHEMA: dict[str, Any] = {
    "id": pl.Int64, "kind": pl.String, "commune": pl.String, "size_band": pl.String,
    "fragility_mask": pl.Int64, "status": pl.String, "created_year": pl.Int32,
    "dissolved_year": pl.Int32, "name": pl.String, "employer": pl.Boolean,
}  # fmt: skip
MEMBERSHIP_SCHEMA: dict[str, Any] = {
    "partnership_id": pl.Int64, "organization_id": pl.Int64, "form": pl.String,
    "fragility_mask": pl.Int64, "start_year": pl.Int32, "end_year": pl.Int32, "kind": pl.String,
}  # fmt: skip


def organizations_frame(connection: Connection, communes: list[str] | None = None) -> pl.DataFrame:
    """Organisations as a frame (``id``, ``kind``, ``commune``, ``size_band``, years…)."""
    table = OrganizationRow.__table__
    query = select(
        table.c.id, table.c.kind, table.c.commune, table.c.size_band, table.c.fragility_mask,
        table.c.status, _year(table.c.created_on).label("created_year"),
        _year(table.c.dissolved_on).label("dissolved_year"), table.c.employer,
    )  # fmt: skip
    if communes is not None:
        query = query.where(table.c.commune.in_(communes))
    return _frame(connection, query, ORGANIZATION_SCHEMA)


def memberships_frame(
    connection: Connection, partnership_ids: list[int] | None = None
) -> pl.DataFrame:
    """One row per partnership member, with the partnership's form, fragilities and years."""
    part, member = PartnershipRow.__table__, PartnershipMemberRow.__table__
    org = OrganizationRow.__table__
    query = select(
        member.c.partnership_id, member.c.organization_id, part.c.form, part.c.fragility_mask,
        _year(part.c.start_on).label("start_year"), _year(part.c.end_on).label("end_year"),
        org.c.kind,
    ).join(part, part.c.id == member.c.partnership_id).join(
        org, org.c.id == member.c.organization_id
    )  # fmt: skip
    if partnership_ids is not None:
        query = query.where(member.c.partnership_id.in_(partnership_ids))
    return _frame(connection, query, MEMBERSHIP_SCHEMA)


def partnerships_frame(connection: Connection, organization_ids: list[int]) -> pl.DataFrame:
    """Partnerships with at least one member among ``organization_ids``."""
    part, member = PartnershipRow.__table__, PartnershipMemberRow.__table__
    ids = select(member.c.partnership_id).where(member.c.organization_id.in_(organization_ids))
    query = select(
        part.c.id, part.c.name, part.c.form, part.c.fragility_mask, part.c.start_on,
        part.c.end_on, part.c.status, part.c.synthetic,
    ).where(part.c.id.in_(ids))  # fmt: skip
    schema = {"id": pl.Int64, "name": pl.String, "form": pl.String, "fragility_mask": pl.Int64,
              "start_on": pl.Date, "end_on": pl.Date, "status": pl.String,
              "synthetic": pl.Boolean}  # fmt: skip
    return _frame(connection, query, schema)
