"""``cotera registry barometer --with-survey`` in text, CSV and JSON (synthetic demo data)."""

from __future__ import annotations

import io
import json

import polars as pl
import pytest
from typer.testing import CliRunner

from cotera.cli.barometer_table import survey_table
from cotera.cli.main import app
from cotera.registry.barometer import Dimension
from cotera.services.barometer_survey import barometer_with_survey
from cotera.settings import Settings
from tests.services.portrait_db import portrait_database

SMALL = ["--citizens", "200", "--organizations", "600", "--registry-associations", "2000"]
runner = CliRunner()


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    directory = tmp_path_factory.mktemp("cli-barometer-survey")
    url = f"sqlite:///{directory / 'synth.sqlite'}"
    portrait_database(url)
    env = {"COTERA_DATABASE_URL": url, "COTERA_DATA_DIR": str(directory)}
    result = runner.invoke(app, ["demo", "synth", "--seed", "7", *SMALL], env=env)
    assert result.exit_code == 0, result.output
    return env


ARGS = ["registry", "barometer", "--territory", "dep:93", "--by", "size_band", "--with-survey"]


def test_json_and_csv_carry_the_service_table(env: dict[str, str]) -> None:
    settings = Settings(database_url=env["COTERA_DATABASE_URL"])
    expected = barometer_with_survey(
        settings, "dep:93", [Dimension.SIZE_BAND, Dimension.KIND], [2015]
    ).table
    run = runner.invoke(app, [*ARGS, "--format", "json"], env=env)
    assert run.exit_code == 0, run.output
    rows = json.loads(run.stdout)  # the notes go to stderr
    assert rows == expected.to_dicts()
    assert {"survey_has", "survey_intends_ci_high", "survey_area", "survey_wave"} <= set(rows[0])
    assert "données synthétiques" in run.stderr
    run = runner.invoke(app, [*ARGS, "--format", "csv"], env=env)
    assert run.exit_code == 0, run.output
    csv = pl.read_csv(io.StringIO(run.stdout), schema=expected.schema)
    assert csv.equals(expected)


def _fr(share: float) -> str:
    return f"{100 * share:.1f}".replace(".", ",") + "\u202f%"


def test_text_shows_shares_with_intervals(env: dict[str, str]) -> None:
    run = runner.invoke(app, ARGS, env=env)
    assert run.exit_code == 0, run.output
    assert "Baromètre des partenariats — données synthétiques" in run.stdout
    assert "Enquête associations : vague « demo-synthetique-associations-s7" in run.stdout
    settings = Settings(database_url=env["COTERA_DATABASE_URL"])
    table = barometer_with_survey(settings, "dep:93", [Dimension.SIZE_BAND], [2015]).table
    shown = survey_table(table)
    assert shown.columns[-5:] == [
        "enq. partenariat", "enq. intention", "enq. aucun des deux", "répondants", "lecture",
    ]  # fmt: skip
    for row, line in zip(table.iter_rows(named=True), shown.iter_rows(named=True), strict=True):
        if row["survey_status"] == "publié":
            has, low, high = (row[f"survey_has{s}"] for s in ("", "_ci_low", "_ci_high"))
            assert line["enq. partenariat"] == f"{_fr(has)} [{_fr(low)}–{_fr(high)}]"
            assert line["lecture"] == "Dép. synthétique 93 (synth.)"
        elif row["survey_status"] is None:
            assert line["enq. partenariat"] == "—"
        else:
            assert line["enq. partenariat"] == row["survey_status"]


def test_without_waves_the_columns_are_empty_and_the_reason_given(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    directory = tmp_path_factory.mktemp("cli-barometer-no-wave")
    url = f"sqlite:///{directory / 'synth.sqlite'}"
    portrait_database(url)
    env = {"COTERA_DATABASE_URL": url, "COTERA_DATA_DIR": str(directory)}
    args = [
        "registry",
        "synth",
        "--associations",
        "500",
        "--partnerships",
        "300",
        "--companies",
        "300",
    ]
    assert runner.invoke(app, args, env=env).exit_code == 0
    run = runner.invoke(
        app, ["registry", "barometer", "--with-survey", "--format", "json"], env=env
    )
    assert run.exit_code == 0, run.output
    rows = json.loads(run.stdout)
    assert rows
    assert all(row["survey_status"] is None for row in rows)
    assert "Aucune vague d'enquête entreprises ou associations" in run.stderr
