"""TerritoryCatalog on a small hand-written (synthétique) hierarchy."""

from __future__ import annotations

import pytest

from cotera.errors import AmbiguousError, NotFoundError
from cotera.territory.catalog import TerritoryCatalog, UnknownNameError
from cotera.territory.model import FRANCE, Territory, TerritoryCode
from cotera.types import Level


def test_get_by_code_text_or_object(catalog: TerritoryCatalog) -> None:
    assert catalog.get("DEP:93").name == "Seine-Saint-Denis"
    assert catalog.get(TerritoryCode.parse("com:93066")).name == "Saint-Denis"
    assert catalog.get("fr").code == FRANCE
    with pytest.raises(NotFoundError):
        catalog.get("dep:13")
    with pytest.raises(NotFoundError):
        catalog.get("dep:xyz")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("reg:11", "reg:11"),
        ("fr", "fr"),
        ("France", "fr"),
        ("seine saint denis", "dep:93"),
        ("SEINE-ST-DENIS", "dep:93"),
        ("ile de france", "reg:11"),
        ("Île-de-France", "reg:11"),
        ("aubervilliers", "com:93001"),
        ("93066", "com:93066"),
        ("200054781", "epci:200054781"),
        # same area at a higher level wins (documented rule)
        ("paris", "dep:75"),
        ("la reunion", "reg:04"),
    ],
)
def test_resolve(catalog: TerritoryCatalog, text: str, expected: str) -> None:
    assert str(catalog.resolve(text).code) == expected


def test_level_hint_selects_the_other_level(catalog: TerritoryCatalog) -> None:
    assert str(catalog.resolve("Paris", Level.COMMUNE).code) == "com:75056"
    assert str(catalog.resolve("La Réunion", Level.DEPARTEMENT).code) == "dep:974"
    assert str(catalog.resolve("75", Level.DEPARTEMENT).code) == "dep:75"
    with pytest.raises(NotFoundError):
        catalog.resolve("dep:93", Level.REGION)


def test_same_level_homonyms_are_ambiguous(catalog: TerritoryCatalog) -> None:
    with pytest.raises(AmbiguousError) as info:
        catalog.resolve("Saint-Denis")
    assert info.value.candidates == [
        "com:93066 Saint-Denis (Seine-Saint-Denis)",
        "com:97411 Saint-Denis (La Réunion)",
    ]


def test_different_areas_across_levels_are_ambiguous(catalog: TerritoryCatalog) -> None:
    with pytest.raises(AmbiguousError) as info:
        catalog.resolve("vienne")
    assert info.value.candidates == ["dep:86 Vienne", "com:38544 Vienne (Isère)"]


def test_bare_code_at_two_levels_is_ambiguous(catalog: TerritoryCatalog) -> None:
    with pytest.raises(AmbiguousError) as info:
        catalog.resolve("75")
    assert [c.split()[0] for c in info.value.candidates] == ["reg:75", "dep:75"]


def test_unknown_name_lists_close_candidates(catalog: TerritoryCatalog) -> None:
    with pytest.raises(UnknownNameError) as info:
        catalog.resolve("Seine-Saint-Deni")
    assert info.value.candidates[0] == "dep:93 Seine-Saint-Denis"
    assert "Seine-Saint-Denis" in str(info.value)
    with pytest.raises(NotFoundError):
        catalog.resolve("Zzzzyx")


def test_hierarchy(catalog: TerritoryCatalog) -> None:
    names = [t.name for t in catalog.children("dep:93", Level.COMMUNE)]
    assert names == ["Aubervilliers", "Saint-Denis"]  # sorted by code
    assert len(catalog.communes_of("reg:11")) == 3
    assert len(catalog.communes_of("epci:200054781")) == 3
    assert catalog.communes_of("com:75056")[0].name == "Paris"
    assert len(catalog.communes_of("fr")) == 6
    region = catalog.parent("com:93066", Level.REGION)
    assert region is not None
    assert region.name == "Île-de-France"
    assert catalog.parent("com:97411", Level.EPCI) is None
    assert [str(t.code) for t in catalog.by_level(Level.REGION)] == [
        "reg:04",
        "reg:11",
        "reg:75",
        "reg:84",
    ]


def test_overlapping_counts_an_epci_spanning_departements_in_each(
    catalog: TerritoryCatalog,
) -> None:
    assert catalog.children("dep:93", Level.EPCI) == ()  # the EPCI is filed under dep:75
    assert [str(t.code) for t in catalog.overlapping("dep:93", Level.EPCI)] == ["epci:200054781"]
    assert [str(t.code) for t in catalog.overlapping("dep:75", Level.EPCI)] == ["epci:200054781"]
    assert catalog.overlapping("dep:86", Level.EPCI) == ()
    assert catalog.overlapping("dep:93", Level.COMMUNE) == catalog.communes_of("dep:93")


def test_peers(catalog: TerritoryCatalog) -> None:
    assert [str(t.code) for t in catalog.peers("dep:93")] == [
        "dep:38",
        "dep:75",
        "dep:86",
        "dep:974",
    ]
    assert [str(t.code) for t in catalog.peers("dep:93", within=Level.REGION)] == ["dep:75"]


def test_duplicate_codes_are_rejected() -> None:
    with pytest.raises(ValueError, match="double"):
        TerritoryCatalog(
            [Territory(TerritoryCode.parse("dep:93"), name, 1, (FRANCE,)) for name in "AB"]
        )
