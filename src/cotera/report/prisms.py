"""Portrait section « Les trois prismes »: perceived impact by prism against the diagnostic.

The service gives a :class:`PrismsView` (the waves used, the geographic scope and the
cross-reading of ``cotera.survey.crossread`` against the diagnostic's percentiles);
this module turns it into JSON-ready data, French sentences and two Vega-Lite charts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import altair as alt

from cotera.report.charts import WIDTH
from cotera.report.numbers import format_number
from cotera.report.sections import Section
from cotera.survey.crossread import Agreement, CrossReading
from cotera.survey.synthetic import SYNTHETIC_LABEL

KEY = "prismes"
TITLE = "Les trois prismes"
SECRET = "secret statistique"
PRISM_COLORS = {
    "Citoyens": "#1b9e77",
    "Entreprises": "#d95f02",
    "Associations": "#7570b3",
    "Institutions et élus": "#e7298a",
}
GAP_NOTABLE = 0.33  # |perceived - measured| percentile gap worth a sentence (a third of the range)


@dataclass(frozen=True, slots=True)
class PrismWave:
    """A stored wave read for one prism, and how many of its respondents are in the scope."""

    prism: str
    label: str
    wave: str
    respondents: int
    synthetic: bool


@dataclass(frozen=True, slots=True)
class PrismsView:
    """What the section shows: the scope, the waves and their cross-reading (objective 0–1)."""

    scope: str
    scope_name: str
    scope_note: str
    waves: tuple[PrismWave, ...]
    reading: CrossReading
    labels: Mapping[str, str]

    @property
    def synthetic(self) -> bool:
        """True when any wave used is synthetic."""
        return any(w.synthetic for w in self.waves)


def section_title(synthetic: bool) -> str:
    """The section's title, saying when the data are synthetic."""
    return f"{TITLE} ({SYNTHETIC_LABEL})" if synthetic else TITLE


def _pct(value: float) -> str:
    return format_number(100 * value, 0) + "\u202f%"


def _name(view: PrismsView, code: str) -> str:
    return f"{code} {view.labels.get(code, code)}"


def _sentences(view: PrismsView) -> dict[str, list[str]]:
    reading = view.reading
    labels = {w.prism: w.label for w in view.waves}
    shared = [_name(view, code) for code in reading.shared]
    if shared:
        pronoun = "la" if len(shared) == 1 else "les"
        vision = [
            f"Vision partagée autour de {', '.join(shared)} : les {len(reading.prisms)} prismes "
            f"{pronoun} placent parmi leurs {reading.priorities} priorités."
        ]
    else:
        vision = [
            "Aucune fragilité n'est une priorité de tous les prismes à la fois (priorités : "
            f"les {reading.priorities} fragilités au plus fort impact perçu de chaque prisme)."
        ]
    level = format_number(100 * reading.confidence, 0)
    divergences = []
    for r in reading.readings:
        if r.agreement is Agreement.DIVERGENT and r.divergence is not None:
            high, low, diff, _ = r.divergence
            divergences.append(
                f"{_name(view, r.fragility)} : {labels.get(high, high)} "
                f"{_pct(r.scores[high].estimate)} contre {labels.get(low, low)} "
                f"{_pct(r.scores[low].estimate)} (écart de {format_number(100 * diff, 0)} points, "
                f"au-delà de l'erreur d'échantillonnage à {level} %)."
            )
    gaps = []
    notable = [r for r in reading.readings if r.gap is not None and abs(r.gap) >= GAP_NOTABLE]
    for r in sorted(notable, key=lambda r: -abs(r.gap or 0.0)):
        assert r.gap is not None
        assert r.objective_percentile is not None
        assert r.perceived_percentile is not None
        side = (
            "perçue comme plus prioritaire que ne le mesurent les indicateurs"
            if r.gap > 0
            else "mesurée plus fragile qu'elle n'est perçue"
        )
        gaps.append(
            f"{_name(view, r.fragility)} : {side} (centile perçu "
            f"{format_number(100 * r.perceived_percentile, 0)}, mesuré "
            f"{format_number(100 * r.objective_percentile, 0)})."
        )
    return {"vision": vision, "divergences": divergences, "gaps": gaps}


def prisms_data(view: PrismsView) -> dict[str, Any]:
    """The section as JSON-ready data (shares and percentiles 0–1, hidden cells as null)."""
    reading = view.reading
    labels = {w.prism: w.label for w in view.waves}
    rows = []
    for r in reading.readings:
        scores = {}
        for prism, score in r.scores.items():
            scores[prism] = (
                {"hidden": True, "status": SECRET, "n": None}
                if score.hidden
                else {
                    "hidden": False,
                    "estimate": score.estimate,
                    "se": score.se,
                    "ci_low": score.ci_low,
                    "ci_high": score.ci_high,
                    "n": score.n,
                }
            )
        rows.append(
            {
                "fragility": r.fragility,
                "label": view.labels.get(r.fragility, r.fragility),
                "scores": scores,
                "priority_for": list(r.priority_for),
                "agreement": r.agreement.value,
                "agreement_label": r.agreement.label(),
                "perceived_percentile": r.perceived_percentile,
                "objective_percentile": r.objective_percentile,
                "gap": r.gap,
            }
        )
    sentences = _sentences(view)
    return {
        "available": True,
        "synthetic": view.synthetic,
        "note": SYNTHETIC_LABEL if view.synthetic else None,
        "scope": {"code": view.scope, "name": view.scope_name, "note": view.scope_note},
        "waves": [
            {
                "prism": w.prism,
                "label": w.label,
                "wave": w.wave,
                "respondents": w.respondents,
                "synthetic": w.synthetic,
            }
            for w in view.waves
        ],
        "prisms": [{"code": p, "label": labels.get(p, p)} for p in reading.prisms],
        "priorities": reading.priorities,
        "confidence": reading.confidence,
        "shared": list(reading.shared),
        "fragilities": rows,
        **sentences,
        "summary": sentences["vision"] + sentences["divergences"][:3] + sentences["gaps"][:3],
    }


