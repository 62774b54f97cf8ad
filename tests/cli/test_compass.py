"""``cotera compass``: golden JSON for the example territory, French text, error reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cotera.cli.main import app
from cotera.sources.compass_files import example_file

GOLDEN = Path(__file__).resolve().parents[1] / "compass" / "golden" / "example_compass.json"


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """A runner whose database lives in a temporary directory."""
    monkeypatch.setenv("COTERA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("COTERA_DATABASE_URL", raising=False)
    return CliRunner()


def _example_args() -> list[str]:
    return [
        "compass",
        "custom:exemple",
        "--answers",
        str(example_file("answers_example.toml")),
        "--budget",
        str(example_file("budget_example.csv")),
    ]


def test_example_json_matches_golden(runner: CliRunner) -> None:
    result = runner.invoke(app, [*_example_args(), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_example_flag_gives_the_same_compass(runner: CliRunner) -> None:
    flagged = runner.invoke(app, ["compass", "custom:exemple", "--example", "--format", "json"])
    explicit = runner.invoke(app, [*_example_args(), "--format", "json"])
    assert flagged.exit_code == 0
    assert flagged.stdout == explicit.stdout


def test_example_text_is_a_french_roadmap(runner: CliRunner) -> None:
    result = runner.invoke(app, _example_args())
    assert result.exit_code == 0, result.output
    text = result.stdout
    for heading in (
        "1. MATURITÉ — étape 1 : Animation du dialogue",
        "2. CHAÎNE DE VALEUR",
        "3. MODÈLE SOCIO-ÉCONOMIQUE",
        "4. DISPOSITIF",
        "5. FREINS TECHNIQUES",
        "6. FEUILLE DE ROUTE",
    ):
        assert heading in text
    assert "Prochaine solution d'ingénierie : Accompagner les organisations" in text
    assert "Faits issus du fichier de réponses" in text
    assert "100\u202f000\u202f€" in text


def test_without_budget_the_money_checks_are_flagged(runner: CliRunner) -> None:
    args = _example_args()[:4]
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["economics"] is None
    titles = [a["title"] for a in data["roadmap"]]
    assert any(t.startswith("Établir le budget de l'ingénierie") for t in titles)
    assert any(t.startswith("Vérifier les freins") for t in titles)


def test_volunteer_rate_option_revalues_hours(runner: CliRunner) -> None:
    result = runner.invoke(app, [*_example_args(), "--format", "json", "--volunteer-rate", "40"])
    data = json.loads(result.stdout)
    assert data["economics"]["in_kind"] == 600 * 40 + 80 * 50


def test_bad_answers_file_lists_every_problem(runner: CliRunner, tmp_path: Path) -> None:
    text = example_file("answers_example.toml").read_text(encoding="utf-8")
    text = text.replace('sensibilisation = "ponctuellement"\n', "")
    text = text.replace('besoins_collectifs = "non"', 'besoins_collectifs = "peut-etre"')
    bad = tmp_path / "reponses.toml"
    bad.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["compass", "custom:exemple", "--answers", str(bad)])
    assert result.exit_code == 1
    assert "2 problème(s)" in result.stderr
    assert "reponses.sensibilisation" in result.stderr
    assert "jamais | ponctuellement | regulierement | en_continu" in result.stderr
    assert "'peut-etre'" in result.stderr
    assert result.stdout == ""


def test_territory_must_match_and_be_well_formed(runner: CliRunner) -> None:
    args = _example_args()
    args[1] = "dep:93"
    mismatch = runner.invoke(app, args)
    assert mismatch.exit_code == 1
    assert "concerne un autre territoire" in mismatch.stderr
    args[1] = "departement93"
    malformed = runner.invoke(app, args)
    assert malformed.exit_code == 1
    assert "code de territoire mal formé" in malformed.stderr


def test_answers_option_is_required(runner: CliRunner) -> None:
    result = runner.invoke(app, ["compass", "custom:exemple"])
    assert result.exit_code == 1
    assert "--answers" in result.stderr
