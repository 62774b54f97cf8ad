"""Boundaries read from the real GeoJSON files of the mirror."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cotera.errors import NotFoundError, ValidationError
from cotera.sources.geo import Coverage, load_boundaries, select_features
from cotera.sources.mirror import Mirror
from cotera.types import Level


def _codes(collection: dict[str, object]) -> set[str]:
    features = collection["features"]
    assert isinstance(features, list)
    return {f["properties"]["code"] for f in features}


@pytest.mark.parametrize(
    ("level", "coverage", "count"),
    [
        (Level.REGION, Coverage.METROPOLITAN, 13),
        (Level.REGION, Coverage.WITH_OVERSEAS, 18),
        (Level.DEPARTEMENT, Coverage.METROPOLITAN, 96),
        (Level.DEPARTEMENT, Coverage.WITH_OVERSEAS, 101),
    ],
)
def test_counts_and_canonical_codes(
    mirror: Path, level: Level, coverage: Coverage, count: int
) -> None:
    collection = load_boundaries(Mirror(mirror), level, coverage)
    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == count
    assert all(code.startswith(f"{level.value}:") for code in _codes(collection))


def test_boundaries_match_the_cog_territories(mirror: Path) -> None:
    source = Mirror(mirror)
    for level, name in ((Level.REGION, "regions"), (Level.DEPARTEMENT, "departements")):
        rows = json.loads((mirror / "cog" / f"{name}_cog2026.json").read_text(encoding="utf-8"))
        cog = {f"{level.value}:{r['code']}": r["nom"] for r in rows if r["zone"] != "com"}
        collection = load_boundaries(source, level, Coverage.WITH_OVERSEAS)
        assert _codes(collection) == set(cog)
        assert {f["properties"]["nom"] for f in collection["features"]} == set(cog.values())
    departements = load_boundaries(source, Level.DEPARTEMENT)
    feature = select_features(departements, ["dep:93"])["features"][0]
    assert feature["properties"]["nom"] == "Seine-Saint-Denis"
    assert feature["properties"]["insee"] == "93"
    assert feature["geometry"]["type"] in {"Polygon", "MultiPolygon"}


def test_select_features(mirror: Path) -> None:
    departements = load_boundaries(Mirror(mirror), Level.DEPARTEMENT)
    corsica = select_features(departements, ["dep:2b", "dep:2A"])
    assert [f["properties"]["code"] for f in corsica["features"]] == ["dep:2A", "dep:2B"]
    with pytest.raises(NotFoundError, match="dep:971"):
        select_features(departements, ["dep:93", "dep:971"])  # not in the metropolitan file


def test_no_boundaries_below_departements(mirror: Path) -> None:
    with pytest.raises(NotFoundError):
        load_boundaries(Mirror(mirror), Level.COMMUNE)


def test_bad_features_are_all_reported(tmp_path: Path) -> None:
    (tmp_path / "geo").mkdir()
    features = [
        {"type": "Feature", "properties": {"code": "93", "nom": "Seine-Saint-Denis"}},
        {"type": "Feature", "properties": {"code": "9Z", "nom": "X"}},
        {"type": "Feature", "properties": {"code": "94"}},
    ]
    (tmp_path / "geo" / "departements-version-simplifiee.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8"
    )
    with pytest.raises(ValidationError) as info:
        load_boundaries(Mirror(tmp_path), Level.DEPARTEMENT)
    assert [(p.row, p.column) for p in info.value.problems] == [(2, "code"), (3, "nom")]
