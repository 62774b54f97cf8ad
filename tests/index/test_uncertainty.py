"""Monte Carlo over methodological choices, checked against the engine and numpy (synthétique)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from cotera.index.engine import build
from cotera.index.framework import Family, Framework, Indicator
from cotera.index.perturbation import (
    NO_DROP,
    Draws,
    PerturbationModel,
    UncertaintySpec,
    may_tie,
)
from cotera.index.recipe import Aggregation, MissingPolicy, Normalisation, Recipe, TieRule
from cotera.index.uncertainty import rank_quantiles, uncertainty
from cotera.types import Direction

FRAMEWORK = Framework(
    "synthétique",
    "id",
    (Family("a"), Family("b")),
    (
        Indicator("x", "a"),
        Indicator("y", "a", Direction.HIGHER_IS_LESS_FRAGILE),
        Indicator("z", "b"),
        Indicator("t", "b"),
    ),
)


def _data(n: int = 200, seed: int = 3) -> tuple[np.ndarray, list[str]]:
    rng = np.random.default_rng(seed)
    return rng.lognormal(size=(n, 4)), [f"u{i}" for i in range(n)]


def _single(norm: Normalisation, agg: Aggregation, dropped: int = NO_DROP) -> Draws:
    return Draws(np.array([0]), np.array([0]), np.ones((1, 4)), np.array([dropped]))


@pytest.mark.parametrize("norm", list(Normalisation)[:4])
@pytest.mark.parametrize("agg", [Aggregation.ARITHMETIC, Aggregation.GEOMETRIC])
def test_a_draw_ranks_like_the_engine(norm: Normalisation, agg: Aggregation) -> None:
    matrix, ids = _data()
    base = build(FRAMEWORK, Recipe(), matrix, ids)
    spec = UncertaintySpec(normalisations=(norm,), aggregations=(agg,), weight_spread=0.0)
    model = PerturbationModel(base, spec)
    expected = build(FRAMEWORK, Recipe(normalisation=norm, aggregation=agg), matrix, ids)
    ranks = model.ranks(_single(norm, agg))[0]
    if norm is Normalisation.PERCENT_RANK:  # exact ties of rationals, up to float32 rounding
        low, high = _tie_bounds(expected.overall_score, 1e-6)
        assert np.all((low <= ranks) & (ranks <= high))
        assert np.mean(ranks == expected.overall_rank) > 0.8
    else:
        np.testing.assert_array_equal(ranks, expected.overall_rank)


def _tie_bounds(scores: np.ndarray, relative: float) -> tuple[np.ndarray, np.ndarray]:
    """Best and worst rank of each score among scores equal to it within ``relative``."""
    tolerance = relative * np.abs(scores).max()
    above = (scores[None, :] > scores[:, None] + tolerance).sum(axis=1)
    at_least = (scores[None, :] >= scores[:, None] - tolerance).sum(axis=1)
    return above + 1, at_least


def test_dropping_an_indicator_is_building_without_it() -> None:
    matrix, ids = _data()
    base = build(FRAMEWORK, Recipe(), matrix, ids)
    model = PerturbationModel(base, UncertaintySpec(normalisations=(Normalisation.MIN_MAX,)))
    without_y = Framework(
        "s", "id", FRAMEWORK.families, FRAMEWORK.indicators[::2][:1] + FRAMEWORK.indicators[2:]
    )
    expected = build(
        without_y, Recipe(normalisation=Normalisation.MIN_MAX), matrix[:, [0, 2, 3]], ids
    )
    ranks = model.ranks(_single(Normalisation.MIN_MAX, Aggregation.ARITHMETIC, dropped=1))
    np.testing.assert_array_equal(ranks[0], expected.overall_rank)


def test_missing_cells_are_averaged_out_like_the_engine() -> None:
    matrix, ids = _data()
    matrix[::7, 2] = np.nan
    recipe = Recipe(missing=MissingPolicy.IGNORE_INDICATOR, normalisation=Normalisation.MIN_MAX)
    base = build(FRAMEWORK, recipe, matrix, ids)
    model = PerturbationModel(base, UncertaintySpec(normalisations=(Normalisation.MIN_MAX,)))
    assert model.check_ties
    ranks = model.ranks(_single(Normalisation.MIN_MAX, Aggregation.ARITHMETIC))
    np.testing.assert_array_equal(ranks[0], base.overall_rank)


def test_ties_get_the_lowest_rank() -> None:
    matrix, ids = _data(50)
    matrix[10] = matrix[20]
    matrix[30, [0, 1, 2]] = matrix[40, [0, 1, 2]]  # equal but for t: tie when t is dropped
    base = build(FRAMEWORK, Recipe(), matrix, ids)
    model = PerturbationModel(base, UncertaintySpec(aggregations=(Aggregation.ARITHMETIC,)))
    assert model.check_ties
    rng = np.random.default_rng(0)
    draws = Draws(
        np.array([0, 2]), np.array([0, 0]), rng.uniform(0.75, 1.25, (2, 4)), np.array([3, -1])
    )
    ranks = model.ranks(draws)
    scores = model.scores(draws)
    for row in range(2):
        np.testing.assert_array_equal(ranks[row], stats.rankdata(-scores[row], method="min"))
    assert ranks[0, 10] == ranks[0, 20]
    assert ranks[0, 30] == ranks[0, 40]
    assert ranks[1, 30] != ranks[1, 40]


def test_average_ties_take_the_mid_rank_in_every_draw() -> None:
    matrix, ids = _data(50)
    matrix[10] = matrix[20]
    matrix[5] = matrix[20]
    matrix[30, [0, 1, 2]] = matrix[40, [0, 1, 2]]
    base = build(FRAMEWORK, Recipe(ties=TieRule.AVERAGE), matrix, ids)
    model = PerturbationModel(base, UncertaintySpec(aggregations=(Aggregation.ARITHMETIC,)))
    assert model.rank_scale == 2
    rng = np.random.default_rng(0)
    draws = Draws(
        np.array([0, 2]), np.array([0, 0]), rng.uniform(0.75, 1.25, (2, 4)), np.array([3, -1])
    )
    ranks = model.ranks(draws) / model.rank_scale
    scores = model.scores(draws)
    for row in range(2):
        np.testing.assert_array_equal(ranks[row], stats.rankdata(-scores[row], method="average"))
    assert ranks[0, 5] == ranks[0, 10] == ranks[0, 20]
    assert ranks[0, 5] % 1 == 0  # three tied: a whole mid-rank
    assert ranks[0, 30] == ranks[0, 40]
    assert ranks[0, 30] % 1 == 0.5  # two tied: a half mid-rank


def test_uncertainty_of_a_tied_block_is_its_mid_rank() -> None:
    single = Framework("s", "id", (Family("a"),), (Indicator("x", "a"),))
    values = np.array([[5.0]] * 6 + [[1.0], [2.0], [3.0], [4.0]])
    ids = [f"u{i}" for i in range(10)]
    base = build(single, Recipe(ties=TieRule.AVERAGE), values, ids)
    spread = uncertainty(base, 50, seed=1)
    # six units tied at the most fragile value span ranks 1 to 6: 3.5 under every method
    np.testing.assert_array_equal(spread.rank_p05[:6], 3.5)
    np.testing.assert_array_equal(spread.rank_p95[:6], 3.5)
    np.testing.assert_array_equal(spread.base_rank[:6], 3.5)


def test_may_tie_detects_equal_rows_exactly() -> None:
    rows = np.random.default_rng(1).random((500, 6))
    assert not may_tie(rows, drop_one=True)
    rows[3] = rows[7]
    rows[3, 2] += 1.0
    assert may_tie(rows, drop_one=True)
    assert not may_tie(rows, drop_one=False)


def test_rank_quantiles_match_numpy() -> None:
    ranks = np.random.default_rng(2).integers(1, 500, (40, 37)).astype(np.uint16)
    expected = np.quantile(ranks, [0.05, 0.5, 0.95, 0.0, 1.0], axis=1)
    np.testing.assert_allclose(rank_quantiles(ranks.copy(), (0.05, 0.5, 0.95, 0.0, 1.0)), expected)


def test_no_perturbation_gives_the_base_rank_everywhere() -> None:
    matrix, ids = _data()
    base = build(FRAMEWORK, Recipe(normalisation=Normalisation.MIN_MAX), matrix, ids)
    spec = UncertaintySpec(
        normalisations=(Normalisation.MIN_MAX,),
        aggregations=(Aggregation.ARITHMETIC,),
        weight_spread=0.0,
        drop_indicator=False,
    )
    result = uncertainty(base, 10, spec, seed=1)
    for band in (result.rank_p05, result.rank_p50, result.rank_p95):
        np.testing.assert_array_equal(band, base.overall_rank)


def test_intervals_are_ordered_reproducible_and_skip_excluded_units() -> None:
    matrix, ids = _data()
    matrix[5, 0] = np.nan
    base = build(FRAMEWORK, Recipe(), matrix, ids)
    calls: list[tuple[int, int]] = []
    result = uncertainty(
        base, 150, UncertaintySpec(chunk=64), seed=7, progress=lambda d, t: calls.append((d, t))
    )
    assert calls == [(64, 150), (128, 150), (150, 150)]
    assert np.isnan(result.rank_p50[5])
    kept = ~np.isnan(result.rank_p50)
    assert np.all(result.rank_min[kept] <= result.rank_p05[kept])
    assert np.all(result.rank_p05[kept] <= result.rank_p50[kept])
    assert np.all(result.rank_p50[kept] <= result.rank_p95[kept])
    assert np.all(result.rank_p95[kept] <= result.rank_max[kept])
    assert result.rank_max[kept].max() <= kept.sum()
    again = uncertainty(base, 150, UncertaintySpec(chunk=64), seed=7)
    np.testing.assert_array_equal(again.rank_p50, result.rank_p50)
    # the draws vary every choice
    assert set(result.draws.normalisation) == {0, 1, 2}
    assert set(result.draws.dropped) == {-1, 0, 1, 2, 3}
    assert np.all((result.draws.multipliers >= 0.75) & (result.draws.multipliers <= 1.25))


def test_threads_do_not_change_the_result() -> None:
    matrix, ids = _data()
    base = build(FRAMEWORK, Recipe(), matrix, ids)
    spec = UncertaintySpec(chunk=16)
    one = uncertainty(base, 100, spec, seed=4)
    two = uncertainty(base, 100, spec, seed=4, workers=2)
    for name in ("rank_p05", "rank_p50", "rank_p95", "rank_min", "rank_max"):
        np.testing.assert_array_equal(getattr(one, name), getattr(two, name))


def _fragile_but_young(n: int = 40, k: int = 7, seed: int = 11) -> tuple[np.ndarray, list[str]]:
    """Synthétique: unit u0 is the most fragile of all on every indicator but the last, and the
    least fragile on that one (a poor, overcrowded, young territory)."""
    rng = np.random.default_rng(seed)
    matrix = rng.uniform(1.0, 2.0, (n, k))
    matrix[0, :-1] = 3.0
    matrix[0, -1] = 0.0
    return matrix, [f"u{i}" for i in range(n)]


def _families(k: int) -> Framework:
    return Framework(
        "synthétique",
        "id",
        (Family("a"), Family("b")),
        tuple(Indicator(f"i{j}", "a" if j < k // 2 else "b") for j in range(k)),
    )


@pytest.mark.parametrize("norm", [Normalisation.PERCENT_RANK, Normalisation.MIN_MAX])
def test_one_least_fragile_indicator_does_not_sink_a_unit_under_geometric(
    norm: Normalisation,
) -> None:
    """Regression: the geometric mean of fragility-oriented values was dominated by a unit's
    *least* fragile indicator (log of a value near 0), so with percentile ranks u0 fell from
    rank 1 to the middle and its rank interval widened to half the peers."""
    matrix, ids = _fragile_but_young()
    framework = _families(matrix.shape[1])
    base = build(framework, Recipe(normalisation=norm), matrix, ids)
    arithmetic = uncertainty(
        base, 200, UncertaintySpec(aggregations=(Aggregation.ARITHMETIC,)), seed=3
    )
    assert arithmetic.rank_p95[0] == 1  # robust under the arithmetic choices
    geometric = build(
        framework, Recipe(normalisation=norm, aggregation=Aggregation.GEOMETRIC), matrix, ids
    )
    assert geometric.overall_rank[0] == 1
    both = uncertainty(base, 200, UncertaintySpec(), seed=3)
    assert both.rank_p95[0] == 1
