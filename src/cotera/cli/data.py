"""``cotera data load`` and ``cotera data sources``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from cotera.cli.context import (
    cli_actor,
    console,
    errors,
    friendly_errors,
    override_hint,
    settings_of,
)
from cotera.cli.formatting import french_number
from cotera.referential.fragilities import fragility_referential
from cotera.services.data_load import load_all
from cotera.services.data_sources import list_sources
from cotera.services.load_guards import LoadOptions
from cotera.services.load_summary import (
    STATUS_LABELS_FR,
    LoadProgress,
    LoadStatus,
    LoadSummary,
    SourceOutcome,
)
from cotera.types import Level

app = typer.Typer(help="Données publiques : chargement et sources.", no_args_is_help=True)

LEVEL_LABELS = {
    Level.COUNTRY: "France",
    Level.REGION: "régions",
    Level.DEPARTEMENT: "départements",
    Level.EPCI: "EPCI",
    Level.COMMUNE: "communes",
}
_MARKS = {
    LoadStatus.LOADED: "[green]✓[/green]",
    LoadStatus.UNCHANGED: "=",
    LoadStatus.FAILED: "[red]✗[/red]",
}
MirrorOption = Annotated[
    Path | None,
    typer.Option(
        "--mirror", help="Dossier miroir des fichiers sources (sinon COTERA_DATA_MIRROR)."
    ),
]
OnlyOption = Annotated[
    str | None,
    typer.Option("--only", help="Ne charger que cette source (identifiant, ex. filosofi ; cog)."),
]


AcceptModifiedOption = Annotated[
    bool,
    typer.Option(
        "--accept-modified",
        help="Charger aussi des fichiers du miroir qui diffèrent de leur version cataloguée "
        "(sha256) ; la garde de couverture s'applique alors.",
    ),
]
AllowShrinkOption = Annotated[
    bool,
    typer.Option(
        "--allow-shrink",
        help="Accepter qu'un nouveau lot couvre moins de lignes, territoires ou années que "
        "le lot chargé.",
    ),
]


@app.command("load")
def load(
    ctx: typer.Context,
    mirror: MirrorOption = None,
    only: OnlyOption = None,
    accept_modified: AcceptModifiedOption = False,
    allow_shrink: AllowShrinkOption = False,
) -> None:
    """Charge les territoires et les indicateurs dans la base (transactionnel, idempotent)."""
    settings = settings_of(ctx, mirror)
    options = LoadOptions(accept_modified=accept_modified, allow_shrink=allow_shrink)
    with (
        friendly_errors(),
        Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
        ) as bar,
    ):
        task = bar.add_task("Chargement", total=None)

        def on_progress(event: LoadProgress) -> None:
            done = event.index if event.outcome is not None else event.index - 1
            bar.update(task, total=event.total, completed=done, description=event.label)
            if event.outcome is not None:
                bar.console.print(_outcome_line(event.outcome), soft_wrap=True)
                for note in event.outcome.notes:
                    bar.console.print(f"[dim]    · {escape(note.describe())}[/dim]", soft_wrap=True)

        summary = load_all(settings, only, on_progress, actor=cli_actor(), options=options)
    _print_summary(summary)
    if summary.failed:
        for outcome in summary.failed:
            hint = override_hint(outcome.override)
            errors.print(
                f"[red]Échec de la source {outcome.source_id} :[/red] {escape(outcome.error)}"
                + hint,
                soft_wrap=True,
            )
            for problem in outcome.problems:
                errors.print(f"  - {escape(problem.describe())}", soft_wrap=True)
        raise typer.Exit(1)


@app.command("sources")
def sources(ctx: typer.Context) -> None:
    """Liste les sources : licence, emplacement officiel, ce qui est chargé, couverture."""
    settings = settings_of(ctx)
    with friendly_errors():
        statuses = list_sources(settings)
    for status in statuses:
        source = status.source
        table = Table(
            title=f"{source.id} — {source.label_fr}", title_justify="left", show_header=False
        )
        table.add_column("champ", style="bold")
        table.add_column("valeur", overflow="fold")
        table.add_row("Producteur", source.producer)
        table.add_row("Licence", source.licence)
        table.add_row("Emplacement officiel", source.official_url)
        if source.repository:
            table.add_row("Copie utilisée", source.repository)
        table.add_row("Fichiers", "\n".join(status.files))
        if status.indicators:
            table.add_row("Indicateurs", ", ".join(status.indicators))
        if status.batch is None:
            table.add_row("Chargé", "non (lancez « cotera data load »)")
        else:
            when = status.batch.loaded_at.strftime("%d/%m/%Y %H:%M")
            table.add_row("Chargé", f"{french_number(status.batch.rows)} lignes le {when} UTC")
        if status.years:
            table.add_row("Années", f"{status.years[0]}–{status.years[-1]} ({len(status.years)})")
        if status.fragilities:
            table.add_row("Fragilités", ", ".join(status.fragilities))
        if status.coverage:
            table.add_row(
                "Couverture",
                ", ".join(
                    f"{LEVEL_LABELS[lvl]} : {french_number(n)}" for lvl, n in status.coverage
                ),
            )
        console.print(table)


def _outcome_line(outcome: SourceOutcome) -> str:
    text = f"{_MARKS[outcome.status]} {outcome.source_id} : {STATUS_LABELS_FR[outcome.status]}"
    if outcome.status is LoadStatus.LOADED:
        text += f", {french_number(outcome.rows)} lignes"
    if outcome.notes:
        text += f" ({len(outcome.notes)} remarque(s))"
    return text


def _print_summary(summary: LoadSummary) -> None:
    table = Table(title="Sources", title_justify="left")
    for column in ("source", "statut", "lignes", "années"):
        table.add_column(column, justify="right" if column == "lignes" else "left")
    for outcome in summary.outcomes:
        years = f"{outcome.years[0]}–{outcome.years[-1]}" if outcome.years else ""
        rows = french_number(outcome.rows) if outcome.status is LoadStatus.LOADED else ""
        table.add_row(outcome.source_id, STATUS_LABELS_FR[outcome.status], rows, years)
    console.print(table)
    levels = (Level.COUNTRY, Level.REGION, Level.DEPARTEMENT, Level.EPCI, Level.COMMUNE)
    coverage = Table(
        title="Couverture par fragilité (territoires ayant une valeur)", title_justify="left"
    )
    coverage.add_column("fragilité")
    for level in levels:
        coverage.add_column(LEVEL_LABELS[level], justify="right")
    coverage.add_column("années")
    cells = {(c.fragility, c.level): c for c in summary.coverage}
    for fragility in fragility_referential().fragilities:
        row = [f"{fragility.code} {fragility.label_fr}"]
        found = [cells[(fragility.code, lvl)] for lvl in levels if (fragility.code, lvl) in cells]
        row += [
            french_number(cells[(fragility.code, lvl)].territories)
            if (fragility.code, lvl) in cells else "—"
            for lvl in levels
        ]  # fmt: skip
        row.append(
            f"{min(c.first_year for c in found)}–{max(c.last_year for c in found)}" if found else ""
        )
        coverage.add_row(*row)
    console.print(coverage)
