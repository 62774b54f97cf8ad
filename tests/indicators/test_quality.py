"""Data-quality rules on small synthetic tables (synthétiques, not real figures): each rule at
its threshold, overseas territories counted apart, France taking the départements' status."""

from __future__ import annotations

import polars as pl
import pytest

from cotera.indicators.quality import (
    DataQuality,
    QualityAssessment,
    QualityReason,
    assess,
    lookup,
)
from cotera.types import Level

# 20 metropolitan départements in 4 régions of 5, plus one overseas département and région
REGIONS = {f"reg:{10 + r}": [f"dep:{10 + 5 * r + i}" for i in range(5)] for r in range(4)}
TERRITORIES = pl.DataFrame(
    [("fr", "fr", False, None)]
    + [(reg, "reg", False, reg) for reg in REGIONS]
    + [(dep, "dep", False, reg) for reg, deps in REGIONS.items() for dep in deps]
    + [("reg:01", "reg", True, "reg:01"), ("dep:971", "dep", True, "reg:01")],
    schema={
        "territory": pl.String,
        "level": pl.String,
        "overseas": pl.Boolean,
        "region": pl.String,
    },
    orient="row",
)
DEPS = [dep for deps in REGIONS.values() for dep in deps]


def _frame(
    values: dict[str, float | None],
    indicator: str = "x",
    year: int = 2013,
    counts: dict[str, tuple[float, float]] | None = None,
) -> pl.DataFrame:
    rows = []
    for territory, value in values.items():
        numerator, denominator = (counts or {}).get(territory, (None, None))
        missing = None if value is not None else "not_published"
        rows.append((indicator, territory, year, value, missing, numerator, denominator, "source"))
    return pl.DataFrame(
        rows,
        schema={
            "indicator": pl.String, "territory": pl.String, "year": pl.Int32,
            "value": pl.Float64, "missing_reason": pl.String, "numerator": pl.Float64,
            "denominator": pl.Float64, "method": pl.String,
        },
        orient="row",
    )  # fmt: skip


def _one(frame: pl.DataFrame, level: Level = Level.DEPARTEMENT) -> QualityAssessment:
    found = lookup(assess(frame, TERRITORIES, {"reg:10": "Région A"}))
    return found[("x", level, 2013)]


def test_a_complete_varied_indicator_is_reliable() -> None:
    found = _one(_frame({dep: 10.0 + i for i, dep in enumerate(DEPS)}))
    assert (found.status, found.reasons) == (DataQuality.RELIABLE, ())
    assert (found.observed, found.metropolitan, found.expected, found.zeros) == (20, 20, 20, 0)
    assert found.status.usable


@pytest.mark.parametrize(
    ("present", "status"), [(18, DataQuality.RELIABLE), (17, DataQuality.PARTIAL_COVERAGE)]
)
def test_coverage_under_90_percent_is_partial(present: int, status: DataQuality) -> None:
    values: dict[str, float | None] = {dep: 1.0 + i for i, dep in enumerate(DEPS[:present])}
    values |= dict.fromkeys(DEPS[present:])  # missing values do not count
    found = _one(_frame(values))
    assert found.status is status
    assert found.coverage == present / 20
    assert (QualityReason.LOW_COVERAGE in found.reasons) is (present < 18)
    assert found.status.usable is (status is DataQuality.RELIABLE)


def test_overseas_values_count_apart_from_coverage() -> None:
    # 17 metropolitan départements + the overseas one: still 17 of 20 metropolitan ones
    values = {dep: 1.0 + i for i, dep in enumerate(DEPS[:17])} | {"dep:971": 3.0}
    found = _one(_frame(values))
    assert (found.observed, found.metropolitan, found.expected) == (18, 17, 20)
    assert found.status is DataQuality.PARTIAL_COVERAGE


@pytest.mark.parametrize(
    ("zeros", "status"), [(9, DataQuality.RELIABLE), (10, DataQuality.NOT_COMPARABLE)]
)
def test_half_the_territories_at_zero_is_not_comparable(zeros: int, status: DataQuality) -> None:
    values = {dep: 0.0 if i < zeros else 1.0 + i for i, dep in enumerate(DEPS)}
    found = _one(_frame(values))
    assert found.status is status
    assert found.zeros == zeros
    assert (QualityReason.MOSTLY_ZEROS in found.reasons) is (zeros >= 10)


def _counts(first_region: float) -> dict[str, tuple[float, float]]:
    """Equal populations (1,000 each); each département of the first région has
    ``first_region`` equipments, every other one 1."""
    return {dep: (first_region if dep in REGIONS["reg:10"] else 1.0, 1000.0) for dep in DEPS}


@pytest.mark.parametrize(
    ("first_region", "status"), [(8.9, DataQuality.RELIABLE), (9.0, DataQuality.NOT_COMPARABLE)]
)
def test_a_region_with_three_times_its_share_is_not_comparable(
    first_region: float, status: DataQuality
) -> None:
    counts = _counts(first_region)
    values = {dep: 10_000 * n / d for dep, (n, d) in counts.items()}
    found = _one(_frame(values, counts=counts))
    # région A holds 25 % of the population and 5f / (5f + 15) of the total: quotient 3 at f = 9
    assert found.region == "reg:10"
    assert found.region_name == "Région A"
    assert found.region_base_share == pytest.approx(0.25)
    assert found.region_share == pytest.approx(5 * first_region / (5 * first_region + 15))
    assert found.quotient == pytest.approx(4 * first_region / (first_region + 3))
    assert found.status is status


def test_a_small_region_does_not_trip_the_concentration_rule() -> None:
    # one overseas département holding 4 % of the total with 0.2 % of the population
    counts = dict.fromkeys(DEPS, (1.0, 1000.0)) | {"dep:971": (0.84, 40.0)}
    values = {dep: 10_000 * n / d for dep, (n, d) in counts.items()}
    found = _one(_frame(values, counts=counts))
    assert found.status is DataQuality.RELIABLE
    assert found.region != "reg:01"


def test_france_takes_the_status_of_the_departements() -> None:
    values = {dep: 0.0 if i < 12 else 1.0 for i, dep in enumerate(DEPS)} | {"fr": 0.4}
    found = lookup(assess(_frame(values), TERRITORIES))
    france = found[("x", Level.COUNTRY, 2013)]
    assert france.status is DataQuality.NOT_COMPARABLE
    assert france.basis is Level.DEPARTEMENT
    assert (france.zeros, france.observed) == (12, 20)
    assert ("x", Level.REGION, 2013) not in found


def test_each_year_is_assessed_on_its_own() -> None:
    frame = pl.concat(
        [
            _frame({dep: 1.0 + i for i, dep in enumerate(DEPS)}, year=2013),
            _frame(dict.fromkeys(DEPS[:3], 1.0), year=2014),
        ]
    )
    found = lookup(assess(frame, TERRITORIES))
    assert found[("x", Level.DEPARTEMENT, 2013)].status is DataQuality.RELIABLE
    assert found[("x", Level.DEPARTEMENT, 2014)].status is DataQuality.PARTIAL_COVERAGE
