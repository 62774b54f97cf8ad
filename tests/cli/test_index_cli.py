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


FRAMEWORK = """
[framework]
name = "Fragilités (synthétique)"
id_column = "code"
[[families]]
code = "eco"
[[families]]
code = "soc"
[[indicators]]
code = "chomage"
family = "eco"
[[indicators]]
code = "revenu"
family = "eco"
direction = "-"
[[indicators]]
code = "pauvrete"
family = "soc"
"""


def test_sensitivity_is_printed_and_written(tmp_path: Path) -> None:
    framework = tmp_path / "cadre.toml"
    framework.write_text(FRAMEWORK, encoding="utf-8")
    source = tmp_path / "table.csv"
    rows = [f"{i:02d},{(7 * i) % 11},{(5 * i) % 13},{(3 * i) % 7}" for i in range(30)]
    source.write_text("code,chomage,revenu,pauvrete\n" + "\n".join(rows) + "\n", "utf-8")
    indices = tmp_path / "sensibilite.csv"
    args = ["index", "build", str(source), "--framework", str(framework)]
    args += ["--out", str(tmp_path / "indice.csv"), "--sensitivity", "300", "--seed", "5"]
    run = runner.invoke(app, [*args, "--sensitivity-out", str(indices)])
    assert run.exit_code == 0, run.output
    assert "Sensibilité du rang global" in run.output
    frame = pl.read_csv(indices)
    assert frame["label_fr"].to_list() == [
        "normalisation",
        "agrégation",
        "poids",
        "indicateur omis",
    ]
    dominant = frame.sort("total", descending=True)["factor"][0]
    choice = {
        "normalisation": "Le choix de la normalisation",
        "aggregation": "Le choix de l'agrégation",
        "weights": "Le choix des poids",
        "dropped_indicator": "Le choix de l'indicateur omis",
    }[dominant]
    assert f"{choice} explique" in run.output
    assert "de la variance des rangs" in run.output


def test_a_unit_missing_one_indicator_keeps_its_other_values(tmp_path: Path) -> None:
    """Synthetic table, SVI rule (per_indicator): unit 03 misses pauvrete (family soc), so it
    keeps its eco values, has no soc or overall value, and the summary counts it apart."""
    framework = tmp_path / "cadre.toml"
    framework.write_text('[recipe]\nmissing = "per_indicator"\n' + FRAMEWORK, encoding="utf-8")
    source = tmp_path / "table.csv"
    source.write_text(
        "code,chomage,revenu,pauvrete\n01,7,30,12\n02,9,20,16\n03,6,20,\n04,11,10,19\n", "utf-8"
    )
    out = tmp_path / "indice.csv"
    args = ["index", "build", str(source), "--framework", str(framework), "--out", str(out)]
    run = runner.invoke(app, [*args, "--uncertainty", "20", "--seed", "1"])
    assert run.exit_code == 0, run.output
    assert "3 unités classées sur 4, 1 sans rang global" in run.output
    row = pl.read_csv(out, infer_schema_length=0).row(2, named=True)
    # chomage over four units: 6 is the lowest → 0; revenu 20 (tied with 02) under negate → 1/3
    assert (row["chomage__norm"], row["revenu__norm"]) == ("0.0", "0.3333333333333333")
    assert row["eco__score"] is not None
    assert row["pauvrete__norm"] is None
    assert row["soc__pct"] is None
    assert row["overall__rank"] is None
    assert row["overall__rank_p50"] is None
