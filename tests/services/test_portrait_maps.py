"""Portrait maps come from the stored outlines, with no data mirror set; without stored outlines
the map and the barometer's map say why (synthetic base and registry, synthetic squares)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import polars as pl
import pytest

from cotera.report.basemap import NOT_LOADED
from cotera.services.boundary_load import BOUNDARIES_SOURCE
from cotera.services.database import database
from cotera.services.demo import DemoSizes, synthesize_demo
from cotera.services.portrait_sections import portrait
from cotera.settings import Settings
from cotera.sources.boundary_maps import BOUNDARY_COLUMNS
from cotera.storage.batch_store import open_batch
from cotera.storage.boundary_store import replace_boundaries
from cotera.storage.indicator_store import save_source
from tests.services.portrait_db import POPULATION, portrait_database

SIZES = DemoSizes(
    citizens=600,
    companies=300,
    associations=300,
    registry_associations=600,
    registry_companies=300,
    registry_partnerships=500,
)


@pytest.fixture
def demo(database_url: str, tmp_path: Path) -> Settings:
    portrait_database(database_url)
    settings = Settings(database_url=database_url, data_dir=tmp_path / "data")
    assert settings.data_mirror is None
    synthesize_demo(settings, seed=3, sizes=SIZES)
    return settings


def _store_squares(settings: Settings) -> None:
    """A synthetic national map: one square per synthetic département."""
    rows = []
    for i, dep in enumerate(sorted(POPULATION)):
        ring = [[i, 0], [i, 1], [i + 1, 1], [i + 1, 0], [i, 0]]
        geometry = json.dumps({"type": "Polygon", "coordinates": [ring]})
        rows.append((f"dep:{dep}", "dep", "national", geometry, i, 0.0, i + 1, 1.0))
    frame = pl.DataFrame(rows, schema=BOUNDARY_COLUMNS, orient="row")
    with database(settings) as engine, engine.begin() as connection:
        save_source(connection, BOUNDARIES_SOURCE)
        replace_boundaries(connection, frame, open_batch(connection, "contours", "0", "t", 5))


def _section(html: str, key: str) -> str:
    return html.split(f'<section id="{key}">')[1].split("</section>")[0]


def test_without_stored_outlines_both_maps_say_why(demo: Settings, tmp_path: Path) -> None:
    result = portrait(demo, "dep:93", draws=0, out_dir=tmp_path)
    assert result.path is not None
    html = result.path.read_text(encoding="utf-8")
    assert "Contours non chargés : lancez « cotera data load »." in _section(html, "carte")
    barometer = next(s for s in result.sections if s.key == "barometre")
    assert barometer.data["map_reason"] == NOT_LOADED
    assert "carte" not in barometer.charts
    assert "fonds de carte disponibles" not in html  # the old, wrong reason


def test_maps_are_read_from_the_database_without_a_mirror(demo: Settings, tmp_path: Path) -> None:
    _store_squares(demo)
    result = portrait(demo, "dep:93", draws=0, out_dir=tmp_path)
    assert result.path is not None
    html = result.path.read_text(encoding="utf-8")
    charts = json.loads(re.search(r'id="cotera-charts"[^>]*>(.*?)</script>', html, re.S)[1])
    features = charts["carte-map"]["datasets"]["carte"]
    assert sorted(f["properties"]["code"] for f in features) == [
        "dep:01", "dep:03", "dep:07", "dep:75", "dep:93",
    ]  # fmt: skip
    assert charts["carte-map"]["projection"] == {"type": "identity", "reflectY": True}
    assert "barometre-carte" in charts
    assert "Carte : les 5 départements." in html
    barometer = next(s for s in result.sections if s.key == "barometre")
    assert barometer.data["map_reason"] == ""
