"""The prisms, barometer and compass sections on hand-made inputs (synthétique), and the
portrait with all of them drawn offline in Chromium."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from cotera.diagnostic.model import Diagnostic
from cotera.registry.barometer import BarometerData, Dimension, partnership_rates, with_survey
from cotera.report.barometer import BarometerView, barometer_section
from cotera.report.basemap import BaseMap
from cotera.report.compass import compass_section
from cotera.report.portrait import render_portrait
from cotera.report.prisms import PrismsView, PrismWave, prisms_section
from cotera.report.sections import Section, sections_to_data, unavailable_section
from cotera.services.compass import example_request, run_compass
from cotera.survey.crossread import PerceivedScore, cross_read
from tests.browser import offline_page


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
    by_kind = rates([2010, 2015], [Dimension.KIND])
    survey = with_survey(by_kind.filter(pl.col("year") == 2015), _survey_prism())
    view = BarometerView(
        "dep:02", "Synthétique 02", "départements", 2015, 2010, True,
        rates(list(range(2010, 2016)), []), by_kind,
        rates([2010, 2015], [Dimension.FORM]), rates([2010, 2015], [Dimension.FRAGILITY]),
        peers, {"F01": "Emploi", "F03": "Niveau de vie"}, survey,
    )  # fmt: skip
    return barometer_section(view, BaseMap(squares))


def _survey_prism() -> pl.DataFrame:
    """Hand-made survey shares (the deck's associations: 38 / 38 / 24 %); companies secret."""
    shares = {"has": (0.38, 0.30, 0.47), "intends": (0.38, 0.30, 0.47), "none": (0.24, 0.17, 0.33)}
    association: dict[str, Any] = {"kind": "association", "n": 120, "status": "publié",
                                   "area": "dep:02", "area_name": "Synthétique 02",
                                   "local_status": "publié"}  # fmt: skip
    for key, (value, low, high) in shares.items():
        association |= {key: value, f"{key}_ci_low": low, f"{key}_ci_high": high}
    company = {"kind": "company", "status": "secret statistique", "area": "fr",
               "area_name": "France", "local_status": "secret statistique"}  # fmt: skip
    return pl.DataFrame([association, company]).with_columns(
        wave=pl.lit("vague-synth"), wave_synthetic=pl.lit(True)
    )


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


def test_barometer_section_compares_registry_and_survey(barometer: Section) -> None:
    survey = barometer.data["survey"]
    assert survey["available"] is True
    assert survey["synthetic"] is True
    rows = {r["kind"]: r for r in survey["rows"]}
    assert rows["association"]["rate"] == 1.0  # every association of dep:02 partners in 2015
    assert (rows["association"]["has"], rows["association"]["intends"]) == (0.38, 0.38)
    assert rows["company"]["has"] is None
    assert survey["summary"] == [
        "Associations : 100,0\u202f% en partenariat selon le registre ; selon l'enquête, "
        "38,0\u202f% ont un partenariat (IC 95 % : 30,0\u202f% – 47,0\u202f%) et 38,0\u202f% "
        "n'en ont pas mais en ont l'intention (120 répondants, répondants situés dans "
        "Synthétique 02).",
        "Entreprises : 100,0\u202f% en partenariat selon le registre ; enquête : secret "
        "statistique (trop peu de répondants dans Synthétique 02, ou un répondant y pèse plus "
        "de 85\u202f% du total pondéré : lecture à l'échelle « France »).",
    ]
    spec = barometer.charts["enquete"]
    assert spec["title"][1] == "(registre synthétique, enquête : données synthétiques)"
    values = [v for data in spec["datasets"].values() for v in data]
    bars = {(v["type"], v["serie"]): v["part"] for v in values if "serie" in v}
    assert bars == {
        ("Associations", "En partenariat (registre)"): 100.0,
        ("Associations", "Partenariat (enquête)"): 38.0,
        ("Associations", "Pas de partenariat mais intention (enquête)"): 38.0,
        ("Entreprises", "En partenariat (registre)"): 100.0,
    }
    assert [v["texte"] for v in values if "texte" in v] == ["secret statistique"]


def test_barometer_section_without_survey_says_why(
    squares: dict[str, Any], diagnostic: Diagnostic
) -> None:
    data = BarometerData.prepare(*_registry())

    def rates(by: list[Dimension]) -> pl.DataFrame:
        return partnership_rates(data, [2015], by)

    peers = pl.DataFrame(
        schema={"territory": pl.String, "organizations": pl.Int64, "partnering": pl.Int64,
                "rate": pl.Float64, "name": pl.String}
    )  # fmt: skip
    view = BarometerView(
        "dep:02", "Synthétique 02", "départements", 2015, 2015, True, rates([]),
        rates([Dimension.KIND]), rates([Dimension.FORM]), rates([Dimension.FRAGILITY]), peers, {},
        None, "Pourquoi pas d'enquête.",
    )  # fmt: skip
    section = barometer_section(view, BaseMap(squares))
    assert section.data["survey"]["available"] is False
    assert section.data["survey"]["reason"] == "Pourquoi pas d'enquête."
    assert "enquete" not in section.charts
    html = render_portrait(diagnostic, extra_sections=[section])
    assert "Pourquoi pas d&#39;enquête." in html


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
    html = render_portrait(
        diagnostic, BaseMap(squares), [prisms, barometer, compass], date(2026, 1, 5)
    )
    assert not re.search(r"(src|href)\s*=\s*[\"']?https?:", html, re.I)
    page_file = tmp_path / "portrait-sections.html"
    page_file.write_text(html, encoding="utf-8")
    with offline_page(page_file) as opened:
        page = opened.page
        new = [
            f"{section.key}-{chart}"
            for section in (prisms, barometer, compass)
            for chart in section.charts
        ]
        drawn = {key: page.locator(f"[data-chart='{key}'] svg").count() for key in new}
        map_paths = page.locator("[data-chart='barometre-carte'] svg path").count()
        secret = page.locator("[data-chart='prismes-scores'] svg text", has_text="secret").count()
        survey_secret = page.locator(
            "[data-chart='barometre-enquete'] svg text", has_text="secret statistique"
        ).count()
        page.screenshot(path=str(tmp_path / "portrait-sections.png"), full_page=True)
    problems, requested = opened.problems, opened.requested
    assert problems == []
    assert requested == []
    assert len(new) == 11
    assert all(count >= 1 for count in drawn.values()), drawn
    assert map_paths >= 4
    assert secret == 3
    assert survey_secret == 1
