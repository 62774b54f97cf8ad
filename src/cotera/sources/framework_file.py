"""Read an index framework file (TOML) given by the user."""

from __future__ import annotations

from pathlib import Path

from cotera.index.framework import Framework
from cotera.sources.toml_file import read_toml


def read_framework(path: Path) -> Framework:
    """The framework in ``path``; an unreadable file is a ValidationError naming it."""
    data = read_toml(path, "cadre")
    return Framework.from_mapping(data, str(path))
