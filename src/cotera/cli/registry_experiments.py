"""``cotera registry experiment add|list`` and ``cotera registry organisation fragilities``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from cotera.cli.context import cli_actor, console, friendly_errors, settings_of
from cotera.registry.model import ExperimentStage
from cotera.services.registry_experiments import add_experiment_file, edit_fragilities
from cotera.services.registry_experiments import list_experiments as stored_experiments
from cotera.storage.registry_experiments import StoredExperiment

experiment_app = typer.Typer(
    help="Expérimentations collectives : besoins → solutions → évaluation."
)
organisation_app = typer.Typer(help="Organisations du registre.")


def _stages(current: ExperimentStage) -> str:
    """``[besoins] → solutions → évaluation`` with the current stage bracketed."""
    steps = list(ExperimentStage)
    done = steps.index(current)
    return " → ".join(
        f"[bold]{s.label()}[/bold] (en cours)" if i == done else s.label()
        for i, s in enumerate(steps)
    )


def _show(stored: StoredExperiment) -> None:
    e = stored.experiment
    where = f" — {e.territory}" if e.territory else ""
    console.print(escape(f"#{e.id} {e.name}{where}"))
    console.print(f"    étape : {_stages(e.stage)}", soft_wrap=True)
    if e.fragilities:
        console.print(f"    fragilités : {', '.join(sorted(e.fragilities))}")
    kinds = sorted({m.kind.label() for m in stored.members})
    console.print(f"    membres ({len(stored.members)}) : {', '.join(kinds)}")
    for member in stored.members:
        console.print(
            f"      - {escape(member.name)} ({member.kind.label()}, {member.member.role.label()})",
            soft_wrap=True,
        )
    for title, items in (("besoins", e.needs), ("solutions", e.solutions)):
        if items:
            console.print(escape(f"    {title} : {' ; '.join(items)}"), soft_wrap=True)
    if e.evaluation:
        console.print(escape(f"    évaluation : {e.evaluation}"), soft_wrap=True)


@experiment_app.command("add")
def add(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Option("--file", exists=True, dir_okay=False, help="Fichier TOML.")
    ],
) -> None:
    """Enregistre une expérimentation collective décrite par un fichier TOML (journalisé)."""
    settings = settings_of(ctx)
    with friendly_errors():
        stored = add_experiment_file(settings, file, cli_actor())
    console.print("Expérimentation enregistrée :")
    _show(stored)


@experiment_app.command("list")
def list_command(
    ctx: typer.Context,
    territory: Annotated[
        str | None, typer.Option(help="Territoire (de l'expérimentation ou d'un membre).")
    ] = None,
) -> None:
    """Liste les expérimentations : étape (besoins → solutions → évaluation) et membres."""
    settings = settings_of(ctx)
    with friendly_errors():
        found = stored_experiments(settings, territory)
    if not found:
        console.print("Aucune expérimentation enregistrée.")
    for stored in found:
        _show(stored)


@organisation_app.command("fragilities")
def fragilities(
    ctx: typer.Context,
    organization: Annotated[int, typer.Argument(help="Identifiant Cotera de l'organisation.")],
    codes: Annotated[str, typer.Option("--set", help="Fragilités : F01,F04…")],
) -> None:
    """Fixe à la main les fragilités d'une organisation (journalisé ; les imports les gardent)."""
    settings = settings_of(ctx)
    chosen = [c.strip() for c in codes.split(",") if c.strip()]
    with friendly_errors():
        org = edit_fragilities(settings, organization, chosen, cli_actor())
    console.print(
        f"{escape(org.name)} : fragilités {', '.join(sorted(org.fragilities)) or 'aucune'}."
    )
