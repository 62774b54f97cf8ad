"""Outlines of every level from the communes' (synthetic squares): unions, shared borders kept
identical by the simplification, rounding and orientation of the GeoJSON written, DROM insets."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import polars as pl
import pytest
import shapely

from cotera.sources.boundary_maps import LevelPlan, build_boundaries, geometry_texts
from cotera.sources.commune_outlines import place_outlines, read_outlines
from cotera.sources.mirror import Mirror
from cotera.territory.map_layout import INSET_OF_DEPARTEMENT
from cotera.types import Level, MapDetail
from tests.sources.outline_samples import COMMUNES, FORMER, OUTLINES, PARENTS, write_mirror

PLANS = (
    LevelPlan(Level.COMMUNE, MapDetail.LOCAL, 0.05, 5, 1_000_000),
    LevelPlan(Level.EPCI, MapDetail.LOCAL, 0.01, 5, 10),  # over budget on purpose
    LevelPlan(Level.DEPARTEMENT, MapDetail.NATIONAL, 1.0, 1, 1_000_000),
)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> pl.DataFrame:
    mirror = Mirror(write_mirror(tmp_path_factory.mktemp("outlines")))
    codes, geometries = read_outlines(mirror)
    placed = place_outlines(codes, geometries, COMMUNES, FORMER, {})
    result = build_boundaries(placed, PARENTS, plans=PLANS)
    assert [(n.code, n.expected) for n in result.notes] == [("over_budget", "≤ 0 Kio")]
    return result.frame


def _shape(frame: pl.DataFrame, code: str, detail: MapDetail = MapDetail.LOCAL) -> shapely.Geometry:
    row = frame.filter((pl.col("code") == code) & (pl.col("detail") == detail.value))
    return shapely.from_geojson(row["geometry"].item())


def test_every_level_and_detail_is_built(built: pl.DataFrame) -> None:
    rows = built.select("code", "level", "detail").rows()
    assert rows == [
        ("com:01001", "com", "local"),
        ("com:01003", "com", "local"),
        ("com:01004", "com", "local"),
        ("com:97101", "com", "local"),
        ("epci:200000001", "epci", "local"),
        ("epci:200000002", "epci", "local"),
        ("epci:200000971", "epci", "local"),
        ("dep:01", "dep", "national"),
        ("dep:971", "dep", "national"),
    ]


def test_an_epci_is_the_union_of_its_communes(built: pl.DataFrame) -> None:
    epci = _shape(built, "epci:200000001")
    members = shapely.union_all([_shape(built, "com:01001"), _shape(built, "com:01003")])
    assert epci.geom_type == "Polygon"
    assert epci.area == pytest.approx(4.0, rel=1e-3)
    assert epci.symmetric_difference(members).area < 0.02  # each level simplified on its own


def test_neighbours_keep_the_same_border_after_simplification(built: pl.DataFrame) -> None:
    left, right = _shape(built, "com:01001"), _shape(built, "com:01003")
    before = len(OUTLINES["01003"][0])
    assert shapely.get_num_coordinates(right) < before / 4  # the zigzags are gone
    on_border = {
        name: {
            tuple(p)
            for p in shapely.get_coordinates(shape)
            if other.boundary.distance(shapely.Point(p)) < 1e-12
        }
        for name, shape, other in (("left", left, right), ("right", right, left))
    }
    assert on_border["left"] == on_border["right"]  # the same vertices on both sides
    assert len(on_border["left"]) >= 2
    shared = left.boundary.intersection(right.boundary)
    assert shared.length == pytest.approx(1.0, abs=0.01)  # a line, not points
    assert (2.0, 1.0) in on_border["right"]  # the junction of three communes is kept
    assert left.intersection(right).area == 0.0  # no overlap
    upper = _shape(built, "com:01004")
    union = shapely.union_all([left, right, upper])
    assert union.area == pytest.approx(left.area + right.area + upper.area, rel=1e-12)  # no gap


def test_overseas_outlines_are_moved_into_their_inset(built: pl.DataFrame) -> None:
    x_min, y_min, x_max, y_max = INSET_OF_DEPARTEMENT["971"].box
    row = built.filter(pl.col("code") == "dep:971").row(0, named=True)
    assert x_min <= row["x_min"] < row["x_max"] <= x_max
    assert y_min <= row["y_min"] < row["y_max"] <= y_max
    metro = built.filter(pl.col("code") == "dep:01").row(0, named=True)
    assert metro["x_min"] > x_max  # metropolitan France is right of the insets


def test_written_geometry_is_rounded_and_clockwise() -> None:
    shell = [(0, 0), (0.96, 0), (1.000001, 0), (1, 1), (0, 1)]
    square = shapely.Polygon(shell, holes=[[(0.2, 0.2), (0.2, 0.6), (0.6, 0.6)]])
    tiny = shapely.Polygon([(5, 5), (5.01, 5), (5, 5.01)])
    [text] = geometry_texts(np.array([shapely.MultiPolygon([square, tiny])]), 1)
    geometry = json.loads(text)
    assert geometry["type"] == "Polygon"  # the tiny triangle collapsed: its polygon is dropped
    shell_out, hole = geometry["coordinates"]
    assert shell_out == [[0.0, 0.0], [0.0, 1.0], [1.0, 1.0], [1.0, 0.0], [0.0, 0.0]]
    assert not shapely.LinearRing(shell_out).is_ccw  # d3-geo's orientation
    assert shapely.LinearRing(hole).is_ccw
    assert "1.000001" not in text
    assert "[0.2,0.2]" in text  # shortest form of the rounded numbers


def test_sizes_are_measured_per_map(tmp_path: Path) -> None:
    codes, geometries = read_outlines(Mirror(write_mirror(tmp_path)))
    placed = place_outlines(codes, geometries, COMMUNES, FORMER, {})
    result = build_boundaries(placed, PARENTS, plans=PLANS[:1])
    texts = result.frame.filter(pl.col("code") != "com:97101")["geometry"]
    assert result.sizes == {(Level.COMMUNE, MapDetail.LOCAL): sum(len(t) for t in texts)}
