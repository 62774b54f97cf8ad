"""Reading the 2018 commune outlines and placing them on current communes (synthetic squares)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
import shapely

from cotera.errors import ValidationError
from cotera.sources.commune_outlines import place_outlines, read_outlines
from cotera.sources.mirror import Mirror
from tests.sources.outline_samples import (
    COMMUNES,
    FORMER,
    OUTLINES,
    feature_collection,
    write_mirror,
)


def test_read_keeps_the_file_order(tmp_path: Path) -> None:
    codes, geometries = read_outlines(Mirror(write_mirror(tmp_path)))
    assert codes == list(OUTLINES)
    assert [round(g.area, 9) for g in geometries[:4]] == [1.0, 1.0, 2.0, 2.0]


def test_merged_communes_are_dissolved_and_the_rest_reported(tmp_path: Path) -> None:
    codes, geometries = read_outlines(Mirror(write_mirror(tmp_path)))
    history = {"01003": "01003"}  # a code that is current: the current commune wins
    placed = place_outlines(codes, geometries, COMMUNES, FORMER, history)
    assert placed.codes == ("01001", "01003", "01004", "97101")
    nouvelle = placed.geometries[0]
    expected = shapely.union_all([shapely.Polygon(OUTLINES[c][0]) for c in ("01001", "01002")])
    assert nouvelle.geom_type == "Polygon"  # one piece: the inner border is gone
    assert nouvelle.area == pytest.approx(expected.area, rel=1e-12)
    assert nouvelle.symmetric_difference(expected).area < 1e-12
    notes = {(n.code, n.value) for n in placed.notes}
    assert notes == {
        ("unplaced_outline", "01099"),
        ("missing_outline", "01005 Synthétique-Rétablie"),
    }


def test_the_history_file_places_a_former_code(tmp_path: Path) -> None:
    codes, geometries = read_outlines(Mirror(write_mirror(tmp_path)))
    placed = place_outlines(codes, geometries, COMMUNES, {}, {"01002": "01003", "01099": "01004"})
    areas = dict(zip(placed.codes, (round(g.area, 6) for g in placed.geometries), strict=True))
    assert areas == {"01001": 1.0, "01003": 3.0, "01004": 3.0, "97101": 0.04}


def test_an_invalid_outline_is_repaired_and_said(tmp_path: Path) -> None:
    bow_tie = [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]
    mirror = write_mirror(tmp_path, feature_collection({"01003": bow_tie}))
    codes, geometries = read_outlines(Mirror(mirror))
    placed = place_outlines(codes, geometries, {"01003": "Trois"}, {}, {})
    assert placed.geometries[0].is_valid
    assert placed.geometries[0].area == pytest.approx(0.5)
    assert [(n.code, n.row, n.value) for n in placed.notes] == [("repaired_outline", 1, "01003")]


def test_bad_files_list_every_problem(tmp_path: Path) -> None:
    collection = feature_collection()
    features = collection["features"]
    features[1]["properties"]["code"] = "1002"
    features[2]["properties"]["code"] = "01001"
    features[3]["geometry"] = {"type": "Point", "coordinates": [0, 0]}
    with pytest.raises(ValidationError) as error:
        read_outlines(Mirror(write_mirror(tmp_path, collection)))
    found = {(p.row, p.column, p.value) for p in error.value.problems}
    assert found == {(2, "code", "1002"), (3, "code", "01001"), (4, "geometry", "POINT")}


def test_a_file_that_is_not_gzip_geojson_is_refused(tmp_path: Path) -> None:
    path = write_mirror(tmp_path) / "geo" / "communes-2018.geojson.gz"
    path.write_bytes(gzip.compress(b'{"type": "FeatureCollection", "features": [oops]}'))
    with pytest.raises(ValidationError, match="illisibles"):
        read_outlines(Mirror(tmp_path))
    path.write_bytes(b"not gzip")
    with pytest.raises(ValidationError, match="illisibles"):
        read_outlines(Mirror(tmp_path))
