"""The engine: stages, missing policies, directions, rebuild (synthétique data only)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy import stats

from cotera.errors import ValidationError
from cotera.index.engine import IndexResult, build, rebuild
from cotera.index.framework import Family, Framework, Indicator
from cotera.index.recipe import (
    Aggregation,
    Inversion,
    MissingPolicy,
    Normalisation,
    Recipe,
    Rounding,
    TieRule,
    Weighting,
)
from cotera.types import Direction

FRAMEWORK = Framework(
    "synthétique",
    "id",
    (Family("a"), Family("b")),
    (
        Indicator("x", "a"),
        Indicator("y", "a", Direction.HIGHER_IS_LESS_FRAGILE),
        Indicator("z", "b"),
    ),
)
IDS = ("u1", "u2", "u3", "u4")
MATRIX = np.array([[1.0, 10.0, 5.0], [2.0, 20.0, 6.0], [3.0, 30.0, 7.0], [4.0, 40.0, 9.0]])


def _equal(a: IndexResult, b: IndexResult) -> None:
    for name in (
        "normalised",
        "percentiles",
        "flags",
        "family_scores",
        "family_pcts",
        "overall_score",
        "overall_pct",
        "overall_rank",
    ):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    assert a.coverage == b.coverage
    assert a.recipe == b.recipe


def test_percent_rank_stages_by_hand() -> None:
    result = build(FRAMEWORK, Recipe(), MATRIX, IDS)
    third = 1 / 3
    np.testing.assert_allclose(result.normalised[:, 0], [0, third, 2 * third, 1])
    np.testing.assert_allclose(result.normalised[:, 1], [1, 2 * third, third, 0])  # direction −
    np.testing.assert_allclose(result.family_scores[:, 0], [0.5, 0.5, 0.5, 0.5])
    np.testing.assert_array_equal(result.family_pcts[:, 0], [0, 0, 0, 0])  # ties: lowest
    np.testing.assert_allclose(
        result.overall_score, [1 / 3, 1 / 3 + third / 3, 0.5 + 1 / 18, 2 / 3]
    )
    np.testing.assert_array_equal(result.overall_rank, [4, 3, 2, 1])
    np.testing.assert_array_equal(result.flags[:, 2], [False, False, False, True])
    np.testing.assert_array_equal(result.family_flags[:, 0], [1, 0, 0, 1])
    np.testing.assert_allclose(result.contributions().sum(axis=1)[1:], 1.0)


def test_geometric_is_the_complement_of_the_gmean_on_the_1_100_scale() -> None:
    """Independent computation: each min–max column put on [1, 100] with 100 = least fragile
    by hand, weighted geometric mean by scipy, score = 101 − mean."""
    recipe = Recipe(normalisation=Normalisation.MIN_MAX, aggregation=Aggregation.GEOMETRIC)
    result = build(FRAMEWORK, recipe, MATRIX, IDS)
    oriented = np.array([[0, 3, 0], [1, 2, 1], [2, 1, 2], [3, 0, 4]]) / np.array([3, 3, 4])
    scale = 100.0 - 99.0 * oriented
    overall = [101.0 - stats.gmean(row) for row in scale]
    family_a = [101.0 - stats.gmean(row) for row in scale[:, :2]]
    np.testing.assert_allclose(result.overall_score, overall)
    np.testing.assert_allclose(result.family_scores[:, 0], family_a)
    np.testing.assert_allclose(result.family_scores[:, 1], 1.0 + 99.0 * oriented[:, 2])
    np.testing.assert_array_equal(result.overall_rank, [2, 4, 3, 1])
    shares = result.contributions()
    np.testing.assert_allclose(shares.sum(axis=1), 1.0)
    np.testing.assert_allclose(shares[0], [0, 1, 0])  # u1 is fragile on y only


def test_arrays_are_read_only() -> None:
    result = build(FRAMEWORK, Recipe(), MATRIX, IDS)
    with pytest.raises(ValueError, match="read-only"):
        result.overall_score[0] = 1.0


@pytest.mark.parametrize(
    ("policy", "included", "imputed", "ignored"),
    [
        (MissingPolicy.DROP_UNIT, [True, False, True, True], 0, 0),
        (MissingPolicy.MEAN_IMPUTE, [True, True, True, True], 1, 0),
        (MissingPolicy.IGNORE_INDICATOR, [True, True, True, True], 0, 1),
    ],
)
def test_missing_policies_and_coverage(
    policy: MissingPolicy, included: list[bool], imputed: int, ignored: int
) -> None:
    holed = MATRIX.copy()
    holed[1, 0] = np.nan
    result = build(FRAMEWORK, Recipe(missing=policy), holed, IDS)
    assert list(result.included) == included
    assert result.coverage.imputed_cells == imputed
    assert result.coverage.ignored_cells == ignored
    assert result.coverage.indicators[0].missing == 1
    assert result.coverage.indicators[0].share == 0.75
    if policy is MissingPolicy.MEAN_IMPUTE:
        assert result.prepared[1, 0] == pytest.approx((1 + 3 + 4) / 3)
    if policy is MissingPolicy.IGNORE_INDICATOR:
        # unit u2 is scored on y alone in family a
        assert result.family_scores[1, 0] == result.normalised[1, 1]


def test_sentinel_is_missing() -> None:
    framework = Framework("s", "id", FRAMEWORK.families, FRAMEWORK.indicators, missing_value=-999)
    holed = MATRIX.copy()
    holed[2, 2] = -999
    result = build(framework, Recipe(), holed, IDS)
    assert result.coverage.dropped_units == ("u3",)
    assert np.isnan(result.overall_rank[2])
    assert list(result.overall_rank[[0, 1, 3]]) == [3, 2, 1]


def test_distance_to_reference_uses_a_reference_unit() -> None:
    recipe = Recipe(normalisation=Normalisation.DISTANCE_TO_REFERENCE, reference_unit="u2")
    result = build(FRAMEWORK, recipe, MATRIX, IDS)
    np.testing.assert_allclose(result.normalised[:, 0], [-0.5, 0.0, 0.5, 1.0])
    np.testing.assert_allclose(result.normalised[:, 1], [0.5, 0.0, -0.5, -1.0])
    with pytest.raises(ValidationError, match="référence"):
        build(FRAMEWORK, Recipe(normalisation=Normalisation.DISTANCE_TO_REFERENCE), MATRIX, IDS)


def test_bad_inputs_are_reported_together() -> None:
    with pytest.raises(ValidationError) as caught:
        build(FRAMEWORK, Recipe(), MATRIX[:, :2], ("u1", "u1", "u2", "u3"))
    assert [p.code for p in caught.value.problems] == ["index.shape", "index.duplicate_id"]


recipes = st.builds(
    Recipe,
    missing=st.sampled_from(list(MissingPolicy)),
    normalisation=st.sampled_from(
        [n for n in Normalisation if n is not Normalisation.DISTANCE_TO_REFERENCE]
    ),
    weighting=st.sampled_from(list(Weighting)),
    aggregation=st.sampled_from(list(Aggregation)),
    winsorise=st.sampled_from([None, 0.1]),
    decimals=st.sampled_from([None, 4]),
    inversion=st.sampled_from(list(Inversion)),
    rounding=st.sampled_from(list(Rounding)),
    ties=st.sampled_from(list(TieRule)),
)
cells = st.one_of(st.floats(-50, 50), st.just(np.nan))


@settings(max_examples=25, deadline=None)
@given(recipes, arrays(np.float64, st.tuples(st.integers(3, 12), st.just(3)), elements=cells))
def test_recipe_rebuilds_the_same_result(recipe: Recipe, matrix: np.ndarray) -> None:
    ids = [f"u{i}" for i in range(matrix.shape[0])]
    first = build(FRAMEWORK, recipe, matrix, ids)
    _equal(first, rebuild(first))
    _equal(first, build(FRAMEWORK, Recipe.from_mapping(recipe.to_mapping()), matrix, ids))


@settings(max_examples=20, deadline=None)
@given(arrays(np.int64, st.integers(3, 30), elements=st.integers(-500, 500), unique=True))
def test_flipping_the_direction_reverses_the_ranks(values: np.ndarray) -> None:
    single = Framework("s", "id", (Family("a"),), (Indicator("x", "a"),))
    flipped = single.with_directions({"x": Direction.HIGHER_IS_LESS_FRAGILE})
    ids = [str(i) for i in range(len(values))]
    matrix = values.astype(np.float64)[:, None]
    for normalisation in (Normalisation.PERCENT_RANK, Normalisation.MIN_MAX, Normalisation.Z_SCORE):
        recipe = Recipe(normalisation=normalisation)
        up = build(single, recipe, matrix, ids)
        down = build(flipped, recipe, matrix, ids)
        np.testing.assert_array_equal(down.overall_rank, len(values) + 1 - up.overall_rank)


def test_average_ties_make_rank_and_percentile_agree() -> None:
    # one indicator, lower = more fragile; three units tied at 0 (the most fragile value)
    single = Framework(
        "s", "id", (Family("a"),), (Indicator("x", "a", Direction.HIGHER_IS_LESS_FRAGILE),)
    )
    matrix = np.array([[0.0], [3.0], [0.0], [0.0], [1.0], [2.0]])
    ids = [f"u{i}" for i in range(6)]
    lowest = build(single, Recipe(), matrix, ids)
    # LOWEST (PERCENTRANK.INC): the block takes rank 1 from the top but percentile 0.6 from
    # the bottom — the contradiction of the EPCI portrait (issue 9)
    assert list(lowest.overall_rank[[0, 2, 3]]) == [1, 1, 1]
    np.testing.assert_allclose(lowest.overall_pct[[0, 2, 3]], 0.6)
    average = build(single, Recipe(ties=TieRule.AVERAGE), matrix, ids)
    np.testing.assert_array_equal(average.overall_rank, [2, 6, 2, 2, 4, 5])
    n = len(ids)
    np.testing.assert_allclose(average.overall_pct, (n - average.overall_rank) / (n - 1))
