"""Every value says the vintage of its populations and every France value its perimeter, in the
service result, its JSON and CSV forms and the ``cotera indicators`` table (synthetic base)."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
import sqlalchemy
from typer.testing import CliRunner

from cotera.cli.main import app
from cotera.services.indicators import territory_indicators
from cotera.services.territories import create_custom_territory
from cotera.settings import Settings
from cotera.storage.batch_store import open_batch
from cotera.storage.indicator_store import SourceRecord, replace_source_data, save_source
from cotera.storage.territory_store import replace_territories
from tests.storage.samples import TERRITORIES, observations, spec

SOURCE = SourceRecord("demo", "Démo synthétique", "Demo", "Cotera", "LO 2.0", "https://e.org")


@pytest.fixture
def settings(engine: sqlalchemy.Engine, database_url: str, tmp_path: Path) -> Settings:
    """dep:93 divided by a 2026 population, dep:75 by a 2013 one; France lacks Paris."""
    frame = observations(
        [
            ("demo_rate", "dep:93", 2013, 27.8),
            ("demo_rate", "dep:75", 2013, 16.0),
            ("demo_rate", "fr", 2013, 14.5),
        ]
    ).with_columns(
        population_year_min=pl.Series([2026, 2013, 2013], dtype=pl.Int32),
        population_year_max=pl.Series([2026, 2013, 2026], dtype=pl.Int32),
        perimeter=pl.Series([None, None, "metropolitan"], dtype=pl.String),
        perimeter_missing=pl.Series([None, None, "75"], dtype=pl.String),
    )
    with engine.begin() as connection:
        replace_territories(connection, TERRITORIES)
        save_source(connection, SOURCE)
        batch = open_batch(connection, "demo", "0" * 64, "1", frame.height)
        replace_source_data(connection, "demo", [spec("demo_rate")], frame, batch)
    return Settings(database_url=database_url, data_dir=tmp_path)


def test_values_carry_their_populations_and_the_france_perimeter(settings: Settings) -> None:
    [value] = territory_indicators(settings, "dep:93").values
    assert (value.population_year_min, value.population_year_max) == (2026, 2026)
    assert value.population_note == "population 2026 (approximation)"
    assert value.approximation
    assert (value.france_perimeter, value.france_perimeter_missing) == ("metropolitan", "75")
    assert value.france_perimeter_label == "France métropolitaine hors Paris (75)"
    assert value.france_population_note == "populations 2013 à 2026 (approximation)"
    [paris] = territory_indicators(settings, "dep:75").values
    assert (paris.population_note, paris.approximation) == ("population 2013", False)


def test_json_and_csv_carry_them(settings: Settings) -> None:
    result = territory_indicators(settings, "dep:93")
    [row] = result.to_dict()["values"]  # type: ignore[misc]
    assert row["france_perimeter_label"] == "France métropolitaine hors Paris (75)"
    assert row["population_note"] == "population 2026 (approximation)"
    frame = result.to_frame()
    assert frame["france_perimeter"].to_list() == ["metropolitan"]
    assert frame["approximation"].to_list() == [True]
    assert frame.schema["population_year_min"] == pl.Int32


def test_custom_territory_keeps_the_vintages_of_its_members(settings: Settings) -> None:
    create_custom_territory(settings, "est", "Est", ["dep:93", "dep:75"])
    [rate] = territory_indicators(settings, "custom:est").values
    # weighted by the COG 2026 populations of its members, themselves of 2013 and 2026
    assert rate.population_note == "populations 2013 à 2026 (approximation)"


def test_table_json_and_csv_of_the_command(settings: Settings) -> None:
    env = {
        "COTERA_DATABASE_URL": settings.database_url,
        "COTERA_DATA_DIR": str(settings.data_dir),
        "COLUMNS": "250",
    }
    runner = CliRunner()
    table = runner.invoke(app, ["indicators", "dep:93"], env=env)
    assert table.exit_code == 0, table.output
    assert "population 2026 (approximation)" in table.output
    assert "fr = France métropolitaine hors Paris (75), populations 2013 à 2026" in table.output
    as_json = runner.invoke(app, ["indicators", "dep:93", "--format", "json"], env=env)
    [row] = json.loads(as_json.output)["values"]
    assert row["france_perimeter"] == "metropolitan"
    as_csv = runner.invoke(app, ["indicators", "dep:93", "--format", "csv"], env=env)
    assert "France métropolitaine hors Paris (75)" in as_csv.output
