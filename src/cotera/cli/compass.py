"""``cotera compass TERRITORY --answers FILE [--budget FILE] [--format text|json]``."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from cotera.compass import compass_to_data, render_text
from cotera.errors import CoteraError
from cotera.services.compass import CompassRequest, example_request, run_compass
from cotera.services.portrait_sections import stored_facts
from cotera.settings import Settings


class CompassFormat(StrEnum):
    """How ``cotera compass`` prints the compass."""

    TEXT = "text"
    JSON = "json"


def compass(
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
    errors = Console(stderr=True, soft_wrap=True)
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
    try:
        settings = Settings()
        result = run_compass(request, settings, stored_facts(settings, request.territory))
    except CoteraError as exc:
        errors.print("Erreur :", style="bold red", end=" ")
        errors.print(str(exc), markup=False, highlight=False)
        raise typer.Exit(1) from exc
    if output is CompassFormat.JSON:
        typer.echo(json.dumps(compass_to_data(result), ensure_ascii=False, indent=2))
    else:
        typer.echo(render_text(result), nl=False)
