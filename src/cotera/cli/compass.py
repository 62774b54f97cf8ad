"""``cotera compass TERRITORY --answers FILE [--budget FILE] [--format text|json]``."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from cotera.cli.context import errors, friendly_errors, settings_of
from cotera.compass import compass_to_data, render_text
from cotera.report.outputs import json_text
from cotera.services.compass import CompassRequest, example_request, run_compass
from cotera.services.portrait_sections import stored_facts


class CompassFormat(StrEnum):
    """How ``cotera compass`` prints the compass."""

    TEXT = "text"
    JSON = "json"


def compass(
    ctx: typer.Context,
    territory: Annotated[
        str, typer.Argument(help="Code du territoire : dep:93, com:93066, custom:exemple…")
    ],
    answers: Annotated[
        Path | None,
        typer.Option("--answers", "-a", help="Fichier de réponses (TOML, voir docs/compass.md)."),
    ] = None,
    budget: Annotated[
        Path | None,
        typer.Option("--budget", "-b", help="Budget de l'ingénierie (CSV ou Excel)."),
    ] = None,
    output: Annotated[
        CompassFormat, typer.Option("--format", help="Format de sortie : text ou json.")
    ] = CompassFormat.TEXT,
    volunteer_rate: Annotated[
        float | None,
        typer.Option("--volunteer-rate", min=0.01, help="Taux horaire du bénévolat (euros)."),
    ] = None,
    skills_rate: Annotated[
        float | None,
        typer.Option("--skills-rate", min=0.01, help="Taux horaire du mécénat de compétences."),
    ] = None,
    example: Annotated[
        bool,
        typer.Option(
            "--example", help="Utiliser l'exemple fourni (territoire fictif, synthétique)."
        ),
    ] = False,
) -> None:
    """Boussole de la co-construction : maturité, chaîne de valeur, modèle économique,
    dispositif, freins et feuille de route d'un territoire."""
    if example:
        request = example_request(territory)
        if budget is not None:
            request = CompassRequest(territory, request.answers, budget)
    elif answers is None:
        errors.print("[red]Erreur :[/red] indiquez --answers FICHIER (ou --example).")
        raise typer.Exit(1)
    else:
        request = CompassRequest(territory, answers, budget)
    request = CompassRequest(
        request.territory, request.answers, request.budget, volunteer_rate, skills_rate
    )
    settings = settings_of(ctx)
    with friendly_errors():
        result = run_compass(request, settings, stored_facts(settings, request.territory))
    if output is CompassFormat.JSON:
        typer.echo(json_text(compass_to_data(result)))
    else:
        typer.echo(render_text(result), nl=False)
