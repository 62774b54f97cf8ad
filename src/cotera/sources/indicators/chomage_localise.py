"""F01 — INSEE local unemployment rates by département, 2012-2021."""

from __future__ import annotations

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

SOURCE = catalogue().source("chomage_localise")
RATES_FILE = "indicators/regions_inegales/unemployment_insee.csv"


def load(mirror: Mirror, context: LoadContext) -> SourceLoad:
    """Published département rates; régions and France weighted by population at 1 January."""
    path = mirror.path(RATES_FILE)
    table = parse_keyed(
        read_text_table(path),
        "dep_code",
        Level.DEPARTEMENT,
        ["unemployment_rate"],
        year_column="year",
    )
    weights, population_path, population_problems = read_dep_population(mirror)
    problems = [*table.problems, *population_problems]
    if problems:
        raise ValidationError(f"source {SOURCE.id} : fichier invalide", problems)
    frame = table.frame
    dep = observations(
        "unemployment_rate",
        frame.get_column("territory"),
        frame.get_column("year"),
        frame.get_column("unemployment_rate"),
        frame.get_column("unemployment_rate" + REASON_SUFFIX),
    )
    upper, notes = roll_up(
        dep, context, catalogue().of_source(SOURCE.id), weights=weights, source_file=path.name
    )
    return SourceLoad(concat([dep, upper]), (path, population_path), tuple(notes))