def scores_spec(data: Mapping[str, Any]) -> dict[str, Any]:
    """Dots and 95 % error bars of each prism's perceived impact, by fragility."""
    labels = {p["code"]: p["label"] for p in data["prisms"]}
    rows, secret = [], []
    for r in data["fragilities"]:
        name = f"{r['fragility']} {r['label']}"
        for prism, score in r["scores"].items():
            if score["hidden"]:
                secret.append({"fragilite": name, "prisme": labels[prism], "texte": SECRET})
            else:
                rows.append(
                    {
                        "fragilite": name,
                        "prisme": labels[prism],
                        "part": 100 * score["estimate"],
                        "bas": 100 * score["ci_low"],
                        "haut": 100 * score["ci_high"],
                        "n": score["n"],
                    }
                )
    order = [f"{r['fragility']} {r['label']}" for r in data["fragilities"]]
    shown = [labels[p["code"]] for p in data["prisms"]]
    color = alt.Color(
        "prisme:N",
        title="Prisme",
        scale=alt.Scale(domain=shown, range=[PRISM_COLORS.get(p, "#555555") for p in shown]),
    )
    y = alt.Y("fragilite:N", sort=order, title=None, axis=alt.Axis(labelLimit=260))
    offset = alt.YOffset("prisme:N", sort=shown)
    x_scale = alt.Scale(domain=[0, 100])
    x_title = "Part voyant un impact fort ou très fort des partenariats (%, IC 95 %)"
    base = alt.Chart(alt.InlineData(values=rows))
    bars = base.mark_rule(strokeWidth=2).encode(
        y=y, yOffset=offset, x=alt.X("bas:Q", scale=x_scale, title=x_title), x2="haut:Q",
        color=color,
    )  # fmt: skip
    dots = base.mark_point(filled=True, size=45).encode(
        y=y,
        yOffset=offset,
        x=alt.X("part:Q", scale=x_scale),
        color=color,
        tooltip=[
            alt.Tooltip("fragilite:N", title="fragilité"),
            alt.Tooltip("prisme:N"),
            alt.Tooltip("part:Q", title="part (%)", format=".1f"),
            alt.Tooltip("bas:Q", title="IC bas", format=".1f"),
            alt.Tooltip("haut:Q", title="IC haut", format=".1f"),
            alt.Tooltip("n:Q", title="répondants"),
        ],
    )
    layers: list[alt.Chart] = [bars, dots]
    if secret:
        layers.append(
            alt.Chart(alt.InlineData(values=secret))
            .mark_text(align="left", dx=2, fontStyle="italic", fontSize=9)
            .encode(y=y, yOffset=offset, x=alt.datum(0), text="texte:N", color=color)
        )
    title = "Impact perçu des partenariats, par prisme"
    if data["synthetic"]:
        title += f" ({SYNTHETIC_LABEL})"
    chart = alt.layer(*layers).properties(width=WIDTH - 220, height=alt.Step(7), title=title)
    spec: dict[str, Any] = chart.to_dict()
    return spec


def gaps_spec(data: Mapping[str, Any]) -> dict[str, Any]:
    """Perceived against measured fragility (percentiles): the diagonal means agreement."""
    rows = [
        {
            "code": r["fragility"],
            "fragilite": f"{r['fragility']} {r['label']}",
            "mesure": 100 * r["objective_percentile"],
            "percu": 100 * r["perceived_percentile"],
            "lecture": r["agreement_label"],
        }
        for r in data["fragilities"]
        if r["objective_percentile"] is not None and r["perceived_percentile"] is not None
    ]
    scale = alt.Scale(domain=[0, 100])
    x = alt.X("mesure:Q", scale=scale, title="Fragilité mesurée (centile du diagnostic)")
    y = alt.Y("percu:Q", scale=scale, title="Fragilité perçue (centile, moyenne des prismes)")
    base = alt.Chart(alt.InlineData(values=rows))
    diagonal = (
        alt.Chart(alt.InlineData(values=[{"a": 0}, {"a": 100}]))
        .mark_line(strokeDash=[4, 4], color="#999999")
        .encode(x=alt.X("a:Q", scale=scale), y=alt.Y("a:Q", scale=scale))
    )
    points = base.mark_point(filled=True, size=60, color="#08306b").encode(
        x=x,
        y=y,
        tooltip=[
            alt.Tooltip("fragilite:N", title="fragilité"),
            alt.Tooltip("mesure:Q", title="centile mesuré", format=".0f"),
            alt.Tooltip("percu:Q", title="centile perçu", format=".0f"),
            alt.Tooltip("lecture:N"),
        ],
    )
    text = base.mark_text(align="left", dx=6, fontSize=10).encode(x=x, y=y, text="code:N")
    title = "Perçu et mesuré (au-dessus de la diagonale : perçue plus prioritaire)"
    if data["synthetic"]:
        title += f" – {SYNTHETIC_LABEL}"
    chart = alt.layer(diagonal, points, text).properties(width=360, height=360, title=title)
    spec: dict[str, Any] = chart.to_dict()
    return spec


def prisms_section(view: PrismsView) -> Section:
    """The section, its data and its two charts."""
    data = prisms_data(view)
    charts = {"scores": scores_spec(data)}
    if any(r["objective_percentile"] is not None for r in data["fragilities"]):
        charts["gaps"] = gaps_spec(data)
    return Section(KEY, section_title(view.synthetic), "prisms.html.j2", data, charts)
