"""Synthetic PHARE-like samples reproduce DESIGN.md §2.4 within sampling error."""

from __future__ import annotations

import numpy as np
import pytest

from cotera.survey.design import make_design
from cotera.survey.estimation import proportions
from cotera.survey.synthetic import generate, regional_strong_shares

N = 60_000
Z = 4.0  # |estimate - published| < 4 standard errors


def _check(frame, column: str, level: str, published: float, mask=None) -> None:  # type: ignore[no-untyped-def]
    design = make_design(frame["weight"].to_numpy())
    values = frame[column].to_numpy()
    table = proportions(design, values, missing=None if mask is None else ~mask)
    got = table.get("ensemble", level)
    assert abs(got.estimate - published) < Z * got.se, (column, level, got)


def test_companies_partnership_and_innovation() -> None:
    frame = generate("companies", N, seed=1)
    assert frame["synthetic"].all()
    for level, published in (("has", 0.37), ("intends", 0.05), ("none", 0.58)):
        _check(frame, "partnership", level, published)
    _check(frame, "innovation", "1", 0.81)


def test_associations_and_employer_associations() -> None:
    frame = generate("associations", N, seed=2)
    for level, published in (("has", 0.38), ("intends", 0.38), ("none", 0.24)):
        _check(frame, "partnership", level, published)
    _check(frame, "partnership", "has", 0.53, mask=(frame["employer"] == "1").to_numpy())
    _check(frame, "innovation", "1", 0.86)


def test_citizens_strong_impact() -> None:
    frame = generate("citizens", N, seed=3)
    design = make_design(frame["weight"].to_numpy())
    for column, published in (
        ("impact_F01", 0.49),
        ("impact_F02", 0.46),
        ("impact_F15", 0.42),
        ("impact_F03", 0.40),
    ):
        strong = np.isin(frame[column].to_numpy(), ["3", "4"]).astype(int)
        got = proportions(design, strong).get("ensemble", "1")
        assert abs(got.estimate - published) < Z * got.se, column
    _check(frame, "innovation", "1", 0.69)


def test_regional_variation_follows_fragility_and_keeps_national_mean() -> None:
    percentiles = {"32": {"F01": 0.95}, "53": {"F01": 0.05}}
    shares = regional_strong_shares(percentiles, slope=1.5)
    assert shares["32"]["F01"] > shares["11"]["F01"] > shares["53"]["F01"]
    from cotera.survey.synthetic import REGION_SHARES

    population = np.array(list(REGION_SHARES.values()))
    national = population @ np.array([shares[r]["F01"] for r in REGION_SHARES])
    assert national / population.sum() == pytest.approx(0.49, abs=1e-9)


def test_seeded() -> None:
    assert generate("citizens", 500, seed=7).equals(generate("citizens", 500, seed=7))
    assert not generate("citizens", 500, seed=7).equals(generate("citizens", 500, seed=8))
