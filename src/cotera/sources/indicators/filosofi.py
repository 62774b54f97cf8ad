"""F03, F04, F06 — Filosofi: poverty rate, median standard of living, poverty of the 75+."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from cotera.errors import Problem, ValidationError
from cotera.indicators.catalogue import catalogue
from cotera.indicators.model import MissingReason
from cotera.sources.french_csv import read_text_table
from cotera.sources.indicators.context import LoadContext, SourceLoad
from cotera.sources.indicators.rollup import roll_up
from cotera.sources.keyed_table import REASON_SUFFIX, KeyedTable, parse_keyed
from cotera.sources.mirror import Mirror
from cotera.sources.observations import concat, observations
from cotera.types import Level

SOURCE = catalogue().source("filosofi")
PANEL_FILE = "indicators/regions_inegales/income_poverty_filosofi.csv"
DEP_2013_FILE = "indicators/khartis/fr-dpt-pauvrete-2013.csv"
REG_2013_FILE = "indicators/khartis/fr-reg2016-pauvrete-2013.csv"
SUSPECT_POVERTY_YEARS = frozenset({2012})  # DESIGN.md §3 / SOURCES.md caveat

_CODE = "Code géographique"
_PERSONS = "Nombre de personnes dans les ménages fiscaux"
_POVERTY = "Taux de pauvreté-Ensemble (% pop totale)"
_POVERTY_75 = "Taux de pauvreté selon l’âge du référent fiscal (% des 75 ans ou plus)"


def _reason(frame: pl.DataFrame, column: str) -> pl.Series:
    return frame.get_column(column + REASON_SUFFIX)


def _panel(table: KeyedTable) -> list[pl.DataFrame]:
    frame = table.frame.with_columns(
        suspect=pl.col("year").is_in(list(SUSPECT_POVERTY_YEARS)),
        persons=pl.col("n_persons"),
    )
    rate = pl.when(pl.col("suspect")).then(None).otherwise(pl.col("poverty_rate_disp"))
    frame = frame.with_columns(
        rate=rate,
        rate_reason=pl.when(pl.col("suspect"))
        .then(pl.lit(MissingReason.SUSPECT.value))
        .otherwise(pl.col("poverty_rate_disp" + REASON_SUFFIX)),
        poor=rate / 100 * pl.col("persons"),
    )
    territory, year = frame.get_column("territory"), frame.get_column("year")
    poverty = observations(
        "poverty_rate",
        territory,
        year,
        frame.get_column("rate"),
        frame.get_column("rate_reason"),
        numerator=frame.get_column("poor"),
        denominator=frame.get_column("persons"),
    )
    median = observations(
        "median_income", territory, year, frame.get_column("q2_disp"), _reason(frame, "q2_disp")
    )
    return [poverty, median]


def _published_2013(table: KeyedTable) -> list[pl.DataFrame]:
    """Published 2013 values: the 75+ poverty rate (départements, régions) and the régions'
    poverty rate. The régions' published 2013 median is not taken: every other year of the
    series is approximated from the départements, and mixing the two methods in one series made
    a false dip (Île-de-France 22 631 → 22 379 → 22 974 €)."""
    frame = table.frame.with_columns(poor=pl.col(_POVERTY) / 100 * pl.col(_PERSONS))
    territory = frame.get_column("territory")
    frames = [
        observations(
            "poverty_rate_75plus",
            territory,
            2013,
            frame.get_column(_POVERTY_75),
            _reason(frame, _POVERTY_75),
        )
    ]
    if territory.str.starts_with("reg:").all():
        frames += [
            observations(
                "poverty_rate",
                territory,
                2013,
                frame.get_column(_POVERTY),
                _reason(frame, _POVERTY),
                numerator=frame.get_column("poor"),
                denominator=frame.get_column(_PERSONS),
            ),
        ]
    return frames


def load(mirror: Mirror, context: LoadContext) -> SourceLoad:
    """Département panel 2012-2021, published 2013 values (départements 75+, régions)."""
    paths: list[Path] = [mirror.path(p) for p in (PANEL_FILE, DEP_2013_FILE, REG_2013_FILE)]
    panel = parse_keyed(
        read_text_table(paths[0]),
        "dep_code",
        Level.DEPARTEMENT,
        ["poverty_rate_disp", "q2_disp", "n_persons"],
        year_column="year",
    )
    khartis_columns = [_PERSONS, _POVERTY, _POVERTY_75]
    dep_2013 = parse_keyed(read_text_table(paths[1]), _CODE, Level.DEPARTEMENT, khartis_columns)
    reg_2013 = parse_keyed(read_text_table(paths[2]), _CODE, Level.REGION, khartis_columns)
    problems: list[Problem] = [*panel.problems, *dep_2013.problems, *reg_2013.problems]
    if problems:
        raise ValidationError(f"source {SOURCE.id} : fichier(s) invalide(s)", problems)
    dep = concat([*_panel(panel), *_published_2013(dep_2013)])
    published = concat(_published_2013(reg_2013))
    weights = panel.frame.select("territory", "year", pl.col("n_persons").alias("weight"))
    upper, notes = roll_up(
        dep,
        context,
        catalogue().of_source(SOURCE.id),
        weights=weights,
        published=published,
        source_file=paths[0].name,
    )
    return SourceLoad(concat([dep, published, upper]), tuple(paths), tuple(notes))
