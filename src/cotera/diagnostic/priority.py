"""Whether a fragility is a priority, and how sure we are, from the rank's 5–95 % interval.

Ranks count from 1 = most fragile among the peers. A fragility is "in the top" when its rank is
at most ``top`` (by default the most fragile tenth of the peers, at least 3). With a Monte Carlo
interval over methodological choices:

* the whole interval is inside the top (``high <= top``): robust — "quelle que soit la méthode";
* only part of it is (``low <= top < high``): it depends on the method;
* none of it is (``low > top``): not a priority whatever the method.

Without an interval the point rank decides and the sentence says the uncertainty was not assessed.
A fragility measured only by indicators that are not reliable at its level
(``cotera.indicators.quality``) is ``NOT_RELIABLE``: never a priority, and its sentence says why.
Tied peers share their mid-rank; the sentence says « ex aequo avec N autres … sur les rangs a à
b, rang moyen r ».

Why a fragility's interval is wide is said when it can be read off the territory's own values:
when its indicators put the territory both among the least fragile quarter of the peers
(percentile ≤ 25) and among the most fragile quarter (≥ 75), the sentence adds « ses indicateurs
divergent »: no method can settle that rank, and a wide interval is then honest. (Families and
the overall index are not given this clause: with many fragilities nearly every territory has
one in each quarter, so it would explain nothing.)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from cotera.diagnostic.wording import level_noun, rank_fr, tie_clause
from cotera.types import Level

DIVERGENCE_QUARTER = 25.0
"""Percentile distance from each end (0 and 100) that counts as a quarter of the peers."""


@dataclass(frozen=True, slots=True)
class Divergence:
    """The territory's lowest and highest percentile (0–100, 100 = most fragile) among the
    indicators of a fragility."""

    low: float
    high: float

    @property
    def diverges(self) -> bool:
        """One indicator among the least fragile quarter of the peers, one among the most."""
        return self.low <= DIVERGENCE_QUARTER and self.high >= 100.0 - DIVERGENCE_QUARTER


def divergence_clause(interval: RankInterval | None, divergence: Divergence | None) -> str:
    """`` ; ses indicateurs divergent (du centile 1 au centile 99)`` when a rank interval wider
    than one rank comes with diverging indicators, else an empty string."""
    if interval is None or divergence is None or not divergence.diverges:
        return ""
    low, high = interval.bounds()
    if low == high:
        return ""
    return (
        " ; ses indicateurs divergent "
        f"(du centile {round(divergence.low)} au centile {round(divergence.high)})"
    )


class Certainty(StrEnum):
    """How the rank interval sits against the top of the peers."""

    ROBUST_TOP = "robust_top"
    METHOD_DEPENDENT = "method_dependent"
    OUTSIDE_TOP = "outside_top"
    UNASSESSED_TOP = "unassessed_top"
    UNASSESSED_OUTSIDE = "unassessed_outside"
    NOT_RELIABLE = "not_reliable"
    """Ranked on indicators that are not reliable at this level: never a priority."""

    @property
    def is_priority(self) -> bool:
        """True when the fragility is (possibly) among the most fragile peers."""
        return self in {Certainty.ROBUST_TOP, Certainty.METHOD_DEPENDENT, Certainty.UNASSESSED_TOP}


@dataclass(frozen=True, slots=True)
class RankInterval:
    """The 5 %, 50 % and 95 % quantiles of a rank over the Monte Carlo draws."""

    low: float
    median: float
    high: float

    def bounds(self) -> tuple[int, int]:
        """Whole-number bounds that contain the interval (floor of low, ceiling of high)."""
        return math.floor(self.low), math.ceil(self.high)


def default_top(peers: int) -> int:
    """The size of the "most fragile" group: a tenth of the peers, rounded up, at least 3."""
    return min(peers, max(3, math.ceil(peers / 10)))


def classify(rank: float, interval: RankInterval | None, top: int) -> Certainty:
    """Place a rank (and its interval, if assessed) against the top ``top`` peers."""
    if interval is None:
        return Certainty.UNASSESSED_TOP if rank <= top else Certainty.UNASSESSED_OUTSIDE
    if interval.high <= top:
        return Certainty.ROBUST_TOP
    if interval.low <= top:
        return Certainty.METHOD_DEPENDENT
    return Certainty.OUTSIDE_TOP


def describe(
    certainty: Certainty,
    rank: float,
    interval: RankInterval | None,
    top: int,
    peers: int,
    level: Level,
    divergence: Divergence | None = None,
    ties: int = 0,
    caveat: str = "",
) -> str:
    """The plain French sentence for a classified rank (and why it varies, see the module).

    ``ties``: other peers sharing the (mid-)rank; ``caveat``: why a NOT_RELIABLE fragility is
    not retained."""
    nouns = level_noun(level, plural=True)
    group = f"{top} {nouns} les plus fragiles"
    tied = tie_clause(rank, ties, level)
    if interval is None:
        where = f"rang {rank_fr(rank)} sur {peers}" + (f", {tied}" if tied else "")
        where += ", incertitude non évaluée"
        if certainty is Certainty.NOT_RELIABLE:
            return f"non retenue comme priorité : {caveat} ({where})"
        inside = "parmi les" if certainty is Certainty.UNASSESSED_TOP else "hors des"
        return f"{inside} {group} ({where})"
    low, high = interval.bounds()
    span = f"rang {low} sur {peers}" if low == high else f"rang {low} à {high} sur {peers}"
    span += f", {tied}" if tied else ""
    why = divergence_clause(interval, divergence)
    if certainty is Certainty.NOT_RELIABLE:
        return f"non retenue comme priorité : {caveat} ({span}){why}"
    if certainty is Certainty.ROBUST_TOP:
        return f"parmi les {group} quelle que soit la méthode ({span}){why}"
    if certainty is Certainty.METHOD_DEPENDENT:
        return (
            f"dépend de la méthode : parmi les {group} selon certaines méthodes seulement "
            f"({span}){why}"
        )
    return f"hors des {group} quelle que soit la méthode ({span}){why}"
