"""A territory's priority fragilities for pioneers and matching: given by the user, or read
from the territory's diagnostic.

The diagnostic is computed the cheap way: point ranks among the peers, no Monte Carlo
(``draws=0``), no portrait written. A fragility is a priority when the territory's rank is
within the most fragile tenth of its peers (at least 3; ``cotera.diagnostic.priority``). A
commune has no diagnostic of its own: its département's is used. An EPCI without EPCI-level
indicators falls back to its département. When no diagnostic can be made (no indicator loaded,
custom territory, France), the result says why and carries no priorities.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from cotera.errors import DataUnavailableError, NotFoundError
from cotera.registry.fragility_mask import fragility_bit
from cotera.services.diagnostic import diagnose
from cotera.settings import Settings
from cotera.territory.model import Territory
from cotera.types import Level


class PrioritySource(StrEnum):
    """Where a territory's priority fragilities came from."""

    USER = "user"
    DIAGNOSTIC = "diagnostic"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class TerritoryPriorities:
    """Priority fragility codes (most fragile first) and where they came from, in French."""

    codes: tuple[str, ...]
    source: PrioritySource
    diagnosed: str | None = None  # code of the territory whose diagnostic was used
    years: tuple[int, int] | None = None  # first and last vintage of the indicators used
    note: str = ""  # why there is no diagnostic, or which territory stood in for a commune

    def origin(self) -> str:
        """« diagnostic de dep:93 (2013–2022) », « indiquées par l'utilisateur » …"""
        if self.source is PrioritySource.USER:
            return "indiquées par l'utilisateur"
        if self.source is PrioritySource.NONE:
            return f"aucune : {self.note}"
        text = f"diagnostic de {self.diagnosed}"
        if self.years is not None:
            first, last = self.years
            text += f" ({first})" if first == last else f" ({first}–{last})"
        return f"{text}, {self.note}" if self.note else text

    def describe(self) -> str:
        """One French line: the fragilities and their origin."""
        if self.source is PrioritySource.NONE:
            return f"Fragilités prioritaires : {self.origin()} ; suite sans priorités."
        listed = ", ".join(self.codes) or "aucune"
        return f"Fragilités prioritaires : {listed} — {self.origin()}"

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {
            "codes": list(self.codes),
            "source": self.source.value,
            "diagnosed": self.diagnosed,
            "years": list(self.years) if self.years else None,
            "origin": self.origin(),
        }


def _stand_ins(territory: Territory) -> list[tuple[str, str]]:
    """Territories whose diagnostic may serve, in order, each with a note."""
    code = str(territory.code)
    departement = territory.parent(Level.DEPARTEMENT)
    if territory.level is Level.COMMUNE:
        if departement is None:
            return []
        return [(str(departement), f"département de la commune {territory.code.code}")]
    if territory.level is Level.EPCI:
        fallback = [(str(departement), "département de l'EPCI")] if departement else []
        return [(code, ""), *fallback]
    if territory.level in {Level.DEPARTEMENT, Level.REGION}:
        return [(code, "")]
    return []


def territory_priorities(
    settings: Settings, territory: Territory | None, given: Sequence[str] | None = None
) -> TerritoryPriorities:
    """``given`` codes when not None (checked), else the priorities of the diagnostic.

    ``territory`` is None when unknown (an organisation without a commune).
    """
    if given is not None:
        codes = tuple(dict.fromkeys(c.strip().upper() for c in given if c.strip()))
        for code in codes:
            fragility_bit(code)  # ConfigurationError on an unknown code
        return TerritoryPriorities(codes, PrioritySource.USER)
    if territory is None:
        return TerritoryPriorities((), PrioritySource.NONE, note="territoire inconnu")
    stand_ins = _stand_ins(territory)
    if not stand_ins:
        why = {
            Level.CUSTOM: "pas de diagnostic pour un territoire personnalisé",
            Level.COUNTRY: "pas de diagnostic pour la France entière",
        }.get(territory.level, f"pas de diagnostic pour {territory.name}")
        return TerritoryPriorities((), PrioritySource.NONE, note=why)
    reason = ""
    for code, note in stand_ins:
        try:
            diagnostic = diagnose(settings, code, draws=0, write=False).diagnostic
        except (DataUnavailableError, NotFoundError) as error:
            reason = str(error)
            continue
        years = [year for _, year in diagnostic.coverage.years]
        return TerritoryPriorities(
            tuple(p.fragility for p in diagnostic.priorities),
            PrioritySource.DIAGNOSTIC,
            diagnosed=diagnostic.territory,
            years=(min(years), max(years)) if years else None,
            note=note,
        )
    return TerritoryPriorities((), PrioritySource.NONE, note=reason)
