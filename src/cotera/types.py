"""Small shared value types."""

from __future__ import annotations

import math
from enum import StrEnum

# No figure Cotera reads (euros, hours, weights, counts, rates, totals) comes near this size:
# a larger number is a broken file (1e308), never a value.
ABSURD_MAGNITUDE = 1e15


def sane_number(value: float) -> bool:
    """Whether ``value`` is finite and below ABSURD_MAGNITUDE in size."""
    return math.isfinite(value) and abs(value) < ABSURD_MAGNITUDE


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
