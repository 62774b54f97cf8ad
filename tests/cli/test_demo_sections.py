"""``cotera demo synth`` then ``cotera diagnose`` / ``cotera compass``: sections in text and
JSON, stored facts in the compass (synthetic base and synthetic demo data)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from markupsafe import escape
from typer.testing import CliRunner

from cotera.cli.main import app
from tests.services.portrait_db import portrait_database

SMALL = ["--citizens", "2000", "--organizations", "600", "--registry-associations", "2000"]


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    directory = tmp_path_factory.mktemp("cli-demo")
    url = f"sqlite:///{directory / 'synth.sqlite'}"
    portrait_database(url)
    env = {"COTERA_DATABASE_URL": url, "COTERA_DATA_DIR": str(directory)}
    result = CliRunner().invoke(app, ["demo", "synth", "--seed", "5", *SMALL], env=env)
    assert result.exit_code == 0, result.output
    assert "SYNTHÉTIQUES" in result.output
    assert "demo-synthetique-citizens-s5-n2000 : 2" in result.output
    again = CliRunner().invoke(app, ["demo", "synth", "--seed", "5", *SMALL], env=env)
    assert "déjà enregistrée" in again.output
    return env


def _demo_files(env: dict[str, str]) -> list[str]:
    demo = Path(env["COTERA_DATA_DIR"]) / "demo"
    return [
        "--answers",
        str(demo / "reponses-exemple-synthetiques.toml"),
        "--budget",
        str(demo / "budget-exemple-synthetique.csv"),
    ]


def test_text_lists_every_section(env: dict[str, str], tmp_path: Path) -> None:
    args = ["diagnose", "dep:93", "--draws", "0", "--out", str(tmp_path), *_demo_files(env)]
    result = CliRunner().invoke(app, args, env=env)
    assert result.exit_code == 0, result.output
    assert "Les trois prismes (données synthétiques)" in result.output
    assert "Baromètre des partenariats (registre synthétique)" in result.output
    assert "Boussole de la co-construction (réponses d'exemple synthétiques)" in result.output
    assert "Étape" in result.output


def test_json_twin_has_the_sections(env: dict[str, str], tmp_path: Path) -> None:
    args = ["diagnose", "dep:93", "--format", "json", "--draws", "0", "--out", str(tmp_path)]
    result = CliRunner().invoke(app, [*args, *_demo_files(env)], env=env)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    sections = {s["key"]: s for s in data["sections"]}
    assert list(sections) == ["prismes", "barometre", "boussole"]
    assert all(s["available"] and s["synthetic"] for s in sections.values())
    assert sections["prismes"]["note"] == "données synthétiques"
    assert len(sections["prismes"]["fragilities"]) == 16
    assert sections["barometre"]["note"] == "registre synthétique"
    assert sections["boussole"]["schema"] == "cotera.compass/1"
    html = Path(data["portrait"]).read_text(encoding="utf-8")
    for section in sections.values():
        assert f'<section id="{section["key"]}">' in html
        assert str(escape(section["title"])) in html


def test_compass_command_uses_stored_facts(env: dict[str, str]) -> None:
    answers = _demo_files(env)[:2]
    result = CliRunner().invoke(app, ["compass", "dep:93", *answers, "--format", "json"], env=env)
    assert result.exit_code == 0, result.output
    sources = " ".join(json.loads(result.output)["facts_sources"])
    assert "(registre des partenariats)" in sources
    assert "enquete_presente = oui (enquêtes chargées)" in sources
    example = CliRunner().invoke(app, ["compass", "custom:exemple", "--example"], env=env)
    assert example.exit_code == 0, example.output
    assert "Faits issus du fichier de réponses (déclaratifs)" in example.output


def test_bad_usage(env: dict[str, str]) -> None:
    runner = CliRunner()
    budget = _demo_files(env)[2:]
    alone = runner.invoke(app, ["diagnose", "dep:93", "--draws", "0", *budget], env=env)
    assert alone.exit_code == 1
    assert "--budget demande aussi --answers" in alone.output
    level = runner.invoke(app, ["diagnose", "--all-regions", *_demo_files(env)[:2]], env=env)
    assert level.exit_code == 2


def test_demo_compass_uses_the_demo_files(env: dict[str, str], tmp_path: Path) -> None:
    args = ["diagnose", "dep:93", "--draws", "0", "--out", str(tmp_path), "--demo-compass"]
    result = CliRunner().invoke(app, args, env=env)
    assert result.exit_code == 0, result.output
    assert "Boussole de la co-construction (réponses d'exemple synthétiques)" in result.output
    both = CliRunner().invoke(app, [*args, *_demo_files(env)], env=env)
    assert both.exit_code == 2
    assert "--demo-compass remplace" in both.output


def test_demo_compass_without_demo_synth_is_a_clear_error(tmp_path: Path) -> None:
    env = {
        "COTERA_DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite'}",
        "COTERA_DATA_DIR": str(tmp_path),
    }
    result = CliRunner().invoke(app, ["diagnose", "dep:93", "--demo-compass"], env=env)
    assert result.exit_code == 1
    assert "lancez d'abord « cotera demo synth »" in result.output
