"""Vega-Lite specs (built with Altair) for the portrait: map, profile, families, rank intervals.

Every spec carries its data inline (the map embeds its GeoJSON geometry), so a page needs nothing
but the offline Vega bundle to draw them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import altair as alt

from cotera.diagnostic.model import Diagnostic, Position
from cotera.diagnostic.priority import Certainty
from cotera.diagnostic.wording import level_noun
from cotera.types import MapDetail

WIDTH = 560
FAMILY_COLORS = {
    "Économique": "#1f77b4",
    "Sociale": "#d62728",
    "Sociétale": "#9467bd",
    "Environnementale": "#2ca02c",
}
FRAGILITY_SCALE = alt.Scale(scheme="orangered", domain=[0, 100])
MAP_DATA = "carte"


def _data(values: list[dict[str, Any]]) -> alt.InlineData:
    return alt.InlineData(values=values)


def _spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    spec: dict[str, Any] = chart.to_dict()
    return spec


def choropleth_spec(
    geojson: Mapping[str, Any],
    properties: Mapping[str, Mapping[str, Any]],
    value: str,
    target: str,
    title: str,
    legend: list[str],
    tooltip: list[tuple[str, str, str]],
    scale: alt.Scale = FRAGILITY_SCALE,
) -> dict[str, Any]:
    """Choropleth of the ``value`` property over ``geojson``, the ``target`` outlined.

    ``properties`` maps a feature code to its properties (``nom`` and ``value`` at least);
    features without a value are grey; ``tooltip`` lists (property, title, d3 format).
    The geometry is embedded in the spec.
    """
    features = []
    for feature in geojson.get("features", []):
        code = str(feature["properties"]["code"])
        known = properties.get(code)
        shown = {"nom": feature["properties"].get("nom", code), value: None}
        if known is not None:
            shown = {key: known.get(key) for key in ("nom", value, *known)}
        features.append(
            {
                "type": "Feature",
                "geometry": feature["geometry"],
                "properties": {"code": code, **shown, "cible": code == target},
            }
        )
    data = alt.NamedData(name=MAP_DATA)  # the features are attached after validation (below)
    base = alt.Chart(data).mark_geoshape(fill="#dddddd", stroke="white", strokeWidth=0.4)
    colored = (
        alt.Chart(data)
        .mark_geoshape(stroke="white", strokeWidth=0.4)
        .encode(
            color=alt.Color(f"properties.{value}:Q", scale=scale, title=legend),
            tooltip=[
                alt.Tooltip("properties.nom:N", title="territoire"),
                *(
                    alt.Tooltip(f"properties.{field}:Q", title=name, format=fmt or alt.Undefined)
                    for field, name, fmt in tooltip
                ),
            ],
        )
        .transform_filter(f"isValid(datum.properties.{value})")
    )
    outline = (
        alt.Chart(data)
        .mark_geoshape(fill=None, stroke="#08306b", strokeWidth=3)
        .transform_filter("datum.properties.cible")
    )
    drawing = geojson.get("cotera", {})
    layers = [base, colored, outline, *_inset_frames(drawing.get("insets", []))]
    projection = (
        {"type": "identity", "reflectY": True}  # planar km, DROM in insets
        if drawing.get("detail") == MapDetail.NATIONAL.value
        else {"type": "mercator"}  # longitude/latitude
    )
    chart = (
        alt.layer(*layers).project(**projection).properties(width=WIDTH, height=WIDTH, title=title)
    )
    spec = _spec(chart)
    spec.setdefault("datasets", {})[MAP_DATA] = features  # Altair would validate every vertex
    return spec


def _inset_frames(insets: list[dict[str, Any]]) -> list[alt.Chart]:
    """A grey frame and the name of each overseas inset (``read_boundaries``'s ``insets``)."""
    if not insets:
        return []
    frames, labels = [], []
    for inset in insets:
        x0, y0, x1, y1 = inset["bbox"]
        ring = [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
        frames.append({"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]},
                       "properties": {"nom": inset["nom"]}})  # fmt: skip
        labels.append({"nom": inset["nom"], "x": x0 + 4, "y": y1 - 4})
    box = alt.Chart(_data(frames)).mark_geoshape(fill=None, stroke="#999999", strokeWidth=0.6)
    names = (
        alt.Chart(_data(labels))
        .mark_text(align="left", baseline="top", fontSize=9, color="#555555")
        .encode(longitude="x:Q", latitude="y:Q", text="nom:N")
    )
    return [box, names]


def map_spec(diagnostic: Diagnostic, geojson: Mapping[str, Any]) -> dict[str, Any]:
    """Choropleth of the peers' overall percentile, the territory outlined in dark blue."""
    nouns = level_noun(diagnostic.level, plural=True)
    properties = {
        p.code: {
            "nom": p.name,
            "centile": p.percentile,
            "rang": p.rank,
        }
        for p in diagnostic.peers
    }
    return choropleth_spec(
        geojson,
        properties,
        "centile",
        diagnostic.territory,
        f"{diagnostic.name} parmi les {diagnostic.peers_count} {nouns}",
        ["Indice global", "(centile, 100 = le", "plus fragile)"],
        [("centile", "centile (100 = le plus fragile)", ".0f"), ("rang", "rang", ".1~f")],
    )


def profile_spec(diagnostic: Diagnostic) -> dict[str, Any]:
    """The 16 fragilities: the territory's percentile, with France and the parent placed alike;
    a fragility measured only by indicators that are not reliable is drawn pale and said so."""
    family_label = {f.code: f.label for f in diagnostic.families}
    parent_name = diagnostic.parent[1] if diagnostic.parent else None
    bars = []
    marks = []
    for fragility in diagnostic.fragilities:
        label = f"{fragility.code} {fragility.label}"
        position = fragility.position
        unreliable = position is not None and position.certainty is Certainty.NOT_RELIABLE
        bars.append(
            {
                "fragilite": label,
                "famille": family_label.get(fragility.family, fragility.family),
                "centile": None if position is None else position.percentile,
                "rang": None if position is None else position.rank_text(),
                "fiable": not unreliable,
                "etat": "pas de donnée"
                if position is None
                else ("indicateurs non fiables" if unreliable else ""),
            }
        )
        if fragility.france_percentile is not None:
            marks.append(
                {"fragilite": label, "repere": "France", "centile": fragility.france_percentile}
            )
        if parent_name and fragility.parent_percentile is not None:
            marks.append(
                {"fragilite": label, "repere": parent_name, "centile": fragility.parent_percentile}
            )
    order = [str(row["fragilite"]) for row in bars]
    y = alt.Y("fragilite:N", sort=order, title=None, axis=alt.Axis(labelLimit=260))
    x_scale = alt.Scale(domain=[0, 100])
    bar = (
        alt.Chart(_data(bars))
        .mark_bar(height=12)
        .encode(
            y=y,
            x=alt.X(
                "centile:Q",
                scale=x_scale,
                title="Position parmi les pairs (centile, 100 = le plus fragile)",
            ),
            color=alt.Color(
                "famille:N",
                scale=alt.Scale(domain=list(FAMILY_COLORS), range=list(FAMILY_COLORS.values())),
                title="Famille",
            ),
            opacity=alt.condition("datum.fiable", alt.value(1.0), alt.value(0.3)),
            tooltip=[
                alt.Tooltip("fragilite:N", title="fragilité"),
                alt.Tooltip("centile:Q", format=".0f"),
                alt.Tooltip("rang:N", title="rang"),
                alt.Tooltip("etat:N", title="réserve"),
            ],
        )
        .transform_filter("isValid(datum.centile)")
    )
    missing = (
        alt.Chart(_data(bars))
        .mark_text(align="left", dx=4, color="#777777", fontStyle="italic")
        .encode(y=y, x=alt.X("centile:Q", scale=x_scale), text="etat:N")
        .transform_calculate(centile="isValid(datum.centile) ? datum.centile : 0")
        .transform_filter("datum.etat != ''")
    )
    layers: list[alt.Chart] = [bar, missing]
    if marks:
        layers.append(
            alt.Chart(_data(marks))
            .mark_point(filled=True, size=70, opacity=0.9)
            .encode(
                y=y,
                x=alt.X("centile:Q", scale=x_scale),
                shape=alt.Shape(
                    "repere:N", title="Repère", scale=alt.Scale(range=["diamond", "circle"])
                ),
                color=alt.value("black"),
                tooltip=[
                    alt.Tooltip("repere:N", title="repère"),
                    alt.Tooltip("centile:Q", format=".0f"),
                ],
            )
        )
    chart = (
        alt.layer(*layers)
        .resolve_scale(color="independent", shape="independent")
        .properties(width=WIDTH - 200, title="Profil des 16 fragilités")
    )
    return _spec(chart)


def _interval_row(name: str, group: str, position: Position | None) -> dict[str, Any] | None:
    if position is None:
        return None
    interval = position.interval
    if position.certainty is Certainty.NOT_RELIABLE:
        group = "non fiable"
    return {
        "nom": name,
        "groupe": group,
        "rang": position.rank,
        "bas": interval.low if interval else position.rank,
        "median": interval.median if interval else position.rank,
        "haut": interval.high if interval else position.rank,
    }


def intervals_spec(diagnostic: Diagnostic) -> dict[str, Any]:
    """Rank of the territory with its 5–95 % interval: overall, families, fragilities."""
    rows = [_interval_row("Indice global", "global", diagnostic.overall)]
    rows += [
        _interval_row(f"Famille {f.label.lower()}", "famille", f.position)
        for f in diagnostic.families
    ]
    rows += [
        _interval_row(f"{f.code} {f.label}", "fragilité", f.position)
        for f in diagnostic.fragilities
    ]
    values = [row for row in rows if row is not None]
    order = [str(row["nom"]) for row in values]
    y = alt.Y("nom:N", sort=order, title=None, axis=alt.Axis(labelLimit=260))
    x_scale = alt.Scale(domain=[1, max(diagnostic.peers_count, 2)], nice=False)
    x_title = "Rang parmi les pairs (1 = le plus fragile), intervalle 5–95 %"
    base = alt.Chart(_data(values))
    rule = base.mark_rule(strokeWidth=2, color="#555555").encode(
        y=y, x=alt.X("bas:Q", scale=x_scale, title=x_title), x2="haut:Q"
    )
    point = base.mark_point(filled=True, size=60).encode(
        y=y,
        x=alt.X("median:Q", scale=x_scale),
        color=alt.Color(
            "groupe:N",
            title="Niveau",
            scale=alt.Scale(
                domain=["global", "famille", "fragilité", "non fiable"],
                range=["black", "#1f77b4", "#d62728", "#aaaaaa"],
            ),
        ),
        tooltip=[
            alt.Tooltip("nom:N", title="groupe"),
            alt.Tooltip("rang:Q", title="rang", format=".1~f"),
            alt.Tooltip("bas:Q", title="rang 5 %", format=".1f"),
            alt.Tooltip("haut:Q", title="rang 95 %", format=".1f"),
        ],
    )
    threshold = (
        alt.Chart(_data([{"seuil": diagnostic.top + 0.5}]))
        .mark_rule(strokeDash=[4, 4], color="#b2182b")
        .encode(x=alt.X("seuil:Q", scale=x_scale))
    )
    chart = alt.layer(rule, point, threshold).properties(
        width=WIDTH - 200,
        title=f"Rangs et incertitude (tirets : les {diagnostic.top} plus fragiles)",
    )
    return _spec(chart)


def families_spec(diagnostic: Diagnostic) -> dict[str, Any]:
    """Percentile of the four family scores and of the overall index."""
    rows = [
        {"nom": f.label, "centile": f.position.percentile, "rang": f.position.rank}
        for f in diagnostic.families
        if f.position is not None
    ]
    if diagnostic.overall is not None:
        rows.append(
            {
                "nom": "Indice global",
                "centile": diagnostic.overall.percentile,
                "rang": diagnostic.overall.rank,
            }
        )
    order = [str(row["nom"]) for row in rows]
    base = alt.Chart(_data(rows)).encode(
        y=alt.Y("nom:N", sort=order, title=None),
        x=alt.X(
            "centile:Q", scale=alt.Scale(domain=[0, 100]), title="Centile (100 = le plus fragile)"
        ),
    )
    bars = base.mark_bar(height=16).encode(
        color=alt.Color("centile:Q", scale=FRAGILITY_SCALE, legend=None),
        tooltip=[alt.Tooltip("nom:N", title="famille"), alt.Tooltip("rang:Q", format=".1~f")],
    )
    labels = base.mark_text(align="left", dx=4).encode(text=alt.Text("centile:Q", format=".0f"))
    chart = alt.layer(bars, labels).properties(width=WIDTH - 200, title="Scores par famille")
    return _spec(chart)
