"""Normalisation: definitions checked by hand and against scipy, plus hypothesis properties."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy import stats

from cotera.index.normalise import (
    distance_to_reference,
    min_max,
    normalise,
    percent_rank,
    rank,
    winsorise,
    z_score,
)
from cotera.index.recipe import Normalisation, TieRule

integers = arrays(np.int64, st.integers(2, 60), elements=st.integers(-1000, 1000)).map(
    lambda a: a.astype(np.float64)
)
distinct = arrays(np.int64, st.integers(2, 60), elements=st.integers(-1000, 1000), unique=True).map(
    lambda a: a.astype(np.float64)
)

INCREASING = [
    lambda x: 3.0 * x + 7.0,
    lambda x: x**3,
    lambda x: np.exp(x / 1000.0),
    lambda x: np.arctan(x / 100.0),
]


def test_percent_rank_is_excel_percentrank_inc() -> None:
    # PERCENTRANK.INC({1,2,2,4}, x): 0, 1/3, 1/3, 1 (hand computed)
    np.testing.assert_allclose(percent_rank(np.array([2.0, 1.0, 4.0, 2.0])), [1 / 3, 0, 1, 1 / 3])


def test_percent_rank_skips_missing() -> None:
    out = percent_rank(np.array([3.0, np.nan, 1.0, 2.0]))
    np.testing.assert_allclose(out, [1.0, np.nan, 0.0, 0.5])


def test_min_max_z_score_and_reference_by_definition() -> None:
    x = np.array([1.0, 2.0, 4.0])
    np.testing.assert_allclose(min_max(x), [0.0, 1 / 3, 1.0])
    np.testing.assert_allclose(z_score(x), stats.zscore(x, ddof=1))
    np.testing.assert_allclose(distance_to_reference(x, 2.0), [-0.5, 0.0, 1.0])
    np.testing.assert_array_equal(min_max(np.array([5.0, 5.0])), [0.0, 0.0])
    with pytest.raises(ValueError, match="non-zero"):
        distance_to_reference(x, 0.0)


def test_normalise_needs_references_for_distance() -> None:
    with pytest.raises(ValueError, match="reference"):
        normalise(np.ones((3, 1)), Normalisation.DISTANCE_TO_REFERENCE)


def test_winsorise_clips_tails() -> None:
    column = np.arange(101, dtype=np.float64)[:, None]
    clipped = winsorise(column, 0.05)
    assert clipped.min() == 5.0
    assert clipped.max() == 95.0


@given(integers)
def test_ties_get_the_lowest_rank(x: np.ndarray) -> None:
    np.testing.assert_array_equal(rank(x), stats.rankdata(x, method="min"))
    expected = (stats.rankdata(x, method="min") - 1) / (len(x) - 1)
    np.testing.assert_allclose(percent_rank(x), expected)


@given(integers)
def test_average_ties_take_the_mid_rank(x: np.ndarray) -> None:
    np.testing.assert_array_equal(rank(x, TieRule.AVERAGE), stats.rankdata(x, method="average"))
    expected = (stats.rankdata(x, method="average") - 1) / (len(x) - 1)
    np.testing.assert_allclose(percent_rank(x, TieRule.AVERAGE), expected)
    # neutral: reversing the order maps the mid-rank of a block onto the mirrored mid-rank
    np.testing.assert_allclose(rank(-x, TieRule.AVERAGE), len(x) + 1 - rank(x, TieRule.AVERAGE))


def test_a_block_of_ties_sits_in_its_middle() -> None:
    # three zeros among five values span ranks 1 to 3: mid-rank 2 (LOWEST: 1), NaN not counted
    x = np.array([0.0, 5.0, 0.0, np.nan, 0.0, 7.0])
    np.testing.assert_array_equal(rank(x, TieRule.AVERAGE), [2, 4, 2, np.nan, 2, 5])
    np.testing.assert_array_equal(rank(x), [1, 4, 1, np.nan, 1, 5])
    np.testing.assert_allclose(
        percent_rank(x, TieRule.AVERAGE), [0.25, 0.75, 0.25, np.nan, 0.25, 1]
    )
    normalised = normalise(x[:, None], Normalisation.PERCENT_RANK, ties=TieRule.AVERAGE)
    np.testing.assert_allclose(normalised[:, 0], percent_rank(x, TieRule.AVERAGE))


@given(integers, st.sampled_from(INCREASING))
def test_percent_rank_invariant_under_increasing_transforms(x: np.ndarray, f: object) -> None:
    assert callable(f)
    np.testing.assert_array_equal(percent_rank(x), percent_rank(f(x)))


@given(distinct)
def test_flipping_direction_reverses_percent_ranks(x: np.ndarray) -> None:
    np.testing.assert_allclose(percent_rank(-x), 1.0 - percent_rank(x), atol=1e-12)
    np.testing.assert_array_equal(rank(-x), len(x) + 1 - rank(x))
