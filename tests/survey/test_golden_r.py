"""cotera.survey against R survey 4.x reference values (tests/survey/golden, see make_golden.R)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from cotera.survey.design import SurveyDesign, make_design
from cotera.survey.estimation import EstimateTable, mean, proportions
from cotera.survey.raking import parse_margins, rake

GOLDEN = Path(__file__).parent / "golden"
RTOL = 1e-8
# svyciprop(method="logit") goes through svyglm, whose IRLS stops at glm's epsilon = 1e-8:
# it agrees with the closed-form interval (method="xlogit", compared at RTOL) to about 1e-7.
RTOL_GLM = 1e-6


@pytest.fixture(scope="module")
def sample() -> pl.DataFrame:
    return pl.read_csv(GOLDEN / "sample.csv", schema_overrides={"region": pl.Utf8})


@pytest.fixture(scope="module")
def golden() -> pl.DataFrame:
    return pl.read_csv(
        GOLDEN / "golden_estimates.csv",
        comment_prefix="#",
        schema_overrides={"domain": pl.Utf8, "level": pl.Utf8, "by": pl.Utf8},
    ).with_columns(pl.col("by").fill_null(""))


@pytest.fixture(scope="module")
def golden_weights() -> pl.DataFrame:
    return pl.read_csv(GOLDEN / "golden_weights.csv", comment_prefix="#")


def _raked(sample: pl.DataFrame, variables: list[str], base: SurveyDesign) -> SurveyDesign:
    margins = parse_margins(
        pl.read_csv(GOLDEN / "margins.csv", schema_overrides={"level": pl.Utf8})
    )
    chosen = [m for m in margins if m.variable in variables]
    result = rake(sample, chosen, base_weights=sample["w"].to_numpy(), tolerance=1e-13)
    assert result.report.converged
    return make_design(
        result.weights,
        strata=None if base.n_strata == 1 else sample["stratum"].to_numpy(),
        clusters=None if base.psu is None else sample["cluster"].to_numpy(),
        calibration=result.calibration(),
    )


def _design(case: str, sample: pl.DataFrame) -> SurveyDesign:
    w = sample["w"].to_numpy()
    strata = sample["stratum"].to_numpy()
    clusters = sample["cluster"].to_numpy()
    designs = {
        "srs": lambda: make_design(w),
        "strata": lambda: make_design(w, strata=strata),
        "cluster": lambda: make_design(w, clusters=clusters),
        "strata_cluster": lambda: make_design(w, strata=strata, clusters=clusters),
        "raked": lambda: _raked(sample, ["sex", "age_band", "region"], make_design(w)),
        "raked_strata_cluster": lambda: _raked(
            sample,
            ["sex", "age_band", "region"],
            make_design(w, strata=strata, clusters=clusters),
        ),
        "poststratified": lambda: _raked(sample, ["region"], make_design(w)),
    }
    return designs[case]()


CASES = [
    "srs",
    "strata",
    "cluster",
    "strata_cluster",
    "raked",
    "raked_strata_cluster",
    "poststratified",
]
QUERIES = [
    ("mean", "score", ""),
    ("proportion", "impact", ""),
    ("mean", "score", "region"),
    ("proportion", "impact", "region"),
    ("proportion", "innovation", "sex"),
]


def _ours(
    design: SurveyDesign, sample: pl.DataFrame, statistic: str, variable: str, by: str
) -> EstimateTable:
    domains = sample[by].to_numpy() if by else None
    if statistic == "mean":
        return mean(design, sample[variable].to_numpy(), by=domains)
    return proportions(design, sample[variable].to_numpy(), by=domains)


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize(("statistic", "variable", "by"), QUERIES)
def test_matches_r_survey(
    case: str,
    statistic: str,
    variable: str,
    by: str,
    sample: pl.DataFrame,
    golden: pl.DataFrame,
) -> None:
    design = _design(case, sample)
    table = _ours(design, sample, statistic, variable, by)
    expected = golden.filter(
        (pl.col("case") == case)
        & (pl.col("statistic") == statistic)
        & (pl.col("variable") == variable)
        & (pl.col("by") == by)
    )
    assert expected.height > 0
    for row in expected.iter_rows(named=True):
        got = table.get(row["domain"], row["level"])
        for name in ("estimate", "se", "ci_low", "ci_high", "deff"):
            np.testing.assert_allclose(
                getattr(got, name), row[name], rtol=RTOL, err_msg=f"{case} {row} {name}"
            )
        np.testing.assert_allclose(got.ci_low, row["ci_low_logit"], rtol=RTOL_GLM)
        np.testing.assert_allclose(got.ci_high, row["ci_high_logit"], rtol=RTOL_GLM)
        assert got.df == row["df"]


@pytest.mark.parametrize("case", ["raked", "raked_strata_cluster", "poststratified"])
def test_raked_weights_match_r(
    case: str, sample: pl.DataFrame, golden_weights: pl.DataFrame
) -> None:
    design = _design(case, sample)
    np.testing.assert_allclose(design.weights, golden_weights[case].to_numpy(), rtol=RTOL)
