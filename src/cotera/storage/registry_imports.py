"""Upserts of imported register records, with per-row audit; imports keyed by file hash."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, and_, func, insert, or_, select

from cotera.actor import Actor
from cotera.errors import Problem
from cotera.registry.model import Member, Organization, OrganizationStatus, Partnership
from cotera.registry.records import HeadOffice, PartnershipRecord
from cotera.storage.registry_store import (
    audit_many,
    organization_row,
    write_members_and_impacts,
)
from cotera.storage.registry_tables import (
    ImportRow,
    OrganizationRow,
    PartnershipImpactRow,
    PartnershipMemberRow,
    PartnershipRow,
)
from cotera.storage.registry_versions import versioned_update, versioned_updates

CHUNK = 5_000  # identifiers per IN (...) query (SQLite parameter limit)
_MERGED = ("name", "commune", "rna", "siren", "siret", "naf", "waldec", "size_band", "employer",
           "ess", "status", "created_on", "dissolved_on", "fragility_mask")  # fmt: skip


@dataclass(slots=True)
class ImportCounts:
    """What an import did."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dissolved: int = 0
    skipped: int = 0
    rejected: int = 0
    problems: list[Problem] = field(default_factory=list)
    blanked: int = 0  # stored records of which the import would erase a value
    stored: int = 0  # stored records the import could dissolve or blank (guard denominator)

    def as_dict(self) -> dict[str, int]:
        """The counts (without problems)."""
        return {
            "created": self.created, "updated": self.updated, "unchanged": self.unchanged,
            "dissolved": self.dissolved, "skipped": self.skipped, "rejected": self.rejected,
        }  # fmt: skip


def previous_import(connection: Connection, kind: str, sha256: str) -> dict[str, Any] | None:
    """The earlier import of the same file content, if any."""
    row = connection.execute(
        select(ImportRow.__table__).where(
            ImportRow.kind == kind, ImportRow.content_sha256 == sha256
        )
    ).first()
    return None if row is None else dict(row._mapping)


def record_import(
    connection: Connection, kind: str, file_name: str, sha256: str, actor: Actor,
    counts: ImportCounts,
) -> int:  # fmt: skip
    """Record a finished import; its id."""
    values = {
        "kind": kind,
        "file_name": file_name,
        "content_sha256": sha256,
        "imported_at": datetime.now(UTC),
        "actor": str(actor),
        "counts": counts.as_dict(),
    }
    new_id = connection.execute(insert(ImportRow).returning(ImportRow.id), values).scalar_one()
    audit_many(connection, [(actor, "import", new_id, "load", None, values)])
    return int(new_id)


def _existing(connection: Connection, records: Sequence[Organization]) -> dict[str, dict[str, Any]]:
    """Stored rows matching the records' RNA numbers or SIRENs, keyed ``rna:…`` / ``siren:…``."""
    table = OrganizationRow.__table__
    rnas = [r.rna for r in records if r.rna]
    sirens = [r.siren for r in records if r.siren]
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, max(len(rnas), len(sirens)), CHUNK):
        query = select(table).where(
            or_(table.c.rna.in_(rnas[start : start + CHUNK]),
                table.c.siren.in_(sirens[start : start + CHUNK]))
        )  # fmt: skip
        for row in connection.execute(query):
            values = dict(row._mapping)
            if values["rna"]:
                found[f"rna:{values['rna']}"] = values
            if values["siren"]:
                found[f"siren:{values['siren']}"] = values
    return found


