"""Read an index framework file (TOML) given by the user."""

from __future__ import annotations

import tomllib
from pathlib import Path

from cotera.errors import Problem, ValidationError
from cotera.index.framework import Framework


def read_framework(path: Path) -> Framework:
    """The framework in ``path``; an unreadable file is a ValidationError naming it."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ValidationError(
            "cadre illisible", [Problem("framework.unreadable", str(exc), str(path))]
        ) from exc
    return Framework.from_mapping(data, str(path))
