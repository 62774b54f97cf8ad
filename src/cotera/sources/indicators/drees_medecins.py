"""F12 — DREES doctor density by département, 2012-2021 (RPPS)."""

from __future__ import annotations

import polars as pl

from cotera.errors import ValidationError
from cotera.indicators.catalogue import catalogue
from cotera.sources.french_csv import read_text_table
from cotera.sources.indicators.context import LoadContext, SourceLoad
from cotera.sources.indicators.dep_population import read_dep_population
from cotera.sources.indicators.rollup import roll_up
from cotera.sources.keyed_table import REASON_SUFFIX, parse_keyed
from cotera.sources.mirror import Mirror
from cotera.sources.observations import concat, observations
from cotera.types import Level

SOURCE = catalogue().source("drees_medecins")
DENSITY_FILE = "indicators/regions_inegales/doctor_density_drees.csv"


def load(mirror: Mirror, context: LoadContext) -> SourceLoad:
    """Published densities with doctors (numerator) and population (denominator)."""
    path = mirror.path(DENSITY_FILE)
    table = parse_keyed(
        read_text_table(path),
        "dep_code",
        Level.DEPARTEMENT,
        ["doctor_density_per_100k", "n_doctors"],
        year_column="year",
    )
    weights, population_path, population_problems = read_dep_population(mirror)
    problems = [*table.problems, *population_problems]
    if problems:
        raise ValidationError(f"source {SOURCE.id} : fichier invalide", problems)
    frame = table.frame.join(weights, on=["territory", "year"], how="left")
    dep = observations(
        "doctor_density",
        frame.get_column("territory"),
        frame.get_column("year"),
        frame.get_column("doctor_density_per_100k"),
        frame.get_column("doctor_density_per_100k" + REASON_SUFFIX),
        numerator=frame.get_column("n_doctors"),
        denominator=frame.get_column("weight"),
        population_year=frame.get_column("population_year"),
    )
    dep = dep.with_columns(
        pl.when(pl.col("value").is_null()).then(None).otherwise(pl.col(c)).alias(c)
        for c in ("numerator", "denominator")
    )
    upper, notes = roll_up(
        dep, context, catalogue().of_source(SOURCE.id), weights=weights, source_file=path.name
    )
    return SourceLoad(concat([dep, upper]), (path, population_path), tuple(notes))
