"""The outlines a portrait's maps are drawn on, or the reason there are none.

Services read the outlines from the database (``cotera.storage.boundary_store``) and hand a
:class:`BaseMap` to the portrait; a map section without outlines keeps its title and says why.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

NOT_LOADED = "Contours non chargés : lancez « cotera data load »."
RECREATED_COMMUNES = (
    "communes créées ou rétablies après 2018 : les contours de 2018 les incluent dans la commune "
    "dont elles ont été détachées"
)


@dataclass(frozen=True, slots=True)
class BaseMap:
    """A GeoJSON FeatureCollection of the peers drawn (``read_boundaries``'s form), what it
    shows, which peers have no outline on it; or, without one, the reason."""

    geojson: Mapping[str, Any] | None
    reason: str = ""  # why there is no map (geojson None)
    scope: str = ""  # what the map shows, e.g. « les 39 communes de Seine-Saint-Denis »
    missing: tuple[str, ...] = ()  # names of territories of the scope without an outline
    missing_reason: str = ""  # why they have none

    @property
    def insets(self) -> bool:
        """Whether overseas départements are drawn as insets (not at the same scale)."""
        return bool(self.geojson and self.geojson.get("cotera", {}).get("insets"))

    def note(self) -> str:
        """What a reader must know about the map (insets, missing outlines), or ``""``."""
        notes = []
        if self.insets:
            notes.append("Départements d'outre-mer en encarts, chacun à sa propre échelle.")
        if self.missing:
            why = f" ({self.missing_reason})" if self.missing_reason else ""
            notes.append(f"Sans contour sur cette carte : {', '.join(self.missing)}{why}.")
        return " ".join(notes)


NO_MAP = BaseMap(None, NOT_LOADED)
