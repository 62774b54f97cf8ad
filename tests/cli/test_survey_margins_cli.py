"""``cotera survey margins``: census margins written, then accepted by ``cotera survey rake``."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from cotera.cli.main import app

runner = CliRunner()


def test_margins_then_rake(mirror: Path, tmp_path: Path) -> None:
    env = {"COTERA_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "200"}
    margins = tmp_path / "margins.csv"
    run = runner.invoke(
        app,
        ["survey", "margins", "epci:200000172", "--out", str(margins), "--mirror", str(mirror)],
        env=env,
    )
    assert run.exit_code == 0, run.output
    assert "CC Faucigny - Glières" in run.output
    assert "recensement de la population 2018" in run.output
    assert "18 ans et plus" in run.output
    table = pl.read_csv(margins)
    assert table.columns == ["variable", "level", "total"]
    assert set(table["variable"]) == {"sex", "age_band", "csp"}
    sample, raked = tmp_path / "citizens.csv", tmp_path / "raked.csv"
    synth = ["survey", "synth", "--prism", "citizens", "--n", "3000", "--seed", "2"]
    assert runner.invoke(app, [*synth, "--out", str(sample)], env=env).exit_code == 0
    run = runner.invoke(
        app,
        ["survey", "rake", str(sample), "--margins", str(margins), "--out", str(raked)],
        env=env,
    )
    assert run.exit_code == 0, run.output
    assert pl.read_csv(raked)["weight"].sum() == pytest.approx(table["total"].sum() / 3)
    # agriculteurs are 0.3 % of this EPCI's adults, 1.1 % of the sample: 0.3 cannot reach it
    tight = tmp_path / "tight.csv"
    rake = ["survey", "rake", str(sample), "--margins", str(margins), "--out", str(tight)]
    run = runner.invoke(app, [*rake, "--bounds", "0.3,3"], env=env)
    assert run.exit_code == 1
    said = " ".join(run.output.split())
    assert "les bornes 0.3 – 3" in said
    assert "trop serrées pour ces marges" in said
    assert "écart relatif max. aux marges atteint" in said
    assert not tight.exists()


def test_readme_rake_with_bounds(mirror: Path, tmp_path: Path) -> None:
    """``survey rake … --bounds 0.3,3`` on population margins and initial weights of 1."""
    env = {"COTERA_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "200"}
    margins, sample = tmp_path / "marges.csv", tmp_path / "citoyens.csv"
    run = runner.invoke(
        app,
        ["survey", "margins", "dep:35", "--out", str(margins), "--mirror", str(mirror)],
        env=env,
    )
    assert run.exit_code == 0, run.output
    synth = ["survey", "synth", "--prism", "citizens", "--n", "3000", "--seed", "2"]
    assert runner.invoke(app, [*synth, "--out", str(sample)], env=env).exit_code == 0
    out = tmp_path / "calees.csv"
    rake = ["survey", "rake", str(sample), "--margins", str(margins), "--out", str(out)]
    run = runner.invoke(app, [*rake, "--bounds", "0.3,3"], env=env)
    assert run.exit_code == 0, run.output
    table = pl.read_csv(margins)
    population = table["total"].sum() / table["variable"].n_unique()
    weights = pl.read_csv(out)["weight"]
    assert weights.sum() == pytest.approx(population)
    # bounds on g = w / d, d = 1 scaled to the margins' total
    scale = population / 3000
    assert weights.min() >= 0.3 * scale * (1 - 1e-9)
    assert weights.max() <= 3 * scale * (1 + 1e-9)


def test_errors_in_french(mirror: Path, tmp_path: Path) -> None:
    env = {"COTERA_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "200"}
    run = runner.invoke(app, ["survey", "margins", "dep:971", "--mirror", str(mirror)], env=env)
    assert run.exit_code == 1
    assert "fournissez vos marges" in run.output
    run = runner.invoke(app, ["survey", "margins", "fr"], env=env)
    assert run.exit_code == 1
    assert "COTERA_DATA_MIRROR" in run.output
