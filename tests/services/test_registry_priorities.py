"""Pioneers and matching take the territory's priorities from its diagnostic (real data).

Real territories and INSEE localised unemployment rates (F01) are loaded from the mirror, then
a small synthetic registry (synthétique). The expected priorities are recomputed here from the
stored observations with a plain sort: F01 is a priority of a metropolitan département when its
unemployment rate is among the 10 highest of the 96 (a tenth, ``docs/diagnostic.md``).
"""

from __future__ import annotations

import math
from pathlib import Path

import polars as pl
import pytest

from cotera.actor import Actor
from cotera.registry.synthetic import SyntheticSpec
from cotera.services.data_load import load_all
from cotera.services.database import database
from cotera.services.registry import match, pioneers, synthesize
from cotera.services.territory_priorities import PrioritySource
from cotera.settings import Settings
from cotera.storage.indicator_store import read_observations


@pytest.fixture(scope="module")
def real(mirror: Path, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    directory = tmp_path_factory.mktemp("registry-real")
    settings = Settings(
        database_url=f"sqlite:///{directory / 'cotera.sqlite'}",
        data_dir=directory,
        data_mirror=mirror,
    )
    load_all(settings, only="chomage_localise")
    spec = SyntheticSpec(associations=3000, partnerships=2000, companies=1000, public_bodies=50,
                         universities=5, media=5, citizen_collectives=10, seed=3)  # fmt: skip
    synthesize(settings, spec, Actor.system("test"))
    return settings


def _expected(settings: Settings, departement: str) -> tuple[tuple[str, ...], int]:
    """F01 if the département's latest unemployment rate is in the top tenth; and that year."""
    with database(settings) as engine, engine.connect() as connection:
        frame = read_observations(connection, indicators=["unemployment_rate"])
    metropolitan = frame.filter(
        pl.col("territory").str.starts_with("dep:")
        & ~pl.col("territory").str.starts_with("dep:97")
        & pl.col("value").is_not_null()
    )
    year = int(metropolitan["year"].max())  # type: ignore[arg-type]
    latest = metropolitan.filter(pl.col("year") == year)
    assert latest.height == 96
    value = latest.filter(pl.col("territory") == departement)["value"][0]
    rank = 1 + latest.filter(pl.col("value") > value).height
    return (("F01",) if rank <= math.ceil(96 / 10) else ()), year


def test_pioneers_use_the_departement_diagnostic(real: Settings) -> None:
    expected, year = _expected(real, "dep:93")
    assert expected == ("F01",)  # Seine-Saint-Denis: among the highest unemployment rates
    report = pioneers(real, "dep:93", top=50)
    chosen = report.priorities
    assert (chosen.source, chosen.codes, chosen.years) == (
        PrioritySource.DIAGNOSTIC,
        expected,
        (year, year),
    )
    assert chosen.origin() == f"diagnostic de dep:93 ({year})"
    assert report.ranked
    for item in report.ranked:  # F01 counted as a priority exactly where it is addressed
        assert item.candidate.priorities in {(), ("F01",)}
    assert any(item.candidate.priorities == ("F01",) for item in report.ranked)


def test_matching_a_commune_uses_its_departement(real: Settings) -> None:
    expected, year = _expected(real, "dep:93")
    report = match(real, territory="com:93066", fragility="F01", top=3)
    chosen = report.priorities
    assert (chosen.source, chosen.codes, chosen.diagnosed) == (
        PrioritySource.DIAGNOSTIC,
        expected,
        "dep:93",
    )
    assert chosen.origin() == f"diagnostic de dep:93 ({year}), département de la commune 93066"
    assert report.suggestions
    for item in report.suggestions:  # the priority criterion now scores
        criteria = {c.criterion.value: c.points for c in item.suggestion.components}
        assert criteria["priorities"] == 15.0
