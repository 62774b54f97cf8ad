"""``cotera survey margins``: citizen population margins of a territory from the census."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from cotera.cli.context import console, friendly_errors, settings_of
from cotera.cli.data import MirrorOption
from cotera.cli.formatting import french_number
from cotera.services.survey_margins import margins_file
from cotera.survey.questionnaire import phare_questionnaire


def margins(
    ctx: typer.Context,
    territory: Annotated[
        str, typer.Argument(help="Territoire : code (fr, reg:11, dep:93, epci:…, com:…) ou nom.")
    ],
    out: Annotated[
        Path | None, typer.Option("--out", help="CSV variable,level,total pour survey rake.")
    ] = None,
    mirror: MirrorOption = None,
) -> None:
    """Marges de population (sexe, âge, CSP des adultes) d'un territoire, d'après le RP 2018."""
    settings = settings_of(ctx, mirror)
    with friendly_errors(), console.status("Lecture du recensement et des territoires…"):
        result = margins_file(settings, territory, out)
    questionnaire = phare_questionnaire()
    view = Table(
        title=f"Marges des {result.margins.adult_age} ans et plus — "
        f"{escape(result.territory.name)} ({result.territory.code})",
        caption=f"Recensement {result.year} · population municipale COG 2026",
    )
    for name in ("variable", "code", "modalité"):
        view.add_column(name)
    view.add_column("total", justify="right")
    view.add_column("part", justify="right")
    for margin in result.margins.margins:
        variable = questionnaire.variable(margin.variable)
        for level, total in zip(margin.levels, margin.totals, strict=True):
            label = variable.scale.label(level) if variable.scale else level
            view.add_row(
                variable.label_fr,
                escape(level),
                escape(label),
                french_number(float(total), 0),
                french_number(100 * float(total) / result.margins.adults, 1) + " %",
            )
    console.print(view)
    console.print(
        f"Population : {french_number(result.population, 0)} ; adultes : "
        f"{french_number(result.margins.adults, 0)} ; couverture : "
        f"{french_number(100 * result.coverage, 1)} %"
    )
    for note in result.notes:
        console.print(f"  - {escape(note)}", soft_wrap=True)
    if out is not None:
        console.print(f"Écrit : {escape(str(out))}")
