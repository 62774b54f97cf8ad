"""Which methodological choice drives the rank variance: first-order and total Sobol indices.

Factors are the choices of :mod:`cotera.index.perturbation` that vary under the spec:
normalisation, aggregation, weights (the whole vector of multipliers, as one group) and the
dropped indicator. They are independent, discrete or continuous — the estimators below need
only independence and finite variance, so discrete factors are fine.

Estimator (Saltelli et al. 2010, "Variance based sensitivity analysis of model output",
Comput. Phys. Commun. 181): two independent samples A and B of ``N`` draws, and for each
factor i the sample A_B^i, i.e. A with factor i taken from B. For every unit's rank f:

- first order  ``V_i  = mean(f(B) · (f(A_B^i) − f(A)))``        (Saltelli 2010, eq. (b))
- total effect ``VT_i = mean((f(A) − f(A_B^i))²) / 2``          (Jansen 1999)
- ``V`` = variance of f over A ∪ B.

The index of a factor summarises all units as a share of the summed rank variance:
``S_i = Σ_u V_i,u / Σ_u V_u`` and ``ST_i = Σ_u VT_i,u / Σ_u V_u``. The cost is
``N · (p + 2)`` evaluations for p factors; ``n_evaluations`` is that total. Estimates carry
Monte Carlo noise (first-order ones can come out slightly negative).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from cotera.index.engine import IndexResult
from cotera.index.perturbation import Draws, PerturbationModel, UncertaintySpec, sample_draws

FloatArray = npt.NDArray[np.float64]
Progress = Callable[[int, int], None]


class Factor(StrEnum):
    """A methodological choice perturbed by the Monte Carlo."""

    NORMALISATION = "normalisation"
    AGGREGATION = "aggregation"
    WEIGHTS = "weights"
    DROPPED_INDICATOR = "dropped_indicator"


_FIELD = {
    Factor.NORMALISATION: "normalisation",
    Factor.AGGREGATION: "aggregation",
    Factor.WEIGHTS: "multipliers",
    Factor.DROPPED_INDICATOR: "dropped",
}


@dataclass(frozen=True, slots=True)
class SensitivityIndex:
    """Share of the rank variance due to one factor alone (first order) and in total."""

    factor: Factor
    first_order: float
    total: float


@dataclass(frozen=True, slots=True)
class SensitivityResult:
    """Sensitivity indices of every varying factor."""

    indices: tuple[SensitivityIndex, ...]
    n_base: int
    n_evaluations: int
    mean_rank_variance: float
    """Rank variance averaged over units (what the indices share out)."""
    spec: UncertaintySpec
    seed: int | None

    def get(self, factor: Factor) -> SensitivityIndex:
        """The indices of one factor."""
        return next(i for i in self.indices if i.factor is factor)

    @property
    def dominant(self) -> SensitivityIndex:
        """The factor with the largest total index (first in ``Factor`` order on ties)."""
        return max(self.indices, key=lambda i: i.total)


FACTOR_LABEL_FR = {
    Factor.NORMALISATION: "normalisation",
    Factor.AGGREGATION: "agrégation",
    Factor.WEIGHTS: "poids",
    Factor.DROPPED_INDICATOR: "indicateur omis",
}
"""French name of each factor (tables)."""

_CHOICE_FR = {
    Factor.NORMALISATION: "le choix de la normalisation",
    Factor.AGGREGATION: "le choix de l'agrégation",
    Factor.WEIGHTS: "le choix des poids",
    Factor.DROPPED_INDICATOR: "le choix de l'indicateur omis",
}


def share(value: float) -> float:
    """An index as a share in [0, 1]: Monte Carlo noise can push estimates slightly outside."""
    return min(1.0, max(0.0, value))


def reading_fr(result: SensitivityResult) -> str:
    """One French sentence naming the choice that drives the rank variance."""
    top = result.dominant
    alone = round(100 * share(top.first_order))
    total = round(100 * share(top.total))
    return (
        f"{_CHOICE_FR[top.factor][0].upper()}{_CHOICE_FR[top.factor][1:]} explique {alone} % "
        f"de la variance des rangs à lui seul, {total} % avec ses interactions."
    )


def varying_factors(spec: UncertaintySpec, n_indicators: int) -> tuple[Factor, ...]:
    """Factors that actually vary under ``spec``."""
    varies = {
        Factor.NORMALISATION: len(spec.normalisations) > 1,
        Factor.AGGREGATION: len(spec.aggregations) > 1,
        Factor.WEIGHTS: spec.weight_spread > 0,
        Factor.DROPPED_INDICATOR: spec.drop_indicator and n_indicators > 1,
    }
    return tuple(f for f in Factor if varies[f])


def sensitivity(
    base: IndexResult,
    n_evaluations: int = 5000,
    spec: UncertaintySpec | None = None,
    seed: int | None = None,
    progress: Progress | None = None,
    chunk: int = 32,
    workers: int = 1,
) -> SensitivityResult:
    """Estimate first-order and total indices of the overall rank w.r.t. each factor.

    ``workers`` > 1 evaluates chunks of base draws in threads; results do not depend on it.
    """
    spec = spec or UncertaintySpec()
    k = len(base.framework.indicators)
    factors = varying_factors(spec, k)
    if not factors:
        raise ValueError("no methodological choice varies: nothing to analyse")
    n_base = n_evaluations // (len(factors) + 2)
    if n_base < 2:
        raise ValueError(f"n_evaluations must be ≥ {2 * (len(factors) + 2)}")
    rng = np.random.default_rng(seed)
    a, b = sample_draws(spec, k, n_base, rng), sample_draws(spec, k, n_base, rng)
    model = PerturbationModel(base, spec)
    model.prepare(_concat([a, b]))

    def run(start: int) -> tuple[int, FloatArray]:
        """Partial sums of one chunk: Σf, Σf², then per factor Σ first-order and total terms."""
        rows = slice(start, min(start + chunk, n_base))
        a_c, b_c = a.take(rows), b.take(rows)
        runs = [a_c, b_c, *(_swap(a_c, b_c, f) for f in factors)]
        ranks = model.ranks(_concat(runs)).astype(np.float64) / model.rank_scale
        f_a, f_b, *f_ab = np.split(ranks, len(runs))
        parts = np.empty((2 + 2 * len(factors), model.n_units))
        parts[0] = f_a.sum(axis=0) + f_b.sum(axis=0)
        parts[1] = (f_a**2).sum(axis=0) + (f_b**2).sum(axis=0)
        for i, f_abi in enumerate(f_ab):
            parts[2 + i] = (f_b * (f_abi - f_a)).sum(axis=0)
            parts[2 + len(factors) + i] = ((f_a - f_abi) ** 2).sum(axis=0)
        return min(start + chunk, n_base), parts

    totals = np.zeros((2 + 2 * len(factors), model.n_units))
    starts = range(0, n_base, chunk)
    with ThreadPoolExecutor(max(1, workers)) as pool:
        for stop, parts in pool.map(run, starts) if workers > 1 else map(run, starts):
            totals += parts
            if progress is not None:
                progress(stop, n_base)
    sums, first, total = totals[:2], totals[2 : 2 + len(factors)], totals[2 + len(factors) :]
    mean = sums[0] / (2 * n_base)
    variance = sums[1] / (2 * n_base) - mean**2
    denominator = float(variance.sum())
    if denominator <= 0:
        raise ValueError("the ranks do not vary under the draws")
    indices = tuple(
        SensitivityIndex(
            f,
            float(first[i].sum() / n_base / denominator),
            float(total[i].sum() / (2 * n_base) / denominator),
        )
        for i, f in enumerate(factors)
    )
    return SensitivityResult(
        indices, n_base, n_base * (len(factors) + 2), denominator / model.n_units, spec, seed
    )


def _swap(a: Draws, b: Draws, factor: Factor) -> Draws:
    name = _FIELD[factor]
    return replace(a, **{name: getattr(b, name)})


def _concat(parts: list[Draws]) -> Draws:
    return Draws(
        np.concatenate([p.normalisation for p in parts]),
        np.concatenate([p.aggregation for p in parts]),
        np.concatenate([p.multipliers for p in parts]),
        np.concatenate([p.dropped for p in parts]),
    )
