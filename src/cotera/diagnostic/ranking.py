"""What the index engine tells the diagnostic: scores and ranks of the peers, per group.

A group is one fragility, one family or the overall index. Ranks count from 1 = most fragile,
percentiles from 0 to 100 (100 = most fragile); NaN marks a peer the engine could not rank (or
that the coverage rule left out). Tied peers share the mid-rank of their block, so that
``percentile = 100 × (ranked − rank) / (ranked − 1)`` holds for every peer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from cotera.diagnostic.priority import Divergence, RankInterval
from cotera.diagnostic.sensitivity import Sensitivity
from cotera.diagnostic.sufficiency import DEFAULT_RULE, CoverageRule


@dataclass(frozen=True, slots=True)
class UnitStanding:
    """One peer's standing in a group."""

    score: float
    percentile: float
    rank: float
    interval: RankInterval | None
    peers: int
    divergence: Divergence | None = None
    ties: int = 0
    """Other ranked peers with the same score (sharing its mid-rank)."""


@dataclass(frozen=True, slots=True)
class GroupRanking:
    """Scores, percentiles, ranks (and optional Monte Carlo rank quantiles) of all peers."""

    units: tuple[str, ...]
    score: NDArray[np.float64]
    percentile: NDArray[np.float64]
    rank: NDArray[np.float64]
    rank_low: NDArray[np.float64] | None = None
    rank_median: NDArray[np.float64] | None = None
    rank_high: NDArray[np.float64] | None = None
    indicator_low: NDArray[np.float64] | None = None
    """A fragility's peers' lowest percentile (0–100) among its indicators (NaN if < 2)."""
    indicator_high: NDArray[np.float64] | None = None
    reliable: bool = True
    """False when the group rests only on indicators that are not reliable at this level."""

    @property
    def ranked(self) -> int:
        """How many peers have a rank."""
        return int(np.count_nonzero(np.isfinite(self.rank)))

    def standing(self, unit: str) -> UnitStanding | None:
        """The standing of ``unit``, or None if it is not ranked."""
        i = self.units.index(unit)
        if not np.isfinite(self.rank[i]):
            return None
        interval = None
        if (
            self.rank_low is not None
            and self.rank_median is not None
            and self.rank_high is not None
        ):
            interval = RankInterval(
                float(self.rank_low[i]), float(self.rank_median[i]), float(self.rank_high[i])
            )
        divergence = None
        if (
            self.indicator_low is not None
            and self.indicator_high is not None
            and np.isfinite(self.indicator_low[i])
        ):
            divergence = Divergence(float(self.indicator_low[i]), float(self.indicator_high[i]))
        ranked = np.isfinite(self.rank)
        ties = int(np.count_nonzero(ranked & (self.score == self.score[i]))) - 1
        return UnitStanding(
            float(self.score[i]),
            float(self.percentile[i]),
            float(self.rank[i]),
            interval,
            self.ranked,
            divergence,
            ties,
        )


@dataclass(frozen=True)
class Rankings:
    """Every group ranking of one peer set, and the method that produced them, in words."""

    fragilities: Mapping[str, GroupRanking]
    families: Mapping[str, GroupRanking]
    overall: GroupRanking | None
    method: tuple[str, ...]
    draws: int = 0
    seed: int | None = None
    sensitivity: Sensitivity | None = None
    rule: CoverageRule = DEFAULT_RULE
    """The minimum coverage the family and overall rankings were built with."""
