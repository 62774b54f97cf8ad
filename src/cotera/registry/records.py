"""Records read from register files, before they are matched to stored organisations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cotera.registry.model import DeclaredImpact, MemberRole, PartnershipForm, PartnershipStatus


@dataclass(frozen=True, slots=True)
class HeadOffice:
    """Where a legal unit's head office is (from ``StockEtablissement``)."""

    siren: str
    siret: str
    commune: str | None


@dataclass(frozen=True, slots=True)
class MemberReference:
    """A member as written in the file: identifier kind (rna, siren, id), value, role."""

    scheme: str
    value: str
    role: MemberRole


@dataclass(frozen=True, slots=True)
class PartnershipRecord:
    """One partnership row, members not yet resolved to organisations."""

    line: int
    external_id: str
    name: str
    form: PartnershipForm
    members: tuple[MemberReference, ...]
    fragility_mask: int
    territory: str | None
    start_on: date | None
    end_on: date | None
    status: PartnershipStatus
    impacts: tuple[DeclaredImpact, ...]
