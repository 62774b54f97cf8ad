"""One matching request's scores over any set of candidate rows, and the top-N selection.

The same arithmetic scores every set of rows, so scoring the near candidates, the far ones
and (as a fallback) all of them gives the same numbers; see :meth:`CandidatePool.match`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from cotera.registry.value_chain import ValueChain
from cotera.types import Level

if TYPE_CHECKING:
    from cotera.registry.matching import CandidatePool, MatchRequest, MatchWeights

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

LEVELS = (Level.REGION, Level.DEPARTEMENT, Level.EPCI, Level.COMMUNE)  # widest first


class RequestScoring:
    """One request's scores over any set of candidate rows (same arithmetic for every set)."""

    def __init__(
        self,
        pool: CandidatePool,
        request: MatchRequest,
        weights: MatchWeights,
        chain: ValueChain,
    ) -> None:
        self.pool, self.request, self.weights = pool, request, weights
        self.code = {
            Level.COMMUNE: pool.code_of(Level.COMMUNE, request.commune),
            Level.EPCI: pool.code_of(Level.EPCI, request.epci),
            Level.DEPARTEMENT: pool.code_of(Level.DEPARTEMENT, request.departement),
            Level.REGION: pool.code_of(Level.REGION, request.region),
        }
        self.column = {
            Level.COMMUNE: pool.commune,
            Level.EPCI: pool.epci,
            Level.DEPARTEMENT: pool.departement,
            Level.REGION: pool.region,
        }
        self.fit = chain.row(request.kind) if request.kind is not None else None
        wanted = np.fromiter(sorted(request.exclude), dtype=np.int64)
        if wanted.size and len(pool):
            positions = np.searchsorted(pool.ids, wanted).clip(0, len(pool) - 1)
            wanted = positions[pool.ids[positions] == wanted]
        self.excluded = wanted if len(pool) else np.empty(0, dtype=np.int64)
        self.scores: dict[int, float] = {}

    def _partial(self, kinds: npt.NDArray[np.int8], masks: npt.NDArray[np.uint16]) -> FloatArray:
        """Points without proximity, for rows of these kinds and masks."""
        request, weights = self.request, self.weights
        score = np.zeros(masks.size)
        if request.fragilities:
            want = np.uint16(request.fragilities)
            wanted_count = int(np.bitwise_count(want))
            score += weights.fragilities * np.bitwise_count(masks & want) / wanted_count
        if request.priorities:
            prio = np.uint16(request.priorities)
            score += weights.priorities * np.bitwise_count(masks & prio) / np.bitwise_count(prio)
        if self.fit is not None:
            score += weights.kind * self.fit[kinds]
        return score

    def _closeness(self, rows: IntArray) -> FloatArray:
        weights = self.weights
        closeness = np.zeros(rows.size)
        for level, share in (
            (Level.REGION, weights.same_region),
            (Level.DEPARTEMENT, weights.same_departement),
            (Level.EPCI, weights.same_epci),
            (Level.COMMUNE, weights.same_commune),
        ):
            closeness = np.where(self.column[level][rows] == self.code[level], share, closeness)
        return closeness

    def _eligible(self, rows: IntArray) -> IntArray:
        if self.request.fragilities:
            rows = rows[(self.pool.masks[rows] & np.uint16(self.request.fragilities)) != 0]
        if self.excluded.size:
            rows = rows[~np.isin(rows, self.excluded)]
        return rows

    def best(self, rows: IntArray) -> IntArray:
        """The best ``top`` of these rows (eligible ones only), best first."""
        pool = self.pool
        rows = self._eligible(rows)
        closeness = self._closeness(rows)
        partial = self._partial(pool.kinds[rows], pool.masks[rows])
        score = np.round(partial + self.weights.proximity * closeness, 6)
        best = top_rows(score, closeness, pool.ids[rows], self.request.top)
        self.scores.update(zip(rows[best].tolist(), score[best].tolist(), strict=True))
        return rows[best]

    def score(self, row: int) -> float:
        """The score of a row returned by :meth:`best`."""
        return self.scores[row]

    def _near(self, rows: IntArray) -> npt.NDArray[np.bool_]:
        near = np.zeros(rows.size, dtype=bool)
        for level in LEVELS:
            if self.code[level] >= 0:
                near |= self.column[level][rows] == self.code[level]
        return near

    def near(self) -> IntArray:
        """Rows in any of the request's places (each once)."""
        parts: list[IntArray] = []
        for level in LEVELS:
            if self.code[level] < 0:
                continue
            rows = self.pool.places[level].rows(self.code[level])
            if parts:  # drop rows already fetched through a wider place
                rows = rows[~self._near_before(rows, level)]
            parts.append(rows)
        return np.concatenate(parts) if parts else np.empty(0, dtype=np.int64)

    def _near_before(self, rows: IntArray, level: Level) -> npt.NDArray[np.bool_]:
        seen = np.zeros(rows.size, dtype=bool)
        for wider in LEVELS[: LEVELS.index(level)]:
            if self.code[wider] >= 0:
                seen |= self.column[wider][rows] == self.code[wider]
        return seen

    def far(self, last: int) -> IntArray:
        """Rows outside the request's places whose profile can reach the score of ``last``.

        Far rows score their profile's points exactly (no proximity), so a profile below the
        current ``top``-th score cannot enter the top.
        """
        pool = self.pool
        points = np.round(self._partial(pool.profile_kinds, pool.profile_masks), 6)
        rows = pool.profiles.rows_of(np.flatnonzero(points >= self.scores[last]))
        return rows[~self._near(rows)]


def top_rows(
    score: npt.NDArray[np.float64], closeness: npt.NDArray[np.float64], ids: IntArray, top: int
) -> IntArray:
    """Positions of the best ``top``: score, then closeness, then smaller id (all ties kept)."""
    if score.size > top:
        threshold = np.partition(score, score.size - top)[score.size - top]
        keep = np.flatnonzero(score >= threshold)
    else:
        keep = np.arange(score.size)
    order = np.lexsort((ids[keep], -closeness[keep], -score[keep]))
    return keep[order[:top]]
