"""``cotera demo synth``: store SYNTHETIC survey waves and registry to see every section."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from cotera.cli.context import cli_actor, console, errors, friendly_errors, settings_of
from cotera.cli.registry import KEPT
from cotera.report.numbers import format_number
from cotera.services.demo import DemoSizes, synthesize_demo

app = typer.Typer(help="Données de démonstration (synthétiques).", no_args_is_help=True)


@app.command("synth")
def synth(
    ctx: typer.Context,
    seed: Annotated[int, typer.Option("--seed", help="Graine du générateur.")] = 2016,
    citizens: Annotated[
        int, typer.Option("--citizens", min=11, help="Citoyens interrogés (synthétiques).")
    ] = DemoSizes().citizens,
    organizations: Annotated[
        int,
        typer.Option(
            "--organizations", min=3, help="Entreprises et associations interrogées (chacune)."
        ),
    ] = DemoSizes().companies,
    associations: Annotated[
        int, typer.Option("--registry-associations", min=1, help="Associations du registre.")
    ] = DemoSizes().registry_associations,
) -> None:
    """Enregistre trois vagues d'enquête et un registre des partenariats SYNTHÉTIQUES
    (territoires chargés requis), pour voir toutes les sections du portrait."""
    settings = settings_of(ctx)
    sizes = DemoSizes(
        citizens=citizens,
        companies=organizations,
        associations=organizations,
        registry_associations=associations,
        registry_companies=round(associations * 0.4),
        registry_partnerships=round(associations * 0.8),
    )
    with friendly_errors(), console.status("Données synthétiques…") as status:
        report = synthesize_demo(
            settings, seed, sizes, lambda message: status.update(message), cli_actor()
        )
    console.print("[bold]Données de démonstration SYNTHÉTIQUES enregistrées[/bold]")
    for wave, created in report.waves:
        state = "nouvelle" if created else "déjà enregistrée"
        console.print(
            f"  vague {escape(wave.name)} : {format_number(wave.rows, 0)} répondants ({state})"
        )
    console.print(f"  enquêtes : {escape(report.regional)}")
    counts = report.registry
    console.print(
        f"  registre synthétique : {format_number(counts['organizations'], 0)} organisations, "
        f"{format_number(counts['partnerships'], 0)} partenariats (remplace le précédent)"
    )
    if counts["kept"]:
        console.print(f"  {format_number(counts['kept'], 0)} {KEPT}")
    console.print(f"  réponses de boussole d'exemple : {report.answers}")
    errors.print(
        "Essayez : cotera diagnose dep:93 --demo-compass "
        f"(ou --answers {report.answers} --budget {report.budget})",
        soft_wrap=True,
        markup=False,
    )
