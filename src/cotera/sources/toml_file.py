"""Read a TOML file given by the user: every failure is a ValidationError naming the file."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from cotera.errors import Problem, SourceError, ValidationError


def read_toml(path: Path, what: str) -> dict[str, Any]:
    """The mapping in ``path``; ``what`` names the file for people (« cadre », « réponses »…).

    A missing file is a SourceError; bad UTF-8, bad syntax (with its line) and nesting too deep
    for the parser are ValidationErrors.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise SourceError(f"lecture impossible : {path} ({exc.strerror or exc})") from exc
    except UnicodeDecodeError as exc:
        problem = Problem("encodage", "le fichier doit être en UTF-8", file=path.name)
        raise ValidationError(f"{what} illisible : {path.name}", [problem]) from exc
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        problem = Problem("toml_invalide", f"syntaxe TOML invalide : {exc}", file=path.name)
        raise ValidationError(f"{what} illisible : {path.name}", [problem]) from exc
    except RecursionError as exc:
        problem = Problem("toml_trop_imbrique", "tableaux ou listes imbriqués trop profondément",
                          file=path.name)  # fmt: skip
        raise ValidationError(f"{what} illisible : {path.name}", [problem]) from exc
