"""``cotera registry barometer`` options and ``cotera match --format`` on an SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cotera.cli.main import app
from cotera.storage.engine import open_database
from cotera.storage.territory_store import replace_territories
from tests.sources.registers.layouts import rna_row, write_rna
from tests.storage.samples import TERRITORIES

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    url = f"sqlite:///{tmp_path / 'cotera.sqlite'}"
    engine = open_database(url)
    with engine.begin() as connection:
        replace_territories(connection, TERRITORIES)
    engine.dispose()
    env = {"COTERA_DATABASE_URL": url, "COTERA_DATA_DIR": str(tmp_path)}
    rna = write_rna(tmp_path / "rna.csv", [rna_row("W931000001", "Emploi Solidaire", "93066")])
    assert runner.invoke(app, ["registry", "import", "rna", str(rna)], env=env).exit_code == 0
    return env


def _barometer(env: dict[str, str], *options: str) -> list[dict[str, object]]:
    run = runner.invoke(app, ["registry", "barometer", "--format", "json", *options], env=env)
    assert run.exit_code == 0, run.output
    rows: list[dict[str, object]] = json.loads(run.output)
    return rows


def test_unknown_by_is_a_clear_error_listing_the_accepted_values(env: dict[str, str]) -> None:
    run = runner.invoke(app, ["registry", "barometer", "--by", "kind,colour"], env=env)
    assert run.exit_code == 1
    assert "Traceback" not in run.output
    assert run.exception is not None
    assert isinstance(run.exception, SystemExit)
    assert "découpage inconnu 'colour'" in run.output
    assert "territory, kind, size_band, form, fragility, year" in run.output
    run = runner.invoke(app, ["registry", "barometer", "--years", "2015,deux"], env=env)
    assert run.exit_code == 1
    assert isinstance(run.exception, SystemExit)
    assert "--years" in run.output


def test_by_year_is_accepted(env: dict[str, str]) -> None:
    rows = _barometer(env, "--by", "year,kind", "--years", "2015,2016")
    assert sorted((row["year"], row["kind"]) for row in rows) == [
        (2015, "association"), (2016, "association")
    ]  # fmt: skip


def test_levels_and_territory_labels(env: dict[str, str]) -> None:
    assert [row["territory"] for row in _barometer(env, "--level", "fr")] == ["fr"]
    assert [row["territory"] for row in _barometer(env, "--territory", "dep:93")] == ["dep:93"]
    run = runner.invoke(app, ["registry", "barometer", "--level", "custom"], env=env)
    assert run.exit_code == 1
    assert isinstance(run.exception, SystemExit)
    assert "custom:<slug>" in run.output


def test_match_format_is_text_or_json(env: dict[str, str]) -> None:
    run = runner.invoke(app, ["match", "1", "--format", "csv"], env=env)
    assert run.exit_code == 2  # refused by the option parser, not printed as text
    assert "csv" in run.output
    run = runner.invoke(app, ["match", "1", "--format", "json"], env=env)
    assert run.exit_code == 0, run.output
    assert json.loads(run.output)["suggestions"] == []  # the only organisation has no partner


@pytest.mark.parametrize("output", ["text", "csv", "json"])
def test_an_empty_registry_is_a_clear_message(tmp_path: Path, output: str) -> None:
    url = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    engine = open_database(url)
    with engine.begin() as connection:
        replace_territories(connection, TERRITORIES)
    engine.dispose()
    env = {"COTERA_DATABASE_URL": url, "COTERA_DATA_DIR": str(tmp_path)}
    run = runner.invoke(app, ["registry", "barometer", "--format", output], env=env)
    assert run.exit_code == 1
    assert "aucune organisation dans le registre" in run.output
    assert run.exception is None or isinstance(run.exception, SystemExit)
