"""The generic partnerships file (CSV, ``,`` or ``;``), one row per partnership.

Columns: ``partnership_id`` (your stable id, required), ``name`` (required), ``form``
(``mécénat``, ``pratiques responsables``, ``coopération économique``, ``innovation sociétale``
or their English values, required), ``members`` (required: ``;``-separated identifiers, each
an RNA number, a SIREN, a SIRET or ``id:<cotera id>``, optionally ``=role`` with role one of
porteur, partenaire, financeur, animateur, chercheur), ``fragilities`` (``F01;F04``),
``territory`` (``dep:93``…), ``start_on`` / ``end_on`` (AAAA-MM-JJ), ``status`` (en projet,
en cours, terminé), ``impact_innovation`` / ``impact_trust`` / ``impact_performance`` (aucun,
faible, fort, très fort) and ``impact_evidence`` (free text).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

from cotera.errors import CoteraError, Problem
from cotera.registry.fragility_mask import to_mask
from cotera.registry.identifiers import is_rna, is_siren, is_siret
from cotera.registry.model import (
    DeclaredImpact,
    ImpactDimension,
    ImpactLevel,
    MemberRole,
    PartnershipForm,
    PartnershipStatus,
)
from cotera.registry.records import MemberReference, PartnershipRecord
from cotera.sources.registers.stream import (
    DEFAULT_BATCH_ROWS,
    Batch,
    Progress,
    batched,
    optional_date,
    stream_rows,
)
from cotera.territory.model import TerritoryCode

REQUIRED = ("partnership_id", "name", "form", "members")


def member_reference(text: str) -> MemberReference:
    """Parse ``W751234567=porteur``, ``552100554``, ``id:42=financeur``…"""
    identifier, _, role_text = text.partition("=")
    identifier = identifier.strip().upper()
    role = MemberRole.parse(role_text) if role_text.strip() else MemberRole.PARTNER
    if identifier.startswith("ID:") and identifier[3:].isdigit():
        return MemberReference("id", identifier[3:], role)
    if is_rna(identifier):
        return MemberReference("rna", identifier, role)
    if is_siren(identifier):
        return MemberReference("siren", identifier, role)
    if is_siret(identifier):
        return MemberReference("siren", identifier[:9], role)
    raise ValueError(identifier)


def _parse(number: int, row: dict[str, str], batch: Batch[PartnershipRecord], file: str) -> None:
    errors_before = len(batch.errors)

    def problem(code: str, message: str, column: str, expected: str | None = None) -> None:
        batch.errors.append(Problem(code, message, file, number, column, row.get(column), expected))

    for column in REQUIRED:
        if not row[column]:
            problem("valeur_manquante", "valeur obligatoire manquante", column)
    form = members = impacts = None
    try:
        form = PartnershipForm.parse(row["form"]) if row["form"] else None
    except CoteraError:
        problem(
            "forme_inconnue",
            "forme de partenariat inconnue",
            "form",
            "mécénat, pratiques responsables, coopération économique, innovation sociétale",
        )
    try:
        members = tuple(member_reference(m) for m in row["members"].split(";") if m.strip())
    except (ValueError, CoteraError):
        problem("membre_invalide", "membre illisible", "members", "RNA, SIREN, SIRET ou id:N")
    if members is not None and len({(m.scheme, m.value) for m in members}) < 2:
        problem("membres_insuffisants", "au moins deux membres distincts", "members")
    fragilities = row.get("fragilities", "").replace(",", ";").replace(" ", ";")
    try:
        mask = to_mask(c for c in fragilities.split(";") if c)
    except CoteraError:
        problem("fragilite_inconnue", "fragilité inconnue", "fragilities", "F01…F16")
    territory = row.get("territory") or None
    try:
        territory = str(TerritoryCode.parse(territory)) if territory else None
    except CoteraError:
        problem("territoire_invalide", "code de territoire mal formé", "territory", "dep:93…")
    start, _ = optional_date(row.get("start_on", ""), file, number, "start_on", batch)
    end, _ = optional_date(row.get("end_on", ""), file, number, "end_on", batch)
    if start and end and end < start:
        problem("dates_incoherentes", "fin avant le début", "end_on")
    try:
        status = (
            PartnershipStatus.parse(row["status"]) if row.get("status") else
            PartnershipStatus.ENDED if end and end < date.today() else PartnershipStatus.ACTIVE
        )  # fmt: skip
        impacts = tuple(
            DeclaredImpact(dimension, ImpactLevel.parse(row[column]),
                           row.get("impact_evidence", ""))
            for dimension in ImpactDimension
            if row.get(column := f"impact_{dimension.value}")
        )  # fmt: skip
    except CoteraError as error:
        problem("valeur_inconnue", str(error), "status / impact_*")
    if len(batch.errors) > errors_before or form is None or members is None or impacts is None:
        return
    batch.records.append(
        PartnershipRecord(
            number, row["partnership_id"], row["name"][:300], form, members, mask, territory,
            start, end, status, impacts,
        )
    )  # fmt: skip


def read_partnerships(
    path: Path, batch_rows: int = DEFAULT_BATCH_ROWS, progress: Progress | None = None
) -> Iterator[Batch[PartnershipRecord]]:
    """Partnership rows of a generic partnerships file, in batches."""
    rows = stream_rows(path, REQUIRED, progress=progress)
    yield from batched(
        rows, lambda n, r, b: _parse(n, r, b, path.name), batch_rows, (path.name, "partnership_id")
    )
