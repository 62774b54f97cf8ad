"""Census counts → citizen margins on the questionnaire's levels (hand-computed expectations)."""

from __future__ import annotations

import tomllib
from importlib import resources
from typing import Any

import numpy as np
import pytest

from cotera.errors import ConfigurationError, ValidationError
from cotera.survey.census import (
    AgeBand,
    Approximation,
    CensusCounts,
    citizen_margins,
)
from cotera.survey.questionnaire import parse_questionnaire, phare_questionnaire
from cotera.survey.raking import rake
from cotera.survey.synthetic import generate

CENSUS_BANDS = tuple(
    AgeBand(lo, hi)
    for lo, hi in ((0, 14), (15, 29), (30, 44), (45, 59), (60, 74), (75, 89), (90, None))
)
# Hand-made census of a small town (men, women), all ages; the CSP rows (15+) add up to
# each sex's 15+ count: men 15+ = 1500 + 1200 + 1300 + 900 + 400 + 50 = 5350,
# women 15+ = 1450 + 1250 + 1350 + 1000 + 600 + 150 = 5800.
BY_SEX_AGE = np.array(
    [
        [1600.0, 1500.0, 1200.0, 1300.0, 900.0, 400.0, 50.0],
        [1550.0, 1450.0, 1250.0, 1350.0, 1000.0, 600.0, 150.0],
    ]
)
BY_SEX_CSP = np.array(
    [
        [50.0, 300.0, 600.0, 800.0, 500.0, 1200.0, 1100.0, 800.0],
        [20.0, 130.0, 500.0, 900.0, 1500.0, 300.0, 1400.0, 1050.0],
    ]
)


def counts(by_sex_csp: np.ndarray = BY_SEX_CSP) -> CensusCounts:
    return CensusCounts(("M", "F"), CENSUS_BANDS, BY_SEX_AGE, tuple("12345678"), by_sex_csp.copy())


def test_age_band_parse_and_overlap() -> None:
    assert AgeBand.parse("18-29") == AgeBand(18, 29)
    assert AgeBand.parse("75+") == AgeBand(75, None)
    assert str(AgeBand(75, None)) == "75+"
    assert AgeBand(15, 29).overlap(AgeBand(18, 29)) == pytest.approx(12 / 15)
    assert AgeBand(15, 29).overlap(AgeBand(30, 44)) == 0.0
    assert AgeBand(75, 89).overlap(AgeBand(75, None)) == 1.0
    assert AgeBand(90, None).overlap(AgeBand(75, None)) == 1.0
    assert AgeBand(90, None).overlap(AgeBand(60, 74)) == 0.0
    with pytest.raises(ConfigurationError):
        AgeBand(90, None).overlap(AgeBand(95, None))
    for bad in ("18 ans", "29-18", ""):
        with pytest.raises(ConfigurationError):
            AgeBand.parse(bad)


def test_margins_on_packaged_bands() -> None:
    result = citizen_margins(counts(), phare_questionnaire())
    margins = {m.variable: dict(zip(m.levels, m.totals, strict=True)) for m in result.margins}
    minors = 3 / 15 * np.array([1500.0, 1450.0])  # 15-17 by sex
    adults = np.array([5350.0, 5800.0]) - minors
    assert result.adult_age == 18
    assert margins["sex"] == pytest.approx({"M": adults[0], "F": adults[1]}, rel=1e-12)
    assert margins["age_band"] == pytest.approx(
        {
            "18-29": 12 / 15 * (1500 + 1450),
            "30-44": 1200 + 1250,
            "45-59": 1300 + 1350,
            "60-74": 900 + 1000,
            "75+": 400 + 50 + 600 + 150,
        },
        rel=1e-12,
    )
    expected_csp = BY_SEX_CSP.sum(axis=0)
    expected_csp[7] -= minors.sum()
    assert list(margins["csp"].values()) == pytest.approx(list(expected_csp), rel=1e-12)
    totals = [m.total for m in result.margins]
    assert totals == pytest.approx([adults.sum()] * 3, rel=1e-12)
    assert result.approximations == (
        Approximation.AGE_SPLIT,
        Approximation.MINORS_FROM_INACTIVE,
    )
    table = result.table()
    assert table.columns == ["variable", "level", "total"]
    assert table.height == 2 + 5 + 8


def _questionnaire_with_ages(levels: list[str]) -> Any:
    text = resources.files("cotera.survey").joinpath("data/phare.toml").read_text("utf-8")
    raw = tomllib.loads(text)
    scale = next(s for s in raw["scale"] if s["code"] == "age_band")
    scale["levels"] = [{"code": c, "label_fr": c, "label_en": c} for c in levels]
    return parse_questionnaire(raw)


def test_exact_bands_need_no_age_split() -> None:
    result = citizen_margins(counts(), _questionnaire_with_ages(["15-29", "30-59", "60+"]))
    assert result.adult_age == 15
    assert result.approximations == ()
    age = result.margins[1]
    assert list(age.totals) == pytest.approx([2950.0, 5100.0, 3100.0])


@pytest.mark.parametrize(
    "levels",
    [
        ["18-29", "35-44", "45+"],  # gap
        ["18-30", "30-44", "45+"],  # overlap
        ["18-29", "30-44"],  # no open last band
        ["10-29", "30+"],  # adults below the census CSP age
        ["18-29", "30-94", "95+"],  # splits the open census band 90+
    ],
)
def test_unusable_questionnaire_bands(levels: list[str]) -> None:
    with pytest.raises(ConfigurationError):
        citizen_margins(counts(), _questionnaire_with_ages(levels))


def test_inconsistent_counts_report_each_sex() -> None:
    wrong = BY_SEX_CSP.copy()
    wrong[:, 0] += 100.0  # both sexes: CSP total no longer equals the 15+ count
    with pytest.raises(ValidationError) as caught:
        citizen_margins(counts(wrong), phare_questionnaire())
    assert [p.value for p in caught.value.problems] == ["M", "F"]
    short = BY_SEX_CSP.copy()
    short[1, 7], short[1, 6] = 100.0, 2350.0  # fewer women inactive than girls aged 15-17
    with pytest.raises(ValidationError) as caught:
        citizen_margins(counts(short), phare_questionnaire())
    assert [(p.code, p.value) for p in caught.value.problems] == [("negative-count", "F")]


def test_synthetic_sample_rakes_to_census_margins() -> None:
    """Round trip on a synthetic citizens sample (données synthétiques)."""
    result = citizen_margins(counts(), phare_questionnaire())
    sample = generate("citizens", 4000, seed=11)
    raked = rake(sample, result.margins)
    assert raked.report.converged
    assert raked.report.max_relative_error <= 1e-8
    for margin, codes in zip(result.margins, raked.codes, strict=True):
        totals = np.bincount(codes, weights=raked.weights, minlength=len(margin.levels))
        np.testing.assert_allclose(totals, margin.totals, rtol=1e-8)
