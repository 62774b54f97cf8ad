"""Vectorised evaluation of many perturbed recipes: the kernel of uncertainty and sensitivity.

A *draw* is one methodological choice per factor: a normalisation, an aggregation, weight
multipliers (base weight × U(1 − spread, 1 + spread)) and an indicator to drop (or none).
Draws sharing (normalisation, aggregation) share one pre-normalised float32 matrix, their
weights form a (draws × indicators) matrix, so their scores are one matrix product; ranks come
from one ``argsort`` along each row (ties as the base recipe's ``TieRule``, as in ``engine``;
with ``AVERAGE`` the stored ranks are doubled — ``2 × mid-rank`` is a whole number — and
``rank_scale`` says by how much to divide them). Scores are
float32: units whose scores differ by less than float32 precision (~1e-7 relative) may be
ordered arbitrarily between themselves.

Ties are searched for (a gather of the sorted scores) only when they can happen: with weights
drawn from a continuous law, two units tie with probability 0 unless their rows are equal on
every indicator but the dropped one. That is checked once, exactly, on the input rows
(:func:`may_tie`); with missing cells or unperturbed weights ties are always searched for.

Only the units the base gives an overall rank (``base.included``) are ranked in the draws. As in
the engine, each indicator is normalised over every unit that has it: with PER_INDICATOR, a
unit missing an indicator (so a family) still shifts the others' percentile ranks on the
indicators it has, but gets no rank itself. Inversions follow the base recipe and framework.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from cotera.index.aggregate import geometric_bounds, geometric_scale
from cotera.index.engine import IndexResult, reference_values
from cotera.index.orientation import normalise_oriented
from cotera.index.recipe import Aggregation, Normalisation, TieRule

FloatArray = npt.NDArray[np.float64]
F32Array = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]
RankArray = npt.NDArray[np.unsignedinteger]

NO_DROP = -1


@dataclass(frozen=True, slots=True)
class UncertaintySpec:
    """Which methodological choices vary, and how."""

    normalisations: tuple[Normalisation, ...] = (
        Normalisation.MIN_MAX,
        Normalisation.Z_SCORE,
        Normalisation.PERCENT_RANK,
    )
    aggregations: tuple[Aggregation, ...] = (Aggregation.ARITHMETIC, Aggregation.GEOMETRIC)
    weight_spread: float = 0.25
    """Each weight is multiplied by U(1 − spread, 1 + spread), then weights are renormalised."""
    drop_indicator: bool = True
    """Drop one indicator (uniform over "none" and each indicator)."""
    chunk: int = 32
    """Draws evaluated together (bounds memory)."""


@dataclass(frozen=True, slots=True)
class Draws:
    """Sampled choices, one row per draw."""

    normalisation: IntArray
    """Index into ``spec.normalisations``."""
    aggregation: IntArray
    """Index into ``spec.aggregations``."""
    multipliers: FloatArray
    """(draws × indicators) weight multipliers."""
    dropped: IntArray
    """Dropped indicator, or -1 for none."""

    def __len__(self) -> int:
        return len(self.normalisation)

    def group(self, n_aggregations: int) -> IntArray:
        """Group of each draw: draws of a group share one normalised matrix."""
        return self.normalisation * n_aggregations + self.aggregation

    def take(self, rows: IntArray | slice) -> Draws:
        """A subset of the draws."""
        return Draws(
            self.normalisation[rows],
            self.aggregation[rows],
            self.multipliers[rows],
            self.dropped[rows],
        )


def sample_draws(spec: UncertaintySpec, k: int, n: int, rng: np.random.Generator) -> Draws:
    """Draw ``n`` independent sets of choices for ``k`` indicators."""
    low, high = 1.0 - spec.weight_spread, 1.0 + spec.weight_spread
    dropped = rng.integers(-1, k, n) if spec.drop_indicator and k > 1 else np.full(n, NO_DROP)
    return Draws(
        normalisation=rng.integers(0, len(spec.normalisations), n),
        aggregation=rng.integers(0, len(spec.aggregations), n),
        multipliers=rng.uniform(low, high, (n, k)),
        dropped=dropped.astype(np.int64),
    )


@dataclass
class PerturbationModel:
    """The included units of a base result, ready to be ranked under many draws."""

    base: IndexResult
    spec: UncertaintySpec
    _matrices: dict[tuple[int, int], F32Array] = field(default_factory=dict)
    _normalised_cache: dict[int, FloatArray] = field(default_factory=dict)

    def __post_init__(self) -> None:
        result = self.base
        oriented = result.prepared[result.included] * result.framework.signs()
        self._available = ~np.isnan(oriented)
        self._mask = (
            None
            if self._available.all()
            else np.ascontiguousarray(self._available.T, dtype=np.float32)
        )
        self._references = reference_values(
            result.framework, result.recipe, result.raw, result.unit_ids
        )
        self.n_units = int(oriented.shape[0])
        self.check_ties = (
            self._mask is not None
            or self.spec.weight_spread == 0
            or may_tie(oriented, self.spec.drop_indicator)
        )
        self.ties = result.recipe.ties
        self.rank_scale = 2 if self.ties is TieRule.AVERAGE else 1
        self.rank_dtype = np.uint16 if self.rank_scale * self.n_units < 2**16 else np.uint32

    def _normalised(self, norm: int) -> FloatArray:
        """Normalised oriented values of every unit for one normalisation (cached): as in the
        engine, each indicator is normalised over all the units that have it."""
        if norm not in self._normalised_cache:
            method = self.spec.normalisations[norm]
            if method is Normalisation.DISTANCE_TO_REFERENCE and self._references is None:
                raise ValueError("distance to reference needs reference values")
            result = self.base
            values = normalise_oriented(
                result.prepared,
                result.framework,
                result.recipe.inversion,
                method,
                self._references,
                self.ties,
            )
            self._normalised_cache[norm] = values
        return self._normalised_cache[norm]

    def _matrix(self, norm: int, agg: int) -> F32Array:
        """(indicators × included units) float32 matrix of a group, missing cells at 0. For
        GEOMETRIC, ``−log`` of the [1, 100] scale (bounds over every unit, as in the engine):
        its weighted mean is ``−log G``, which orders units as the engine's score ``101 − G``."""
        key = (norm, agg)
        if key not in self._matrices:
            values = self._normalised(norm)
            if self.spec.aggregations[agg] is Aggregation.GEOMETRIC:
                values = -np.log(geometric_scale(values, geometric_bounds(values)))
            values = values[self.base.included]
            self._matrices[key] = np.ascontiguousarray(
                np.where(self._available, values, 0.0).T, dtype=np.float32
            )
        return self._matrices[key]

    def prepare(self, draws: Draws) -> None:
        """Build the matrices of every group in ``draws`` now (e.g. before threads share the
        model), then free the float64 intermediates."""
        for group in np.unique(draws.group(len(self.spec.aggregations))):
            self._matrix(*divmod(int(group), len(self.spec.aggregations)))
        self._normalised_cache.clear()

    def weights(self, draws: Draws) -> F32Array:
        """(draws × indicators) weights: perturbed, one indicator dropped, summing to 1."""
        weights = self.base.weights.overall * draws.multipliers
        rows = np.flatnonzero(draws.dropped >= 0)
        weights[rows, draws.dropped[rows]] = 0.0
        weights /= weights.sum(axis=1, keepdims=True)
        return weights.astype(np.float32)

    def scores(self, draws: Draws) -> F32Array:
        """(draws × units) scores, higher = more fragile (for GEOMETRIC ``−log G``, a monotone
        transform of the engine's score)."""
        return self._combine(draws, 1.0)

    def _combine(self, draws: Draws, sign: float) -> F32Array:
        """``sign`` × scores: weights times each group's matrix, one product per group."""
        weights = self.weights(draws)
        signed = weights * np.float32(sign)
        out = np.empty((len(draws), self.n_units), dtype=np.float32)
        groups = draws.group(len(self.spec.aggregations))
        order = np.argsort(groups, kind="stable")
        bounds = np.flatnonzero(np.diff(groups[order])) + 1
        for rows in np.split(order, bounds):
            norm, agg = divmod(int(groups[rows[0]]), len(self.spec.aggregations))
            matrix = self._matrix(norm, agg)
            contiguous = rows[-1] - rows[0] == len(rows) - 1
            if contiguous:  # write in place
                block = np.matmul(signed[rows], matrix, out=out[rows[0] : rows[-1] + 1])
            else:
                block = signed[rows] @ matrix
            if self._mask is not None:
                with np.errstate(invalid="ignore", divide="ignore"):
                    block /= weights[rows] @ self._mask
            if not contiguous:
                out[rows] = block
        return out

    def ranks(self, draws: Draws) -> RankArray:
        """(draws × units) ranks × ``rank_scale``: 1 = most fragile, ties as the recipe says."""
        keys = self._combine(draws, -1.0)  # ascending keys: most fragile first
        if self._mask is not None:  # a unit left without any indicator ranks last
            np.nan_to_num(keys, copy=False, nan=np.inf)
        order = np.argsort(keys, axis=1)
        ranks = np.empty(keys.shape, dtype=self.rank_dtype)
        positions = np.arange(1, self.n_units + 1, dtype=self.rank_dtype)
        np.put_along_axis(ranks, order, self.rank_scale * positions[None, :], axis=1)
        if not self.check_ties:
            return ranks
        ordered = np.take_along_axis(keys, order, axis=1)
        tied = ordered[:, 1:] == ordered[:, :-1]
        rows = np.flatnonzero(tied.any(axis=1))
        if rows.size:
            start = np.where(tied[rows], 0, positions[1:])
            start = np.concatenate((np.ones((rows.size, 1), self.rank_dtype), start), axis=1)
            np.maximum.accumulate(start, axis=1, out=start)
            if self.ties is TieRule.AVERAGE:  # first + last rank of the block = 2 × mid-rank
                end = np.where(tied[rows], self.n_units, positions[:-1])
                end = np.concatenate(
                    (end, np.full((rows.size, 1), self.n_units, self.rank_dtype)), axis=1
                )
                start += np.minimum.accumulate(end[:, ::-1], axis=1)[:, ::-1]
            fixed = ranks[rows]
            np.put_along_axis(fixed, order[rows], start, axis=1)
            ranks[rows] = fixed
        return ranks


def may_tie(rows: FloatArray, drop_one: bool) -> bool:
    """Whether two rows are equal, or (``drop_one``) equal on all columns but one.

    Each row is hashed as the wrap-around sum of a 64-bit mix of each cell's bits, so the hash
    without column j is exactly ``total − mix_j``; equal rows give equal hashes (collisions
    only make this answer True, which is safe).
    """
    bits = np.ascontiguousarray(rows + 0.0).view(np.uint64)
    salts = np.random.default_rng(0).integers(1, 2**63, rows.shape[1], dtype=np.uint64)
    mixed = _mix(bits ^ salts)
    total = mixed.sum(axis=1, dtype=np.uint64)
    hashes = np.vstack([total, *(total - mixed.T if drop_one else [])])
    hashes.sort(axis=1)
    return bool((hashes[:, 1:] == hashes[:, :-1]).any())


def _mix(x: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """splitmix64 finaliser, element-wise (wrap-around uint64 arithmetic)."""
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))
