"""F09 — SSMSI recorded crime by département, 2016-2022 (``;``, decimal comma, BOM, gzip)."""

from __future__ import annotations

from dataclasses import replace

import polars as pl

from cotera.errors import ValidationError
from cotera.indicators.catalogue import catalogue
from cotera.sources.french_csv import read_text_table
from cotera.sources.indicators.context import LoadContext, SourceLoad
from cotera.sources.indicators.rollup import roll_up
from cotera.sources.keyed_table import REASON_SUFFIX, parse_keyed
from cotera.sources.mirror import Mirror
from cotera.sources.observations import concat, duplicate_problems, observations
from cotera.types import Level

SOURCE = catalogue().source("ssmsi")
CRIME_FILE = "indicators/ssmsi/donnee-dep-data.gouv-2022-geographie2023-produit-le2023-07-17.csv.gz"
# indicator code -> (SSMSI "classe", denominator column: POP inhabitants or LOG dwellings)
CLASSES: dict[str, tuple[str, str]] = {
    "assault_rate": ("Coups et blessures volontaires", "POP"),
    "burglary_rate": ("Cambriolages de logement", "LOG"),
    "vandalism_rate": ("Destructions et dégradations volontaires", "POP"),
}


def load(mirror: Mirror, context: LoadContext) -> SourceLoad:
    """Published rates per 1,000 with facts (numerator) and population / dwellings."""
    path = mirror.path(CRIME_FILE)
    text = read_text_table(path)
    # two-digit years ("16") of the file become 2016…
    if "annee" in text.frame.columns:  # two-digit years ("16") become 2016…
        years = pl.col("annee")
        text = replace(
            text,
            frame=text.frame.with_columns(
                pl.when(years.str.len_chars() == 2)
                .then("20" + years)
                .otherwise(years)
                .alias("annee")
            ),
        )
    classes = {label: code for code, (label, _) in CLASSES.items()}
    table = parse_keyed(
        text,
        "Code.département",
        Level.DEPARTEMENT,
        ["faits", "POP", "LOG", "tauxpourmille"],
        year_column="annee",
        keep=pl.col("classe").is_in(list(classes)) if "classe" in text.frame.columns else None,
    )
    if table.problems:
        raise ValidationError(f"source {SOURCE.id} : fichier invalide", list(table.problems))
    classe = text.frame.with_row_index("__index").select(
        (pl.col("__index") + text.first_line).cast(pl.Int64).alias("row"), "classe"
    )
    frame = table.frame.join(classe, on="row")
    frames = []
    for code, (label, denominator) in CLASSES.items():
        part = frame.filter(pl.col("classe") == label)
        frames.append(
            observations(
                code,
                part.get_column("territory"),
                part.get_column("year"),
                part.get_column("tauxpourmille"),
                part.get_column("tauxpourmille" + REASON_SUFFIX),
                numerator=part.get_column("faits"),
                denominator=part.get_column(denominator),
            )
        )
    dep = concat(frames)
    duplicates = duplicate_problems(dep, path.name)
    if duplicates:
        raise ValidationError(f"source {SOURCE.id} : lignes en double", duplicates)
    upper, notes = roll_up(dep, context, catalogue().of_source(SOURCE.id), source_file=path.name)
    return SourceLoad(concat([dep, upper]), (path,), tuple(notes))
