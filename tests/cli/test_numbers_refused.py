"""Issue 10 §2: NaN, infinite and absurd numbers are refused wherever a number is read."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from cotera.cli.main import app
from cotera.errors import ValidationError
from cotera.sources.compass_files import example_file
from cotera.survey.raking import Margin, rake

runner = CliRunner()
BAD_NUMBERS = ("NaN", "inf", "-inf", "1e308")


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"COTERA_DATA_DIR": str(tmp_path / "data"), "COTERA_DATABASE_URL": "", "COLUMNS": "200"}


def _wave(tmp_path: Path, bad: str) -> Path:
    synth = tmp_path / "wave.csv"
    args = ["survey", "synth", "--prism", "companies", "--n", "50", "--seed", "2"]
    env = {"COTERA_DATA_DIR": str(tmp_path / "data"), "COTERA_DATABASE_URL": ""}
    assert runner.invoke(app, [*args, "--out", str(synth)], env=env).exit_code == 0
    frame = pl.read_csv(synth, infer_schema=False)
    weights = frame["weight"].to_list()
    weights[3] = bad
    frame.with_columns(pl.Series("weight", weights)).write_csv(synth)
    return synth


@pytest.mark.parametrize("bad", BAD_NUMBERS)
def test_survey_import_refuses_a_non_finite_weight(
    tmp_path: Path, env: dict[str, str], bad: str
) -> None:
    wave = _wave(tmp_path, bad)
    run = runner.invoke(app, ["survey", "import", str(wave)], env=env)
    assert run.exit_code == 1, run.output
    assert "poids invalide" in run.output
    assert "ligne 5" in run.output
    assert "Traceback" not in run.output
    assert "wave" not in runner.invoke(app, ["survey", "list"], env=env).output


@pytest.mark.parametrize("bad", BAD_NUMBERS)
def test_rake_refuses_a_non_finite_base_weight(
    tmp_path: Path, env: dict[str, str], bad: str
) -> None:
    data = tmp_path / "d.csv"
    data.write_text(f"sex,w\nF,1\nM,{bad}\nF,2\n", encoding="utf-8")
    margins = tmp_path / "m.csv"
    margins.write_text("variable,level,total\nsex,F,10\nsex,M,10\n", encoding="utf-8")
    out = tmp_path / "o.csv"
    args = ["survey", "rake", str(data), "--margins", str(margins), "--weight", "w"]
    run = runner.invoke(app, [*args, "--out", str(out)], env=env)
    assert run.exit_code == 1, run.output
    assert "poids invalide" in run.output
    assert "convergé" not in run.output
    assert not out.exists()


def test_the_raking_library_refuses_nan_weights() -> None:
    margin = Margin("sex", ("F", "M"), pl.Series([10.0, 10.0]).to_numpy())
    with pytest.raises(ValidationError, match="poids de base invalides"):
        rake({"sex": ["F", "M"]}, [margin], base_weights=[1.0, float("nan")])


@pytest.mark.parametrize("bad", BAD_NUMBERS)
def test_compass_budget_refuses_non_finite_amounts(tmp_path: Path, bad: str) -> None:
    budget = tmp_path / "budget.csv"
    text = example_file("budget_example.csv").read_text(encoding="utf-8")
    budget.write_text(text.replace("60000", bad, 1), encoding="utf-8")
    args = ["compass", "custom:exemple", "--answers", str(example_file("answers_example.toml"))]
    run = runner.invoke(
        app, [*args, "--budget", str(budget), "--format", "json"],
        env={"COTERA_DATA_DIR": str(tmp_path / "data"), "COTERA_DATABASE_URL": ""},
    )  # fmt: skip
    assert run.exit_code == 1, run.output
    assert "ligne 2, colonne 'montant'" in run.output
    assert "nan €" not in run.output


def test_compass_rates_refuse_nan_and_json_stays_valid(tmp_path: Path) -> None:
    answers = tmp_path / "answers.toml"
    text = example_file("answers_example.toml").read_text(encoding="utf-8")
    answers.write_text(text.replace("taux_benevolat = 20", "taux_benevolat = nan"), "utf-8")
    env = {"COTERA_DATA_DIR": str(tmp_path / "data"), "COTERA_DATABASE_URL": ""}
    budget = ["--budget", str(example_file("budget_example.csv"))]
    run = runner.invoke(app, ["compass", "custom:exemple", "--answers", str(answers), *budget],
                        env=env)  # fmt: skip
    assert run.exit_code == 1, run.output
    assert "taux horaire invalide" in run.output
    args = ["compass", "custom:exemple", "--answers", str(example_file("answers_example.toml"))]
    run = runner.invoke(app, [*args, *budget, "--volunteer-rate", "inf"], env=env)
    assert run.exit_code == 1, run.output
    assert "taux horaire invalide" in run.output
    good = runner.invoke(app, [*args, *budget, "--format", "json"], env=env)
    json.loads(good.stdout, parse_constant=lambda token: pytest.fail(f"invalid JSON {token}"))
