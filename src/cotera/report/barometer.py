"""Portrait section « Baromètre des partenariats »: who partners, in which form, on what.

The service gives a :class:`BarometerView` (frames of ``cotera.registry.barometer``: rates by
year, by kind of organisation, by form, by fragility, and the peers' rates for the map); this
module turns it into JSON-ready data, French sentences and Vega-Lite charts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import altair as alt
import polars as pl

from cotera.registry.model import OrganizationKind, PartnershipForm
from cotera.report.barometer_survey import survey_data, survey_spec
from cotera.report.basemap import BaseMap
from cotera.report.charts import WIDTH, choropleth_spec
from cotera.report.numbers import format_number
from cotera.report.sections import Section

KEY = "barometre"
TITLE = "Baromètre des partenariats"
SYNTHETIC_REGISTRY = "registre synthétique"
RATE_SCALE = alt.Scale(scheme="blues", zero=True)
NO_PEER_RATE = "Pas de carte des pairs : aucun n'a d'organisation active dans le registre."


@dataclass(frozen=True, slots=True)
class BarometerView:
    """Partnership rates of the territory (``partnership_rates`` frames) and of its peers.

    ``yearly`` has one row per year; ``by_kind``, ``by_form`` and ``by_fragility`` are for
    ``year`` and ``start``; ``peers`` (``territory``, ``name``, ``organizations``,
    ``partnering``, ``rate``) is for ``year``. ``survey`` is ``by_kind`` of ``year`` with the
    survey columns of ``cotera.registry.barometer.with_survey``.
    """

    territory: str
    name: str
    level_plural: str
    year: int
    start: int
    synthetic: bool
    yearly: pl.DataFrame
    by_kind: pl.DataFrame
    by_form: pl.DataFrame
    by_fragility: pl.DataFrame
    peers: pl.DataFrame
    fragility_labels: Mapping[str, str]
    survey: pl.DataFrame | None = None  # ``by_kind`` of ``year`` joined with the survey prism
    survey_reason: str = ""  # why there is no survey comparison


def section_title(synthetic: bool) -> str:
    """The section's title, saying when the registry is synthetic."""
    return f"{TITLE} ({SYNTHETIC_REGISTRY})" if synthetic else TITLE


def _pct(rate: float | None) -> str:
    return "–" if rate is None else format_number(100 * rate, 1) + "\u202f%"


def _records(
    frame: pl.DataFrame, year: int, key: str, labels: Mapping[str, str]
) -> list[dict[str, Any]]:
    rows = []
    end = frame.filter(pl.col("year") == year)
    start = {r[key]: r for r in frame.filter(pl.col("year") != year).iter_rows(named=True)}
    for row in end.iter_rows(named=True):
        before = start.get(row[key])
        rows.append(
            {
                "code": row[key],
                "label": labels.get(row[key], row[key]),
                "organizations": row["organizations"],
                "partnering": row["partnering"],
                "partnerships": row["partnerships"],
                "rate": row["rate"],
                "rate_start": None if before is None else before["rate"],
                "change_points": None
                if before is None or before["rate"] is None or row["rate"] is None
                else 100 * (row["rate"] - before["rate"]),
            }
        )
    return rows


def barometer_data(view: BarometerView) -> dict[str, Any]:
    """The section as JSON-ready data (rates 0–1, changes in points)."""
    kinds = {k.value: k.label() for k in OrganizationKind}
    forms = {f.value: f.label() for f in PartnershipForm}
    yearly = [
        {k: row[k] for k in ("year", "organizations", "partnering", "partnerships", "rate")}
        for row in view.yearly.sort("year").iter_rows(named=True)
    ]
    now = next(r for r in yearly if r["year"] == view.year)
    then = next((r for r in yearly if r["year"] == view.start), None)
    peers = view.peers.filter(pl.col("rate").is_not_null()).sort("rate", descending=True)
    codes = peers["territory"].to_list()
    rank = codes.index(view.territory) + 1 if view.territory in codes else None
    by_kind = _records(view.by_kind, view.year, "kind", kinds)
    summary = [
        f"{_pct(now['rate'])} des {format_number(now['organizations'], 0)} organisations "
        f"actives de {view.name} ont au moins un partenariat en {view.year} "
        f"({format_number(now['partnerships'], 0)} partenariats)."
    ]
    if then is not None and then["rate"] is not None and now["rate"] is not None:
        change = 100 * (now["rate"] - then["rate"])
        summary.append(
            f"Évolution {view.start}–{view.year} : {'+' if change >= 0 else ''}"
            f"{format_number(change, 1)} points "
            f"({_pct(then['rate'])} → {_pct(now['rate'])})."
        )
    summary += [
        f"{row['label'].capitalize()} : {_pct(row['rate'])} en partenariat."
        for row in by_kind
        if row["code"] in {"association", "company"}
    ]
    survey = survey_data(view.survey, view.survey_reason, view.territory, view.name)
    if rank is not None:
        summary.append(
            f"Rang {rank} sur {len(codes)} {view.level_plural} pour le taux de partenariat "
            "(1 = le plus élevé)."
        )
    return {
        "available": True,
        "synthetic": view.synthetic,
        "note": SYNTHETIC_REGISTRY if view.synthetic else None,
        "year": view.year,
        "start": view.start,
        "yearly": yearly,
        "by_kind": by_kind,
        "by_form": _records(view.by_form, view.year, "form", forms),
        "by_fragility": _records(view.by_fragility, view.year, "fragility", view.fragility_labels),
        "peers": [
            {k: row[k] for k in ("territory", "name", "organizations", "partnering", "rate")}
            for row in peers.iter_rows(named=True)
        ],
        "rank": rank,
        "summary": summary,
        "survey": survey,
    }


