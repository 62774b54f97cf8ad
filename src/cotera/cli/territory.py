"""``cotera territory show|create|list|delete``."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from cotera.cli.context import console, friendly_errors, settings_of
from cotera.cli.data import LEVEL_LABELS
from cotera.cli.formatting import french_number
from cotera.services.territories import (
    TerritoryView,
    create_custom_territory,
    delete_custom_territory,
    list_custom_territories,
    show_territory,
)
from cotera.types import Level

LEVEL_NAMES = {
    Level.COUNTRY: "pays",
    Level.REGION: "région",
    Level.DEPARTEMENT: "département",
    Level.EPCI: "EPCI",
    Level.COMMUNE: "commune",
    Level.CUSTOM: "territoire personnalisé",
}

app = typer.Typer(help="Territoires : consulter, définir des territoires personnalisés.")

TerritoryArgument = Annotated[
    str,
    typer.Argument(
        help="Code (dep:93, com:93066, custom:est-parisien…) ou nom (« Seine-Saint-Denis »)."
    ),
]


@app.command("show")
def show(ctx: typer.Context, territory: TerritoryArgument) -> None:
    """Affiche un territoire : nom, niveau, population, rattachements, composition."""
    settings = settings_of(ctx)
    with friendly_errors():
        view = show_territory(settings, territory)
    _print_view(view)


@app.command("create")
def create(
    ctx: typer.Context,
    slug: Annotated[str, typer.Argument(help="Identifiant : minuscules, chiffres, - ou _.")],
    name: Annotated[str, typer.Option("--name", help="Nom du territoire.")],
    members: Annotated[
        str,
        typer.Option("--members", help="Membres séparés par des virgules : dep:93,epci:…,com:…"),
    ],
) -> None:
    """Crée (ou remplace) un territoire personnalisé fait de communes, EPCI ou départements."""
    settings = settings_of(ctx)
    with friendly_errors():
        view = create_custom_territory(settings, slug, name, members.split(","))
    console.print(f"[green]Territoire personnalisé enregistré :[/green] {view.territory.code}")
    _print_view(view)


@app.command("list")
def list_(ctx: typer.Context) -> None:
    """Liste les territoires personnalisés."""
    settings = settings_of(ctx)
    with friendly_errors():
        views = list_custom_territories(settings)
    if not views:
        console.print(
            "Aucun territoire personnalisé (créez-en un avec « cotera territory create »)."
        )
        return
    table = Table(title="Territoires personnalisés", title_justify="left")
    table.add_column("code", no_wrap=True)
    table.add_column("nom")
    table.add_column("membres", overflow="fold")
    table.add_column("communes", justify="right")
    table.add_column("population", justify="right", no_wrap=True)
    for view in views:
        table.add_row(
            str(view.territory.code),
            escape(view.territory.name),
            ", ".join(str(m.code) for m in view.members),
            french_number(dict(view.children).get(Level.COMMUNE, 0)),
            french_number(view.territory.population),
        )
    console.print(table)


@app.command("delete")
def delete(
    ctx: typer.Context,
    slug: Annotated[str, typer.Argument(help="Identifiant du territoire personnalisé.")],
) -> None:
    """Supprime un territoire personnalisé."""
    settings = settings_of(ctx)
    with friendly_errors():
        delete_custom_territory(settings, slug)
    console.print(
        f"Territoire personnalisé supprimé : custom:{escape(slug.removeprefix('custom:'))}"
    )


def _print_view(view: TerritoryView) -> None:
    territory = view.territory
    table = Table(
        title=f"{escape(territory.name)} ({territory.code})",
        title_justify="left",
        show_header=False,
    )
    table.add_column("champ", style="bold")
    table.add_column("valeur")
    table.add_row("Niveau", LEVEL_NAMES[territory.level])
    table.add_row("Population", french_number(territory.population))
    for parent in view.parents:
        table.add_row(
            f"Rattachement ({LEVEL_NAMES[parent.level]})", f"{escape(parent.name)} ({parent.code})"
        )
    for level, count in view.children:
        label = (
            "Communes" if level is Level.COMMUNE else f"{LEVEL_LABELS[level]} (en tout ou partie)"
        )
        table.add_row(label, french_number(count))
    if view.members:
        table.add_row("Membres", "\n".join(f"{escape(m.name)} ({m.code})" for m in view.members))
    console.print(table)
