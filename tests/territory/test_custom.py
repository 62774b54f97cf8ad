"""Custom territories on the small synthétique hierarchy of conftest.py."""

from __future__ import annotations

import pytest

from cotera.errors import ValidationError
from cotera.territory.catalog import TerritoryCatalog
from cotera.territory.custom import CustomTerritory
from cotera.territory.model import TerritoryCode


def _codes(*texts: str) -> tuple[TerritoryCode, ...]:
    return tuple(TerritoryCode.parse(t) for t in texts)


def test_members_resolve_to_communes(catalog: TerritoryCatalog) -> None:
    custom = CustomTerritory("plaine", "Plaine et Poitiers", _codes("dep:93", "com:86194"))
    communes = custom.resolve_members(catalog)
    assert [str(c.code) for c in communes] == ["com:86194", "com:93001", "com:93066"]
    assert str(custom.code) == "custom:plaine"


def test_to_territory_sums_population_and_keeps_shared_parents(
    catalog: TerritoryCatalog,
) -> None:
    inside = CustomTerritory("nord", "Nord parisien", _codes("com:93001", "com:93066"))
    record = inside.to_territory(catalog)
    assert record.population == 150  # 50 + 100
    assert [str(p) for p in record.parents] == ["epci:200054781", "dep:93", "reg:11", "fr"]
    across = CustomTerritory("deux", "Deux régions", _codes("epci:200054781", "dep:86"))
    record = across.to_territory(catalog)
    assert record.population == 1000 + 50 + 100 + 80
    assert [str(p) for p in record.parents] == ["fr"]


def test_overlapping_members_are_reported(catalog: TerritoryCatalog) -> None:
    custom = CustomTerritory("x", "X", _codes("epci:200054781", "com:93066", "dep:93"))
    with pytest.raises(ValidationError) as info:
        custom.resolve_members(catalog)
    messages = [p.message for p in info.value.problems]
    # 93066 through the EPCI then itself then dep:93; 93001 through the EPCI then dep:93
    assert len(messages) == 3
    assert any("com:93066" in m and "epci:200054781" in m for m in messages)
    assert any("com:93001" in m and "dep:93" in m for m in messages)


def test_unknown_members_are_all_reported(catalog: TerritoryCatalog) -> None:
    custom = CustomTerritory("x", "X", _codes("dep:13", "com:13055", "dep:93"))
    with pytest.raises(ValidationError) as info:
        custom.resolve_members(catalog)
    assert [p.value for p in info.value.problems] == ["dep:13", "com:13055"]


@pytest.mark.parametrize(
    ("slug", "name", "members", "problem"),
    [
        ("Bad Slug", "X", ("dep:93",), "bad_slug"),
        ("ok", " ", ("dep:93",), "missing_value"),
        ("ok", "X", (), "missing_value"),
        ("ok", "X", ("reg:11",), "bad_member_level"),
        ("ok", "X", ("dep:93", "dep:93"), "duplicate_member"),
    ],
)
def test_invalid_definitions(slug: str, name: str, members: tuple[str, ...], problem: str) -> None:
    with pytest.raises(ValidationError) as info:
        CustomTerritory(slug, name, _codes(*members))
    assert [p.code for p in info.value.problems] == [problem]