def _bars(rows: list[dict[str, Any]], title: str, name: str, synthetic: bool) -> dict[str, Any]:
    values = [
        {
            "nom": r["label"] if name != "fragilité" else f"{r['code']} {r['label']}",
            "taux": None if r["rate"] is None else 100 * r["rate"],
            "debut": None if r["rate_start"] is None else 100 * r["rate_start"],
            "organisations": r["partnering"],
            "partenariats": r["partnerships"],
        }
        for r in rows
    ]
    order = [str(v["nom"]) for v in values]
    y = alt.Y("nom:N", sort=order, title=None, axis=alt.Axis(labelLimit=260))
    x = alt.X("taux:Q", title="Organisations en partenariat (%)")
    base = alt.Chart(alt.InlineData(values=values))
    bars = base.mark_bar(height=12, color="#2171b5").encode(
        y=y,
        x=x,
        tooltip=[
            alt.Tooltip("nom:N", title=name),
            alt.Tooltip("taux:Q", title="taux (%)", format=".1f"),
            alt.Tooltip("debut:Q", title="taux au début (%)", format=".1f"),
            alt.Tooltip("organisations:Q", title="organisations en partenariat"),
            alt.Tooltip("partenariats:Q", title="partenariats"),
        ],
    )
    start = base.mark_tick(color="#b2182b", thickness=2, size=14).encode(y=y, x="debut:Q")
    labels = base.mark_text(align="left", dx=4).encode(
        y=y, x=x, text=alt.Text("taux:Q", format=".1f")
    )
    if synthetic:
        title += f" ({SYNTHETIC_REGISTRY})"
    chart = alt.layer(bars, start, labels).properties(width=WIDTH - 220, title=title)
    spec: dict[str, Any] = chart.to_dict()
    return spec


def evolution_spec(data: Mapping[str, Any]) -> dict[str, Any]:
    """The territory's partnership rate, year by year."""
    values = [
        {"annee": r["year"], "taux": None if r["rate"] is None else 100 * r["rate"]}
        for r in data["yearly"]
    ]
    title = "Part des organisations en partenariat, par année"
    if data["synthetic"]:
        title += f" ({SYNTHETIC_REGISTRY})"
    chart = (
        alt.Chart(alt.InlineData(values=values))
        .mark_line(point=True, color="#2171b5")
        .encode(
            x=alt.X("annee:O", title="Année"),
            y=alt.Y("taux:Q", title="Organisations en partenariat (%)", scale=alt.Scale(zero=True)),
            tooltip=[alt.Tooltip("annee:O", title="année"), alt.Tooltip("taux:Q", format=".1f")],
        )
        .properties(width=WIDTH - 220, height=180, title=title)
    )
    spec: dict[str, Any] = chart.to_dict()
    return spec


def barometer_section(view: BarometerView, base_map: BaseMap) -> Section:
    """The section, its data and its charts (the peers' map when outlines are available;
    otherwise ``map_reason`` says why)."""
    data = barometer_data(view)
    geojson = base_map.geojson
    data["map_reason"] = base_map.reason if geojson is None else ""
    data["map_note"] = base_map.note() if geojson is not None else ""
    if geojson is not None and not data["peers"]:
        data["map_reason"] = NO_PEER_RATE
    suffix = f" en {view.year}"
    charts = {
        "evolution": evolution_spec(data),
        "types": _bars(data["by_kind"], "Par type d'organisation" + suffix, "type", view.synthetic),
        "formes": _bars(
            data["by_form"], "Par forme de partenariat" + suffix, "forme", view.synthetic
        ),
        "fragilites": _bars(
            data["by_fragility"], "Par fragilité traitée" + suffix, "fragilité", view.synthetic
        ),
    }
    if data["survey"]["available"]:
        charts["enquete"] = survey_spec(data["survey"], view.year, view.synthetic)
    if geojson is not None and data["peers"]:
        title = f"Taux de partenariat des {view.level_plural} en {view.year}"
        if view.synthetic:
            title += f" ({SYNTHETIC_REGISTRY})"
        properties = {
            p["territory"]: {
                "nom": p["name"],
                "taux": None if p["rate"] is None else 100 * p["rate"],
                "organisations": p["organizations"],
            }
            for p in data["peers"]
        }
        charts["carte"] = choropleth_spec(
            geojson,
            properties,
            "taux",
            view.territory,
            title,
            ["Organisations en", "partenariat (%)"],
            [("taux", "taux (%)", ".1f"), ("organisations", "organisations actives", ",")],
            scale=RATE_SCALE,
        )
    return Section(KEY, section_title(view.synthetic), "barometer.html.j2", data, charts)
