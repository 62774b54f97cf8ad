"""F02 — firm creations per 1,000 inhabitants by département, 2012-2021 (INSEE SIDE)."""

from __future__ import annotations

import polars as pl

from cotera.errors import ValidationError
from cotera.indicators.catalogue import catalogue
from cotera.indicators.model import AggregationMethod, MissingReason
from cotera.sources.french_csv import read_text_table
from cotera.sources.indicators.context import LoadContext, SourceLoad
from cotera.sources.indicators.dep_population import read_dep_population
from cotera.sources.indicators.rollup import roll_up
from cotera.sources.keyed_table import REASON_SUFFIX, parse_keyed
from cotera.sources.mirror import Mirror
from cotera.sources.observations import concat, observations
from cotera.types import Level

SOURCE = catalogue().source("side_creations")
CREATIONS_FILE = "indicators/regions_inegales/firm_creations_side.csv"


def load(mirror: Mirror, context: LoadContext) -> SourceLoad:
    """Creations / population at 1 January × 1,000, with both parts kept for aggregation."""
    path = mirror.path(CREATIONS_FILE)
    table = parse_keyed(
        read_text_table(path),
        "dep_code",
        Level.DEPARTEMENT,
        ["total_firm_creations"],
        year_column="year",
    )
    weights, population_path, population_problems = read_dep_population(mirror)
    problems = [*table.problems, *population_problems]
    if problems:
        raise ValidationError(f"source {SOURCE.id} : fichier invalide", problems)
    frame = table.frame.join(weights, on=["territory", "year"], how="left")
    creations = pl.col("total_firm_creations")
    frame = frame.with_columns(
        rate=creations / pl.col("weight") * 1000,
        reason=pl.col("total_firm_creations" + REASON_SUFFIX).fill_null(
            pl.when(pl.col("weight").is_null()).then(pl.lit(MissingReason.NOT_PUBLISHED.value))
        ),
    )
    dep = observations(
        "firm_creation_rate",
        frame.get_column("territory"),
        frame.get_column("year"),
        frame.get_column("rate"),
        frame.get_column("reason"),
        numerator=frame.get_column("total_firm_creations"),
        denominator=frame.get_column("weight"),
        population_year=frame.get_column("population_year"),
        method=AggregationMethod.RATIO,
    )
    upper, notes = roll_up(
        dep, context, catalogue().of_source(SOURCE.id), weights=weights, source_file=path.name
    )
    return SourceLoad(concat([dep, upper]), (path, population_path), tuple(notes))
