"""Hand-made commune outlines (synthetic squares, not real boundaries) for the outline tests.

Four 2018 communes of « département 01 » side by side, their shared borders zigzagging so that
simplification has something to remove, plus an unknown code and one overseas square::

    01004  01004 | 01003
    01001 | 01002 | 01003        (x from 0 to 3, y from 0 to 2; 97101 near Guadeloupe)

The three-commune junction at (2, 1) lies on a straight side of 01003: simplifying each polygon
on its own would drop it from 01003 and keep it in 01001 and 01004.

01002 has since merged into 01001 (a commune nouvelle); 01005 is a current commune with no
2018 outline (re-created); 01099 is unknown to the COG.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

from cotera.sources.boundary_maps import CommuneParents

STEPS = 40
WIGGLE = 0.004


def zigzag(start: tuple[float, float], end: tuple[float, float]) -> list[list[float]]:
    """Points from ``start`` to ``end`` (excluded), every other one pushed sideways."""
    (x0, y0), (x1, y1) = start, end
    points = []
    for i in range(STEPS):
        t = i / STEPS
        x, y = x0 + t * (x1 - x0), y0 + t * (y1 - y0)
        shift = WIGGLE if i % 2 else 0.0
        points.append([x + shift * (y1 - y0), y + shift * (x1 - x0)])
    return points


def side(a: tuple[float, float], b: tuple[float, float]) -> list[list[float]]:
    """The points of side ``a``→``b``, both ends included: the same points for both neighbours."""
    low, high = sorted([a, b])
    points = [*zigzag(low, high), list(high)]
    return points if a == low else points[::-1]


def block(x: int, y: int, width: int = 1, height: int = 1) -> list[list[list[float]]]:
    """A rectangle ring (counter-clockwise) walked in zigzagging unit sides."""
    corners = [(float(x + i), float(y)) for i in range(width)]
    corners += [(float(x + width), float(y + j)) for j in range(height)]
    corners += [(float(x + width - i), float(y + height)) for i in range(width)]
    corners += [(float(x), float(y + height - j)) for j in range(height)]
    ring: list[list[float]] = []
    for a, b in zip(corners, corners[1:] + corners[:1], strict=True):
        ring += side(a, b)[:-1]
    return [[*ring, ring[0]]]


def small_square(x: float, y: float, size: float) -> list[list[list[float]]]:
    """A plain square ring (counter-clockwise)."""
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return [ring]


OUTLINES = {
    "01001": block(0, 0),
    "01002": block(1, 0),
    "01003": block(2, 0, height=2),
    "01004": block(0, 1, width=2),
    "01099": block(5, 5),
    "97101": small_square(-61.6, 16.1, 0.2),
}
COMMUNES = {
    "01001": "Synthétique-Nouvelle",
    "01003": "Synthétique-Trois",
    "01004": "Synthétique-Quatre",
    "01005": "Synthétique-Rétablie",
    "97101": "Synthétique-Outre-mer",
}
FORMER = {"01002": "01001"}  # commune-deleguee → chef-lieu
PARENTS = {
    "01001": CommuneParents("200000001", "01", "84"),
    "01003": CommuneParents("200000001", "01", "84"),
    "01004": CommuneParents("200000002", "01", "84"),
    "01005": CommuneParents("200000002", "01", "84"),
    "97101": CommuneParents("200000971", "971", "01"),
}


def feature_collection(outlines: dict[str, Any] | None = None) -> dict[str, Any]:
    """The GeoJSON FeatureCollection of ``OUTLINES`` (or of ``outlines``)."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Polygon", "coordinates": ring},
                "properties": {"code": code, "nom": f"Synthétique {code}"},
            }
            for code, ring in (outlines or OUTLINES).items()
        ],
    }


def write_mirror(root: Path, collection: dict[str, Any] | None = None) -> Path:
    """A mirror holding only ``geo/communes-2018.geojson.gz``."""
    path = root / "geo" / "communes-2018.geojson.gz"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(collection or feature_collection())
    path.write_bytes(gzip.compress(text.encode()))
    return root
