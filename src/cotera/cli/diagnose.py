"""``cotera diagnose T`` (or ``--all-regions``…): the diagnostic summary and the portrait."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from cotera.cli.context import console, errors, friendly_errors, settings_of
from cotera.diagnostic.model import Diagnostic, Position
from cotera.diagnostic.priority import Certainty
from cotera.diagnostic.serialize import diagnostic_to_dict
from cotera.diagnostic.wording import level_noun, rank_fr
from cotera.report.numbers import format_number, format_value
from cotera.report.outputs import json_text
from cotera.report.sections import sections_to_data
from cotera.services.demo import demo_compass_files
from cotera.services.diagnostic import DEFAULT_DRAWS, DEFAULT_SEED, Portrait
from cotera.services.portrait_sections import portrait as run_portrait
from cotera.services.portrait_sections import portraits as run_portraits
from cotera.settings import Settings
from cotera.types import Level


class OutputFormat(StrEnum):
    """How ``cotera diagnose`` prints its result."""

    TEXT = "text"
    JSON = "json"


def diagnose(
    ctx: typer.Context,
    territory: Annotated[
        str | None, typer.Argument(help="Code (dep:93, reg:32, epci:…) ou nom du territoire.")
    ] = None,
    output: Annotated[
        OutputFormat, typer.Option("--format", help="text : résumé lisible ; json : données.")
    ] = OutputFormat.TEXT,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Dossier des portraits HTML (défaut : <data_dir>/reports)."),
    ] = None,
    draws: Annotated[
        int, typer.Option("--draws", min=0, help="Tirages Monte Carlo (0 : sans incertitude).")
    ] = DEFAULT_DRAWS,
    seed: Annotated[int, typer.Option("--seed", help="Graine des tirages.")] = DEFAULT_SEED,
    all_regions: Annotated[
        bool, typer.Option("--all-regions", help="Les 13 régions métropolitaines.")
    ] = False,
    all_departements: Annotated[
        bool, typer.Option("--all-departements", help="Tous les départements.")
    ] = False,
    all_epci: Annotated[bool, typer.Option("--all-epci", help="Tous les EPCI.")] = False,
    answers: Annotated[
        Path | None,
        typer.Option("--answers", help="Réponses de la boussole (TOML) : ajoute la boussole."),
    ] = None,
    budget: Annotated[
        Path | None,
        typer.Option("--budget", help="Budget de l'ingénierie (CSV ou Excel), avec --answers."),
    ] = None,
    demo_compass: Annotated[
        bool,
        typer.Option(
            "--demo-compass",
            help="Boussole avec les réponses et le budget d'exemple SYNTHÉTIQUES "
            "écrits par « cotera demo synth ».",
        ),
    ] = False,
) -> None:
    """Diagnostic territorial des 16 fragilités et portrait HTML (résumé en français)."""
    settings = settings_of(ctx)
    if demo_compass:
        answers, budget = _demo_compass_files(settings, answers, budget)
    levels = [
        level
        for level, chosen in (
            (Level.REGION, all_regions),
            (Level.DEPARTEMENT, all_departements),
            (Level.EPCI, all_epci),
        )
        if chosen
    ]
    if (territory is None) == (not levels) or len(levels) > 1:
        errors.print(
            "[red]Erreur :[/red] indiquez soit un territoire, soit une seule option "
            "--all-regions / --all-departements / --all-epci."
        )
        raise typer.Exit(2)
    if levels and (answers or budget):
        errors.print(
            "[red]Erreur :[/red] --answers et --budget valent pour un seul territoire, "
            "pas avec --all-regions / --all-departements / --all-epci."
        )
        raise typer.Exit(2)
    if territory is not None:
        with friendly_errors():
            portrait = run_portrait(
                settings, territory, answers=answers, budget=budget, draws=draws, seed=seed,
                out_dir=out,
            )  # fmt: skip
        if output is OutputFormat.JSON:
            typer.echo(json_text(_as_json(portrait)))
        else:
            _print_summary(portrait)
        return
    portraits = _run_level(ctx, levels[0], draws, seed, out, quiet=output is OutputFormat.JSON)
    if output is OutputFormat.JSON:
        payload = [_as_json(p) for p in portraits]
        typer.echo(json_text(payload))
    else:
        _print_level(portraits)


def _demo_compass_files(
    settings: Settings, answers: Path | None, budget: Path | None
) -> tuple[Path, Path]:
    """The synthetic example answers and budget written by ``cotera demo synth``."""
    if answers or budget:
        errors.print("[red]Erreur :[/red] --demo-compass remplace --answers et --budget.")
        raise typer.Exit(2)
    files = demo_compass_files(settings)
    if not all(path.is_file() for path in files):
        errors.print(
            "[red]Erreur :[/red] réponses d'exemple absentes : "
            "lancez d'abord « cotera demo synth »."
        )
        raise typer.Exit(1)
    return files


def _run_level(
    ctx: typer.Context, level: Level, draws: int, seed: int, out: Path | None, quiet: bool
) -> list[Portrait]:
    settings = settings_of(ctx)
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with (
        Progress(*columns, console=errors, disable=quiet) as progress,
        friendly_errors(),
    ):
        task = progress.add_task("Portraits", total=None)

        def advance(done: int, total: int, name: str) -> None:
            progress.update(task, completed=done, total=total, description=f"Portraits : {name}")

        return run_portraits(
            settings,
            level,
            draws=draws,
            seed=seed,
            out_dir=out,
            metropolitan_only=level is Level.REGION,
            progress=advance,
        )


def _as_json(portrait: Portrait) -> dict[str, object]:
    data = diagnostic_to_dict(portrait.diagnostic)
    data["portrait"] = None if portrait.path is None else str(portrait.path)
    data["sections"] = sections_to_data(portrait.sections)
    return data


def _rank_text(position: Position | None) -> str:
    return "–" if position is None else position.rank_text()


def _interval_text(position: Position | None) -> str:
    if position is None or position.interval is None:
        return "–"
    low, high = position.interval.bounds()
    return str(low) if low == high else f"{low}–{high}"


def _print_summary(portrait: Portrait) -> None:
    diagnostic = portrait.diagnostic
    console.print(f"[bold]{escape(diagnostic.name)}[/bold] ({diagnostic.territory})")
    coverage = diagnostic.coverage
    console.print(f"Couverture : {escape(coverage.summary)}", soft_wrap=True)
    overall = diagnostic.overall
    if overall is not None:
        console.print(
            f"Indice global : rang {rank_fr(overall.rank)} sur {overall.peers} "
            f"(centile {format_number(overall.percentile, 0)}) – {escape(overall.sentence)}"
        )
    elif coverage.overall_withheld:
        console.print(f"Pas d'indice global : {escape(coverage.overall_withheld)}.", soft_wrap=True)
    robust = [p for p in diagnostic.priorities if p.position.certainty is Certainty.ROBUST_TOP]
    depends = [p for p in diagnostic.priorities if p.position.certainty is not Certainty.ROBUST_TOP]
    group = (
        f"parmi les {diagnostic.top} {level_noun(diagnostic.level, plural=True)} les plus fragiles"
    )
    if robust:
        console.print(
            f"[bold]Fragilités prioritaires[/bold] ({group} quelle que soit la méthode) :"
        )
        for priority in robust:
            console.print(
                f"  {priority.fragility} {escape(priority.label)} – {priority.position.span()}"
            )
    if depends:
        console.print(
            f"[bold]Selon la méthode[/bold] ({group} pour certaines méthodes seulement) :"
        )
        for priority in depends:
            console.print(
                f"  {priority.fragility} {escape(priority.label)} – {priority.position.span()}"
            )
    unreliable = [
        f
        for f in diagnostic.fragilities
        if f.position and f.position.certainty is Certainty.NOT_RELIABLE
    ]
    if unreliable:
        console.print("[bold]Non retenues comme priorités[/bold] (indicateurs non fiables) :")
        for fragility in unreliable:
            assert fragility.position is not None
            console.print(
                f"  {fragility.code} {escape(fragility.label)} – {fragility.position.span()}",
                soft_wrap=True,
            )
    if not diagnostic.coverage.with_data:
        console.print("Aucune fragilité mesurée pour ce territoire (pas de donnée chargée).")
    elif not diagnostic.priorities:
        console.print(f"Aucune fragilité {group}.")
    console.print(_fragility_table(diagnostic))
    families = " ; ".join(
        f"{f.label} {_rank_text(f.position)} ({_interval_text(f.position)})"
        if f.position
        else f"{f.label} {f.withheld or 'non classée'}"
        for f in diagnostic.families
    )
    console.print(f"Familles (rang, intervalle 5–95 %) : {escape(families)}", soft_wrap=True)
    console.print(
        f"Fragilités lues : {len(coverage.with_data)} sur 16"
        + (
            f" ; sans donnée à ce niveau : {', '.join(coverage.no_data_at_level)}"
            if coverage.no_data_at_level
            else ""
        )
        + (
            f" ; manquantes pour ce territoire : {', '.join(coverage.missing_for_territory)}"
            if coverage.missing_for_territory
            else ""
        ),
        soft_wrap=True,
    )
    if coverage.approximations:
        console.print(
            f"Dénominateurs : {len(coverage.approximations)} indicateur(s) sur "
            f"{len(coverage.years)} rapporté(s) pour certains territoires à la population d'une "
            f"autre année (approximation) : {', '.join(coverage.approximations)}",
            soft_wrap=True,
        )
    uncertainty = (
        f"{diagnostic.draws} tirages, graine {diagnostic.seed}"
        if diagnostic.draws
        else "non évaluée"
    )
    console.print(f"Incertitude : {uncertainty}.", style="dim")
    for section in portrait.sections:
        console.print(f"[bold]{escape(section.title)}[/bold]")
        lines = section.data.get("summary") or [section.data.get("reason", "")]
        for line in lines:
            console.print(f"  {escape(str(line))}", soft_wrap=True)
    if portrait.path is not None:
        console.print(f"Portrait : {portrait.path}")


def _fragility_table(diagnostic: Diagnostic) -> Table:
    parent = diagnostic.parent[1] if diagnostic.parent else None
    table = Table(title="Les 16 fragilités", title_justify="left")
    table.add_column("fragilité", ratio=1, min_width=18)
    table.add_column("rang", justify="right", no_wrap=True)
    table.add_column("5–95 %", justify="right", no_wrap=True)
    table.add_column(
        "indicateurs : valeur (année) · France" + (f" · {parent}" if parent else ""), ratio=2
    )
    for fragility in diagnostic.fragilities:
        lines = []
        for reading in fragility.indicators:
            parts = [f"{format_value(reading.value, reading.unit)} ({reading.year})"]
            if reading.approximation and reading.population_note:
                parts[0] += f", {reading.population_note}"
            if not reading.quality.usable:
                counted = "" if reading.scored else ", non compté"
                parts[0] += f" ({reading.quality.short_fr}{counted})"
            france = reading.france.value if reading.france else None
            perimeter = (reading.france.perimeter_label if reading.france else "") or "France"
            parts.append(f"{perimeter} {format_value(france, reading.unit)}")
            if parent:
                value = reading.parent.value if reading.parent else None
                parts.append(f"{parent} {format_value(value, reading.unit)}")
            lines.append(f"{escape(reading.label)} : " + " · ".join(parts))
        table.add_row(
            f"{fragility.code} {escape(fragility.label)}",
            _rank_text(fragility.position),
            _interval_text(fragility.position),
            "\n".join(lines) or "[dim]pas de donnée à ce niveau[/dim]",
        )
    return table


def _print_level(portraits: list[Portrait]) -> None:
    table = Table(title=f"{len(portraits)} portraits", title_justify="left")
    table.add_column("territoire", ratio=1)
    table.add_column("indice global", justify="right", no_wrap=True)
    table.add_column("5–95 %", justify="right", no_wrap=True)
    table.add_column("priorités", ratio=1)
    table.add_column("portrait", ratio=1)
    for portrait in portraits:
        diagnostic = portrait.diagnostic
        table.add_row(
            f"{escape(diagnostic.name)} ({diagnostic.territory})",
            _rank_text(diagnostic.overall),
            _interval_text(diagnostic.overall),
            ", ".join(p.fragility for p in diagnostic.priorities) or "–",
            "" if portrait.path is None else portrait.path.name,
        )
    console.print(table)
    folders = {str(p.path.parent) for p in portraits if p.path is not None}
    for folder in sorted(folders):
        console.print(f"Portraits écrits dans : {folder}")
