"""Survey use cases: estimates from files with raking SEs, secrecy, synthetic label."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from cotera.services.survey import estimate_file, synthesize
from cotera.survey.design import VarianceMethod
from cotera.survey.questionnaire import Prism
from cotera.survey.secrecy import CellStatus, SecrecyRequest

GOLDEN = Path(__file__).parents[1] / "survey" / "golden"


def test_estimate_with_margins_matches_r_raked_design() -> None:
    published = estimate_file(
        GOLDEN / "sample.csv",
        "impact",
        weight="w",
        by="region",
        margins=GOLDEN / "margins.csv",
        secrecy=SecrecyRequest(11),
    )
    assert published.table.variance is VarianceMethod.RAKING
    golden = pl.read_csv(
        GOLDEN / "golden_estimates.csv",
        comment_prefix="#",
        schema_overrides={"domain": pl.Utf8, "level": pl.Utf8},
    )
    expected = golden.filter(
        (pl.col("case") == "raked") & (pl.col("variable") == "impact") & (pl.col("by") == "region")
    )
    assert expected.height == 20
    for row in expected.iter_rows(named=True):
        got = published.table.get(row["domain"], row["level"])
        # the service rakes to its default tolerance (1e-8), R to 1e-13: agree to ~1e-7
        assert got.estimate == pytest.approx(row["estimate"], rel=1e-6)
        assert got.se == pytest.approx(row["se"], rel=1e-6)


def test_secrecy_and_synthetic_label_in_output(tmp_path: Path) -> None:
    path = tmp_path / "assoc.csv"
    synthesize(Prism.ASSOCIATIONS, 1000, 3, path)
    published = estimate_file(
        path, "innovation", weight="weight", by="association_sector", secrecy=SecrecyRequest(120)
    )
    frame = published.frame()
    assert set(frame["note"]) == {"données synthétiques"}
    hidden = frame.filter(pl.col("status") != CellStatus.PUBLISHED.value)
    bases = {r.domain: r.n for r in published.table.rows}
    assert {d for d, n in bases.items() if n < 120} <= set(hidden["domain"])
    assert hidden["domain"].n_unique() != 1
    assert hidden["estimate"].is_null().all()
