"""Where source files are read from: a local mirror directory of the official files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cotera.errors import SourceError


@dataclass(frozen=True, slots=True)
class Mirror:
    """A directory laid out like ``shared/data`` (``cog/``, ``geo/``, ``indicators/``…)."""

    root: Path

    def path(self, relative: str) -> Path:
        """The local path of a source file; SourceError if it is not in the mirror."""
        path = self.root / relative
        if not path.is_file():
            raise SourceError(f"fichier source absent du miroir : {path}")
        return path
