"""Boundaries of régions and départements (GeoJSON, WGS84) from ``geo/`` of a mirror.

Files of gregoiredavid/france-geojson (IGN Admin Express COG 2018, Licence Ouverte). Each
feature's ``code`` property is rewritten to the canonical territory code (``dep:93``,
``reg:11``), the original INSEE code kept as ``insee``; ``nom`` is kept. No geometry is
computed. The 2018 map of régions and départements is the same as the 2026 one.

The pre-2016 régions file and the metropolitan outline are not exposed: old région codes
collide with today's and nothing draws the outline yet.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from cotera.errors import NotFoundError, Problem, ValidationError
from cotera.sources.mirror import Mirror
from cotera.territory.model import TerritoryCode
from cotera.types import Level

SOURCE_URL = "https://github.com/gregoiredavid/france-geojson"
SOURCE_LABEL = "IGN Admin Express COG 2018 via france-geojson (Licence Ouverte)"


class Coverage(StrEnum):
    """Which part of France a boundary file covers."""

    METROPOLITAN = "metro"
    """Metropolitan France only, strongly simplified (small files, for maps of 96 dep / 13 reg)."""
    WITH_OVERSEAS = "overseas"
    """Metropolitan France and the five DROM at their real coordinates (larger files)."""


BOUNDARY_FILES: dict[tuple[Level, Coverage], str] = {
    (Level.REGION, Coverage.METROPOLITAN): "geo/regions-version-simplifiee.geojson",
    (Level.REGION, Coverage.WITH_OVERSEAS): "geo/regions-avec-outre-mer.geojson",
    (Level.DEPARTEMENT, Coverage.METROPOLITAN): "geo/departements-version-simplifiee.geojson",
    (Level.DEPARTEMENT, Coverage.WITH_OVERSEAS): "geo/departements-avec-outre-mer.geojson",
}


def load_boundaries(
    mirror: Mirror, level: Level, coverage: Coverage = Coverage.METROPOLITAN
) -> dict[str, Any]:
    """The FeatureCollection of a level, ``code`` canonical (``dep:93``), ``insee`` and ``nom``.

    NotFoundError for a level without boundaries (EPCI, communes); ValidationError listing
    every feature without a valid code or name.
    """
    relative = BOUNDARY_FILES.get((level, coverage))
    if relative is None:
        raise NotFoundError(f"pas de contours pour le niveau {level.value}")
    data = json.loads(mirror.path(relative).read_text(encoding="utf-8"))
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise ValidationError(
            "contours illisibles",
            [Problem("bad_format", "FeatureCollection attendue", file=relative)],
        )
    problems: list[Problem] = []
    features: list[dict[str, Any]] = []
    for index, feature in enumerate(data.get("features", []), start=1):
        properties = feature.get("properties") or {}
        insee, name = properties.get("code"), properties.get("nom")
        try:
            code = TerritoryCode.parse(f"{level.value}:{insee}")
        except NotFoundError:
            problems.append(_bad(relative, index, "code", insee, f"code de niveau {level.value}"))
            continue
        if not isinstance(name, str) or not name:
            problems.append(_bad(relative, index, "nom", name, "un nom"))
            continue
        properties = {**properties, "code": str(code), "insee": code.code, "nom": name}
        features.append({**feature, "properties": properties})
    if problems:
        raise ValidationError("contours invalides", problems)
    return {"type": "FeatureCollection", "features": features}


def select_features(
    collection: dict[str, Any], codes: Iterable[TerritoryCode | str]
) -> dict[str, Any]:
    """The features of ``codes`` (in the collection's order); NotFoundError names any missing."""
    wanted = {str(c if isinstance(c, TerritoryCode) else TerritoryCode.parse(c)) for c in codes}
    features = [f for f in collection["features"] if f["properties"]["code"] in wanted]
    missing = wanted - {f["properties"]["code"] for f in features}
    if missing:
        raise NotFoundError("pas de contour pour : " + ", ".join(sorted(missing)))
    return {"type": "FeatureCollection", "features": features}


def _bad(file: str, row: int, column: str, value: object, expected: str) -> Problem:
    return Problem(
        "bad_feature",
        "propriété invalide",
        file=file,
        row=row,
        column=column,
        value=None if value is None else str(value),
        expected=expected,
    )
