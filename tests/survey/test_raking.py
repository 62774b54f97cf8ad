"""Raking: convergence, bounds, poststratification, errors."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from cotera.errors import ValidationError
from cotera.survey.design import effective_n, kish_deff
from cotera.survey.raking import Margin, parse_margins, poststratify, rake


def _margins(rows: list[tuple[str, str, float]]) -> tuple[Margin, ...]:
    return parse_margins(pl.DataFrame(rows, schema=["variable", "level", "total"], orient="row"))


@pytest.fixture
def sample() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(3)
    n = 2000
    return {
        "sex": rng.choice(["F", "M"], n, p=[0.4, 0.6]),
        "age": rng.choice(["a", "b", "c"], n, p=[0.5, 0.3, 0.2]),
    }


MARGINS = [
    ("sex", "F", 520.0),
    ("sex", "M", 480.0),
    ("age", "a", 300.0),
    ("age", "b", 300.0),
    ("age", "c", 400.0),
]


def test_rake_reaches_every_margin(sample: dict[str, np.ndarray]) -> None:
    result = rake(sample, _margins(MARGINS))
    assert result.report.converged
    assert result.report.max_relative_error <= 1e-8
    for variable, level, total in MARGINS:
        got = result.weights[sample[variable] == level].sum()
        assert got == pytest.approx(total, rel=1e-8)
    assert result.report.kish_deff == pytest.approx(kish_deff(result.weights))
    assert result.report.effective_n == pytest.approx(effective_n(result.weights))


def test_poststratification_is_exact_after_one_iteration(sample: dict[str, np.ndarray]) -> None:
    margin = _margins(MARGINS[:2])[0]
    result = poststratify(sample, margin)
    assert result.report.iterations == 1
    female = sample["sex"] == "F"
    # every row of a poststratum gets the same weight N_h / n_h
    assert np.allclose(result.weights[female], 520.0 / female.sum())


def test_bounds_limit_the_weight_ratio(sample: dict[str, np.ndarray]) -> None:
    base = np.full(sample["sex"].size, 0.5)
    result = rake(sample, _margins(MARGINS), base_weights=base, bounds=(0.3, 1.2))
    ratio = result.weights / base
    assert ratio.min() >= 0.3 - 1e-12
    assert ratio.max() <= 1.2 + 1e-12
    assert not result.report.converged  # these bounds make the margins unreachable
    assert result.report.n_at_bounds > 0
    explanation = result.report.explanation()
    assert "trop serrées" in explanation
    assert f"{result.report.max_relative_error:.3g}" in explanation


def test_bounds_apply_to_base_weights_scaled_to_the_population_total(
    sample: dict[str, np.ndarray],
) -> None:
    # population totals (millions) and initial weights of 1: g = w / d with d = 1 · N / n
    population = [(v, level, total * 10_000) for v, level, total in MARGINS]
    result = rake(sample, _margins(population), bounds=(0.3, 3.0))
    assert result.report.converged, result.report.explanation()
    assert result.report.explanation() == ""
    n = sample["sex"].size
    assert result.report.base_scale == pytest.approx(1e7 / n)
    g = result.weights / result.report.base_scale
    assert g.min() >= 0.3 - 1e-12
    assert g.max() <= 3.0 + 1e-12
    for variable, level, total in population:
        assert result.weights[sample[variable] == level].sum() == pytest.approx(total, rel=1e-8)
    unbounded = rake(sample, _margins(population))
    assert np.allclose(result.weights, unbounded.weights)  # these bounds never bind


def test_every_problem_is_reported(sample: dict[str, np.ndarray]) -> None:
    margins = [
        Margin("sex", ("F",), np.array([520.0])),
        Margin("age", ("a", "b", "d"), np.array([300.0, 300.0, 10.0])),
    ]
    with pytest.raises(ValidationError) as caught:
        rake(sample, margins)
    codes = sorted(p.code for p in caught.value.problems)
    assert codes == [
        "inconsistent-totals",
        "level-absent-from-margins",
        "level-absent-from-margins",
        "level-absent-from-sample",
    ]


def test_margin_table_problems() -> None:
    table = pl.DataFrame(
        {"variable": ["sex", "sex", "sex"], "level": ["F", "F", "M"], "total": ["1", "x", "-2"]}
    )
    with pytest.raises(ValidationError) as caught:
        parse_margins(table, "marges.csv")
    assert [p.row for p in caught.value.problems] == [3, 4]
