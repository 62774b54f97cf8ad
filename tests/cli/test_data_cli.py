"""``cotera data``, ``territory`` and ``indicators`` through Typer's CliRunner on real files."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from cotera.cli.main import app

runner = CliRunner()
KHARTIS_REGIONS = "indicators/khartis/fr-reg2016-pauvrete-2013.csv"


@pytest.fixture(scope="module")
def env(mirror: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Environment of a fresh SQLite base loaded with the territories and Filosofi."""
    root = tmp_path_factory.mktemp("cli")
    values = {
        "COTERA_DATABASE_URL": f"sqlite:///{root / 'cotera.sqlite'}",
        "COTERA_DATA_MIRROR": str(mirror),
        "COTERA_DATA_DIR": str(root),
    }
    result = runner.invoke(app, ["data", "load", "--only", "filosofi"], env=values)
    assert result.exit_code == 0, result.output
    assert "✓ cog : chargé" in result.output
    assert "✓ filosofi : chargé" in result.output
    return values


def test_second_load_does_nothing(env: dict[str, str]) -> None:
    result = runner.invoke(app, ["data", "load", "--only", "filosofi"], env=env)
    assert result.exit_code == 0, result.output
    assert "= filosofi : déjà chargé, rien à faire" in result.output
    assert "Couverture par fragilité" in result.output


def test_indicators_json_has_the_source_figures(env: dict[str, str], mirror: Path) -> None:
    result = runner.invoke(
        app, ["indicators", "dep:93", "--year", "2013", "--format", "json"], env=env
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["territory"]["code"] == "dep:93"
    assert data["parent"]["code"] == "reg:11"
    values = {v["indicator"]: v for v in data["values"]}
    poverty = values["poverty_rate"]
    assert poverty["value"] == 27.8  # issue 2 / fr-dpt-pauvrete-2013.csv
    assert round(values["median_income"]["value"], 1) == 16744.6
    regions = pl.read_csv(mirror / KHARTIS_REGIONS, infer_schema=False)
    idf = regions.filter(pl.col("Code géographique") == "11").row(0, named=True)
    assert poverty["parent"] == float(
        idf["Taux de pauvreté-Ensemble (% pop totale)"].replace(",", ".")
    )
    assert poverty["france"] is not None
    assert poverty["year"] == 2013
    assert poverty["source"] == "filosofi"
    assert "Licence Ouverte" in poverty["licence"]


def test_indicators_table_by_name_and_csv(env: dict[str, str]) -> None:
    table = runner.invoke(app, ["indicators", "Seine-Saint-Denis", "--year", "2013"], env=env)
    assert table.exit_code == 0, table.output
    assert "27,8" in table.output
    assert "reg:11" in table.output
    assert "16 744,6" in table.output
    text = runner.invoke(app, ["indicators", "dep:93", "--all-years", "--format", "csv"], env=env)
    rows = list(csv.DictReader(io.StringIO(text.output)))
    poverty = {int(r["year"]): r for r in rows if r["indicator"] == "poverty_rate"}
    assert poverty[2013]["value"] == "27.8"
    assert poverty[2012]["value"] == ""  # the 2012 panel value is suspect: never shown as a figure
    assert poverty[2012]["missing_reason"] == "suspect"


def test_territory_show_create_list_delete(env: dict[str, str]) -> None:
    shown = runner.invoke(app, ["territory", "show", "corse-du-sud"], env=env)
    assert shown.exit_code == 0, shown.output
    assert "dep:2A" in shown.output
    created = runner.invoke(
        app,
        ["territory", "create", "petite-couronne", "--name", "Petite couronne",
         "--members", "dep:92,dep:93,dep:94"],
        env=env,
    )  # fmt: skip
    assert created.exit_code == 0, created.output
    assert "custom:petite-couronne" in created.output
    listed = runner.invoke(app, ["territory", "list"], env=env)
    assert "custom:petite-couronne" in listed.output
    assert "dep:94" in listed.output
    values = runner.invoke(
        app, ["indicators", "custom:petite-couronne", "--year", "2013", "--format", "json"], env=env
    )
    poverty = {v["indicator"]: v for v in json.loads(values.output)["values"]}["poverty_rate"]
    assert poverty["method"] in {"ratio", "population_weighted"}
    assert poverty["basis"] == "3 membre(s)"
    deleted = runner.invoke(app, ["territory", "delete", "petite-couronne"], env=env)
    assert deleted.exit_code == 0
    assert (
        "Aucun territoire personnalisé" in runner.invoke(app, ["territory", "list"], env=env).output
    )


def test_friendly_errors(env: dict[str, str], tmp_path: Path) -> None:
    unknown = runner.invoke(app, ["indicators", "Seine-Saint-Dennis"], env=env)
    assert unknown.exit_code == 1
    assert "vouliez-vous dire" in unknown.output
    assert "Traceback" not in unknown.output
    ambiguous = runner.invoke(app, ["territory", "show", "Saint-Denis"], env=env)
    assert ambiguous.exit_code == 1
    assert "com:93066" in ambiguous.output
    bad = runner.invoke(
        app, ["territory", "create", "x", "--name", "X", "--members", "dep:99,nulle-part"], env=env
    )
    assert bad.exit_code == 1
    assert "dep:99" in bad.output
    assert "nulle-part" in bad.output
    no_mirror = runner.invoke(app, ["data", "load", "--mirror", str(tmp_path / "none")], env=env)
    assert no_mirror.exit_code == 1
    assert "miroir de données introuvable" in no_mirror.output


def test_data_sources_lists_provenance(env: dict[str, str]) -> None:
    result = runner.invoke(app, ["data", "sources"], env=env)
    assert result.exit_code == 0, result.output
    assert "filosofi" in result.output
    assert "contours — Contours des territoires" in result.output
    assert "Licence Ouverte" in result.output
    assert "lancez « cotera data load »" in result.output  # sources not loaded yet
