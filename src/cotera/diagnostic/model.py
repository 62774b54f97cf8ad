"""The diagnostic of one territory, as immutable data (rendered as text, JSON and HTML)."""

from __future__ import annotations

from dataclasses import dataclass

from cotera.diagnostic.priority import Certainty, Divergence, RankInterval, divergence_clause
from cotera.diagnostic.sensitivity import Sensitivity
from cotera.diagnostic.wording import rank_fr, rank_text
from cotera.indicators.perimeter import FrancePerimeter
from cotera.indicators.quality import DataQuality
from cotera.types import Direction, Level


@dataclass(frozen=True, slots=True)
class Position:
    """Where the territory stands among its peers in a group (fragility, family, overall)."""

    score: float
    rank: float  # 1 = most fragile; tied peers share their mid-rank
    peers: int
    percentile: float  # 0–100, 100 = most fragile: 100 × (peers − rank) / (peers − 1)
    interval: RankInterval | None
    certainty: Certainty
    sentence: str
    divergence: Divergence | None = None
    """The territory's lowest and highest percentile among a fragility's indicators."""
    ties: int = 0
    """Other peers with the same score: together they span ranks ``rank ± ties / 2``."""
    tie_note: str = ""
    """« ex aequo avec 908 autres EPCI sur les rangs 1 à 909, rang moyen 455 », or empty."""
    caveat: str = ""
    """Why a NOT_RELIABLE fragility is not retained as a priority, or empty."""

    def span(self) -> str:
        """``rang 2 à 14 sur 96`` (the 5–95 % interval), or the point rank when not assessed;
        then the ties (``, ex aequo avec …``) and `` ; ses indicateurs divergent (…)`` when that
        explains a wide interval."""
        tied = f", {self.tie_note}" if self.tie_note else ""
        if self.interval is None:
            return f"rang {rank_fr(self.rank)} sur {self.peers}{tied} (incertitude non évaluée)"
        low, high = self.interval.bounds()
        within = str(low) if low == high else f"{low} à {high}"
        return f"rang {within} sur {self.peers}{tied}" + divergence_clause(
            self.interval, self.divergence
        )

    def rank_text(self) -> str:
        """``455 / 1232`` or, with ties, ``455 / 1232 (ex aequo : 1–909)``."""
        return rank_text(self.rank, self.peers, self.ties)


@dataclass(frozen=True, slots=True)
class Reference:
    """A comparison territory's value of an indicator (France, the parent territory)."""

    territory: str
    name: str
    value: float | None
    year: int | None
    percentile: float | None  # where that value would stand among the peers
    perimeter: FrancePerimeter | None = None  # France: which départements its value covers
    perimeter_label: str = ""  # « France métropolitaine », « France entière »…
    population_note: str = ""  # « population 2026 (approximation) », empty when none used


@dataclass(frozen=True, slots=True)
class IndicatorReading:
    """One indicator of a fragility for the territory, with its provenance."""

    code: str
    label: str
    unit: str
    source: str
    direction: Direction
    year: int
    value: float | None
    rank: float | None  # among peers with a value that year, 1 = most fragile, ties: mid-rank
    peers: int
    percentile: float | None
    france: Reference | None
    parent: Reference | None
    population_note: str = ""  # the populations behind the value, « … (approximation) »
    approximation: bool = False  # some peer's value that year rests on another year's population
    ties: int = 0
    """Other peers with the same value."""
    quality: DataQuality = DataQuality.UNASSESSED
    """Data-quality status of the indicator at this level and year."""
    quality_note: str = ""
    """Why it is not reliable (French, with the figures), or empty."""
    scored: bool = True
    """Whether it enters its fragility's score (not when the fragility has a usable one and
    this one is not reliable)."""


@dataclass(frozen=True, slots=True)
class FragilityReading:
    """One of the 16 fragilities: its indicators and the territory's position."""

    code: str
    label: str
    family: str
    indicators: tuple[IndicatorReading, ...]
    position: Position | None  # None when the territory cannot be ranked on it
    france_percentile: float | None  # mean position of France's values among the peers
    parent_percentile: float | None


@dataclass(frozen=True, slots=True)
class FamilyReading:
    """One of the four families of fragilities."""

    code: str
    label: str
    fragilities: tuple[str, ...]
    position: Position | None
    withheld: str = ""
    """Why the family is not ranked for this territory (too few fragilities), or empty."""


@dataclass(frozen=True, slots=True)
class Priority:
    """A priority fragility, most fragile first, with its uncertainty in plain words."""

    fragility: str
    label: str
    family: str
    position: Position


@dataclass(frozen=True, slots=True)
class Coverage:
    """Which fragilities could be read at this level, and which vintages were used."""

    with_data: tuple[str, ...]
    no_data_at_level: tuple[str, ...]  # no indicator for any peer
    missing_for_territory: tuple[str, ...]  # peers have data, the territory has none
    years: tuple[tuple[str, int], ...]  # (indicator code, year used)
    approximations: tuple[str, ...] = ()  # indicators divided by another year's population
    reliable: tuple[str, ...] = ()
    """Fragilities measured for the territory by at least one usable indicator."""
    unreliable_only: tuple[str, ...] = ()
    """Fragilities measured for the territory only by indicators that are not reliable."""
    minimum: int = 0
    """Fragilities an overall index needs (``cotera.diagnostic.sufficiency``)."""
    overall_withheld: str = ""
    """Why there is no overall rank for the territory (« Guéret n'a qu'une fragilité sur 16
    mesurée par des indicateurs fiables, il en faut au moins 8 ; … »), or empty."""
    summary: str = ""
    """The coverage in one French sentence, shown before any rank."""


@dataclass(frozen=True, slots=True)
class PeerPoint:
    """A peer on the map: its overall percentile and rank."""

    code: str
    name: str
    percentile: float | None
    rank: float | None


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """The territorial diagnostic of one territory among the peers of its level."""

    territory: str
    name: str
    level: Level
    parent: tuple[str, str] | None  # (code, name)
    peers_count: int
    top: int
    coverage: Coverage
    """First: how many fragilities the diagnostic rests on, before any rank."""
    overall: Position | None
    fragilities: tuple[FragilityReading, ...]
    families: tuple[FamilyReading, ...]
    priorities: tuple[Priority, ...]
    peers: tuple[PeerPoint, ...]
    method: tuple[str, ...]
    draws: int
    seed: int | None
    sensitivity: Sensitivity | None = None
    """Sobol indices of the overall rank among the peers (None without draws)."""
