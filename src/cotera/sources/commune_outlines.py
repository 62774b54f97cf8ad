"""Commune outlines of 2018 (``geo/communes-2018.geojson.gz``) placed on the COG 2026 communes.

The file (gregoiredavid/france-geojson, IGN Admin Express COG 2018, Licence Ouverte) has one
polygon per commune of 2018, properties ``code`` (INSEE) and ``nom``. Each 2018 code is placed
on the current commune that contains it, in this order:

1. the code is a current commune (``commune-actuelle`` of ``cog/communes_cog2026.csv``);
2. it is a ``commune-deleguee`` / ``commune-associee`` row, whose ``chef_lieu`` is its current
   commune (``cotera.sources.cog.former_commune_codes``): the present status comes first;
3. it is an ``ancien_code`` of ``cog/communes_anciens_codes_cog2026.csv``.

The polygons placed on one commune are dissolved into one outline (a commune nouvelle is the
union of its former communes). What cannot be placed, current communes left without an outline
(communes created or re-created after 2018, whose land lies inside the 2018 outline of the
commune they were split from) and repaired polygons are returned as notes.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import polars as pl
import shapely
from numpy.typing import NDArray

from cotera.errors import Problem, ValidationError
from cotera.sources.mirror import Mirror

OUTLINES_FILE = "geo/communes-2018.geojson.gz"
HISTORY_FILE = "cog/communes_anciens_codes_cog2026.csv"
SOURCE_URL = "https://github.com/gregoiredavid/france-geojson"
_PROPERTIES = re.compile(r'"properties"\s*:\s*(\{[^{}]*\})')
_POLYGONAL = (shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON)

Geometries = NDArray[np.object_]


@dataclass(frozen=True, slots=True)
class CommuneOutlines:
    """One outline per current commune that has one, with the notes of the placement."""

    codes: tuple[str, ...]  # INSEE codes of current communes, sorted
    geometries: Geometries  # shapely (Multi)Polygons, longitude/latitude, same order
    notes: tuple[Problem, ...]


def outline_history(mirror: Mirror) -> dict[str, str]:
    """Former commune code → current commune, from ``communes_anciens_codes_cog2026.csv``."""
    frame = pl.read_csv(mirror.path(HISTORY_FILE), infer_schema=False)
    missing = [c for c in ("code_insee", "ancien_code") if c not in frame.columns]
    if missing:
        raise ValidationError(
            "fichier des anciens codes illisible",
            [Problem("missing_column", "colonne absente", HISTORY_FILE, column=c) for c in missing],
        )
    return dict(zip(frame["ancien_code"].to_list(), frame["code_insee"].to_list(), strict=True))


def read_outlines(mirror: Mirror) -> tuple[list[str], Geometries]:
    """The 2018 codes and polygons of the file, in file order (ValidationError lists problems).

    Geometries are parsed by GEOS in one pass; the properties (flat objects) are read with
    a pattern and must be as many as the geometries.
    """
    try:
        text = gzip.decompress(mirror.path(OUTLINES_FILE).read_bytes()).decode("utf-8")
        collection = shapely.from_geojson(text)
    except (OSError, UnicodeDecodeError, shapely.errors.GEOSException) as exc:
        raise ValidationError(
            "contours des communes illisibles",
            [Problem("bad_format", f"GeoJSON gzip attendu ({exc})", OUTLINES_FILE)],
        ) from exc
    geometries = shapely.get_parts(collection)
    found = _PROPERTIES.findall(text)
    problems: list[Problem] = []
    if len(found) != len(geometries):
        problems.append(
            Problem("bad_format", "autant de « properties » que de géométries attendu",
                    OUTLINES_FILE, value=f"{len(found)} / {len(geometries)}")
        )  # fmt: skip
    codes: list[str] = []
    for row, raw in enumerate(found, start=1):
        code = json.loads(raw).get("code")
        if not isinstance(code, str) or not re.fullmatch(r"\d{5}|2[AB]\d{3}", code):
            problems.append(_bad(row, "code", code, "code INSEE de commune"))
        codes.append(str(code))
    kinds = shapely.get_type_id(geometries)
    problems += [
        _bad(row, "geometry", str(shapely.GeometryType(kind).name), "Polygon ou MultiPolygon")
        for row, kind in enumerate(kinds, start=1)
        if kind not in _POLYGONAL
    ]
    seen: set[str] = set()
    for row, code in enumerate(codes, start=1):
        if code in seen:
            problems.append(_bad(row, "code", code, "un code par commune"))
        seen.add(code)
    if problems:
        raise ValidationError("contours des communes invalides", problems)
    return codes, geometries


def place_outlines(
    codes: list[str],
    geometries: Geometries,
    communes: Mapping[str, str],
    former: Mapping[str, str],
    history: Mapping[str, str],
) -> CommuneOutlines:
    """Dissolve the 2018 polygons into the current ``communes`` (code → name).

    ``former`` is ``cog.former_commune_codes``, ``history`` is ``outline_history``.
    """
    notes: list[Problem] = []
    geometries = geometries.copy()
    invalid = np.flatnonzero(~shapely.is_valid(geometries))
    for index in invalid:
        reason = shapely.is_valid_reason(geometries[index])
        geometries[index] = shapely.make_valid(
            geometries[index], method="structure", keep_collapsed=False
        )
        notes.append(
            Problem("repaired_outline", f"contour 2018 invalide réparé ({reason})",
                    OUTLINES_FILE, int(index) + 1, "geometry", codes[index])
        )  # fmt: skip
    placed: list[str] = []
    for row, code in enumerate(codes, start=1):
        target = code if code in communes else former.get(code) or history.get(code)
        if target is None or target not in communes:
            notes.append(
                Problem("unplaced_outline", "commune 2018 inconnue du COG 2026 : contour ignoré",
                        OUTLINES_FILE, row, "code", code, "une commune ou un ancien code 2026")
            )  # fmt: skip
            target = ""
        placed.append(target)
    keep = np.array([bool(p) for p in placed])
    units, outlines = dissolve(np.array(placed)[keep], geometries[keep])
    have = set(units)
    notes += [
        Problem("missing_outline", "commune 2026 sans contour 2018 (créée ou rétablie après "
                "2018 : son territoire est dessiné avec la commune dont elle a été détachée)",
                OUTLINES_FILE, column="code", value=f"{code} {name}")
        for code, name in sorted(communes.items())
        if code not in have
    ]  # fmt: skip
    return CommuneOutlines(tuple(units), outlines, tuple(notes))


def dissolve(units: NDArray[np.str_], geometries: Geometries) -> tuple[list[str], Geometries]:
    """One outline per distinct unit (sorted): the union of its polygons.

    Polygons of a coverage (edge-matched, no overlap) are merged by coverage union, a general
    union being the fallback when the result is not valid.
    """
    order = np.argsort(units, kind="stable")
    ordered = units[order]
    distinct, starts = np.unique(ordered, return_index=True)
    ends = [*starts[1:], len(ordered)]
    merged = np.empty(len(distinct), dtype=object)
    for index, (start, end) in enumerate(zip(starts, ends, strict=True)):
        parts = geometries[order[start:end]]
        if end - start == 1:
            merged[index] = parts[0]
            continue
        union = shapely.coverage_union_all(parts)
        merged[index] = union if shapely.is_valid(union) else shapely.union_all(parts)
    return [str(u) for u in distinct], merged


def _bad(row: int, column: str, value: object, expected: str) -> Problem:
    return Problem("bad_feature", "entité invalide", OUTLINES_FILE, row, column,
                   None if value is None else str(value), expected)  # fmt: skip
