"""The 16 fragilities and their four families, read from the packaged referential."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from cotera.errors import ConfigurationError


@dataclass(frozen=True, slots=True)
class Family:
    """A family of fragilities (économique, sociale, sociétale, environnementale)."""

    code: str
    label_fr: str
    label_en: str


@dataclass(frozen=True, slots=True)
class Fragility:
    """One of the 16 fragilities of the PHARE referential."""

    code: str
    family: str
    label_fr: str
    label_en: str

    def label(self, language: str = "fr") -> str:
        """The label in ``language`` (``fr`` or ``en``)."""
        return self.label_en if language == "en" else self.label_fr


@dataclass(frozen=True, slots=True)
class FragilityReferential:
    """Families and fragilities, in referential order."""

    version: str
    families: tuple[Family, ...]
    fragilities: tuple[Fragility, ...]

    def get(self, code: str) -> Fragility:
        """The fragility with this code (``F01``…``F16``)."""
        for fragility in self.fragilities:
            if fragility.code == code.upper():
                return fragility
        known = ", ".join(f.code for f in self.fragilities)
        raise ConfigurationError(f"fragilité inconnue : {code!r} (connues : {known})")

    def codes(self) -> tuple[str, ...]:
        """All fragility codes in order."""
        return tuple(f.code for f in self.fragilities)

    def of_family(self, family: str) -> tuple[Fragility, ...]:
        """The fragilities of one family."""
        return tuple(f for f in self.fragilities if f.family == family)


def parse_fragilities(
    raw: dict[str, Any], origin: str = "fragilities.toml"
) -> FragilityReferential:
    """Validate and build the referential from parsed TOML."""
    families = tuple(
        Family(str(f["code"]), str(f["label_fr"]), str(f["label_en"])) for f in raw["family"]
    )
    family_codes = {f.code for f in families}
    fragilities = []
    for index, item in enumerate(raw["fragility"], start=1):
        if item["family"] not in family_codes:
            raise ConfigurationError(
                f"{origin}: fragilité n°{index} ({item.get('code')}): famille inconnue "
                f"{item['family']!r}"
            )
        fragilities.append(
            Fragility(
                str(item["code"]), str(item["family"]), str(item["label_fr"]), str(item["label_en"])
            )
        )
    codes = [f.code for f in fragilities]
    if len(set(codes)) != len(codes):
        raise ConfigurationError(f"{origin}: codes de fragilité en double")
    return FragilityReferential(str(raw["version"]), families, tuple(fragilities))


@cache
def fragility_referential() -> FragilityReferential:
    """The packaged referential (cached)."""
    text = (
        resources.files("cotera.referential")
        .joinpath("data/fragilities.toml")
        .read_text(encoding="utf-8")
    )
    return parse_fragilities(tomllib.loads(text))
