"""The barometer's survey comparison: registry partnership rate against the survey prism.

The service joins the registry's rates by kind with the survey shares (``survey_has``,
``survey_intends``, ``survey_none`` with their 95 % intervals, ``survey_n``, ``survey_status``,
``survey_area`` …, see ``cotera.services.barometer_survey``); this module turns the joined frame
into JSON-ready rows, French sentences and a chart: per kind, the registry's rate beside the
survey's "has" share with the "intends" share stacked on it (the deck: « 38 % partenariat,
38 % sans mais intention »).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import altair as alt
import polars as pl

from cotera.registry.model import OrganizationKind
from cotera.report.charts import WIDTH
from cotera.report.numbers import format_number
from cotera.survey.synthetic import SYNTHETIC_LABEL

PUBLISHED = "publié"
SURVEY_FIELDS = ("has", "has_ci_low", "has_ci_high", "intends", "intends_ci_low",
                 "intends_ci_high", "none", "none_ci_low", "none_ci_high", "n", "status", "area",
                 "area_name", "local_status", "wave")  # fmt: skip
# why the territory's own figure is not shown (``survey_local_status``), as a sentence
NOT_LOCAL = {
    "secret statistique": "trop peu de répondants dans {name}, ou un répondant y pèse plus de "
    "85\u202f% du total pondéré",
    "secret statistique (secondaire)": "secret secondaire pour {name}, dont le chiffre "
    "permettrait de retrouver par différence un territoire voisin trop petit",
    "aucun répondant": "aucun répondant dans {name}",
    "échelle non publiée": "enquête non publiée à l'échelle de {name}",
}
SERIES = (
    ("registre", "En partenariat (registre)", "#2171b5"),
    ("has", "Partenariat (enquête)", "#e6550d"),
    ("intends", "Pas de partenariat mais intention (enquête)", "#fdae6b"),
)
SOURCES = ("Registre", "Enquête")
NO_SURVEYED_KIND = (
    "Aucune entreprise ni association du registre n'est active sur le territoire : pas de "
    "comparaison avec l'enquête."
)


def _pct(value: float | None) -> str:
    return "–" if value is None else format_number(100 * value, 1) + "\u202f%"


def survey_rows(joined: pl.DataFrame, territory: str) -> list[dict[str, Any]]:
    """One JSON-ready row per kind with a survey prism (registry rate and survey shares)."""
    labels = {k.value: k.label() for k in OrganizationKind}
    rows = []
    for row in joined.filter(pl.col("survey_status").is_not_null()).iter_rows(named=True):
        rows.append(
            {"kind": row["kind"], "label": labels.get(row["kind"], row["kind"]),
             "rate": row["rate"], **{f: row[f"survey_{f}"] for f in SURVEY_FIELDS},
             "local": row["survey_area"] == territory,
             "synthetic": bool(row["survey_wave_synthetic"])}
        )  # fmt: skip
    return sorted(rows, key=lambda r: r["kind"])


def survey_sentences(rows: list[dict[str, Any]], name: str) -> list[str]:
    """Per kind: the registry rate, then the survey's shares or why they are not shown."""
    sentences = []
    for row in rows:
        why = NOT_LOCAL.get(row["local_status"] or "", "trop peu de répondants dans {name}")
        where = (
            f"répondants situés dans {row['area_name']}"
            if row["local"]
            else f"{why.format(name=name)} : lecture à l'échelle « {row['area_name']} »"
        )
        start = (
            f"{row['label'].capitalize()}s : {_pct(row['rate'])} en partenariat selon le registre"
        )
        if row["status"] != PUBLISHED:
            sentences.append(f"{start} ; enquête : {row['status']} ({where}).")
            continue
        sentences.append(
            f"{start} ; selon l'enquête, {_pct(row['has'])} ont un partenariat (IC 95 % : "
            f"{_pct(row['has_ci_low'])} – {_pct(row['has_ci_high'])}) et {_pct(row['intends'])} "
            f"n'en ont pas mais en ont l'intention ({row['n']} répondants, {where})."
        )
    return sentences


