"""Sobol-type indices: checked against exact variance decompositions (synthétique data)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from cotera.index.engine import build
from cotera.index.framework import Family, Framework, Indicator
from cotera.index.perturbation import Draws, PerturbationModel, UncertaintySpec
from cotera.index.recipe import Aggregation, Normalisation, Recipe
from cotera.index.sensitivity import Factor, sensitivity, varying_factors

FRAMEWORK = Framework(
    "synthétique",
    "id",
    (Family("a"), Family("b")),
    tuple(Indicator(c, "a" if i < 2 else "b") for i, c in enumerate("xyzt")),
)


def _base(n: int = 120) -> object:
    rng = np.random.default_rng(11)
    matrix = rng.lognormal(size=(n, 4))
    return build(FRAMEWORK, Recipe(), matrix, [str(i) for i in range(n)])


def test_a_choice_that_cannot_change_ranks_gets_zero() -> None:
    # percent rank and plain rank are affine images of each other: same arithmetic ranking
    spec = UncertaintySpec(
        normalisations=(Normalisation.PERCENT_RANK, Normalisation.RANK),
        aggregations=(Aggregation.ARITHMETIC,),
        drop_indicator=False,
    )
    result = sensitivity(_base(), 2000, spec, seed=1)
    assert [i.factor for i in result.indices] == [Factor.NORMALISATION, Factor.WEIGHTS]
    assert abs(result.get(Factor.NORMALISATION).total) < 1e-3
    assert result.get(Factor.WEIGHTS).first_order == pytest.approx(1.0, abs=0.1)
    assert result.get(Factor.WEIGHTS).total == pytest.approx(1.0, abs=0.1)


def test_indices_match_the_exact_decomposition_over_discrete_factors() -> None:
    spec = UncertaintySpec(weight_spread=0.0)
    base = _base()
    model = PerturbationModel(base, spec)
    levels = [range(3), range(2), range(-1, 4)]
    grid = list(itertools.product(*levels))
    draws = Draws(
        np.array([g[0] for g in grid]),
        np.array([g[1] for g in grid]),
        np.ones((len(grid), 4)),
        np.array([g[2] for g in grid]),
    )
    ranks = model.ranks(draws).astype(np.float64).reshape(3, 2, 5, -1)
    variance = ranks.var(axis=(0, 1, 2)).sum()
    axes = {0: (1, 2), 1: (0, 2), 2: (0, 1)}
    exact_first = {i: ranks.mean(axis=axes[i]).var(axis=0).sum() / variance for i in axes}
    exact_total = {i: 1 - ranks.mean(axis=i).var(axis=(0, 1)).sum() / variance for i in axes}
    result = sensitivity(base, 20000, spec, seed=3)
    factors = [Factor.NORMALISATION, Factor.AGGREGATION, Factor.DROPPED_INDICATOR]
    assert [i.factor for i in result.indices] == factors
    for i, factor in enumerate(factors):
        assert result.get(factor).first_order == pytest.approx(exact_first[i], abs=0.05)
        assert result.get(factor).total == pytest.approx(exact_total[i], abs=0.05)


def test_varying_factors_and_bad_sizes() -> None:
    fixed = UncertaintySpec(
        normalisations=(Normalisation.MIN_MAX,),
        aggregations=(Aggregation.ARITHMETIC,),
        weight_spread=0.0,
        drop_indicator=False,
    )
    assert varying_factors(fixed, 4) == ()
    assert varying_factors(UncertaintySpec(), 1) == (
        Factor.NORMALISATION,
        Factor.AGGREGATION,
        Factor.WEIGHTS,
    )
    with pytest.raises(ValueError, match="varies"):
        sensitivity(_base(), 100, fixed)
    with pytest.raises(ValueError, match="n_evaluations"):
        sensitivity(_base(), 5)


def test_threads_do_not_change_the_indices() -> None:
    base = _base()
    one = sensitivity(base, 600, seed=5, chunk=8)
    two = sensitivity(base, 600, seed=5, chunk=8, workers=2)
    assert one.indices == two.indices
