"""Barometer territory levels: ``fr``, ``custom`` and rows labelled by the requested territory.

The registry is synthetic (synthétique), over the two sample communes; expected counts come
from an independent cut of the same rows (by commune, or the whole registry).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from cotera.actor import Actor
from cotera.errors import ConfigurationError
from cotera.registry.barometer import Dimension
from cotera.registry.synthetic import SyntheticSpec
from cotera.services.registry import barometer, synthesize
from cotera.services.territories import create_custom_territory
from cotera.settings import Settings
from cotera.storage.engine import open_database
from cotera.storage.territory_store import replace_territories
from cotera.types import Level
from tests.storage.samples import TERRITORIES

TERRITORY = [Dimension.TERRITORY]
COUNTS = ["organizations", "partnering", "partnerships"]


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    engine = open_database(database_url)
    with engine.begin() as connection:
        replace_territories(connection, TERRITORIES)
    engine.dispose()
    settings = Settings(database_url=database_url, data_dir=tmp_path / "data")
    spec = SyntheticSpec(associations=300, partnerships=200, companies=100, public_bodies=2,
                         universities=1, media=1, citizen_collectives=1, seed=3)  # fmt: skip
    synthesize(settings, spec, Actor.system("test"))
    return settings


def _whole(settings: Settings) -> pl.DataFrame:
    return barometer(settings, None, [], [2015]).select(COUNTS)


def test_level_fr_gives_one_national_row(settings: Settings) -> None:
    rates = barometer(settings, None, TERRITORY, [2015], Level.COUNTRY)
    assert rates["territory"].to_list() == ["fr"]
    assert rates.select(COUNTS).equals(_whole(settings))
    assert rates["organizations"].item() > 0


def test_a_territory_coarser_level_labels_rows_by_the_territory(settings: Settings) -> None:
    rates = barometer(settings, "dep:93", TERRITORY, [2015])  # default level: reg
    assert rates["territory"].to_list() == ["dep:93"]
    by_commune = barometer(settings, None, TERRITORY, [2015], Level.COMMUNE)
    saint_denis = by_commune.filter(territory="com:93066").select(COUNTS)  # dep:93's only one
    assert rates.select(COUNTS).equals(saint_denis)
    finer = barometer(settings, "dep:93", TERRITORY, [2015], Level.COMMUNE)
    assert finer["territory"].to_list() == ["com:93066"]


def test_level_custom_gives_the_custom_territory_as_one_row(settings: Settings) -> None:
    create_custom_territory(settings, "plaine", "Plaine", ["dep:93", "dep:75"])
    rates = barometer(settings, "custom:plaine", TERRITORY, [2015], Level.CUSTOM)
    assert rates["territory"].to_list() == ["custom:plaine"]
    assert rates.select(COUNTS).equals(_whole(settings))  # both sample départements
    by_commune = barometer(settings, "custom:plaine", TERRITORY, [2015], Level.COMMUNE)
    everywhere = barometer(settings, None, TERRITORY, [2015], Level.COMMUNE)
    assert by_commune.drop("synthetic").equals(everywhere.drop("synthetic"))
    with pytest.raises(ConfigurationError, match="custom:<slug>"):
        barometer(settings, None, TERRITORY, [2015], Level.CUSTOM)
    with pytest.raises(ConfigurationError, match="custom:<slug>"):
        barometer(settings, "dep:93", TERRITORY, [2015], Level.CUSTOM)
