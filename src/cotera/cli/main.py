"""The ``cotera`` command: a thin Typer layer over ``cotera.services``."""

from __future__ import annotations

import typer

from cotera import __version__
from cotera.cli import data, index, indicators, registry, survey, survey_margins, territory
from cotera.cli.compass import compass
from cotera.cli.demo import app as demo_app
from cotera.cli.diagnose import diagnose

app = typer.Typer(
    name="cotera",
    help="Cotera : la co-construction en territoire, mesurable et actionnable.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cotera {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Affiche la version."
    ),
) -> None:
    """Cotera : diagnostic des fragilités, prismes, observatoire des partenariats, boussole."""


app.add_typer(data.app, name="data")
app.add_typer(territory.app, name="territory")
app.command("indicators")(indicators.indicators)
app.command("compass")(compass)
app.command("diagnose")(diagnose)
app.add_typer(index.app, name="index")
app.add_typer(survey.app, name="survey")
survey.app.command("margins")(survey_margins.margins)
app.add_typer(registry.app, name="registry")
app.command("match")(registry.match_command)
app.add_typer(demo_app, name="demo")
