"""A small synthetic base with communes for the portrait sections (not real data).

Five départements in two real régions (codes 84 and 11, so that the synthetic survey
generator's régions match), three communes each, and the two synthetic indicators of
``tests.services.diagnostic_db``.
"""

from __future__ import annotations

import polars as pl

from cotera.storage.engine import open_database
from cotera.storage.territory_store import replace_territories
from cotera.territory.model import FRANCE, Territory, TerritoryCode
from cotera.types import Level
from tests.services.diagnostic_db import REGIONS, synthetic_database

POPULATION = {"01": 600_000, "03": 340_000, "07": 320_000, "75": 2_100_000, "93": 1_600_000}


def portrait_database(url: str) -> None:
    """The diagnostic's synthetic base, its territories replaced by ones with communes."""
    synthetic_database(url)
    territories = [Territory(FRANCE, "France")]
    for region, deps in REGIONS.items():
        reg = TerritoryCode(Level.REGION, region)
        territories.append(Territory(reg, f"Région synthétique {region}", None, (FRANCE,)))
        for d in deps:
            dep = TerritoryCode(Level.DEPARTEMENT, d)
            epci = TerritoryCode(Level.EPCI, f"2000000{d}")
            territories.append(
                Territory(dep, f"Dép. synthétique {d}", POPULATION[d], (reg, FRANCE))
            )
            territories.append(
                Territory(epci, f"EPCI synthétique {d}", POPULATION[d], (dep, reg, FRANCE))
            )
            for i in range(1, 4):
                territories.append(
                    Territory(
                        TerritoryCode(Level.COMMUNE, f"{d}{i:03d}"),
                        f"Commune synthétique {d}{i:03d}",
                        POPULATION[d] // (i + 1),
                        (epci, dep, reg, FRANCE),
                    )
                )
    engine = open_database(url)
    with engine.begin() as connection:
        replace_territories(connection, territories)
    engine.dispose()


def frame_of(rows: list[dict[str, object]]) -> pl.DataFrame:
    """A frame from records (helper for hand-made survey answers)."""
    return pl.DataFrame(rows)
