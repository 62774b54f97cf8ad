"""``cotera registry import|synth|barometer|pioneers`` and ``cotera match``."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from cotera.cli.barometer_table import survey_table
from cotera.cli.context import cli_actor, console, errors, friendly_errors, settings_of
from cotera.cli.registry_experiments import experiment_app, organisation_app
from cotera.errors import ConfigurationError
from cotera.registry.barometer import Dimension
from cotera.registry.matching import Suggestion
from cotera.registry.synthetic import SyntheticSpec
from cotera.report.numbers import format_share
from cotera.report.outputs import csv_text, json_text
from cotera.services.barometer_survey import barometer_with_survey
from cotera.services.registry import RegisterKind, barometer, import_register, match, pioneers
from cotera.services.registry import synthesize as synthesize_registry
from cotera.types import Level

app = typer.Typer(help="Observatoire des partenariats : registres, baromètre, pionniers.")
app.add_typer(experiment_app, name="experiment")
app.add_typer(organisation_app, name="organisation")
SYNTHETIC = "[yellow]données synthétiques[/yellow]"
KEPT = (
    "organisation(s) synthétique(s) de l'ancien registre conservée(s) : membres de partenariats "
    "ou d'expérimentations réels, que le registre synthétique ne modifie jamais."
)


def _progress(label: str, bytes_unit: bool) -> Progress:
    columns = [TextColumn(label), BarColumn()]
    columns += [DownloadColumn()] if bytes_unit else [TextColumn("{task.completed:,}")]
    return Progress(*columns, TimeRemainingColumn(), console=console, transient=True)


@app.command("import")
def import_file(
    ctx: typer.Context,
    kind: Annotated[RegisterKind, typer.Argument(help="rna, sirene ou partnerships.")],
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="Fichier à importer.")],
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", help="Importe les lignes valides, liste les autres.")
    ] = False,
    allow_mass_change: Annotated[
        bool,
        typer.Option(
            "--allow-mass-change",
            help="Accepte un import qui dissoudrait plus de 5 % des associations RNA des "
            "départements du fichier ou effacerait des valeurs de plus de 1 % des partenariats.",
        ),
    ] = False,
) -> None:
    """Importe un fichier RNA (waldec), SIRENE (stock) ou de partenariats ; idempotent."""
    settings = settings_of(ctx)
    with friendly_errors(), _progress(f"Import {path.name}", True) as bar:
        task = bar.add_task("import", total=path.stat().st_size)
        report = import_register(
            settings, kind, path, cli_actor(),
            lambda done, total: bar.update(task, completed=done, total=total), skip_invalid,
            allow_mass_change,
        )  # fmt: skip
    if report.already_imported:
        console.print(f"{escape(path.name)} : déjà importé, rien n'a changé.")
        return
    counts = report.counts
    console.print(
        f"{path.name} ({report.kind}) : {counts['created']:,} créé(s), {counts['updated']:,} "
        f"mis à jour, {counts['unchanged']:,} inchangé(s), {counts['dissolved']:,} dissous, "
        f"{counts['skipped']:,} ignoré(s), {counts['rejected']:,} rejeté(s)."
    )
    for problem in report.rejected[:50]:
        console.print(f"  - rejeté : {escape(problem.describe())}", soft_wrap=True)
    if report.warnings:
        console.print(f"{len(report.warnings):,} valeur(s) écartée(s), par exemple :")
        for problem in report.warnings[:10]:
            console.print(f"  - {escape(problem.describe())}", soft_wrap=True)


@app.command("synth")
def synth(
    ctx: typer.Context,
    associations: Annotated[int, typer.Option(help="Nombre d'associations.")] = 1_500_000,
    partnerships: Annotated[int, typer.Option(help="Nombre de partenariats.")] = 1_200_000,
    companies: Annotated[int, typer.Option(help="Nombre d'entreprises.")] = 600_000,
    seed: Annotated[int, typer.Option(help="Graine du générateur.")] = 0,
) -> None:
    """Génère un registre national SYNTHÉTIQUE (remplace le précédent registre synthétique)."""
    settings = settings_of(ctx)
    spec = SyntheticSpec(
        associations=associations, partnerships=partnerships, companies=companies, seed=seed
    )
    with friendly_errors(), _progress("Registre synthétique", False) as bar:
        task = bar.add_task("synth", total=None)
        counts = synthesize_registry(
            settings, spec, cli_actor(), lambda d, t: bar.update(task, completed=d, total=t)
        )
    console.print(
        f"Registre {SYNTHETIC} : {counts['organizations']:,} organisations, "
        f"{counts['partnerships']:,} partenariats (graine {seed})."
    )
    if counts["kept"]:
        console.print(f"{counts['kept']:,} {KEPT}")


class Output(StrEnum):
    """Output formats of the registry commands."""

    TEXT = "text"
    CSV = "csv"
    JSON = "json"


YEAR = "year"  # always a column of the barometer: accepted in --by, adds nothing


def _dimensions(text: str) -> list[Dimension]:
    """``territory,kind`` → dimensions; a clear French error lists the accepted values."""
    names = [d.strip() for d in text.split(",") if d.strip()]
    unknown = [n for n in names if n != YEAR and n not in Dimension.__members__.values()]
    if unknown:
        accepted = ", ".join([*(d.value for d in Dimension), YEAR])
        raise ConfigurationError(
            f"--by : découpage inconnu {', '.join(map(repr, unknown))} (attendu : {accepted})"
        )
    return [Dimension(n) for n in names if n != YEAR]


def _years(text: str) -> list[int]:
    try:
        return [int(y) for y in text.split(",") if y.strip()]
    except ValueError as exc:
        raise ConfigurationError(
            f"--years : années attendues, par exemple 2010,2015 ({text!r})"
        ) from exc


@app.command("barometer")
def barometer_command(
    ctx: typer.Context,
    territory: Annotated[str | None, typer.Option(help="Restreint à un territoire.")] = None,
    by: Annotated[
        str,
        typer.Option(
            help="Découpages : territory,kind,size_band,form,fragility (year : toujours)."
        ),
    ] = "territory",
    level: Annotated[Level, typer.Option(help="Niveau du découpage territory.")] = Level.REGION,
    years: Annotated[str, typer.Option(help="Années séparées par des virgules.")] = "2015",
    output: Annotated[Output, typer.Option("--format", help="text, csv ou json.")] = Output.TEXT,
    with_survey: Annotated[
        bool,
        typer.Option(
            "--with-survey",
            help="Ajoute l'enquête (partenariat / intention / ni l'un ni l'autre, IC 95 %) des "
            "entreprises et des associations ; ajoute le découpage kind.",
        ),
    ] = False,
) -> None:
    """Taux de partenariat (part des organisations ayant au moins un partenariat)."""
    settings = settings_of(ctx)
    notes: tuple[str, ...] = ()
    with friendly_errors():
        dims, year_list = _dimensions(by), _years(years)
        if with_survey:
            result = barometer_with_survey(settings, territory, dims, year_list, level)
            frame, notes = result.table, result.notes
        else:
            frame = barometer(settings, territory, dims, year_list, level)
    if output is Output.CSV:
        typer.echo(csv_text(frame), nl=False)
    elif output is Output.JSON:
        typer.echo(json_text(frame.to_dicts()))
    else:
        suffix = " — données synthétiques" if frame["synthetic"].any() else ""
        table = Table(title=f"Baromètre des partenariats{suffix}")
        shown = survey_table(frame) if with_survey else frame.drop("synthetic")
        for column in shown.columns:
            table.add_column(column)
        for row in shown.head(200).iter_rows():
            table.add_row(*(format_share(v) if isinstance(v, float) else str(v) for v in row))
        console.print(table)
    out = console if output is Output.TEXT else errors  # keep csv / json parseable
    for note in notes:
        out.print(note, soft_wrap=True)


def _codes(text: str | None) -> list[str] | None:
    """``F01,F04`` → codes; None (option absent) → priorities from the diagnostic."""
    return None if text is None else [c.strip() for c in text.split(",") if c.strip()]


PRIORITIES_HELP = (
    "Fragilités prioritaires du territoire (F01,F04…) ; par défaut celles de son diagnostic."
)


@app.command("pioneers")
def pioneers_command(
    ctx: typer.Context,
    territory: Annotated[str, typer.Argument(help="Territoire (dep:93, com:93066…).")],
    priorities: Annotated[str | None, typer.Option(help=PRIORITIES_HELP)] = None,
    top: Annotated[int, typer.Option(help="Nombre de partenariats listés.")] = 20,
) -> None:
    """Repère les partenariats pionniers d'un territoire (étape 0), avec leurs raisons."""
    settings = settings_of(ctx)
    with friendly_errors():
        report = pioneers(settings, territory, _codes(priorities), top)
    console.print(f"Partenariats pionniers — {escape(report.territory.name)}")
    console.print(report.priorities.describe(), soft_wrap=True)
    if not report.ranked:
        console.print("Aucun partenariat enregistré sur ce territoire.")
    for item in report.ranked:
        flag = "[green]pionnier[/green]" if item.candidate.pioneer else "candidat"
        label = f" ({SYNTHETIC})" if item.synthetic else ""
        console.print(f"{item.candidate.score:>3} pts  {flag}  {escape(item.name)}{label}")
        for reason in item.candidate.reasons:
            console.print(f"          · {escape(reason)}")


