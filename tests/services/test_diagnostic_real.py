"""``diagnose`` on the real public data, loaded from the mirror into a temporary SQLite file.

Slow (a real load of every source), and a browser check of the portrait in Debian's Chromium.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import polars as pl
import pytest

from cotera.diagnostic.priority import Certainty
from cotera.services.data_load import load_all
from cotera.services.database import database
from cotera.services.diagnostic import Portrait, diagnose, diagnose_level
from cotera.settings import Settings
from cotera.storage.indicator_store import read_observations
from cotera.types import Level
from tests.browser import offline_page


@pytest.fixture(scope="module")
def real(mirror: Path, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    directory = tmp_path_factory.mktemp("real")
    settings = Settings(
        database_url=f"sqlite:///{directory / 'cotera.sqlite'}",
        data_dir=directory,
        data_mirror=mirror,
    )
    load_all(settings)
    return settings


@pytest.fixture(scope="module")
def seine_saint_denis(real: Settings) -> Portrait:
    return diagnose(real, "dep:93", draws=300, seed=7)


@pytest.mark.slow
def test_seine_saint_denis(real: Settings, seine_saint_denis: Portrait) -> None:
    diagnostic = seine_saint_denis.diagnostic
    assert (diagnostic.name, diagnostic.peers_count, diagnostic.top) == (
        "Seine-Saint-Denis",
        96,
        10,
    )
    assert diagnostic.parent == ("reg:11", "Île-de-France")
    assert len(diagnostic.coverage.with_data) == 16
    readings = {r.code: r for f in diagnostic.fragilities for r in f.indicators}
    # INSEE taux de chômage localisés, 2021 annual mean (issue 2's figure for dep:93)
    assert (readings["unemployment_rate"].value, readings["unemployment_rate"].year) == (10.9, 2021)
    poverty = readings["poverty_rate"]
    assert poverty.france is not None
    assert poverty.parent is not None
    assert poverty.france.value is not None
    assert poverty.parent.value is not None
    assert poverty.france.value < poverty.parent.value < poverty.value  # type: ignore[operator]
    # the highest poverty rate of the 96 metropolitan départements that year is dep:93's
    with database(real) as engine, engine.connect() as connection:
        frame = read_observations(connection, indicators=["poverty_rate"], years=[poverty.year])
    metro = frame.filter(pl.col("territory").str.contains(r"^dep:(\d\d|2[AB])$"))
    assert metro.sort("value", descending=True)["territory"][0] == "dep:93"
    assert poverty.rank == 1
    f04 = next(p for p in diagnostic.priorities if p.fragility == "F04")
    assert f04.position.certainty is Certainty.ROBUST_TOP
    assert "quelle que soit la méthode" in f04.position.sentence
    # the most fragile département overall (poorest, most overcrowded, highest assault rate)
    # stays in the top 10 under every method of the Monte Carlo: its youth (least fragile on
    # ageing) no longer sinks it under the geometric mean (docs/index.md, geometric rule)
    overall = diagnostic.overall
    assert overall is not None
    assert overall.rank == 1
    assert overall.interval is not None
    assert overall.interval.high <= diagnostic.top
    assert overall.certainty is Certainty.ROBUST_TOP
    # F11: public transport commuting (least fragile) vs seniors without a car (most fragile)
    mobility = next(f for f in diagnostic.fragilities if f.code == "F11")
    assert mobility.position is not None
    assert "ses indicateurs divergent" in mobility.position.sentence
    assert seine_saint_denis.path is not None
    html = seine_saint_denis.path.read_text(encoding="utf-8")
    assert '<section id="carte">' in html
    assert not re.search(r"(src|href)\s*=\s*[\"']?https?:", html, re.I)
    assert "Licence Ouverte" in html


@pytest.mark.slow
def test_all_regions(real: Settings, tmp_path: Path) -> None:
    portraits = diagnose_level(real, Level.REGION, draws=100, seed=1, metropolitan_only=True)
    assert len(portraits) == 13
    assert {p.diagnostic.peers_count for p in portraits} == {13}
    assert {p.diagnostic.top for p in portraits} == {3}
    ranks = sorted(p.diagnostic.overall.rank for p in portraits if p.diagnostic.overall)
    assert ranks[0] == 1
    assert len(ranks) == 13
    for portrait in portraits:
        assert portrait.path is not None
        text = portrait.path.read_text(encoding="utf-8")
        assert '<section id="carte">' in text
    data = json.dumps([p.diagnostic.name for p in portraits], ensure_ascii=False)
    assert "Hauts-de-France" in data


@pytest.mark.browser
def test_portrait_renders_offline_in_chromium(seine_saint_denis: Portrait, tmp_path: Path) -> None:
    assert seine_saint_denis.path is not None
    page_file = tmp_path / seine_saint_denis.path.name
    shutil.copy(seine_saint_denis.path, page_file)
    with offline_page(page_file) as opened:
        page = opened.page
        charts = page.locator("[data-chart]").count()
        drawn = page.locator("[data-chart] svg").count()
        map_paths = page.locator("[data-chart='carte-map'] svg path").count()
        screenshot = tmp_path / "portrait-dep-93.png"
        page.screenshot(path=str(screenshot), full_page=True)
    problems, requested = opened.problems, opened.requested
    assert problems == []
    assert requested == []
    assert charts == 4
    assert drawn >= charts
    assert map_paths >= 96
    assert screenshot.stat().st_size > 50_000
