"""F16 — renewable electricity power under purchase obligation by département, 2015 (SDES .xls)."""

from __future__ import annotations

import polars as pl

from cotera.errors import Problem, ValidationError
from cotera.indicators.catalogue import catalogue
from cotera.indicators.model import AggregationMethod, MissingReason
from cotera.sources.indicators.context import LoadContext, SourceLoad
from cotera.sources.indicators.dep_population import read_dep_population
from cotera.sources.indicators.rollup import roll_up
from cotera.sources.keyed_table import REASON_SUFFIX, parse_keyed
from cotera.sources.mirror import Mirror
from cotera.sources.observations import concat, observations
from cotera.sources.workbook import read_sheet
from cotera.types import Level

SOURCE = catalogue().source("sdes_electricite")
POWER_FILE = "indicators/itdd/electricite-renouvelable-par-departement-2015.xls"
# Sheet layout: code, name, then (number, MW) for 7 technologies; one row per département.
MW_COLUMNS = tuple(f"column_{i}" for i in range(4, 17, 2))
_DEP_CODE = r"^(\d{2}|2[AB]|97\d)$"
YEAR = 2015


def load(mirror: Mirror, context: LoadContext) -> SourceLoad:
    """MW summed over technologies (empty cell = no installation) per 100,000 inhabitants of
    2015 (INSEE estimates) where the mirror has them, else of the COG 2026 (approximation)."""
    path = mirror.path(POWER_FILE)
    dep_population, population_path, population_problems = read_dep_population(mirror)
    sheet = read_sheet(path)
    table = parse_keyed(
        sheet,
        "column_1",
        Level.DEPARTEMENT,
        MW_COLUMNS,
        keep=pl.col("column_1").str.contains(_DEP_CODE),
    )
    problems = [*table.problems, *population_problems]
    if not problems and table.frame.height == 0:
        problems.append(
            Problem(
                "no_rows",
                "aucune ligne de département",
                file=path.name,
                column="column_1",
                expected="codes 01…95, 2A, 2B, 971…976",
            )
        )
    if problems:
        raise ValidationError(f"source {SOURCE.id} : classeur invalide", problems)
    secret = pl.any_horizontal(
        pl.col(c + REASON_SUFFIX) == MissingReason.SECRET.value for c in MW_COLUMNS
    )
    matched = dep_population.filter(pl.col("year") == YEAR).select(
        "territory", pl.col("weight").alias("matched")
    )
    frame = (
        table.frame.join(matched, on="territory", how="left")
        .with_columns(
            mw=pl.when(secret).then(None).otherwise(pl.sum_horizontal(MW_COLUMNS)),
            current=pl.col("territory").replace_strict(
                context.population, default=None, return_dtype=pl.Float64
            ),
        )
        .with_columns(
            population=pl.coalesce("matched", "current"),
            population_year=pl.when(pl.col("matched").is_not_null())
            .then(pl.lit(YEAR))
            .when(pl.col("current").is_not_null())
            .then(pl.lit(context.population_year))
            .cast(pl.Int32),
        )
    ).with_columns(
        rate=pl.col("mw") / pl.col("population") * 100_000,
        reason=pl.when(secret)
        .then(pl.lit(MissingReason.SECRET.value))
        .when(pl.col("population").is_null())
        .then(pl.lit(MissingReason.NOT_PUBLISHED.value)),
    )
    dep = observations(
        "renewable_power_per_capita",
        frame.get_column("territory"),
        YEAR,
        frame.get_column("rate"),
        frame.get_column("reason"),
        numerator=frame.get_column("mw"),
        denominator=frame.get_column("population"),
        method=AggregationMethod.RATIO,
        population_year=frame.get_column("population_year"),
    )
    upper, notes = roll_up(dep, context, catalogue().of_source(SOURCE.id), source_file=path.name)
    return SourceLoad(concat([dep, upper]), (path, population_path), tuple(notes))
