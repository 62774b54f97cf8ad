"""Map outlines of every level, simplified per level, from the communes' outlines.

EPCI, départements and régions are unions of their communes (COG 2026 membership), so every
level is drawn from the same lines. Each level is simplified as a *coverage* (GEOS coverage
simplification, Visvalingam–Whyatt on the edges shared by neighbours): a shared border is
simplified once for both sides, so neighbours still touch, and no gap or overlap appears.
Coordinates are then rounded (a shared vertex rounds the same way on both sides).

Two details (``MapDetail``): ``local`` outlines keep longitude/latitude; ``national`` outlines are
laid out by ``cotera.territory.map_layout`` (km, DROM as insets) and are coarser.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl
import shapely
from numpy.typing import NDArray

from cotera.errors import Problem
from cotera.sources.commune_outlines import OUTLINES_FILE, CommuneOutlines, Geometries, dissolve
from cotera.territory.map_layout import INSET_OF_DEPARTEMENT, InsetPlacement, metropolitan
from cotera.types import Level, MapDetail

KIB = 1024


@dataclass(frozen=True, slots=True)
class LevelPlan:
    """How one level is simplified for one detail, and the size one map may reach."""

    level: Level
    detail: MapDetail
    tolerance: float  # about the square root of the area of a removed triangle (deg or km)
    decimals: int  # decimals of the coordinates written
    budget_bytes: int  # GeoJSON geometry text of one map: the whole level, or (communes) the
    # communes of the largest département


PLANS: tuple[LevelPlan, ...] = (
    LevelPlan(Level.COMMUNE, MapDetail.LOCAL, 0.002, 5, 600 * KIB),
    LevelPlan(Level.EPCI, MapDetail.LOCAL, 0.004, 4, 4000 * KIB),
    LevelPlan(Level.DEPARTEMENT, MapDetail.LOCAL, 0.004, 4, 2000 * KIB),
    LevelPlan(Level.REGION, MapDetail.LOCAL, 0.004, 4, 1000 * KIB),
    LevelPlan(Level.EPCI, MapDetail.NATIONAL, 1.2, 1, 1500 * KIB),
    LevelPlan(Level.DEPARTEMENT, MapDetail.NATIONAL, 1.2, 1, 400 * KIB),
    LevelPlan(Level.REGION, MapDetail.NATIONAL, 1.5, 1, 250 * KIB),
)
BOUNDARY_COLUMNS = {
    "code": pl.String, "level": pl.String, "detail": pl.String, "geometry": pl.String,
    "x_min": pl.Float64, "y_min": pl.Float64, "x_max": pl.Float64, "y_max": pl.Float64,
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class CommuneParents:
    """The INSEE/SIREN codes of a current commune's EPCI (None for four islands), département
    and région."""

    epci: str | None
    departement: str
    region: str


@dataclass(frozen=True, slots=True)
class BuiltBoundaries:
    """Rows for the boundary table (``BOUNDARY_COLUMNS``), sizes per map, notes."""

    frame: pl.DataFrame
    sizes: dict[tuple[Level, MapDetail], int]  # bytes of the map the budget is about
    notes: tuple[Problem, ...]


def build_boundaries(
    outlines: CommuneOutlines,
    parents: Mapping[str, CommuneParents],
    step: Callable[[str], None] = lambda _label: None,
    plans: Sequence[LevelPlan] = PLANS,
) -> BuiltBoundaries:
    """The simplified outlines of every ``plans`` level and detail (``step`` names each stage)."""
    codes = [c for c in outlines.codes if c in parents]
    keep = np.array([c in parents for c in outlines.codes], dtype=bool)
    communes = outlines.geometries[keep]
    step("projection de la carte nationale (DROM en encarts)")
    laid_out = _national_layout(communes, [parents[c].departement for c in codes])
    frames, sizes, notes = [], {}, []
    for plan in plans:
        source = communes if plan.detail is MapDetail.LOCAL else laid_out
        step(f"{_LEVEL_WORDS[plan.level]}, {_DETAIL_WORDS[plan.detail]}")
        units, geometries = _level(plan.level, codes, source, parents)
        simplified = shapely.coverage_simplify(geometries, plan.tolerance)
        texts = geometry_texts(simplified, plan.decimals)
        bounds = shapely.bounds(simplified)
        frame = pl.DataFrame(
            {
                "code": [f"{plan.level.value}:{u}" for u in units],
                "level": plan.level.value,
                "detail": plan.detail.value,
                "geometry": texts,
                **{k: bounds[:, i] for i, k in enumerate(("x_min", "y_min", "x_max", "y_max"))},
            },
            schema=BOUNDARY_COLUMNS,
        )
        size = _map_size(plan, units, texts, parents)
        sizes[(plan.level, plan.detail)] = size
        if size > plan.budget_bytes:
            notes.append(
                Problem("over_budget", f"carte {_LEVEL_WORDS[plan.level]} "
                        f"({_DETAIL_WORDS[plan.detail]}) plus lourde que prévu", OUTLINES_FILE,
                        value=f"{size // KIB} Kio", expected=f"≤ {plan.budget_bytes // KIB} Kio")
            )  # fmt: skip
        frames.append(frame)
    return BuiltBoundaries(pl.concat(frames), sizes, tuple(notes))


_LEVEL_WORDS = {
    Level.COMMUNE: "communes",
    Level.EPCI: "EPCI",
    Level.DEPARTEMENT: "départements",
    Level.REGION: "régions",
}
_DETAIL_WORDS = {MapDetail.LOCAL: "carte locale", MapDetail.NATIONAL: "carte nationale"}


def _level(
    level: Level, codes: list[str], communes: Geometries, parents: Mapping[str, CommuneParents]
) -> tuple[list[str], Geometries]:
    """The level's units and outlines: the communes themselves or the unions of communes."""
    if level is Level.COMMUNE:
        return codes, communes
    unit_of: dict[Level, Callable[[CommuneParents], str | None]] = {
        Level.EPCI: lambda p: p.epci,
        Level.DEPARTEMENT: lambda p: p.departement,
        Level.REGION: lambda p: p.region,
    }
    units = [unit_of[level](parents[c]) or "" for c in codes]
    member = np.array([bool(u) for u in units], dtype=bool)
    return dissolve(np.array(units)[member], communes[member])


