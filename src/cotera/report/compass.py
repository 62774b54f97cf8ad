"""Portrait section « Boussole de la co-construction »: stage, value chain, money, roadmap.

Turns a :class:`cotera.compass.Compass` into the section's data (``compass_to_data``), an HTML
diagram of the value chain (template) and Vega-Lite charts: maturity by dimension, the
four-thirds balance and the cost structure against the benchmark ranges.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import altair as alt

from cotera.compass import Compass, compass_to_data
from cotera.report.charts import WIDTH
from cotera.report.sections import Section

KEY = "boussole"
TITLE = "Boussole de la co-construction"
SYNTHETIC_ANSWERS = "réponses d'exemple synthétiques"
THIRD = 100 / 3


def section_title(synthetic: bool) -> str:
    """The section's title, saying when the answers are the packaged synthetic example."""
    return f"{TITLE} ({SYNTHETIC_ANSWERS})" if synthetic else TITLE


def _spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    spec: dict[str, Any] = chart.to_dict()
    return spec


def maturity_spec(data: Mapping[str, Any]) -> dict[str, Any]:
    """Score of each of the four dimensions (share of points) and the stage it alone reaches."""
    values = [
        {"dimension": d["label"], "score": 100 * d["score"], "etape": f"étape {d['stage']}"}
        for d in data["maturity"]["dimensions"]
    ]
    base = alt.Chart(alt.InlineData(values=values)).encode(
        y=alt.Y("dimension:N", sort=None, title=None),
        x=alt.X("score:Q", scale=alt.Scale(domain=[0, 100]), title="Score (% des points)"),
    )
    bars = base.mark_bar(height=16, color="#41ab5d").encode(
        tooltip=[alt.Tooltip("dimension:N"), alt.Tooltip("score:Q", format=".0f"), "etape:N"]
    )
    text = base.mark_text(align="left", dx=4).encode(text="etape:N")
    title = f"Maturité : étape {data['maturity']['stage']} – {data['maturity']['stage_label']}"
    return _spec(alt.layer(bars, text).properties(width=WIDTH - 220, title=title))


def thirds_spec(data: Mapping[str, Any]) -> dict[str, Any]:
    """The four thirds: each source's share of the money resources against the 1/3 target."""
    thirds = data["economics"]["thirds"]
    values = [
        {"tiers": t["label"], "part": 100 * t["share"], "montant": t["amount"]} for t in thirds
    ]
    base = alt.Chart(alt.InlineData(values=values))
    x = alt.X("part:Q", title="Part des ressources financières de l'ingénierie (%)")
    y = alt.Y("tiers:N", sort=None, title=None, axis=alt.Axis(labelLimit=220))
    bars = base.mark_bar(height=16, color="#6a51a3").encode(
        y=y,
        x=x,
        tooltip=[
            alt.Tooltip("tiers:N"),
            alt.Tooltip("part:Q", format=".0f"),
            alt.Tooltip("montant:Q", title="montant (€)", format=",.0f"),
        ],
    )
    text = base.mark_text(align="left", dx=4).encode(
        y=y, x=x, text=alt.Text("part:Q", format=".0f")
    )
    target = (
        alt.Chart(alt.InlineData(values=[{"cible": THIRD}]))
        .mark_rule(strokeDash=[4, 4], color="#b2182b")
        .encode(x="cible:Q")
    )
    title = "Règle des 4 tiers (tirets : 1/3 ; bénévolat valorisé en plus des ressources)"
    return _spec(alt.layer(bars, text, target).properties(width=WIDTH - 220, title=title))


def costs_spec(data: Mapping[str, Any]) -> dict[str, Any]:
    """Each cost category's share of the engineering costs, and its benchmark range."""
    values = []
    for cost in data["economics"]["cost_structure"]:
        low, high = cost["benchmark"] if cost["benchmark"] else (None, None)
        values.append(
            {
                "poste": cost["label"],
                "part": 100 * cost["share"],
                "bas": None if low is None else 100 * low,
                "haut": None if high is None else 100 * high,
            }
        )
    base = alt.Chart(alt.InlineData(values=values))
    y = alt.Y("poste:N", sort=None, title=None)
    scale = alt.Scale(domain=[0, 100])
    ranges = base.mark_bar(height=14, color="#c7e9c0").encode(
        y=y, x=alt.X("bas:Q", scale=scale, title="Part des charges de l'ingénierie (%)"),
        x2="haut:Q",
    )  # fmt: skip
    points = base.mark_point(filled=True, size=80, color="#00441b", shape="diamond").encode(
        y=y,
        x=alt.X("part:Q", scale=scale),
        tooltip=[
            alt.Tooltip("poste:N"),
            alt.Tooltip("part:Q", title="part (%)", format=".0f"),
            alt.Tooltip("bas:Q", title="repère bas (%)", format=".0f"),
            alt.Tooltip("haut:Q", title="repère haut (%)", format=".0f"),
        ],
    )
    title = "Structure des coûts (losange) et repères du support (bande verte)"
    return _spec(alt.layer(ranges, points).properties(width=WIDTH - 220, title=title))


def compass_section(compass: Compass, synthetic: bool = False) -> Section:
    """The section, its data (``compass_to_data`` plus a summary) and its charts."""
    data = compass_to_data(compass)
    maturity = compass.maturity
    summary = [
        f"Étape {maturity.stage} du cheminement : {maturity.stage_label}.",
        f"Prochaine solution d'ingénierie : {maturity.next_solution_label} ("
        + ", ".join(step.label.fr for step in maturity.next_steps)
        + ").",
        f"Chaîne de valeur : {compass.value_chain.active_count} partie(s) prenante(s) active(s) "
        f"sur {len(compass.value_chain.stakeholders)}.",
        f"Dispositif : {compass.dispositif.label}.",
    ]
    data = {
        "available": True,
        "synthetic": synthetic,
        "note": SYNTHETIC_ANSWERS if synthetic else None,
        "summary": summary,
        **data,
    }
    charts = {"maturite": maturity_spec(data)}
    if compass.economics is not None:
        charts["tiers"] = thirds_spec(data)
        charts["couts"] = costs_spec(data)
    return Section(KEY, section_title(synthetic), "compass.html.j2", data, charts)
