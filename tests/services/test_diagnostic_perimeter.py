"""The diagnostic reads the perimeter of France values and the vintage of the peers'
populations from the database, and says both in its text and JSON (synthetic base)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy
from typer.testing import CliRunner

from cotera.cli.main import app
from cotera.services.diagnostic import diagnose
from cotera.settings import Settings
from tests.services.diagnostic_db import synthetic_database


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    directory = tmp_path_factory.mktemp("diagnostic-perimeter")
    url = f"sqlite:///{directory / 'synth.sqlite'}"
    synthetic_database(url)
    engine = sqlalchemy.create_engine(url)
    with engine.begin() as connection:  # France's poverty lacks dep:75; dep:07 used 2026 people
        connection.exec_driver_sql(
            "UPDATE observation SET perimeter = 'metropolitan', perimeter_missing = '75', "
            "population_year_min = 2020, population_year_max = 2020 "
            "WHERE territory = 'fr' AND indicator = 'poverty'"
        )
        connection.exec_driver_sql(
            "UPDATE observation SET population_year_min = 2026, population_year_max = 2026 "
            "WHERE territory = 'dep:07' AND indicator = 'poverty' AND year = 2021"
        )
    engine.dispose()
    return Settings(database_url=url, data_dir=directory, data_mirror=None)


def test_france_perimeter_and_approximations(settings: Settings) -> None:
    diagnostic = diagnose(settings, "dep:93", draws=0, write=False).diagnostic
    poverty = next(f for f in diagnostic.fragilities if f.code == "F04").indicators[0]
    assert poverty.france is not None
    assert poverty.france.perimeter_label == "France métropolitaine hors Dép. synthétique 75 (75)"
    assert poverty.france.population_note == "population 2020"
    assert poverty.approximation  # a peer (dep:07) was divided by its 2026 population
    assert poverty.population_note == ""  # dep:93's own value used no population
    assert diagnostic.coverage.approximations == ("poverty",)


def test_text_and_json_say_them(settings: Settings, tmp_path: Path) -> None:
    env = {
        "COTERA_DATABASE_URL": settings.database_url,
        "COTERA_DATA_DIR": str(settings.data_dir),
        "COLUMNS": "250",
    }
    args = ["diagnose", "dep:93", "--draws", "0", "--out", str(tmp_path)]
    text = CliRunner().invoke(app, args, env=env)
    assert text.exit_code == 0, text.output
    assert "France métropolitaine hors Dép. synthétique 75 (75) 14,6" in text.output
    assert "Dénominateurs : 1 indicateur(s) sur 2" in text.output
    data = json.loads(CliRunner().invoke(app, [*args, "--format", "json"], env=env).output)
    poverty = next(f for f in data["fragilities"] if f["code"] == "F04")["indicators"][0]
    assert poverty["france"]["perimeter"] == {"perimeter": "metropolitan", "missing": ["75"]}
    assert data["coverage"]["approximations"] == ["poverty"]
