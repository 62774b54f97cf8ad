"""Aggregation and weights: bounds, normalisation, the geometric rule (synthétique)."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy import stats

from cotera.index.aggregate import (
    aggregate,
    geometric_bounds,
    geometric_fragility,
    geometric_scale,
)
from cotera.index.framework import Family, Framework, Indicator
from cotera.index.recipe import Aggregation, Weighting
from cotera.index.weights import resolve_weights

positive = st.floats(0.01, 100.0, allow_nan=False)


@st.composite
def matrices_and_weights(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    n = draw(st.integers(1, 20))
    k = draw(st.integers(1, 8))
    values = draw(arrays(np.float64, (n, k), elements=positive))
    weights = draw(arrays(np.float64, k, elements=st.floats(0.01, 10.0)))
    return values, weights


@given(matrices_and_weights(), st.sampled_from([Aggregation.ARITHMETIC, Aggregation.GEOMETRIC]))
def test_aggregation_is_bounded_by_its_inputs(
    data: tuple[np.ndarray, np.ndarray], method: Aggregation
) -> None:
    values, weights = data
    score = aggregate(values, weights, method)
    tolerance = 1e-9 * np.abs(values).max()
    assert np.all(score >= values.min(axis=1) - tolerance)
    assert np.all(score <= values.max(axis=1) + tolerance)


def test_geometric_is_scipy_weighted_gmean() -> None:
    values = np.array([[1.0, 4.0, 2.0], [0.5, 0.5, 8.0]])
    weights = np.array([0.2, 0.3, 0.5])
    expected = [stats.gmean(row, weights=weights) for row in values]
    np.testing.assert_allclose(aggregate(values, weights, Aggregation.GEOMETRIC), expected)


def test_sum_then_rerank_is_the_plain_sum_with_equal_weights() -> None:
    values = np.array([[0.1, 0.2, 0.3], [0.5, np.nan, 0.5]])
    score = aggregate(values, np.full(3, 1 / 3), Aggregation.SUM_THEN_RERANK)
    np.testing.assert_allclose(score, [0.6, 1.5])  # missing cell: mean of the others × 3


def test_rows_without_values_score_nan() -> None:
    values = np.array([[np.nan, np.nan], [1.0, 3.0]])
    np.testing.assert_allclose(
        aggregate(values, np.array([0.5, 0.5]), Aggregation.ARITHMETIC), [np.nan, 2.0]
    )


def test_geometric_scale_maps_each_column_to_1_100_least_fragile_high() -> None:
    matrix = np.array([[0.0, -2.0, 1.0, 0.0], [1.0, 2.0, 3.0, 0.0], [0.5, np.nan, 2.0, 0.0]])
    scaled = geometric_scale(matrix, geometric_bounds(matrix))
    np.testing.assert_allclose(scaled[:, 0], [100.0, 1.0, 50.5])
    np.testing.assert_allclose(scaled[:, 1], [100.0, 1.0, np.nan])
    np.testing.assert_allclose(scaled[:, 2], [100.0, 1.0, 50.5])
    np.testing.assert_allclose(scaled[:, 3], [100.0, 100.0, 100.0])  # constant: least fragile


def test_geometric_fragility_is_bounded_by_the_fragility_scale() -> None:
    """101 − G lies between a row's lowest and highest values of 101 − scale, like a mean."""
    rng = np.random.default_rng(5)
    matrix = rng.normal(size=(50, 6))
    scaled = geometric_scale(matrix, geometric_bounds(matrix))
    score = geometric_fragility(scaled, rng.uniform(0.1, 1.0, 6))
    fragility = 101.0 - scaled
    assert np.all(score >= fragility.min(axis=1) - 1e-9)
    assert np.all(score <= fragility.max(axis=1) + 1e-9)


@st.composite
def frameworks(draw: st.DrawFn) -> Framework:
    n_families = draw(st.integers(1, 4))
    k = draw(st.integers(n_families, 10))
    owner = list(range(n_families)) + draw(
        st.lists(st.integers(0, n_families - 1), min_size=k - n_families, max_size=k - n_families)
    )
    weights = draw(st.lists(st.floats(0.1, 10.0), min_size=k + n_families, max_size=k + n_families))
    families = tuple(Family(f"f{f}", weight=weights[k + f]) for f in range(n_families))
    indicators = tuple(Indicator(f"i{j}", f"f{owner[j]}", weight=weights[j]) for j in range(k))
    return Framework("synthétique", "id", families, indicators)


@given(frameworks(), st.sampled_from(list(Weighting)))
def test_weights_are_normalised(framework: Framework, weighting: Weighting) -> None:
    weights = resolve_weights(framework, weighting)
    family = framework.family_index()
    np.testing.assert_allclose(weights.overall.sum(), 1.0)
    np.testing.assert_allclose(np.bincount(family, weights=weights.within_family), 1.0)
    assert np.all(weights.overall > 0)
    if weighting is Weighting.PER_FAMILY:
        per_family = np.bincount(family, weights=weights.overall)
        np.testing.assert_allclose(per_family, 1.0 / len(framework.families))
    if weighting is Weighting.EQUAL:
        np.testing.assert_allclose(weights.overall, 1.0 / len(framework.indicators))
