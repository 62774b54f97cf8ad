"""Cross-reading of the prisms and differences between independent samples."""

from __future__ import annotations

import math

import numpy as np
import pytest

from cotera.survey.crossread import Agreement, PerceivedScore, cross_read
from cotera.survey.design import make_design
from cotera.survey.difference import compare
from cotera.survey.estimation import proportions


def _score(p: float, se: float = 0.01, hidden: bool = False) -> PerceivedScore:
    return PerceivedScore(p, se, p - 2 * se, p + 2 * se, 1000, hidden)


def test_shared_priority_divergence_and_gap() -> None:
    scores = {
        "citizens": {
            "F01": _score(0.49),
            "F02": _score(0.46),
            "F05": _score(0.20),
            "F09": _score(0.30),
        },
        "companies": {
            "F01": _score(0.55),
            "F02": _score(0.40),
            "F05": _score(0.21),
            "F09": _score(0.10),
        },
        "associations": {
            "F01": _score(0.50),
            "F02": _score(0.20),
            "F05": _score(0.45),
            "F09": _score(0.11),
        },
    }
    reading = cross_read(scores, {"F01": 0.9, "F02": 0.5, "F05": 0.1}, priorities=2)
    assert reading.shared == ("F01",)
    by_code = {r.fragility: r for r in reading.readings}
    assert by_code["F02"].agreement is Agreement.DIVERGENT
    assert by_code["F02"].divergence is not None
    assert by_code["F02"].divergence[:2] == ("citizens", "associations")
    # F01 has the highest mean perceived score: perceived percentile 1, objective 0.9
    assert by_code["F01"].perceived_percentile == 1.0
    assert by_code["F01"].gap == pytest.approx(0.1)
    assert by_code["F09"].gap is None


def test_fragility_without_any_published_score_has_no_percentile_nor_gap() -> None:
    unanswered = PerceivedScore(math.nan, math.nan, math.nan, math.nan, 0, False)
    scores = {
        "citizens": {"F01": _score(0.5), "F02": unanswered},
        "companies": {"F01": _score(0.4), "F02": _score(0.9, hidden=True)},
    }
    reading = cross_read(scores, {"F01": 0.2, "F02": 0.8}, priorities=1)
    by_code = {r.fragility: r for r in reading.readings}
    assert by_code["F02"].perceived_percentile is None
    assert by_code["F02"].gap is None
    assert by_code["F02"].priority_for == ()
    assert by_code["F01"].priority_for == ("citizens", "companies")
    assert by_code["F01"].gap is not None


def test_differences_within_sampling_error_are_not_divergent() -> None:
    scores = {
        "citizens": {"F01": _score(0.49, se=0.05)},
        "companies": {"F01": _score(0.40, se=0.05)},
    }
    reading = cross_read(scores, priorities=1)
    assert reading.readings[0].agreement is Agreement.SHARED_PRIORITY
    assert reading.readings[0].divergence is None
    hidden = cross_read(
        {"citizens": {"F01": _score(0.4)}, "companies": {"F01": _score(0.1, hidden=True)}}
    )
    assert hidden.readings[0].agreement is Agreement.CONSISTENT


def test_compare_independent_samples() -> None:
    rng = np.random.default_rng(0)
    a = rng.integers(0, 2, 400)
    b = rng.integers(0, 2, 300)
    first = proportions(make_design(np.ones(a.size)), a)
    second = proportions(make_design(np.ones(b.size)), b)
    diff = {d.level: d for d in compare(first, second)}["1"]
    p1, p2 = a.mean(), b.mean()
    assert diff.difference == pytest.approx(p2 - p1)
    # with-replacement variances of two independent simple random samples add up
    expected = math.sqrt(p1 * (1 - p1) / (a.size - 1) + p2 * (1 - p2) / (b.size - 1))
    assert diff.se == pytest.approx(expected)
    assert diff.ci_low < diff.difference < diff.ci_high


def test_single_prism_never_makes_a_shared_priority() -> None:
    scores = {"citizens": {"F01": _score(0.6), "F02": _score(0.5), "F05": _score(0.1)}}
    reading = cross_read(scores, priorities=2)
    assert reading.shared == ()
    assert {r.agreement for r in reading.readings} == {Agreement.CONSISTENT}
    # the priorities are still reported for the one prism
    assert {r.fragility for r in reading.readings if r.priority_for} == {"F01", "F02"}
