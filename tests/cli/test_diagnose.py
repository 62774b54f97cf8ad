from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cotera.cli.main import app
from tests.services.diagnostic_db import synthetic_database


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    directory = tmp_path_factory.mktemp("cli-diagnose")
    url = f"sqlite:///{directory / 'synth.sqlite'}"
    synthetic_database(url)
    return {"COTERA_DATABASE_URL": url, "COTERA_DATA_DIR": str(directory)}


@pytest.fixture(scope="module")
def wide_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Eight synthetic fragilities: enough for an overall index."""
    directory = tmp_path_factory.mktemp("cli-diagnose-wide")
    url = f"sqlite:///{directory / 'synth.sqlite'}"
    synthetic_database(url, wide=True)
    return {"COTERA_DATABASE_URL": url, "COTERA_DATA_DIR": str(directory)}


def test_text_summary_and_portrait(env: dict[str, str], tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["diagnose", "dep:93", "--draws", "20", "--out", str(tmp_path)], env=env
    )
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "Dép. synthétique 93 (dep:93)" in text
    assert "quelle que soit la méthode" in text
    assert "F04 Pauvreté / lutte contre l'exclusion" in text
    # the coverage comes first, and 2 fragilities of 16 make no overall index
    assert text.index("Couverture : 2 fragilités mesurées sur 16") < text.index("Pas d'indice")
    assert "Indice global : rang" not in text
    assert "20 tirages, graine 2016" in result.output
    assert (tmp_path / "portrait-dep-93.html").is_file()


def test_json_has_the_same_content(env: dict[str, str], tmp_path: Path) -> None:
    args = ["diagnose", "dep:93", "--format", "json", "--draws", "0", "--out", str(tmp_path)]
    result = CliRunner().invoke(app, args, env=env)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["territory"] == "dep:93"
    assert data["portrait"] == str(tmp_path / "portrait-dep-93.html")
    poverty = next(f for f in data["fragilities"] if f["code"] == "F04")["indicators"][0]
    assert (poverty["value"], poverty["year"], poverty["rank"]) == (28.0, 2021, 1)
    assert [p["fragility"] for p in data["priorities"]] == ["F03", "F04"]
    assert data["draws"] == 0
    # the coverage comes before any rank; no assessment stored in this synthetic base
    keys = list(data)
    assert keys.index("coverage") < min(keys.index(k) for k in ("overall", "fragilities"))
    assert data["overall"] is None
    assert data["coverage"]["minimum"] == 8
    assert data["coverage"]["overall_withheld"].startswith("Dép. synthétique 93 n'a que 2")
    assert (poverty["quality"], poverty["quality_note"], poverty["ties"]) == ("unassessed", "", 0)
    html = (tmp_path / "portrait-dep-93.html").read_text(encoding="utf-8")
    summary = html[html.index('<section id="synthese">') :]
    assert summary.index('<p class="coverage">') < summary.index("Indice global de fragilité")


def test_whole_level_and_bad_usage(env: dict[str, str], tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        app, ["diagnose", "--all-departements", "--draws", "10", "--out", str(tmp_path)], env=env
    )
    assert result.exit_code == 0, result.output
    assert "5 portraits" in result.output
    assert len(list(tmp_path.glob("portrait-dep-*.html"))) == 5
    both = runner.invoke(app, ["diagnose", "dep:93", "--all-regions"], env=env)
    assert both.exit_code == 2
    unknown = runner.invoke(app, ["diagnose", "dep:98", "--draws", "0"], env=env)
    assert unknown.exit_code == 1
    assert "Erreur" in unknown.output


def test_json_and_appendix_carry_the_sensitivity(wide_env: dict[str, str], tmp_path: Path) -> None:
    env = wide_env
    args = ["diagnose", "dep:93", "--format", "json", "--draws", "20", "--out", str(tmp_path)]
    result = CliRunner().invoke(app, args, env=env)
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)["sensitivity"]
    assert found["evaluations"] == 600
    assert found["seed"] == 2016
    shares = found["shares"]
    assert {s["factor"] for s in shares} <= {
        "normalisation",
        "aggregation",
        "weights",
        "dropped_indicator",
    }
    for item in shares:
        assert 0.0 <= item["first_order"] <= 1.0
        assert 0.0 <= item["total"] <= 1.0
        # estimator noise with 100 base draws: a few hundredths (docs/diagnostic.md)
        assert item["total"] >= item["first_order"] - 0.1
    top = max(shares, key=lambda s: s["total"])
    assert found["dominant"] == top["factor"]
    html = (tmp_path / "portrait-dep-93.html").read_text(encoding="utf-8")
    appendix = html[html.index('<section id="methode">') :]
    assert '<table class="sensitivity">' in appendix
    assert f'<tr class="dominant"><td>{top["label"]}</td>' in appendix
    assert "de la variance des rangs" in appendix
    without = CliRunner().invoke(app, [*args[:4], "--draws", "0", *args[6:]], env=env)
    assert json.loads(without.output)["sensitivity"] is None
