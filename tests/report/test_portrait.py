from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from cotera.diagnostic.model import Diagnostic
from cotera.report.basemap import BaseMap
from cotera.report.numbers import NARROW_NBSP
from cotera.report.portrait import render_portrait
from cotera.report.sections import Section


def _charts(html: str) -> dict[str, Any]:
    match = re.search(
        r'<script id="cotera-charts" type="application/json">(.*?)</script>', html, re.S
    )
    assert match is not None
    charts: dict[str, Any] = json.loads(match.group(1))
    return charts


def test_page_is_self_contained(diagnostic: Diagnostic, squares: dict[str, Any]) -> None:
    html = render_portrait(diagnostic, BaseMap(squares), generated=date(2026, 11, 26))
    assert not re.search(r"<(script|link)\b[^>]*\b(src|href)\s*=", html, re.I)
    assert not re.search(r"(src|href)\s*=\s*[\"']?https?:", html, re.I)
    assert "vegaEmbed" in html
    assert html.count("<script") == 4
    assert "<\\/script" not in html.split('<script id="cotera-charts"')[0]


def test_french_content_and_sections(diagnostic: Diagnostic, squares: dict[str, Any]) -> None:
    html = render_portrait(diagnostic, BaseMap(squares), generated=date(2026, 11, 26))
    assert '<html lang="fr">' in html
    for key in ("synthese", "carte", "profil", "rangs", "valeurs", "couverture", "methode"):
        assert f'<section id="{key}">' in html
    assert f"16{NARROW_NBSP}745</td>" in html  # the territory's income, French format
    assert "Revenu médian (synthétique) (€)" in html
    assert '27,8<br><span class="note">population 2026 (approximation)</span></td>' in html
    assert "(2020)" in html  # France's poverty value is from another year: said
    assert "Licence Ouverte" in html
    assert "Source synthétique" in html
    assert "quelle que soit la méthode" in html  # F03: interval [1, 1] within the top 1
    assert "dépend de la méthode" in html  # F04: interval [1, 2.5]
    assert "26/11/2026" in html


def test_map_embeds_geometry_and_outlines_the_territory(
    diagnostic: Diagnostic, squares: dict[str, Any]
) -> None:
    charts = _charts(render_portrait(diagnostic, BaseMap(squares)))
    assert set(charts) == {"carte-map", "profil-profile", "profil-families", "rangs-intervals"}
    spec = charts["carte-map"]
    features = spec["datasets"][next(iter(spec["datasets"]))]
    assert len(features) == 4
    assert all(f["geometry"]["type"] == "Polygon" for f in features)
    target = [f["properties"] for f in features if f["properties"]["cible"]]
    assert target == [
        {"code": "dep:02", "nom": "Synthétique 02", "centile": 100.0, "rang": 1, "cible": True}
    ]


def test_without_outlines_the_map_section_says_why(diagnostic: Diagnostic) -> None:
    html = render_portrait(diagnostic)
    section = html.split('<section id="carte">')[1].split("</section>")[0]
    assert "Contours non chargés : lancez « cotera data load »." in section
    assert "carte-map" not in _charts(html)


def test_national_outlines_are_drawn_flat_with_inset_frames(
    diagnostic: Diagnostic, squares: dict[str, Any]
) -> None:
    inset = {"code": "dep:971", "nom": "Guadeloupe", "bbox": [-880.0, 360.0, -680.0, 560.0]}
    national = {**squares, "cotera": {"detail": "national", "insets": [inset]}}
    html = render_portrait(diagnostic, BaseMap(national, scope="les 4 départements"))
    spec = _charts(html)["carte-map"]
    assert spec["projection"] == {"type": "identity", "reflectY": True}
    frames = [
        d
        for d in spec["datasets"].values()
        if d and d[0].get("properties", {}).get("nom") == "Guadeloupe"
    ]
    assert frames[0][0]["geometry"]["coordinates"][0][0] == [-880.0, 360.0]
    assert "en encarts, chacun à sa propre échelle" in html
    assert "Carte : les 4 départements." in html
    local = _charts(render_portrait(diagnostic, BaseMap(squares)))["carte-map"]
    assert local["projection"] == {"type": "mercator"}


def test_extra_sections_come_before_the_appendix(diagnostic: Diagnostic) -> None:
    extra = Section("coverage-bis", "Section ajoutée", "coverage.html.j2")
    html = render_portrait(diagnostic, extra_sections=[extra])
    assert html.index('<section id="coverage-bis">') < html.index('<section id="methode">')
    assert html.index('<section id="couverture">') < html.index('<section id="coverage-bis">')


def test_values_say_the_france_perimeter_and_approximate_denominators(
    diagnostic: Diagnostic,
) -> None:
    html = render_portrait(diagnostic)
    start = html.index('<table class="values">')
    values = html[start : html.index("</table>", start)]
    assert "France métropolitaine" in values  # revenu
    assert "France entière" in values  # pauvreté
    assert values.count("population 2026 (approximation)") == 1  # the territory's pauvreté
    assert "Dénominateurs : 1 indicateur(s) sur 2" in html
