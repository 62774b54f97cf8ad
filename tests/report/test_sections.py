"""The prisms, barometer and compass sections on hand-made inputs (synthétique), and the
portrait with all of them drawn offline in Chromium."""

from __future__ import annotations

import json
import os
import re
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from cotera.diagnostic.model import Diagnostic
from cotera.registry.barometer import BarometerData, Dimension, partnership_rates
from cotera.report.barometer import BarometerView, barometer_section
from cotera.report.compass import compass_section
from cotera.report.portrait import render_portrait
from cotera.report.prisms import PrismsView, PrismWave, prisms_section
from cotera.report.sections import Section, sections_to_data, unavailable_section
from cotera.services.compass import example_request, run_compass
from cotera.survey.crossread import PerceivedScore, cross_read

CHROMIUM = "/usr/bin/chromium"


def _score(p: float, n: int = 400, hidden: bool = False) -> PerceivedScore:
    se = (p * (1 - p) / n) ** 0.5
    return PerceivedScore(p, se, p - 1.96 * se, p + 1.96 * se, n, hidden)


@pytest.fixture(scope="module")
def prisms() -> Section:
    scores = {
        "citizens": {"F01": _score(0.49), "F03": _score(0.40), "F04": _score(0.38)},
        "companies": {"F01": _score(0.55), "F03": _score(0.20), "F04": _score(0.35)},
        "associations": {"F01": _score(0.6, 2, True), "F03": _score(0.5, 2, True),
                         "F04": _score(0.4, 2, True)},
    }  # fmt: skip
    reading = cross_read(scores, {"F03": 0.2, "F04": 1.0}, priorities=1)
    waves = (
        PrismWave("citizens", "Citoyens", "c-synth", 400, True),
        PrismWave("companies", "Entreprises", "e-synth", 400, True),
        PrismWave("associations", "Associations", "a-synth", 2, True),
    )
    labels = {"F01": "Emploi", "F03": "Niveau de vie", "F04": "Pauvreté"}
    return prisms_section(PrismsView("dep:02", "Synthétique 02", "Note.", waves, reading, labels))


def test_prisms_section_data_and_charts(prisms: Section) -> None:
    assert prisms.title == "Les trois prismes (données synthétiques)"
    rows = {r["fragility"]: r for r in prisms.data["fragilities"]}
    assert rows["F01"]["scores"]["associations"]["status"] == "secret statistique"
    assert "estimate" not in rows["F01"]["scores"]["associations"]
    # companies 20 % vs citizens 40 % on F03 (n = 400 each): beyond sampling error
    assert rows["F03"]["agreement"] == "divergent"
    assert any("Entreprises" in s and "F03" in s for s in prisms.data["divergences"])
    assert rows["F04"]["gap"] == pytest.approx(rows["F04"]["perceived_percentile"] - 1.0)
    spec = json.dumps(prisms.charts["scores"], ensure_ascii=False)
    assert "secret statistique" in spec
    assert "(données synthétiques)" in spec
    assert set(prisms.charts) == {"scores", "gaps"}


def _registry() -> tuple[pl.DataFrame, pl.DataFrame]:
    """Four synthetic organisations of dep:02 and two partnerships."""
    organizations = pl.DataFrame(
        {
            "id": [1, 2, 3, 4],
            "kind": ["association", "association", "company", "company"],
            "size_band": ["0", "0", "1-9", "1-9"],
            "created_year": [2000, 2000, 2000, 2013],
            "dissolved_year": [None, None, None, None],
            "territory": ["dep:02"] * 4,
        },
        schema_overrides={"dissolved_year": pl.Int32},
    )
    members = pl.DataFrame(
        {
            "partnership_id": [10, 10, 11, 11],
            "organization_id": [1, 3, 2, 4],
            "form": ["patronage", "patronage", "societal_innovation", "societal_innovation"],
            "fragility_mask": [1, 1, 4, 4],
            "start_year": [2010, 2010, 2014, 2014],
            "end_year": [None, None, None, None],
        },
        schema_overrides={"end_year": pl.Int32},
    )
    return organizations, members


