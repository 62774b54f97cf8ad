"""Cross-reading of the prisms: perceived impact by fragility, against the objective diagnostic.

Per fragility: each prism's perceived-impact score (share of strong or very strong impact, with
its CI), the objective fragility percentile given as input (0 = least, 1 = most fragile among
the territories compared), whether every prism ranks it among its priorities (*convergence*:
the deck's "shared vision on employment"; it takes two prisms at least, all with a published
score), whether two prisms disagree beyond sampling error
(*divergence*: the largest and smallest scores differ with a CI excluding 0), and the *gap*
between perceived and measured fragility (perceived percentile minus objective percentile).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from scipy import stats

DEFAULT_PRIORITIES = 4


class Agreement(StrEnum):
    """How the prisms read one fragility."""

    SHARED_PRIORITY = "shared_priority"
    DIVERGENT = "divergent"
    CONSISTENT = "consistent"

    def label(self, language: str = "fr") -> str:
        """What people read."""
        french = {
            "shared_priority": "priorité partagée",
            "divergent": "lectures divergentes",
            "consistent": "lectures compatibles",
        }
        return self.value if language == "en" else french[self.value]


@dataclass(frozen=True, slots=True)
class PerceivedScore:
    """A prism's perceived-impact score on one fragility."""

    estimate: float
    se: float
    ci_low: float
    ci_high: float
    n: int
    hidden: bool = False


@dataclass(frozen=True, slots=True)
class FragilityReading:
    """The cross-reading of one fragility."""

    fragility: str
    scores: Mapping[str, PerceivedScore]
    priority_for: tuple[str, ...]
    agreement: Agreement
    divergence: tuple[str, str, float, float] | None
    perceived_percentile: float | None  # None when no prism has a published score
    objective_percentile: float | None
    gap: float | None


@dataclass(frozen=True, slots=True)
class CrossReading:
    """All fragilities, in the order given; ``shared`` lists the shared priorities."""

    prisms: tuple[str, ...]
    readings: tuple[FragilityReading, ...]
    priorities: int
    confidence: float

    @property
    def shared(self) -> tuple[str, ...]:
        """Fragilities every prism (two at least) ranks among its priorities."""
        return tuple(r.fragility for r in self.readings if r.agreement is Agreement.SHARED_PRIORITY)


def _percentiles(values: Mapping[str, float]) -> dict[str, float]:
    """Inclusive percentile rank (0..1) of each value among all; ties get the mean rank."""
    items = sorted(values.values())
    count = len(items)
    if count < 2:
        return dict.fromkeys(values, 0.5)
    out = {}
    for key, value in values.items():
        below = sum(v < value for v in items)
        equal = sum(v == value for v in items)
        out[key] = (below + (equal - 1) / 2) / (count - 1)
    return out


def _published(score: PerceivedScore) -> bool:
    """A score that can be shown: not secret, and with an estimate."""
    return not score.hidden and math.isfinite(score.estimate)


def cross_read(
    scores: Mapping[str, Mapping[str, PerceivedScore]],
    objective: Mapping[str, float] | None = None,
    *,
    priorities: int = DEFAULT_PRIORITIES,
    confidence: float = 0.95,
) -> CrossReading:
    """Cross-read ``scores[prism][fragility]`` with ``objective[fragility]`` percentiles.

    Hidden scores (statistical secrecy) and scores without an estimate (no answer) take no
    part in priorities, divergence or gaps.
    """
    prisms = tuple(scores)
    fragilities = list(dict.fromkeys(f for prism in prisms for f in scores[prism]))
    quantile = float(stats.norm.ppf(0.5 + confidence / 2))
    top: dict[str, set[str]] = {}
    for prism in prisms:
        shown = {f: s.estimate for f, s in scores[prism].items() if _published(s)}
        ranked = sorted(shown, key=lambda f: (-shown[f], f))
        top[prism] = set(ranked[:priorities])
    mean_score = {}
    for fragility in fragilities:
        values = [
            scores[p][fragility].estimate
            for p in prisms
            if fragility in scores[p] and _published(scores[p][fragility])
        ]
        if values:
            mean_score[fragility] = sum(values) / len(values)
    perceived = _percentiles(mean_score)
    readings = []
    for fragility in fragilities:
        own = {p: scores[p][fragility] for p in prisms if fragility in scores[p]}
        visible = {p: s for p, s in own.items() if _published(s)}
        priority_for = tuple(p for p in prisms if fragility in top[p])
        divergence: tuple[str, str, float, float] | None = None
        if len(visible) >= 2:
            high = max(visible, key=lambda p: visible[p].estimate)
            low = min(visible, key=lambda p: visible[p].estimate)
            diff = visible[high].estimate - visible[low].estimate
            se = math.sqrt(visible[high].se ** 2 + visible[low].se ** 2)
            if diff - quantile * se > 0:
                divergence = (high, low, diff, se)
        if len(prisms) >= 2 and len(priority_for) == len(visible) == len(prisms):
            agreement = Agreement.SHARED_PRIORITY
        elif divergence is not None:
            agreement = Agreement.DIVERGENT
        else:
            agreement = Agreement.CONSISTENT
        objective_value = None if objective is None else objective.get(fragility)
        perceived_value = perceived.get(fragility)
        readings.append(
            FragilityReading(
                fragility=fragility,
                scores=own,
                priority_for=priority_for,
                agreement=agreement,
                divergence=divergence,
                perceived_percentile=perceived_value,
                objective_percentile=objective_value,
                gap=None
                if objective_value is None or perceived_value is None
                else perceived_value - objective_value,
            )
        )
    return CrossReading(prisms, tuple(readings), priorities, confidence)
