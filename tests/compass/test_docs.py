"""docs/compass.md documents every question, budget category, brake and command option."""

from __future__ import annotations

from pathlib import Path

import typer
from typer.main import get_command

from cotera.cli.compass import compass
from cotera.compass.budget import LineKind
from cotera.compass.referential import CompassReferential

DOC = (Path(__file__).resolve().parents[2] / "docs" / "compass.md").read_text(encoding="utf-8")


def test_every_identifier_is_documented(referential: CompassReferential) -> None:
    economics = referential.economics
    ids = [q.id for q in referential.questions] + [b.id for b in referential.brakes]
    ids += [c.id for c in economics.resources + economics.contributions + economics.costs]
    ids += [b.id for b in referential.body_types] + [s.id for s in referential.stakeholders]
    ids += [k.value for k in LineKind]
    assert [i for i in ids if f"`{i}`" not in DOC and i not in DOC] == []


def test_every_option_is_documented() -> None:
    app = typer.Typer(add_completion=False)
    app.command()(compass)
    command = get_command(app)
    options = [o for p in command.params for o in p.opts if o.startswith("--")]
    assert "--answers" in options
    assert [o for o in options if o not in DOC] == []
