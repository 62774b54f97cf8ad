"""The diagnostic of one territory, as immutable data (rendered as text, JSON and HTML)."""

from __future__ import annotations

from dataclasses import dataclass

from cotera.diagnostic.priority import Certainty, Divergence, RankInterval, divergence_clause
from cotera.diagnostic.sensitivity import Sensitivity
from cotera.indicators.perimeter import FrancePerimeter
from cotera.types import Direction, Level


@dataclass(frozen=True, slots=True)
class Position:
    """Where the territory stands among its peers in a group (fragility, family, overall)."""

    score: float
    rank: float  # 1 = most fragile
    peers: int
    percentile: float  # 0–100, 100 = most fragile
    interval: RankInterval | None
    certainty: Certainty
    sentence: str
    divergence: Divergence | None = None
    """The territory's lowest and highest percentile among a fragility's indicators."""

    def span(self) -> str:
        """``rang 2 à 14 sur 96`` (the 5–95 % interval), or the point rank when not assessed;
        followed by `` ; ses indicateurs divergent (…)`` when that explains a wide interval."""
        if self.interval is None:
            return f"rang {round(self.rank)} sur {self.peers} (incertitude non évaluée)"
        low, high = self.interval.bounds()
        within = str(low) if low == high else f"{low} à {high}"
        return f"rang {within} sur {self.peers}" + divergence_clause(self.interval, self.divergence)


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
    rank: int | None  # among peers with a value that year, 1 = most fragile
    peers: int
    percentile: float | None
    france: Reference | None
    parent: Reference | None
    population_note: str = ""  # the populations behind the value, « … (approximation) »
    approximation: bool = False  # some peer's value that year rests on another year's population


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
    fragilities: tuple[FragilityReading, ...]
    families: tuple[FamilyReading, ...]
    overall: Position | None
    priorities: tuple[Priority, ...]
    coverage: Coverage
    peers: tuple[PeerPoint, ...]
    method: tuple[str, ...]
    draws: int
    seed: int | None
    sensitivity: Sensitivity | None = None
    """Sobol indices of the overall rank among the peers (None without draws)."""
