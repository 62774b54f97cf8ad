"""French nouns for territorial levels, used in sentences about peers."""

from __future__ import annotations

from cotera.types import Level

_NOUNS: dict[Level, tuple[str, str]] = {
    Level.COUNTRY: ("pays", "pays"),
    Level.REGION: ("région", "régions"),
    Level.DEPARTEMENT: ("département", "départements"),
    Level.EPCI: ("EPCI", "EPCI"),
    Level.COMMUNE: ("commune", "communes"),
    Level.CUSTOM: ("territoire", "territoires"),
}


def level_noun(level: Level, plural: bool = False) -> str:
    """``département`` / ``départements`` for :attr:`Level.DEPARTEMENT`, and so on."""
    singular, many = _NOUNS[level]
    return many if plural else singular