def _suggestion_json(name: str, synthetic: bool, suggestion: Suggestion) -> dict[str, object]:
    return {
        "organization_id": suggestion.organization_id,
        "name": name,
        "synthetic": synthetic,
        "kind": suggestion.kind.value,
        "commune": suggestion.commune,
        "proximity": suggestion.proximity.value,
        "score": suggestion.score,
        "explanation": [
            {"criterion": c.criterion.value, "points": c.points, "max": c.maximum,
             "detail": c.detail}
            for c in suggestion.components
        ],
    }  # fmt: skip


class MatchOutput(StrEnum):
    """Output formats of ``cotera match`` (suggestions are nested: no CSV)."""

    TEXT = "text"
    JSON = "json"


def match_command(
    ctx: typer.Context,
    organization: Annotated[
        int | None, typer.Argument(help="Identifiant Cotera de l'organisation.")
    ] = None,
    territory: Annotated[str | None, typer.Option(help="Territoire (avec --fragility).")] = None,
    fragility: Annotated[str | None, typer.Option(help="Fragilité : F01…F16.")] = None,
    priorities: Annotated[str | None, typer.Option(help=PRIORITIES_HELP)] = None,
    top: Annotated[int, typer.Option(help="Nombre de suggestions.")] = 10,
    output: Annotated[
        MatchOutput, typer.Option("--format", help="text ou json.")
    ] = MatchOutput.TEXT,
) -> None:
    """Met en relation : partenaires complémentaires, avec l'explication de chaque score."""
    settings = settings_of(ctx)
    with friendly_errors():
        report = match(settings, organization, territory, fragility, _codes(priorities), top)
    found = report.suggestions
    if output is MatchOutput.JSON:
        payload = {
            "priorities": report.priorities.as_dict(),
            "suggestions": [_suggestion_json(n.name, n.synthetic, n.suggestion) for n in found],
        }
        typer.echo(json_text(payload))
        return
    console.print(report.priorities.describe(), soft_wrap=True)
    if not found:
        console.print("Aucune suggestion.")
    for rank, item in enumerate(found, start=1):
        s = item.suggestion
        label = f" ({SYNTHETIC})" if item.synthetic else ""
        console.print(
            f"{rank:>2}. {item.name}{label} — {s.kind.label()}, {s.commune or '?'} : "
            f"{s.score:.1f} / 100"
        )
        for component in s.components:
            console.print(
                f"      {component.points:>5.1f} / {component.maximum:.0f}  {component.detail}",
                soft_wrap=True,
            )
