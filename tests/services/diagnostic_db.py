"""A small synthetic database for the diagnostic: 5 départements, 2 indicators (not real data).

``wide=True`` adds six synthetic indicators in six more fragilities — three copies of the
poverty rates (F01, F05, F06) and three of the incomes (F09, F11, F15) — so that the peers reach
the 8 fragilities an overall index needs, and their overall score stays the mean of the poverty
and income percentile ranks, computable by hand.
"""

from __future__ import annotations

import polars as pl

from cotera.indicators.model import IndicatorKind, IndicatorSpec
from cotera.storage.batch_store import open_batch
from cotera.storage.engine import open_database
from cotera.storage.indicator_store import SourceRecord, replace_source_data, save_source
from cotera.storage.territory_store import replace_territories
from cotera.territory.model import FRANCE, Territory, TerritoryCode
from cotera.types import Direction, Level

REGIONS = {"84": ["01", "03", "07"], "11": ["75", "93"]}
# Synthetic poverty rates (%) and median incomes (€): not real figures.
POVERTY = {"01": 10.0, "03": 15.0, "07": 14.0, "75": 16.0, "93": 28.0}
INCOME = {"01": 23000.0, "03": 20000.0, "07": 20500.0, "75": 28000.0, "93": 17000.0}
WIDE = {"F01": "poverty", "F05": "poverty", "F06": "poverty", "F09": "income", "F11": "income",
        "F15": "income"}  # fmt: skip


def synthetic_database(url: str, wide: bool = False) -> None:
    """Create and fill the database at ``url``."""
    territories = [Territory(FRANCE, "France")]
    for region, deps in REGIONS.items():
        reg = TerritoryCode(Level.REGION, region)
        territories.append(Territory(reg, f"Région synthétique {region}", None, (FRANCE,)))
        territories += [
            Territory(
                TerritoryCode(Level.DEPARTEMENT, d), f"Dép. synthétique {d}", 1, (reg, FRANCE)
            )
            for d in deps
        ]
    epci = TerritoryCode(Level.EPCI, "200000001")
    territories.append(Territory(epci, "EPCI synthétique", 1, (territories[2].code, FRANCE)))
    specs = [
        IndicatorSpec(
            "poverty", "Taux de pauvreté (synthétique)", "Poverty", "F04",
            Direction.HIGHER_IS_MORE_FRAGILE, "%", IndicatorKind.RATE,
            (Level.DEPARTEMENT,), "synth", (2021,),
        ),
        IndicatorSpec(
            "income", "Revenu médian (synthétique)", "Income", "F03",
            Direction.HIGHER_IS_LESS_FRAGILE, "€", IndicatorKind.MEDIAN,
            (Level.DEPARTEMENT,), "synth", (2021,),
        ),
    ]  # fmt: skip
    rows = [("poverty", f"dep:{d}", 2021, v) for d, v in POVERTY.items()]
    rows += [("income", f"dep:{d}", 2021, v) for d, v in INCOME.items()]
    for fragility, copied in WIDE.items() if wide else ():
        model = specs[0] if copied == "poverty" else specs[1]
        code = f"{copied}_{fragility.lower()}"
        specs.append(
            IndicatorSpec(
                code, f"Copie {fragility} ({model.label_fr})", code, fragility, model.direction,
                model.unit, model.kind, model.levels, "synth", model.years,
            )
        )  # fmt: skip
        values = POVERTY if copied == "poverty" else INCOME
        rows += [(code, f"dep:{d}", 2021, v) for d, v in values.items()]
    rows += [("poverty", "dep:93", 2013, 27.8), ("poverty", "fr", 2020, 14.6)]
    rows += [("poverty", "reg:11", 2021, 15.5), ("income", "fr", 2021, 22000.0)]
    frame = pl.DataFrame(
        [(i, t, y, v, None, None, None, "source") for i, t, y, v in rows],
        schema={
            "indicator": pl.String, "territory": pl.String, "year": pl.Int32,
            "value": pl.Float64, "missing_reason": pl.String, "numerator": pl.Float64,
            "denominator": pl.Float64, "method": pl.String,
        },
        orient="row",
    )  # fmt: skip
    engine = open_database(url)
    with engine.begin() as connection:
        replace_territories(connection, territories)
        save_source(
            connection,
            SourceRecord("synth", "Source synthétique", "Synthetic", "test", "Licence Ouverte", ""),
        )
        batch = open_batch(connection, "synth", "0" * 64, "1", frame.height)
        replace_source_data(connection, "synth", specs, frame, batch)
    engine.dispose()