def _national_layout(communes: Geometries, departements: list[str]) -> Geometries:
    """Metropolitan communes in Lambert km, each DROM's fitted into its inset."""
    deps = np.array(departements)
    laid_out = np.empty(len(communes), dtype=object)
    metro = ~np.isin(deps, list(INSET_OF_DEPARTEMENT))
    laid_out[metro] = shapely.transform(communes[metro], metropolitan)
    for departement, slot in INSET_OF_DEPARTEMENT.items():
        mask = deps == departement
        if mask.any():
            placement = InsetPlacement.fit(slot, tuple(shapely.total_bounds(communes[mask])))
            laid_out[mask] = shapely.transform(communes[mask], placement.apply)
    return laid_out


def _map_size(
    plan: LevelPlan, units: list[str], texts: list[str], parents: Mapping[str, CommuneParents]
) -> int:
    """Bytes of the map the budget is about (communes: the largest département's)."""
    if plan.level is not Level.COMMUNE:
        return sum(len(t) for t in texts)
    by_departement: dict[str, int] = {}
    for unit, text in zip(units, texts, strict=True):
        dep = parents[unit].departement
        by_departement[dep] = by_departement.get(dep, 0) + len(text)
    return max(by_departement.values(), default=0)


def geometry_texts(geometries: Geometries, decimals: int) -> list[str]:
    """GeoJSON geometry text of each (Multi)Polygon, coordinates rounded to ``decimals``.

    Consecutive vertices that round to the same point are written once; rings left with fewer
    than four vertices are dropped (a shell with its holes). Numbers are written in their
    shortest form (``523.4``). Exterior rings are clockwise, holes counter-clockwise: the
    orientation d3-geo (hence Vega) expects for spherical projections, the reverse of RFC 7946.
    """
    oriented = shapely.orient_polygons(geometries, exterior_cw=True)
    kind, coords, offsets = shapely.to_ragged_array(oriented)
    if kind == shapely.GeometryType.POLYGON:
        offsets = (*offsets, np.arange(len(geometries) + 1))
    ring_offsets, polygon_offsets, geometry_offsets = offsets
    rounded = np.round(coords, decimals)
    same = np.zeros(len(rounded), dtype=bool)
    same[1:] = (rounded[1:] == rounded[:-1]).all(axis=1)
    same[ring_offsets[:-1]] = False  # a ring's first vertex is always kept
    points = rounded.tolist()
    texts = []
    for first_polygon, end_polygon in _pairs(geometry_offsets):
        polygons = []
        for first_ring, end_ring in _pairs(polygon_offsets[first_polygon : end_polygon + 1]):
            rings = []
            for start, end in _pairs(ring_offsets[first_ring : end_ring + 1]):
                ring = [points[i] for i in range(start, end) if not same[i]]
                if len(ring) >= 4:
                    rings.append(ring)
                elif not rings:
                    break  # the shell collapsed: drop the polygon
            if rings:
                polygons.append(rings)
        texts.append(_text(polygons))
    return texts


def _pairs(offsets: NDArray[np.int64]) -> list[tuple[int, int]]:
    values = offsets.tolist()
    return list(itertools.pairwise(values))


def _text(polygons: list[list[list[list[float]]]]) -> str:
    if len(polygons) == 1:
        geometry: dict[str, object] = {"type": "Polygon", "coordinates": polygons[0]}
    else:
        geometry = {"type": "MultiPolygon", "coordinates": polygons}
    return json.dumps(geometry, separators=(",", ":"))