def upsert_organizations(
    connection: Connection, records: Sequence[Organization], source: str, actor: Actor,
    counts: ImportCounts,
) -> set[str]:  # fmt: skip
    """Create or update organisations matched by RNA number, then SIREN; the RNAs seen.

    Empty values never erase stored ones; fragilities edited by hand are kept. Updates are
    versioned: a row changed by another writer since it was read is a ConflictError.
    """
    existing = _existing(connection, records)
    creates: list[dict[str, Any]] = []
    updates: list[tuple[int, int, dict[str, Any]]] = []
    entries: list[Any] = []
    for record in records:
        row = organization_row(record, source)
        stored = existing.get(f"rna:{record.rna}") or existing.get(f"siren:{record.siren}")
        if stored is None:
            creates.append(row)
            continue
        changes = {
            k: row[k] for k in _MERGED
            if row[k] not in (None, "", "unknown") and row[k] != stored[k]
        }  # fmt: skip
        if record.status is OrganizationStatus.ACTIVE and stored["dissolved_on"] is not None:
            changes["dissolved_on"] = None
        if stored["fragilities_edited"]:
            changes.pop("fragility_mask", None)
        if not changes:
            counts.unchanged += 1
            continue
        updates.append((stored["id"], stored["version"], changes))
        action = "dissolve" if changes.get("status") == "dissolved" else "update"
        entries.append((actor, "organization", stored["id"], action,
                        {k: stored[k] for k in changes}, changes))  # fmt: skip
        stored.update(changes, version=stored["version"] + 1)
    if creates:
        ids = (
            connection.execute(insert(OrganizationRow).returning(OrganizationRow.id), creates)
            .scalars()
            .all()
        )
        entries += [(actor, "organization", i, "create", None, row)
                    for i, row in zip(ids, creates, strict=True)]  # fmt: skip
        counts.created += len(creates)
    for org_id, version, values in updates:  # few per batch: one statement each
        versioned_update(connection, OrganizationRow, org_id, version, values)
    counts.updated += len(updates)
    audit_many(connection, entries)
    return {r.rna for r in records if r.rna}


def dissolve_missing_associations(
    connection: Connection, seen: set[str], departements: set[str], actor: Actor,
    counts: ImportCounts, on: date,
) -> None:  # fmt: skip
    """Dissolve active RNA associations of the file's départements that the file no longer has."""
    table = OrganizationRow.__table__
    scope = or_(*(table.c.commune.startswith(d) for d in sorted(departements)))
    query = select(table.c.id, table.c.rna, table.c.version).where(
        and_(table.c.source == "rna", table.c.status == "active", table.c.rna.is_not(None), scope)
    )
    active = connection.execute(query).all()
    counts.stored = len(active)
    gone = [(i, version) for i, rna, version in active if rna not in seen]
    if not gone:
        return
    versioned_updates(
        connection, OrganizationRow, gone, {"status": "dissolved", "dissolved_on": on}
    )
    audit_many(connection, [
        (actor, "organization", i, "dissolve", {"status": "active"},
         {"status": "dissolved", "dissolved_on": on, "reason": "absente du nouveau fichier RNA"})
        for i, _ in gone
    ])  # fmt: skip
    counts.dissolved += len(gone)


def stored_partnerships(connection: Connection) -> int:
    """How many partnerships are stored."""
    return int(connection.execute(select(func.count()).select_from(PartnershipRow)).scalar_one())


def apply_head_offices(
    connection: Connection, records: Sequence[HeadOffice], actor: Actor, counts: ImportCounts
) -> None:
    """Set the commune and SIRET of known legal units from their head office."""
    table = OrganizationRow.__table__
    by_siren = {r.siren: r for r in records}
    entries: list[Any] = []
    sirens = list(by_siren)
    for start in range(0, len(sirens), CHUNK):
        query = select(
            table.c.id, table.c.siren, table.c.commune, table.c.siret, table.c.version
        ).where(table.c.siren.in_(sirens[start : start + CHUNK]))
        for org_id, siren, commune, siret, version in connection.execute(query).all():
            office = by_siren.pop(siren)
            changes = {k: v for k, v in (("commune", office.commune), ("siret", office.siret))
                       if v and v != {"commune": commune, "siret": siret}[k]}  # fmt: skip
            if not changes:
                counts.unchanged += 1
                continue
            versioned_update(connection, OrganizationRow, org_id, version, changes)
            entries.append((actor, "organization", org_id, "update",
                            {"commune": commune, "siret": siret}, changes))  # fmt: skip
            counts.updated += 1
    counts.skipped += len(by_siren)  # head offices of units not in the registry
    audit_many(connection, entries)


