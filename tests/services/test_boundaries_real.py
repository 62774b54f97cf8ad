"""The ``contours`` source on the real mirror: what is stored, what cannot be placed, figures
checked against the raw files, portraits with maps and no mirror (slow: real loads)."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest
import shapely

from cotera.services.data_load import load_all
from cotera.services.database import database
from cotera.services.load_summary import LoadProgress, LoadStatus, SourceOutcome
from cotera.services.portrait_sections import portrait
from cotera.settings import Settings
from cotera.sources import cog
from cotera.sources.commune_outlines import outline_history, place_outlines, read_outlines
from cotera.sources.mirror import Mirror
from cotera.storage.boundary_store import boundary_counts, read_boundaries
from cotera.types import Level, MapDetail
from tests.browser import offline_page

pytestmark = pytest.mark.slow

# Current communes with no 2018 outline, checked by hand: split from Saline (14712),
# Neussargues en Pinatelle (15141) and Essarts en Bocage (85084) after 2018.
RECREATED = {"14666", "15031", "15035", "15047", "15171", "85165", "85212"}


@pytest.fixture(scope="module")
def loaded(
    mirror: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Settings, SourceOutcome]:
    directory = tmp_path_factory.mktemp("outlines")
    settings = Settings(
        database_url=f"sqlite:///{directory / 'cotera.sqlite'}",
        data_dir=directory,
        data_mirror=mirror,
    )
    events: list[LoadProgress] = []
    summary = load_all(settings, only="contours", progress=events.append)
    stages = [e.label for e in events if e.source_id == "contours" and e.outcome is None]
    assert "Contours : EPCI, carte nationale" in stages  # each stage is reported
    assert (
        len(stages) == 1 + 2 + 1 + 7 + 1
    )  # start, reading, dissolving, projection, 7 maps, writing
    for source in ("rp2018_epci", "bpe"):
        load_all(settings, only=source)
    again = load_all(settings, only="contours")
    assert [o.status for o in again.outcomes] == [LoadStatus.UNCHANGED, LoadStatus.UNCHANGED]
    return settings.model_copy(update={"data_mirror": None}), summary.outcomes[1]


def test_every_level_is_stored(loaded: tuple[Settings, SourceOutcome]) -> None:
    settings, outcome = loaded
    assert (outcome.source_id, outcome.status) == ("contours", LoadStatus.LOADED)
    with database(settings) as engine, engine.connect() as connection:
        counts = boundary_counts(connection)
    communes = 34_875 - len(RECREATED)
    assert counts == {
        (Level.COMMUNE, MapDetail.LOCAL): communes,
        (Level.EPCI, MapDetail.LOCAL): 1_255,
        (Level.EPCI, MapDetail.NATIONAL): 1_255,
        (Level.DEPARTEMENT, MapDetail.LOCAL): 101,
        (Level.DEPARTEMENT, MapDetail.NATIONAL): 101,
        (Level.REGION, MapDetail.LOCAL): 18,
        (Level.REGION, MapDetail.NATIONAL): 18,
    }
    assert outcome.rows == communes + 2 * (1_255 + 101 + 18)
    missing = {n.value.split()[0] for n in outcome.notes if n.code == "missing_outline" and n.value}
    assert missing == RECREATED
    assert not [n for n in outcome.notes if n.code in {"unplaced_outline", "over_budget"}]


def test_a_commune_nouvelle_is_the_union_of_its_former_communes(mirror: Path) -> None:
    source = Mirror(mirror)
    raw = json.loads(gzip.decompress((mirror / "geo/communes-2018.geojson.gz").read_bytes()))
    parts = {f["properties"]["code"]: f["geometry"] for f in raw["features"]}
    sables = shapely.union_all(
        [shapely.from_geojson(json.dumps(parts[c])) for c in ("85060", "85166", "85194")]
    )
    codes, geometries = read_outlines(source)
    names = {t.code.code: t.name for t in cog.load_territories(source) if t.level is Level.COMMUNE}
    placed = place_outlines(
        codes, geometries, names, cog.former_commune_codes(source), outline_history(source)
    )
    outline = placed.geometries[placed.codes.index("85194")]
    assert outline.area == pytest.approx(sables.area, rel=1e-9)
    assert outline.symmetric_difference(sables).area < 1e-9 * sables.area


def test_departements_match_the_ign_outlines(
    loaded: tuple[Settings, SourceOutcome], mirror: Path
) -> None:
    """Unions of communes against the IGN département file (another simplification of the same
    2018 outlines): areas within 1 %, shapes within 5 % (symmetric difference)."""
    ign = json.loads(
        (mirror / "geo/departements-avec-outre-mer.geojson").read_text(encoding="utf-8")
    )
    reference = {f"dep:{f['properties']['code']}": f["geometry"] for f in ign["features"]}
    with database(loaded[0]) as engine, engine.connect() as connection:
        stored = read_boundaries(connection, Level.DEPARTEMENT, detail=MapDetail.LOCAL)
    assert len(stored["features"]) == len(reference) == 101
    for feature in stored["features"]:
        ours = shapely.from_geojson(json.dumps(feature["geometry"]))
        theirs = shapely.from_geojson(json.dumps(reference[feature["properties"]["code"]]))
        assert ours.area == pytest.approx(theirs.area, rel=0.01), feature["properties"]
        assert ours.symmetric_difference(theirs).area < 0.05 * theirs.area, feature["properties"]


def test_national_epci_map_fits_its_budget(loaded: tuple[Settings, SourceOutcome]) -> None:
    with database(loaded[0]) as engine, engine.connect() as connection:
        epci = read_boundaries(connection, Level.EPCI)
        seine_saint_denis = read_boundaries(connection, Level.COMMUNE, "dep:93")
    assert len(epci["features"]) == 1_255
    assert len(json.dumps(epci, separators=(",", ":"))) < 1.5e6
    assert [i["nom"] for i in epci["cotera"]["insets"]] == [
        "Guadeloupe", "Martinique", "Guyane", "La Réunion", "Mayotte",
    ]  # fmt: skip
    assert len(seine_saint_denis["features"]) == 39


@pytest.mark.parametrize(("code", "shown"), [("com:93066", 39), ("epci:200054781", 1_232)])
def test_portraits_have_a_map_without_a_mirror(
    loaded: tuple[Settings, SourceOutcome], tmp_path: Path, code: str, shown: int
) -> None:
    settings = loaded[0]
    assert settings.data_mirror is None
    result = portrait(settings, code, draws=20, out_dir=tmp_path)
    assert result.path is not None
    html = result.path.read_text(encoding="utf-8")
    charts = json.loads(re.search(r'id="cotera-charts"[^>]*>(.*?)</script>', html, re.S)[1])
    features = charts["carte-map"]["datasets"]["carte"]
    assert len(features) == shown
    assert [f["properties"]["code"] for f in features if f["properties"]["cible"]] == [code]


@pytest.mark.browser
def test_national_epci_map_draws_in_chromium(
    loaded: tuple[Settings, SourceOutcome], tmp_path: Path
) -> None:
    """Overseas EPCI portrait: its peers are every EPCI, the DROM drawn as insets."""
    result = portrait(
        loaded[0], "epci:200041507", draws=0, out_dir=tmp_path
    )  # CA La Riviéra du Levant (971)
    assert result.path is not None
    with offline_page(result.path) as opened:
        chart = opened.page.locator("[data-chart='carte-map']")
        paths = chart.locator("svg path").count()
        screenshot = tmp_path / "carte-epci.png"
        chart.screenshot(path=str(screenshot))
    assert (opened.problems, opened.requested) == ([], [])
    assert paths >= 1_255  # one path per EPCI (and the frames of the insets)
    assert screenshot.stat().st_size > 50_000
