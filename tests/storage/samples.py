"""Small synthetic (synthétique) records for storage tests: real codes, made-up populations."""

from __future__ import annotations

import polars as pl

from cotera.indicators.model import OBSERVATION_COLUMNS, IndicatorKind, IndicatorSpec
from cotera.territory.model import FRANCE, Territory, TerritoryCode
from cotera.types import Direction, Level

REG11 = TerritoryCode.parse("reg:11")
DEP93 = TerritoryCode.parse("dep:93")
DEP75 = TerritoryCode.parse("dep:75")
EPCI = TerritoryCode.parse("epci:200054781")
COM93066 = TerritoryCode.parse("com:93066")
COM75056 = TerritoryCode.parse("com:75056")

TERRITORIES = (
    Territory(FRANCE, "France", 1000),
    Territory(REG11, "Île-de-France", 500, (FRANCE,)),
    Territory(DEP93, "Seine-Saint-Denis", 200, (REG11, FRANCE)),
    Territory(DEP75, "Paris", 300, (REG11, FRANCE)),
    Territory(EPCI, "Métropole du Grand Paris", 450, (DEP75, REG11, FRANCE)),
    Territory(COM93066, "Saint-Denis", 100, (EPCI, DEP93, REG11, FRANCE)),
    Territory(COM75056, "Paris", None, (EPCI, DEP75, REG11, FRANCE)),
)


def spec(
    code: str,
    fragility: str = "F04",
    source: str = "demo",
    kind: IndicatorKind = IndicatorKind.RATE,
) -> IndicatorSpec:
    """A synthetic catalogue entry."""
    return IndicatorSpec(
        code=code,
        label_fr=f"Indicateur {code}",
        label_en=f"Indicator {code}",
        fragility=fragility,
        direction=Direction.HIGHER_IS_MORE_FRAGILE,
        unit="%",
        kind=kind,
        levels=(Level.DEPARTEMENT, Level.REGION),
        source=source,
        years=(2013, 2014),
        description_fr="synthétique",
    )


def observations(rows: list[tuple[str, str, int, float | None]]) -> pl.DataFrame:
    """A canonical observation frame from (indicator, territory, year, value) tuples."""
    given = {
        "indicator": [r[0] for r in rows],
        "territory": [r[1] for r in rows],
        "year": [r[2] for r in rows],
        "value": [r[3] for r in rows],
        "missing_reason": [None if r[3] is not None else "secret" for r in rows],
        "method": ["source"] * len(rows),
    }
    return pl.DataFrame(
        {name: given.get(name, [None] * len(rows)) for name in OBSERVATION_COLUMNS},
        schema={name: getattr(pl, dtype) for name, dtype in OBSERVATION_COLUMNS.items()},
    )
