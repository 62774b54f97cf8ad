"""``cotera index build`` on the published SVI 2020 county file (via the mirror)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from typer.testing import CliRunner

from cotera.cli.main import app

runner = CliRunner()


def test_svi_preset_reproduces_rpl_themes(mirror: Path, tmp_path: Path) -> None:
    source = mirror / "reference" / "svi2020_us_county.csv"
    out = tmp_path / "svi.csv"
    run = runner.invoke(
        app,
        [
            "index",
            "build",
            str(source),
            "--preset",
            "svi",
            "--out",
            str(out),
            "--uncertainty",
            "40",
            "--seed",
            "1",
        ],
    )
    assert run.exit_code == 0, run.output
    assert "3 143 unités classées" in run.output
    built = pl.read_csv(out, infer_schema_length=0)
    published = pl.read_csv(source, infer_schema_length=0)
    assert built["FIPS"].to_list() == published["FIPS"].to_list()
    assert (
        built["overall__pct"].cast(pl.Float64).to_list()
        == published["RPL_THEMES"].cast(pl.Float64).to_list()
    )
    for f in range(1, 5):
        assert (
            built[f"theme{f}__pct"].cast(pl.Float64).to_list()
            == published[f"RPL_THEME{f}"].cast(pl.Float64).to_list()
        )
    bands = built.select(pl.col("^overall__rank_p..$").cast(pl.Float64))
    assert (bands["overall__rank_p05"] <= bands["overall__rank_p50"]).all()
    assert (bands["overall__rank_p50"] <= bands["overall__rank_p95"]).all()


def test_errors_are_printed_in_french_with_exit_code_1(tmp_path: Path) -> None:
    source = tmp_path / "table.csv"
    source.write_text("FIPS,EP_POV150\n01001,abc\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    run = runner.invoke(app, ["index", "build", str(source), "--preset", "svi", "--out", str(out)])
    assert run.exit_code == 1
    assert "colonnes manquantes" in run.output
    assert "colonne 'EP_UNEMP'" in run.output
    assert not out.exists()
