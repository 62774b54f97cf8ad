"""Small shared value types."""

from __future__ import annotations

from enum import StrEnum


class Direction(StrEnum):
    """Whether a higher indicator value means more (``+``) or less (``-``) fragility."""

    HIGHER_IS_MORE_FRAGILE = "+"
    HIGHER_IS_LESS_FRAGILE = "-"


class Level(StrEnum):
    """Territorial levels, from the largest."""

    COUNTRY = "fr"
    REGION = "reg"
    DEPARTEMENT = "dep"
    EPCI = "epci"
    COMMUNE = "com"
    CUSTOM = "custom"