def _resolve(connection: Connection, records: Sequence[PartnershipRecord]) -> dict[str, int]:
    table = OrganizationRow.__table__
    keys: dict[str, set[str]] = {"rna": set(), "siren": set(), "id": set()}
    for record in records:
        for member in record.members:
            keys[member.scheme].add(member.value)
    found: dict[str, int] = {}
    for scheme, column in (("rna", table.c.rna), ("siren", table.c.siren), ("id", table.c.id)):
        values = sorted(keys[scheme])
        for start in range(0, len(values), CHUNK):
            chunk: list[Any] = values[start : start + CHUNK]
            if scheme == "id":
                chunk = [int(v) for v in chunk]
            for org_id, key in connection.execute(
                select(table.c.id, column).where(column.in_(chunk))
            ):
                found[f"{scheme}:{key}"] = int(org_id)
    return found


def upsert_partnerships(
    connection: Connection, records: Sequence[PartnershipRecord], file: str, actor: Actor,
    counts: ImportCounts,
) -> None:  # fmt: skip
    """Create or update partnerships matched by their external id."""
    ids = _resolve(connection, records)
    table = PartnershipRow.__table__
    stored = {
        row.external_id: dict(row._mapping)
        for row in connection.execute(
            select(table).where(table.c.external_id.in_([r.external_id for r in records]))
        )
    }
    entries: list[Any] = []
    for record in records:
        unknown = [f"{m.scheme}:{m.value}" for m in record.members
                   if f"{m.scheme}:{m.value}" not in ids]  # fmt: skip
        if unknown:
            counts.problems.append(Problem(
                "membre_inconnu", "organisation absente du registre", file, record.line,
                "members", ", ".join(unknown), "importer d'abord RNA / SIRENE"))  # fmt: skip
            counts.rejected += 1
            continue
        partnership = Partnership(
            name=record.name, form=record.form, fragilities=frozenset(),
            members=tuple(Member(ids[f"{m.scheme}:{m.value}"], m.role) for m in record.members),
            start_on=record.start_on, end_on=record.end_on, status=record.status,
            impacts=record.impacts, external_id=record.external_id,
        )  # fmt: skip
        row = {
            "external_id": record.external_id,
            "name": record.name,
            "form": record.form.value,
            "fragility_mask": record.fragility_mask,
            "territory": record.territory,
            "start_on": record.start_on,
            "end_on": record.end_on,
            "status": record.status.value,
            "synthetic": False,
        }
        members = sorted(f"{m.organization_id}:{m.role.value}" for m in partnership.members)
        impacts = sorted(f"{i.dimension.value}:{i.level.value}:{i.evidence}"
                         for i in record.impacts)  # fmt: skip
        before = stored.get(record.external_id)
        if before is None:
            new_id = connection.execute(insert(PartnershipRow).returning(PartnershipRow.id), row)
            pid = int(new_id.scalar_one())
            write_members_and_impacts(connection, pid, partnership)
            entries.append((actor, "partnership", pid, "create", None,
                            row | {"members": members, "impacts": impacts}))  # fmt: skip
            counts.created += 1
            continue
        pid = before["id"]
        old_members = sorted(f"{o}:{r}" for o, r in connection.execute(
            select(PartnershipMemberRow.organization_id, PartnershipMemberRow.role)
            .where(PartnershipMemberRow.partnership_id == pid)))  # fmt: skip
        old_impacts = sorted(f"{d}:{lv}:{e}" for d, lv, e in connection.execute(
            select(PartnershipImpactRow.dimension, PartnershipImpactRow.level,
                   PartnershipImpactRow.evidence)
            .where(PartnershipImpactRow.partnership_id == pid)))  # fmt: skip
        changes = {k: v for k, v in row.items() if before[k] != v}
        if any(v in (None, "") and before[k] not in (None, "") for k, v in changes.items()):
            counts.blanked += 1
        if not changes and old_members == members and old_impacts == impacts:
            counts.unchanged += 1
            continue
        versioned_update(connection, PartnershipRow, pid, before["version"], changes)
        write_members_and_impacts(connection, pid, partnership)
        entries.append((actor, "partnership", pid, "update",
                        {k: before[k] for k in changes} | {"members": old_members,
                                                           "impacts": old_impacts},
                        changes | {"members": members, "impacts": impacts}))  # fmt: skip
        counts.updated += 1
    audit_many(connection, entries)
