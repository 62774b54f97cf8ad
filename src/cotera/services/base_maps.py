"""Which outlines a portrait's maps draw, read from the database (never from the mirror).

A région, département or EPCI is drawn among its peers on the national map (metropolitan peers
only for a metropolitan territory; every peer, the DROM as insets, for an overseas one); a
commune among the communes of its département. Without stored outlines, the map's reason says
to run ``cotera data load``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection

from cotera.diagnostic.wording import level_noun
from cotera.report.basemap import NOT_LOADED, RECREATED_COMMUNES, BaseMap
from cotera.services.boundary_load import BOUNDARIES_SOURCE
from cotera.storage.batch_store import current_batch
from cotera.storage.boundary_store import read_boundaries
from cotera.territory.catalog import TerritoryCatalog
from cotera.territory.model import Territory, TerritoryCode
from cotera.types import Level

MAP_LEVELS = (Level.REGION, Level.DEPARTEMENT, Level.EPCI, Level.COMMUNE)


class BaseMaps:
    """Reads each map once per run (the peers of a level, or the communes of a département)."""

    def __init__(self, connection: Connection, catalog: TerritoryCatalog) -> None:
        self.connection = connection
        self.catalog = catalog
        self.loaded = current_batch(connection, BOUNDARIES_SOURCE.id) is not None
        self._read: dict[tuple[Level, TerritoryCode | None, tuple[str, ...]], dict[str, Any]] = {}

    def of(self, territory: Territory, peers: Sequence[Territory]) -> BaseMap:
        """The map of ``territory`` among ``peers``, or why there is none."""
        level = territory.level
        if level not in MAP_LEVELS:
            return BaseMap(None, f"Pas de carte pour le niveau {level.value}.")
        if not self.loaded:
            return BaseMap(None, NOT_LOADED)
        within = territory.parent(Level.DEPARTEMENT) if level is Level.COMMUNE else None
        shown = [p for p in peers if within is None or p.parent(Level.DEPARTEMENT) == within]
        codes = tuple(str(p.code) for p in shown)
        key = (level, within, codes)
        if key not in self._read:
            self._read[key] = read_boundaries(self.connection, level, within, codes=codes)
        collection = self._read[key]
        drawn = {f["properties"]["code"] for f in collection["features"]}
        if not drawn:
            return BaseMap(None, f"Aucun contour chargé pour les {level_noun(level, True)}.")
        missing = tuple(p.name for p in shown if str(p.code) not in drawn)
        scope = f"les {len(drawn)} {level_noun(level, True)}"
        if within is not None:
            scope += f" de {self.catalog.get(within).name}"
        reason = RECREATED_COMMUNES if level is Level.COMMUNE else "absents des contours chargés"
        return BaseMap(collection, scope=scope, missing=missing, missing_reason=reason)
