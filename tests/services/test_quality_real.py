"""Data quality, ties and minimum coverage on the real data (slow: a real load of the mirror).

The public digital spaces (BPE 2013, ``public_digital_spaces_per_10k``) must come out "non
comparable" at every level, unemployment and poverty "fiable"; the EPCI portrait's F13 rank,
percentile, chart and sentence must agree; a commune diagnostic must not print an overall rank.
"""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import polars as pl
import pytest

from cotera.diagnostic.priority import Certainty
from cotera.indicators.quality import DataQuality, QualityReason
from cotera.services.data_load import load_all
from cotera.services.data_quality import quality_table
from cotera.services.database import database
from cotera.services.diagnostic import diagnose
from cotera.settings import Settings
from cotera.storage.indicator_quality import read_quality
from cotera.storage.indicator_store import read_observations
from cotera.types import Level
from tests.browser import offline_page

EPN = "public_digital_spaces_per_10k"
FAUCIGNY_GLIERES = "epci:200000172"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "indicators.md"


@pytest.fixture(scope="module")
def real(mirror: Path, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    directory = tmp_path_factory.mktemp("quality-real")
    settings = Settings(
        database_url=f"sqlite:///{directory / 'cotera.sqlite'}",
        data_dir=directory,
        data_mirror=mirror,
    )
    load_all(settings)
    return settings


@pytest.mark.slow
def test_statuses_on_the_real_data_and_the_documented_table(real: Settings) -> None:
    with database(real) as engine, engine.connect() as connection:
        stored = read_quality(connection)
    found = {(q.indicator, q.level, q.year): q for q in stored}
    for level in (Level.REGION, Level.DEPARTEMENT, Level.EPCI, Level.COMMUNE, Level.COUNTRY):
        epn = found[(EPN, level, 2013)]
        assert epn.status is DataQuality.NOT_COMPARABLE, level
        assert QualityReason.CONCENTRATED in epn.reasons
        assert epn.region_name == "Bretagne"
    assert QualityReason.MOSTLY_ZEROS in found[(EPN, Level.EPCI, 2013)].reasons
    for code, years in (
        ("unemployment_rate", range(2012, 2022)),
        ("poverty_rate", range(2013, 2022)),
    ):
        for level in (Level.REGION, Level.DEPARTEMENT, Level.COUNTRY):
            assert {found[(code, level, y)].status for y in years} == {DataQuality.RELIABLE}
    documented = DOCS.read_text(encoding="utf-8")
    block = re.search(
        r"<!-- quality-table:start -->\n(.*?)<!-- quality-table:end -->", documented, re.S
    )
    assert block is not None
    assert block.group(1) == quality_table(stored)


@pytest.mark.slow
def test_epci_portrait_f13_rank_percentile_chart_and_sentence_agree(real: Settings) -> None:
    portrait = diagnose(real, FAUCIGNY_GLIERES, draws=100, seed=3)
    diagnostic = portrait.diagnostic
    f13 = next(f for f in diagnostic.fragilities if f.code == "F13")
    position = f13.position
    assert position is not None
    (reading,) = f13.indicators
    assert reading.value == 0.0
    # the metropolitan EPCI at 0 that year, counted on the stored rows: they span ranks 1 to
    # zeros, so each has the mid-rank (1 + zeros) / 2 — not rank 1 with the 28th percentile
    with database(real) as engine, engine.connect() as connection:
        stored = read_observations(connection, indicators=[EPN], years=[2013])
    peers = {p.code for p in diagnostic.peers}
    zeros = stored.filter(pl.col("territory").is_in(peers) & (pl.col("value") == 0)).height
    assert zeros > 800
    n = diagnostic.peers_count
    assert position.rank == reading.rank == (1 + zeros) / 2
    assert position.ties == reading.ties == zeros - 1
    assert position.percentile == pytest.approx(100 * (n - position.rank) / (n - 1))
    assert position.interval is not None
    assert position.interval.low == position.interval.high == position.rank
    assert f"ex aequo avec {zeros - 1} autres EPCI sur les rangs 1 à {zeros}" in position.sentence
    # not reliable: never a priority, and the sentence says why
    assert position.certainty is Certainty.NOT_RELIABLE
    assert "F13" not in [p.fragility for p in diagnostic.priorities]
    assert position.sentence.startswith("non retenue comme priorité : aucun indicateur fiable")
    assert "Bretagne concentre" in position.sentence
    # the profile chart plots that percentile, the table prints that rank
    assert portrait.path is not None
    html = portrait.path.read_text(encoding="utf-8")
    charts = json.loads(
        re.search(
            r'<script id="cotera-charts" type="application/json">(.*?)</script>', html, re.S
        ).group(1)  # type: ignore[union-attr]
    )
    profile = charts["profil-profile"]
    bars = next(
        row for rows in profile["datasets"].values() for row in rows
        if row.get("fragilite", "").startswith("F13") and "famille" in row
    )  # fmt: skip
    assert bars["centile"] == pytest.approx(position.percentile)
    assert bars["fiable"] is False
    assert (
        f'{round(position.rank)} / {n}<span class="ties">ex aequo : 1–{zeros}</span></td>' in html
    )
    # 6 fragilities measured by reliable indicators (F05, F07, F08, F10, F12, F14): no overall
    assert diagnostic.coverage.reliable == ("F05", "F07", "F08", "F10", "F12", "F14")
    assert diagnostic.overall is None


@pytest.mark.slow
def test_departements_f13_rests_on_the_fibre_alone(real: Settings) -> None:
    creuse = diagnose(real, "dep:23", draws=0, write=False).diagnostic
    f13 = next(f for f in creuse.fragilities if f.code == "F13")
    fibre, epn = f13.indicators
    assert (fibre.code, fibre.quality, fibre.scored) == (
        "fibre_deployment_rate", DataQuality.RELIABLE, True,
    )  # fmt: skip
    assert (epn.code, epn.value, epn.quality, epn.scored) == (
        EPN, 0.0, DataQuality.NOT_COMPARABLE, False,
    )  # fmt: skip
    assert f13.position is not None
    assert f13.position.percentile == pytest.approx(fibre.percentile)
    assert len(creuse.coverage.reliable) == 16
    assert creuse.overall is not None


@pytest.mark.slow
def test_a_commune_diagnostic_has_no_overall_rank(real: Settings) -> None:
    portrait = diagnose(real, "com:23096", draws=0)  # Guéret
    diagnostic = portrait.diagnostic
    assert diagnostic.overall is None
    assert diagnostic.coverage.reliable == ("F14",)
    assert diagnostic.coverage.unreliable_only == ("F08", "F12", "F13")
    assert all(p.fragility == "F14" for p in diagnostic.priorities)
    assert {f.code for f in diagnostic.families if f.position is not None} == set()
    assert diagnostic.coverage.overall_withheld == (
        "Guéret n'a qu'une fragilité sur 16 mesurée par des indicateurs "
        "fiables, il en faut au moins 8 ; les fragilités se lisent une à une"
    )
    assert all(p.rank is None for p in diagnostic.peers)
    assert portrait.path is not None
    html = unescape(portrait.path.read_text(encoding="utf-8"))
    assert "Indice global de fragilité</strong> : non calculé, Guéret n'a qu'une" in html
    assert "Indice global de fragilité</strong> : rang" not in html


@pytest.mark.browser
def test_epci_portrait_renders_offline_with_its_caveats(real: Settings, tmp_path: Path) -> None:
    portrait = diagnose(real, FAUCIGNY_GLIERES, draws=50, seed=3, out_dir=tmp_path)
    assert portrait.path is not None
    with offline_page(portrait.path) as opened:
        page = opened.page
        charts = page.locator("[data-chart]").count()
        drawn = page.locator("[data-chart] svg").count()
        page.screenshot(path=str(tmp_path / "portrait-epci.png"), full_page=True)
        synthesis = page.locator("#synthese").inner_text()
    assert opened.problems == []
    assert opened.requested == []
    assert charts == 4  # the map of the EPCI among its peers, from the stored outlines
    assert drawn >= charts
    assert synthesis.index("Couverture") < synthesis.index("Indice global de fragilité")
    assert "Non retenues comme priorités" in synthesis
