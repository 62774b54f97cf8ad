"""Fragilities derived from an organisation's sector codes (WALDEC themes, NAF activities)."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from cotera.errors import ConfigurationError
from cotera.registry.fragility_mask import to_mask


@dataclass(frozen=True, slots=True)
class SectorTheme:
    """One mapped code: a WALDEC theme or a NAF section / division."""

    code: str
    label_fr: str
    mask: int
    basis: str  # "design" (DESIGN.md §3) or "project" (Cotera's own reading)


@dataclass(frozen=True, slots=True)
class SectorMapping:
    """WALDEC theme → mask and NAF division → mask, loaded from editable data."""

    waldec: dict[str, SectorTheme]
    naf_division: dict[int, SectorTheme]

    def waldec_mask(self, codes: Iterable[str]) -> int:
        """The fragilities of WALDEC codes, through their theme (``019025`` → ``019000``)."""
        mask = 0
        for code in codes:
            theme = self.waldec.get(waldec_theme(code))
            if theme is not None:
                mask |= theme.mask
        return mask

    def naf_mask(self, naf: str | None) -> int:
        """The fragilities of a NAF code such as ``88.10A`` or ``8810A`` (0 if unknown)."""
        if not naf or len(naf) < 2 or not naf[:2].isdigit():
            return 0
        theme = self.naf_division.get(int(naf[:2]))
        return theme.mask if theme is not None else 0

    def derived_mask(self, naf: str | None, waldec: Iterable[str]) -> int:
        """An organisation's fragilities: from its WALDEC codes when it has any, else its NAF."""
        codes = [c for c in waldec if c]
        return self.waldec_mask(codes) if codes else self.naf_mask(naf)


def waldec_theme(code: str) -> str:
    """The theme of a WALDEC code: its first three digits then ``000``."""
    code = code.strip()
    return code[:3] + "000" if len(code) == 6 and code.isdigit() else ""


def _theme(item: dict[str, Any], code: str, basis: str, origin: str) -> SectorTheme:
    try:
        mask = to_mask(item["fragilities"])
    except ConfigurationError as error:
        raise ConfigurationError(f"{origin} : {code} : {error}") from None
    return SectorTheme(code, str(item["label_fr"]), mask, str(item.get("basis", basis)))


def parse_sector_mapping(waldec: dict[str, Any], naf: dict[str, Any]) -> SectorMapping:
    """Validate both parsed TOML files and build the mapping."""
    themes: dict[str, SectorTheme] = {}
    for item in waldec["theme"]:
        code = str(item["code"])
        if waldec_theme(code) != code or code in themes:
            raise ConfigurationError(f"waldec_fragilities.toml : thème invalide ou doublon {code}")
        themes[code] = _theme(item, code, "design", "waldec_fragilities.toml")
    divisions: dict[int, SectorTheme] = {}
    basis = str(naf.get("basis", "project"))
    for item in naf["section"]:
        first, last = (int(d) for d in item["divisions"])
        theme = _theme(item, str(item["code"]), basis, "naf_fragilities.toml")
        for division in range(first, last + 1):
            if division in divisions:
                raise ConfigurationError(f"naf_fragilities.toml : division {division} en double")
            divisions[division] = theme
    for item in naf.get("division", []):
        division = int(item["code"])
        divisions[division] = _theme(item, f"{division:02d}", basis, "naf_fragilities.toml")
    return SectorMapping(themes, divisions)


@cache
def sector_mapping() -> SectorMapping:
    """The packaged mapping (cached)."""
    folder = resources.files("cotera.registry").joinpath("data")
    waldec = tomllib.loads(folder.joinpath("waldec_fragilities.toml").read_text("utf-8"))
    naf = tomllib.loads(folder.joinpath("naf_fragilities.toml").read_text("utf-8"))
    return parse_sector_mapping(waldec, naf)
