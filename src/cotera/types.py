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


class MapDetail(StrEnum):
    """Which stored outlines a map uses (see docs/territories.md, « Boundaries »)."""

    NATIONAL = "national"
    """France on one page: planar coordinates in km, the DROM as insets, coarse (régions,
    départements, EPCI)."""
    LOCAL = "local"
    """Real coordinates (WGS84 longitude, latitude), finer: communes of a département or région."""
