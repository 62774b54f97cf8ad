"""What every command gets: the settings (read once), a console, and errors turned into French.

``settings_of(ctx)`` reads ``Settings`` from the environment the first time a command of the
invocation asks and keeps it on the root Typer context; ``--mirror`` style options override a
field. ``friendly_errors()`` turns a ``CoteraError`` into a clear message (every problem of a
``ValidationError``) and exit code 1. ``cli_actor()`` is who writes: the OS account.
"""

from __future__ import annotations

import os
import pwd
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from pydantic import ValidationError as SettingsError
from rich.console import Console
from rich.markup import escape

from cotera.actor import Actor, ActorKind
from cotera.errors import ConfigurationError, CoteraError, ValidationError
from cotera.settings import Settings

console = Console()
errors = Console(stderr=True)


def settings_of(ctx: typer.Context, mirror: Path | None = None) -> Settings:
    """The invocation's settings (read once), with ``mirror`` overriding the data mirror."""
    root = ctx.find_root()
    if not isinstance(root.obj, Settings):
        try:
            root.obj = Settings()
        except SettingsError as exc:
            errors.print(f"[red]Configuration invalide (variables COTERA_…) :[/red] {exc}")
            raise typer.Exit(1) from exc
    settings: Settings = root.obj
    if mirror is not None:
        settings = settings.model_copy(update={"data_mirror": mirror})
    return settings


def cli_actor() -> Actor:
    """The OS account running the command, from the process's user id (``USER`` and
    ``LOGNAME`` are not read: anyone can set them). ``uid-1000`` when the account has no
    passwd entry (containers) or a name outside the accepted characters."""
    uid = os.getuid()
    try:
        return Actor(ActorKind.CLI, pwd.getpwuid(uid).pw_name)
    except (KeyError, ConfigurationError):
        return Actor(ActorKind.CLI, f"uid-{uid}")


@contextmanager
def friendly_errors() -> Iterator[None]:
    """Print a CoteraError in French (every problem listed) and exit with code 1."""
    try:
        yield
    except ValidationError as exc:
        errors.print(f"[red]Erreur :[/red] {escape(exc.summary)} ({len(exc.problems)} problème(s))")
        for problem in exc.problems:
            errors.print(f"  - {escape(problem.describe())}", soft_wrap=True)
        raise typer.Exit(1) from exc
    except CoteraError as exc:
        errors.print(f"[red]Erreur :[/red] {escape(str(exc))}", soft_wrap=True)
        raise typer.Exit(1) from exc
