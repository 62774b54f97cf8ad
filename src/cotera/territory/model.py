"""Territory codes and records: ``fr``, ``reg:11``, ``dep:93``, ``epci:…``, ``com:93066``."""

from __future__ import annotations

import re
from dataclasses import dataclass

from cotera.errors import NotFoundError
from cotera.types import Level

_CODE_PATTERNS: dict[Level, re.Pattern[str]] = {
    Level.REGION: re.compile(r"\d{2}", re.ASCII),
    Level.DEPARTEMENT: re.compile(r"\d{2}|2[AB]|97\d", re.ASCII),
    Level.EPCI: re.compile(r"\d{9}", re.ASCII),
    Level.COMMUNE: re.compile(r"\d{5}|2[AB]\d{3}", re.ASCII),
    Level.CUSTOM: re.compile(r"[a-z0-9][a-z0-9_-]*", re.ASCII),
}


@dataclass(frozen=True, slots=True, order=True)
class TerritoryCode:
    """A canonical territory code: a level and the INSEE / SIREN code within it."""

    level: Level
    code: str

    def __str__(self) -> str:
        return "fr" if self.level is Level.COUNTRY else f"{self.level.value}:{self.code}"

    @classmethod
    def parse(cls, text: str) -> TerritoryCode:
        """Parse ``dep:93``, ``DEP:2a``, ``com:01001``, ``fr``; raise NotFoundError if malformed."""
        raw = text.strip()
        if raw.lower() in {"fr", "france"}:
            return cls(Level.COUNTRY, "fr")
        prefix, sep, code = raw.partition(":")
        try:
            level = Level(prefix.lower())
        except ValueError:
            level = None
        if not sep or level is None or level is Level.COUNTRY:
            raise NotFoundError(
                f"code de territoire mal formé : {text!r} "
                "(attendu : fr, reg:11, dep:93, epci:200054781, com:93066 ou custom:nom)"
            )
        code = code.strip().lower() if level is Level.CUSTOM else code.strip().upper()
        if level is Level.DEPARTEMENT and len(code) == 1 and code in "0123456789":
            code = "0" + code
        if not _CODE_PATTERNS[level].fullmatch(code):
            raise NotFoundError(
                f"code de territoire mal formé pour le niveau {level.value} : {text!r}"
            )
        return cls(level, code)


FRANCE = TerritoryCode(Level.COUNTRY, "fr")


@dataclass(frozen=True, slots=True)
class Territory:
    """A territory with its name, population and ancestors (nearest first, ``fr`` last)."""

    code: TerritoryCode
    name: str
    population: int | None = None
    parents: tuple[TerritoryCode, ...] = ()

    @property
    def level(self) -> Level:
        """The territory's level."""
        return self.code.level

    def parent(self, level: Level) -> TerritoryCode | None:
        """The ancestor at ``level``, if any."""
        return next((p for p in self.parents if p.level is level), None)
