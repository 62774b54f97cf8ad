"""What every command gets: the settings (read once), a console, and errors turned into French.

``settings_of(ctx)`` reads ``Settings`` from the environment the first time a command of the
invocation asks and keeps it on the root Typer context; ``--mirror`` style options override a
field. ``friendly_errors()`` turns a ``CoteraError`` into a clear message (every problem of a
``ValidationError``), or an operating-system error on a file, into a clear message and exit
code 1. ``cli_actor()`` is who writes: the OS account.
"""

from __future__ import annotations

import os
import pwd
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer
from pydantic import ValidationError as SettingsError
from rich.console import Console
from rich.errors import MarkupError
from rich.markup import escape
from rich.text import Text

from cotera.actor import Actor, ActorKind
from cotera.errors import ConfigurationError, CoteraError, GuardError, ValidationError
from cotera.settings import Settings


class SafeConsole(Console):
    """A console that prints a text whose brackets are not valid markup as it is.

    User-provided text is escaped where it is printed; this is the safety net for a place that
    forgot (a name such as ``Quartier [/]`` must never crash a command).
    """

    def render_str(self, text: str, **options: Any) -> Text:
        """Render ``text`` as markup, or literally when it is not valid markup."""
        try:
            return super().render_str(text, **options)
        except MarkupError:
            return super().render_str(text, **{**options, "markup": False})


OVERRIDE_FLAGS = {
    "accept_modified": "--accept-modified",
    "allow_shrink": "--allow-shrink",
    "allow_mass_change": "--allow-mass-change",
}


def override_hint(override: str) -> str:
    """`` ; --flag pour forcer`` for a guard the user may override, else empty."""
    return f" ; {OVERRIDE_FLAGS[override]} pour forcer" if override in OVERRIDE_FLAGS else ""


console = SafeConsole()
errors = SafeConsole(stderr=True)


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
        hint = override_hint(exc.override) if isinstance(exc, GuardError) else ""
        errors.print(f"[red]Erreur :[/red] {escape(str(exc))}{hint}", soft_wrap=True)
        raise typer.Exit(1) from exc
    except OSError as exc:
        where = escape(f" {exc.filename}") if exc.filename else ""
        reason = escape(exc.strerror or str(exc))
        errors.print(f"[red]Erreur de fichier{where} :[/red] {reason}", soft_wrap=True)
        raise typer.Exit(1) from exc
