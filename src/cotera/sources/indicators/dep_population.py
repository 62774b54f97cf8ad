"""INSEE population estimates by département and year (``population_insee.csv``)."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from cotera.errors import Problem
from cotera.sources.french_csv import read_text_table
from cotera.sources.keyed_table import parse_keyed
from cotera.sources.mirror import Mirror
from cotera.types import Level

POPULATION_FILE = "indicators/regions_inegales/population_insee.csv"


def read_dep_population(mirror: Mirror) -> tuple[pl.DataFrame, Path, tuple[Problem, ...]]:
    """Frame ``territory, year, weight, population_year`` (population at 1 January of ``year``,
    so its vintage is ``year``), the path, and problems."""
    path = mirror.path(POPULATION_FILE)
    table = parse_keyed(
        read_text_table(path), "dep_code", Level.DEPARTEMENT, ["pop_jan1"], year_column="year"
    )
    frame = (
        table.frame.select(
            "territory",
            "year",
            pl.col("pop_jan1").alias("weight"),
            pl.col("year").cast(pl.Int32).alias("population_year"),
        )
        if not table.problems
        else pl.DataFrame(
            schema={
                "territory": pl.String,
                "year": pl.Int32,
                "weight": pl.Float64,
                "population_year": pl.Int32,
            }
        )
    )
    return frame, path, table.problems
