"""Rank uncertainty: Monte Carlo over methodological choices (COINr-style).

Each draw picks a normalisation, an aggregation, weights perturbed by ±25 % and an indicator
to drop (see :mod:`cotera.index.perturbation`); every unit's overall rank is recomputed. The
result gives each unit's median rank and its 5–95 % interval (linear interpolation between
order statistics, as ``numpy.percentile``), and its best and worst rank over the draws.
Missing-data policy, inversion and winsorisation stay those of the base recipe; with
IGNORE_INDICATOR the draws average each unit over its available indicators, like the engine;
with PER_INDICATOR and DROP_UNIT a unit missing an indicator has no overall rank in the base,
so none in the draws (NaN quantiles), but its observed values still count in the others'
normalisation under PER_INDICATOR.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from cotera.index.engine import IndexResult
from cotera.index.perturbation import Draws, PerturbationModel, UncertaintySpec, sample_draws

FloatArray = npt.NDArray[np.float64]
Progress = Callable[[int, int], None]
QUANTILES = (0.05, 0.50, 0.95)


@dataclass(frozen=True, slots=True)
class UncertaintyResult:
    """Rank distribution of every unit over the draws (NaN for units the base excluded)."""

    unit_ids: tuple[str, ...]
    spec: UncertaintySpec
    seed: int | None
    draws: Draws
    base_rank: FloatArray
    rank_p05: FloatArray
    rank_p50: FloatArray
    rank_p95: FloatArray
    rank_min: FloatArray
    rank_max: FloatArray

    @property
    def n_draws(self) -> int:
        """Number of Monte Carlo draws."""
        return len(self.draws)


def uncertainty(
    base: IndexResult,
    n_draws: int = 1000,
    spec: UncertaintySpec | None = None,
    seed: int | None = None,
    progress: Progress | None = None,
    workers: int = 1,
) -> UncertaintyResult:
    """Run ``n_draws`` perturbed builds of ``base`` and summarise each unit's rank.

    ``workers`` > 1 evaluates chunks of draws in threads (numpy releases the GIL while
    sorting); results do not depend on it.
    """
    if n_draws < 1:
        raise ValueError("n_draws must be ≥ 1")
    spec = spec or UncertaintySpec()
    model = PerturbationModel(base, spec)
    draws = sample_draws(spec, len(base.framework.indicators), n_draws, np.random.default_rng(seed))
    draws = draws.take(np.argsort(draws.group(len(spec.aggregations)), kind="stable"))
    model.prepare(draws)
    ranks = np.empty((model.n_units, n_draws), dtype=model.rank_dtype)

    def run(start: int) -> int:
        stop = min(start + spec.chunk, n_draws)
        ranks[:, start:stop] = model.ranks(draws.take(slice(start, stop))).T
        return stop

    starts = range(0, n_draws, spec.chunk)
    with ThreadPoolExecutor(max(1, workers)) as pool:
        for stop in pool.map(run, starts) if workers > 1 else map(run, starts):
            if progress is not None:
                progress(stop, n_draws)
    summary = rank_quantiles(ranks, (*QUANTILES, 0.0, 1.0)) / model.rank_scale
    full = np.full((len(summary), len(base.unit_ids)), np.nan)
    full[:, base.included] = summary
    p05, p50, p95, low, high = full
    return UncertaintyResult(
        base.unit_ids, spec, seed, draws, np.array(base.overall_rank), p05, p50, p95, low, high
    )


def rank_quantiles(
    ranks: npt.NDArray[np.unsignedinteger], quantiles: tuple[float, ...]
) -> FloatArray:
    """Quantiles of each row of ``ranks`` (units × draws), which is sorted in place.

    Same values as ``numpy.quantile(..., method="linear")`` without a float copy of the matrix
    (sorting small unsigned integers row by row is cheaper than a multi-``kth`` partition).
    """
    n = ranks.shape[1]
    ranks.sort(axis=1)
    out = np.empty((len(quantiles), ranks.shape[0]))
    for i, q in enumerate(quantiles):
        position = q * (n - 1)
        low = int(np.floor(position))
        high = min(low + 1, n - 1)
        below = ranks[:, low].astype(np.float64)
        out[i] = below + (position - low) * (ranks[:, high] - below)
    return out
