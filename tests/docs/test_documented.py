"""Every command and every setting is documented (README or docs/), as datasette does."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typer

from cotera.cli.main import app
from cotera.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def _documentation() -> str:
    texts = [ROOT.joinpath("README.md").read_text(encoding="utf-8")]
    texts += [p.read_text(encoding="utf-8") for p in sorted(ROOT.joinpath("docs").glob("*.md"))]
    return "\n".join(texts)


def _commands(command: Any, prefix: str) -> Iterator[str]:
    subcommands = getattr(command, "commands", None)
    if subcommands:
        for name, sub in subcommands.items():
            yield from _commands(sub, f"{prefix} {name}")
    else:
        yield prefix


def test_every_command_is_documented() -> None:
    docs = _documentation()
    commands = list(_commands(typer.main.get_command(app), "cotera"))
    assert len(commands) >= 25
    missing = [c for c in commands if c not in docs]
    assert missing == []


def test_every_setting_is_in_the_readme() -> None:
    readme = ROOT.joinpath("README.md").read_text(encoding="utf-8")
    names = [f"COTERA_{name.upper()}" for name in Settings.model_fields]
    assert len(names) >= 5
    assert [n for n in names if n not in readme] == []