@pytest.fixture(scope="module")
def barometer(squares: dict[str, Any]) -> Section:
    organizations, members = _registry()
    data = BarometerData.prepare(organizations, members)

    def rates(years: list[int], by: list[Dimension]) -> pl.DataFrame:
        return partnership_rates(data, years, by)

    peers = pl.DataFrame(
        {
            "territory": ["dep:01", "dep:02", "dep:03"],
            "organizations": [10, 4, 8],
            "partnering": [2, 4, 6],
            "rate": [0.2, 1.0, 0.75],
            "name": ["Synthétique 01", "Synthétique 02", "Synthétique 03"],
        }
    )
    view = BarometerView(
        "dep:02", "Synthétique 02", "départements", 2015, 2010, True,
        rates(list(range(2010, 2016)), []), rates([2010, 2015], [Dimension.KIND]),
        rates([2010, 2015], [Dimension.FORM]), rates([2010, 2015], [Dimension.FRAGILITY]),
        peers, {"F01": "Emploi", "F03": "Niveau de vie"},
    )  # fmt: skip
    return barometer_section(view, squares)


def test_barometer_section_counts_and_map(barometer: Section) -> None:
    assert barometer.title == "Baromètre des partenariats (registre synthétique)"
    yearly = {r["year"]: r for r in barometer.data["yearly"]}
    # 2010: three organisations exist, two in partnership 10; 2015: four, all partnering
    assert (yearly[2010]["organizations"], yearly[2010]["partnering"]) == (3, 2)
    assert (yearly[2015]["organizations"], yearly[2015]["partnering"]) == (4, 4)
    kinds = {r["code"]: r for r in barometer.data["by_kind"]}
    assert (kinds["association"]["rate_start"], kinds["association"]["rate"]) == (0.5, 1.0)
    assert kinds["association"]["change_points"] == pytest.approx(50.0)
    assert (kinds["company"]["organizations"], kinds["company"]["rate_start"]) == (2, 1.0)
    assert barometer.data["rank"] == 1
    spec = barometer.charts["carte"]
    features = spec["datasets"][next(iter(spec["datasets"]))]
    target = [f["properties"] for f in features if f["properties"]["cible"]]
    assert target == [{"code": "dep:02", "nom": "Synthétique 02", "taux": 100.0,
                       "organisations": 4, "cible": True}]  # fmt: skip
    assert "(registre synthétique)" in spec["title"]


@pytest.fixture(scope="module")
def compass() -> Section:
    return compass_section(run_compass(example_request()), synthetic=True)


def test_compass_section(compass: Section, diagnostic: Diagnostic) -> None:
    assert compass.title == "Boussole de la co-construction (réponses d'exemple synthétiques)"
    assert set(compass.charts) == {"maturite", "tiers", "couts"}
    html = render_portrait(diagnostic, extra_sections=[compass])
    assert html.count("data-stakeholder=") == 6
    assert "Feuille de route, dans l'ordre" in html
    data = sections_to_data([compass, unavailable_section("x", "X", "Pourquoi.")])
    assert data[1] == {"key": "x", "title": "X", "available": False, "reason": "Pourquoi."}
    assert data[0]["maturity"]["stage"] == compass.data["maturity"]["stage"]


@pytest.mark.browser
def test_sections_render_offline_in_chromium(
    diagnostic: Diagnostic,
    squares: dict[str, Any],
    prisms: Section,
    barometer: Section,
    compass: Section,
    tmp_path: Path,
) -> None:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing (scripts/setup-debian.sh installs it)")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    html = render_portrait(diagnostic, squares, [prisms, barometer, compass], date(2026, 1, 5))
    assert not re.search(r"(src|href)\s*=\s*[\"']?https?:", html, re.I)
    page_file = tmp_path / "portrait-sections.html"
    page_file.write_text(html, encoding="utf-8")
    problems: list[str] = []
    requested: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: problems.append(str(error)))

        def block(route):  # type: ignore[no-untyped-def]
            if route.request.url.startswith("file:"):
                route.continue_()
            else:
                requested.append(route.request.url)
                route.abort()

        page.route("**/*", block)
        page.goto(page_file.as_uri())
        page.wait_for_function(
            "document.querySelectorAll('[data-chart]').length =="
            " document.querySelectorAll('[data-chart][data-rendered]').length",
            timeout=60_000,
        )
        new = [
            f"{section.key}-{chart}"
            for section in (prisms, barometer, compass)
            for chart in section.charts
        ]
        drawn = {key: page.locator(f"[data-chart='{key}'] svg").count() for key in new}
        map_paths = page.locator("[data-chart='barometre-carte'] svg path").count()
        secret = page.locator("[data-chart='prismes-scores'] svg text", has_text="secret").count()
        page.screenshot(path=str(tmp_path / "portrait-sections.png"), full_page=True)
        browser.close()
    assert problems == []
    assert requested == []
    assert len(new) == 10
    assert all(count >= 1 for count in drawn.values()), drawn
    assert map_paths >= 4
    assert secret == 3
