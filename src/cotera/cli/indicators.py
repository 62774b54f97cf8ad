"""``cotera indicators T [--year Y] [--all-years] [--format table|json|csv]``."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer
from rich.table import Table

from cotera.cli.context import console, friendly_errors, settings_of
from cotera.cli.formatting import french_number, method_label, missing_label
from cotera.indicators.quality import DataQuality
from cotera.report.outputs import csv_text, json_text
from cotera.services.indicators import IndicatorValue, TerritoryIndicators, territory_indicators
from cotera.types import Level


class OutputFormat(StrEnum):
    """How ``cotera indicators`` prints its result."""

    TABLE = "table"
    JSON = "json"
    CSV = "csv"


def indicators(
    ctx: typer.Context,
    territory: Annotated[
        str, typer.Argument(help="Code (dep:93, com:93066, custom:…) ou nom du territoire.")
    ],
    year: Annotated[int | None, typer.Option("--year", help="Seulement cette année.")] = None,
    all_years: Annotated[
        bool, typer.Option("--all-years", help="Toutes les années (défaut : la plus récente).")
    ] = False,
    output: Annotated[
        OutputFormat, typer.Option("--format", help="Format de sortie.")
    ] = OutputFormat.TABLE,
) -> None:
    """Valeurs des indicateurs d'un territoire, avec la France et le territoire parent."""
    settings = settings_of(ctx)
    with friendly_errors():
        result = territory_indicators(settings, territory, year, all_years)
    if output is OutputFormat.JSON:
        typer.echo(json_text(result.to_dict()))
    elif output is OutputFormat.CSV:
        typer.echo(csv_text(result.to_frame()), nl=False)
    else:
        _print_table(result)


def _print_table(result: TerritoryIndicators) -> None:
    territory, parent = result.territory, result.parent
    which = (
        f"année {result.year}"
        if result.year is not None
        else ("toutes les années" if result.all_years else "année la plus récente par indicateur")
    )
    population = french_number(territory.population)
    title = f"{territory.name} ({territory.code}) — population {population} — {which}"
    if parent is not None:
        title += f"\ncomparaison : {parent.name} ({parent.code}) et France (fr)"
    if not result.values:
        console.print(f"{title}\n{_no_value_message(result)}")
        return
    table = Table(title=title, title_justify="left")
    table.add_column("frag.", no_wrap=True)
    table.add_column("indicateur (unité)", ratio=1, min_width=16)
    table.add_column("année", justify="right", no_wrap=True, min_width=5)
    for code in (territory.code, *(() if parent is None else (parent.code,)), "fr"):
        table.add_column(str(code), justify="right", no_wrap=True)
    table.add_column("qualité", min_width=7)
    for value in result.values:
        numbers = [value.value, value.france] + ([value.parent] if parent is not None else [])
        decimals = 2 if all(abs(n) < 1 for n in numbers if n is not None) else 1
        shown = (
            missing_label(value.missing_reason)
            if value.value is None
            else french_number(value.value, decimals)
        )
        notes = [f"source : {value.source}"]
        if value.method != "source":
            notes.append(method_label(value.method) + (f", {value.basis}" if value.basis else ""))
        if value.population_note:
            notes.append(value.population_note)
        if value.france is not None:
            notes.append(_france_note(value))
        if value.quality_note:
            notes.append(value.quality_note)
        label = f"{value.label} ({value.unit})\n[dim]{' · '.join(notes)}[/dim]"
        row = [value.fragility, label, str(value.year), shown]
        if parent is not None:
            row.append(french_number(value.parent, decimals))
        row.append(french_number(value.france, decimals))
        status = DataQuality(value.quality)
        row.append(status.short_fr if status.usable else f"[bold]{status.short_fr}[/bold]")
        table.add_row(*row)
    console.print(table)
    fragilities = sorted({(v.fragility, v.fragility_label) for v in result.values})
    console.print("Fragilités : " + " ; ".join(f"{c} {label}" for c, label in fragilities))
    sources = sorted({(v.source, v.source_label, v.licence) for v in result.values})
    console.print("Sources :")
    for source, label, licence in sources:
        console.print(f"  {source} : {label} — {licence}", soft_wrap=True, style="dim")


def _france_note(value: IndicatorValue) -> str:
    """« France : France métropolitaine » (and the France value's populations when it has some)."""
    perimeter = value.france_perimeter_label or "périmètre non déterminé"
    extra = f", {value.france_population_note}" if value.france_population_note else ""
    return f"fr = {perimeter}{extra}"


def _no_value_message(result: TerritoryIndicators) -> str:
    """Why the table is empty: nothing loaded at all, or nothing for this territory (or year)."""
    if not result.loaded:
        return "Aucune valeur chargée (lancez « cotera data load »)."
    territory = result.territory
    when = "" if result.year is None else f" en {result.year}"
    lines = [
        f"Aucune valeur publiée pour {territory.name} ({territory.code}){when} : "
        "les sources chargées ne couvrent pas ce territoire."
    ]
    if result.year is not None:
        lines.append(f"Sans --year : cotera indicators {territory.code}")
    if result.parent is not None:
        lines.append(f"Territoire parent : cotera indicators {result.parent.code}")
    if territory.level in (Level.EPCI, Level.DEPARTEMENT, Level.REGION):
        lines.append(
            "Valeurs agrégées de ses communes : cotera territory create mon-territoire "
            f'--name "{territory.name}" --members {territory.code}, '
            "puis cotera indicators custom:mon-territoire"
        )
    return "\n".join(lines)
