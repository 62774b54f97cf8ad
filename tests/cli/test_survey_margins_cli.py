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


def test_errors_in_french(mirror: Path, tmp_path: Path) -> None:
    env = {"COTERA_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "200"}
    run = runner.invoke(app, ["survey", "margins", "dep:971", "--mirror", str(mirror)], env=env)
    assert run.exit_code == 1
    assert "fournissez vos marges" in run.output
    run = runner.invoke(app, ["survey", "margins", "fr"], env=env)
    assert run.exit_code == 1
    assert "COTERA_DATA_MIRROR" in run.output
