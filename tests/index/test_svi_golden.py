"""Golden test: the CDC/ATSDR SVI 2020 county file, reproduced from its own inputs.

Provenance of the expected values: the published ``svi2020_us_county.csv`` (CDC/ATSDR, via
andrewdtu/CDI-SVI-visualization, see data/SOURCES.md "reference/"), read through the mirror.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from cotera.index.engine import IndexResult, build
from cotera.index.presets import SVI_2020_RECIPE, Preset, preset_framework
from cotera.index.recipe import MissingPolicy

VARIABLES = [
    ["POV150", "UNEMP", "HBURD", "NOHSDP", "UNINSUR"],
    ["AGE65", "AGE17", "DISABL", "SNGPNT", "LIMENG"],
    ["MINRTY"],
    ["MUNIT", "MOBILE", "CROWD", "NOVEH", "GROUPQ"],
]


@pytest.fixture(scope="module")
def published(mirror: Path) -> pl.DataFrame:
    return pl.read_csv(mirror / "reference" / "svi2020_us_county.csv", infer_schema_length=0)


@pytest.fixture(scope="module")
def result(published: pl.DataFrame) -> IndexResult:
    framework = preset_framework(Preset.SVI)
    return build(framework, SVI_2020_RECIPE, _matrix(published), published["FIPS"].to_list())


def _col(published: pl.DataFrame, name: str) -> np.ndarray:
    return published[name].cast(pl.Float64).to_numpy()


def test_every_county_is_ranked(result: IndexResult) -> None:
    assert len(result.unit_ids) == 3143
    assert result.coverage.n_included == 3143


def test_variable_percentile_ranks_equal_published(
    result: IndexResult, published: pl.DataFrame
) -> None:
    for j, code in enumerate(result.framework.indicator_codes):
        np.testing.assert_array_equal(result.normalised[:, j], _col(published, f"EPL_{code}"))


def test_theme_sums_and_ranks_equal_published(result: IndexResult, published: pl.DataFrame) -> None:
    for f in range(4):
        np.testing.assert_array_equal(
            result.family_scores[:, f], _col(published, f"SPL_THEME{f + 1}")
        )
        np.testing.assert_array_equal(
            result.family_pcts[:, f], _col(published, f"RPL_THEME{f + 1}")
        )


def test_overall_sum_and_rank_equal_published(result: IndexResult, published: pl.DataFrame) -> None:
    np.testing.assert_array_equal(result.overall_score, _col(published, "SPL_THEMES"))
    np.testing.assert_array_equal(result.overall_pct, _col(published, "RPL_THEMES"))


def test_flags_equal_published(result: IndexResult, published: pl.DataFrame) -> None:
    # The published file sets every flag of one county (11001, District of Columbia) to -999
    # although its inputs and percentiles are complete; every other county must match.
    total = _col(published, "F_TOTAL")
    assert published.filter(pl.col("F_TOTAL") == "-999")["FIPS"].to_list() == ["11001"]
    rows = total != -999
    codes = result.framework.indicator_codes
    for f, variables in enumerate(VARIABLES):
        for name in variables:
            j = codes.index(name)
            np.testing.assert_array_equal(result.flags[rows, j], _col(published, f"F_{name}")[rows])
        np.testing.assert_array_equal(
            result.family_flags[rows, f], _col(published, f"F_THEME{f + 1}")[rows]
        )
    np.testing.assert_array_equal(result.family_flags[rows].sum(axis=1), total[rows])


def _matrix(published: pl.DataFrame) -> np.ndarray:
    framework = preset_framework(Preset.SVI)
    return np.column_stack(
        [published[i.source_column].cast(pl.Float64).to_numpy() for i in framework.indicators]
    )


def test_a_missing_variable_leaves_the_other_ranks_alone(
    published: pl.DataFrame, result: IndexResult
) -> None:
    """The SVI rule: county 10 without NOHSDP (theme 1) is ranked on everything else, the other
    counties' NOHSDP ranks are taken over the 3,142 counties that have it."""
    framework = preset_framework(Preset.SVI)
    matrix, ids = _matrix(published), published["FIPS"].to_list()
    holed = matrix.copy()
    holed[10, 3] = -999.0
    built = build(framework, SVI_2020_RECIPE, holed, ids)
    assert built.coverage.partial_units == (ids[10],)
    assert built.coverage.dropped_units == ()
    assert np.isnan(built.normalised[10, 3])
    assert np.isnan(built.family_pcts[10, 0])
    assert np.isnan(built.overall_pct[10])
    assert np.isnan(built.overall_rank[10])
    others = [j for j in range(16) if j != 3]
    np.testing.assert_array_equal(built.normalised[:, others], result.normalised[:, others])
    np.testing.assert_array_equal(built.family_pcts[:, 1:], result.family_pcts[:, 1:])
    without = np.delete(matrix[:, 3], 10)
    ranks = (without[:, None] > without[None, :]).sum(axis=1)  # lower values, ties lowest
    np.testing.assert_array_equal(
        np.delete(built.normalised[:, 3], 10), np.round(ranks / (len(without) - 1), 4)
    )


def test_drop_unit_still_drops_the_county_from_every_rank(published: pl.DataFrame) -> None:
    framework = preset_framework(Preset.SVI)
    recipe = replace(SVI_2020_RECIPE, missing=MissingPolicy.DROP_UNIT)
    matrix, ids = _matrix(published), published["FIPS"].to_list()
    holed = matrix.copy()
    holed[10, 3] = -999.0
    result = build(framework, recipe, holed, ids)
    without = build(framework, recipe, np.delete(matrix, 10, axis=0), ids[:10] + ids[11:])
    assert result.coverage.dropped_units == (ids[10],)
    assert np.isnan(result.overall_pct[10])
    assert np.isnan(result.normalised[10]).all()
    np.testing.assert_array_equal(np.delete(result.overall_pct, 10), without.overall_pct)