def survey_data(
    joined: pl.DataFrame | None, reason: str, territory: str, name: str
) -> dict[str, Any]:
    """The comparison as JSON-ready data, or why there is none."""
    rows = [] if joined is None else survey_rows(joined, territory)
    if not rows:
        reason = reason or NO_SURVEYED_KIND
        return {"available": False, "reason": reason, "rows": [], "summary": []}
    return {
        "available": True,
        "reason": None,
        "synthetic": any(r["synthetic"] for r in rows),
        "rows": rows,
        "summary": survey_sentences(rows, name),
    }


def survey_spec(data: Mapping[str, Any], year: int, registry_synthetic: bool) -> dict[str, Any]:
    """Per kind, the registry's rate and the survey's "has" + "intends" shares stacked (95 % CI
    of "has"); hidden cells read « secret statistique »."""
    names = {key: label for key, label, _ in SERIES}
    bars, rules, secret = [], [], []
    for row in data["rows"]:
        kind = f"{row['label'].capitalize()}s"
        registry = {"type": kind, "source": SOURCES[0], "serie": names["registre"], "ordre": 0}
        bars.append(registry | {"part": 100 * row["rate"]})
        survey = {"type": kind, "source": SOURCES[1]}
        if row["status"] != PUBLISHED:
            secret.append(survey | {"texte": row["status"]})
            continue
        for order, key in enumerate(("has", "intends"), start=1):
            bars.append(
                survey
                | {"serie": names[key], "ordre": order, "part": 100 * row[key], "n": row["n"],
                   "lecture": row["area_name"]}
            )  # fmt: skip
        rules.append(survey | {"bas": 100 * row["has_ci_low"], "haut": 100 * row["has_ci_high"]})
    y = alt.Y("type:N", title=None)
    offset = alt.YOffset("source:N", sort=list(SOURCES))
    x_scale = alt.Scale(domain=[0, 100])
    color = alt.Color(
        "serie:N",
        title=None,
        scale=alt.Scale(domain=[s[1] for s in SERIES], range=[s[2] for s in SERIES]),
        legend=alt.Legend(orient="bottom", columns=1, labelLimit=400),
    )
    layers: list[alt.Chart] = [
        alt.Chart(alt.InlineData(values=bars))
        .mark_bar()
        .encode(
            y=y,
            yOffset=offset,
            color=color,
            order=alt.Order("ordre:Q"),
            x=alt.X("part:Q", stack="zero", scale=x_scale, title="Organisations (%)"),
            tooltip=[
                alt.Tooltip("type:N"),
                alt.Tooltip("serie:N", title="série"),
                alt.Tooltip("part:Q", title="part (%)", format=".1f"),
                alt.Tooltip("n:Q", title="répondants"),
                alt.Tooltip("lecture:N"),
            ],
        )
    ]
    if rules:
        layers.append(
            alt.Chart(alt.InlineData(values=rules))
            .mark_rule(color="#222222", strokeWidth=1.5)
            .encode(y=y, yOffset=offset, x=alt.X("bas:Q", scale=x_scale), x2="haut:Q")
        )
    if secret:
        layers.append(
            alt.Chart(alt.InlineData(values=secret))
            .mark_text(align="left", dx=2, fontStyle="italic")
            .encode(y=y, yOffset=offset, x=alt.datum(0), text="texte:N")
        )
    title: list[str] = [f"Partenariat : registre et enquête ({year})"]
    labels = [label for flag, label in ((registry_synthetic, "registre synthétique"),
              (data["synthetic"], f"enquête : {SYNTHETIC_LABEL}")) if flag]  # fmt: skip
    if labels:
        title.append(f"({', '.join(labels)})")
    chart = alt.layer(*layers).properties(width=WIDTH - 220, title=title)
    spec: dict[str, Any] = chart.to_dict()
    return spec
