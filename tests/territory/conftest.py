"""A small hand-written (synthétique) hierarchy of real codes shared by the territory tests."""

from __future__ import annotations

import pytest

from cotera.territory.catalog import TerritoryCatalog
from cotera.territory.model import FRANCE, Territory, TerritoryCode


def territory(code: str, name: str, *parents: str, population: int = 1) -> Territory:
    """A Territory from code texts."""
    return Territory(
        TerritoryCode.parse(code), name, population, tuple(TerritoryCode.parse(p) for p in parents)
    )


@pytest.fixture(scope="module")
def catalog() -> TerritoryCatalog:
    """Six communes with distinct populations and their ancestors."""
    return TerritoryCatalog(
        [
            # given out of order on purpose: the catalog sorts
            territory(
                "com:93066",
                "Saint-Denis",
                "epci:200054781",
                "dep:93",
                "reg:11",
                "fr",
                population=100,
            ),
            territory("com:97411", "Saint-Denis", "dep:974", "reg:04", "fr", population=200),
            territory(
                "com:75056", "Paris", "epci:200054781", "dep:75", "reg:11", "fr", population=1000
            ),
            territory(
                "com:93001",
                "Aubervilliers",
                "epci:200054781",
                "dep:93",
                "reg:11",
                "fr",
                population=50,
            ),
            territory("com:86194", "Poitiers", "dep:86", "reg:75", "fr", population=80),
            territory("com:38544", "Vienne", "dep:38", "reg:84", "fr", population=30),
            territory("epci:200054781", "Métropole du Grand Paris", "dep:75", "reg:11", "fr"),
            territory("dep:93", "Seine-Saint-Denis", "reg:11", "fr"),
            territory("dep:75", "Paris", "reg:11", "fr"),
            territory("dep:974", "La Réunion", "reg:04", "fr"),
            territory("dep:86", "Vienne", "reg:75", "fr"),
            territory("dep:38", "Isère", "reg:84", "fr"),
            territory("reg:11", "Île-de-France", "fr"),
            territory("reg:04", "La Réunion", "fr"),
            territory("reg:75", "Nouvelle-Aquitaine", "fr"),
            territory("reg:84", "Auvergne-Rhône-Alpes", "fr"),
            Territory(FRANCE, "France", 1, ()),
        ]
    )
