"""F01, F10, F11, F12, F15, F16 — ITDD 2016 (INSEE/SOeS), départements, régions and France."""

from __future__ import annotations

from dataclasses import replace

import polars as pl

from cotera.errors import Problem, ValidationError
from cotera.indicators.catalogue import catalogue
from cotera.sources.french_csv import read_text_table
from cotera.sources.indicators.context import LoadContext, SourceLoad
from cotera.sources.keyed_table import REASON_SUFFIX, parse_keyed
from cotera.sources.mirror import Mirror
from cotera.sources.observations import concat, duplicate_problems, observations
from cotera.types import Level

SOURCE = catalogue().source("itdd")
LONG_FILE = "indicators/itdd/itdd_2016_long.csv"
# label of the "indicateur" column -> catalogue code
INDICATORS: dict[str, str] = {
    "Part des jeunes non insérés (%)": "neet_share",
    "Part des jeunes diplômés (%)": "young_graduates_share",
    "Modes de transport pour se rendre au travail | en transport en commun (%)": (
        "public_transport_commute"
    ),
    "Part de la population éloignée de plus de 7 mn des services de santé de proximité (%)": (
        "far_from_health_services"
    ),
    "Part de la population estimée en zone inondable (%)": "flood_zone_population_share",
    "Part de surfaces artificialisées (%)": "artificialised_land_share",
    "Part de l'électricité renouvelable dans la consommation intérieure brute d'électricité (%)": (
        "renewable_electricity_share"
    ),
}
_AGGREGATES = ("P", "M", "F")  # France de province, métropolitaine, entière


def load(mirror: Mirror, context: LoadContext) -> SourceLoad:
    """Published values at each level; ``2006*`` is read as 2006; P and M rows are skipped."""
    path = mirror.path(LONG_FILE)
    text = read_text_table(path)
    problems: list[Problem] = text.require(["level", "code", "indicateur", "annee", "valeur"])
    if problems:
        raise ValidationError(f"source {SOURCE.id} : fichier invalide", problems)
    text = replace(
        text,
        frame=text.frame.with_columns(
            pl.col("annee").str.replace(r"^(\d{4})\*$", "$1"),
            pl.col("indicateur").str.strip_chars(),
        ),
    )
    wanted = pl.col("indicateur").is_in(list(INDICATORS))
    departement = pl.col("level") == "departement"
    region = pl.col("level") == "region"
    parts = [
        (Level.DEPARTEMENT, wanted & departement & ~pl.col("code").is_in(_AGGREGATES)),
        (Level.REGION, wanted & region & ~pl.col("code").is_in(_AGGREGATES)),
        (Level.COUNTRY, wanted & region & (pl.col("code") == "F")),
    ]
    labels = text.frame.with_row_index("__index").select(
        (pl.col("__index") + text.first_line).cast(pl.Int64).alias("row"), "indicateur"
    )
    frames = []
    for level, keep in parts:
        table = parse_keyed(text, "code", level, ["valeur"], year_column="annee", keep=keep)
        problems.extend(table.problems)
        if table.problems:
            continue
        frame = table.frame.join(labels, on="row").with_columns(
            indicator=pl.col("indicateur").replace_strict(INDICATORS, return_dtype=pl.String)
        )
        frames.append(
            observations(
                "",
                frame.get_column("territory"),
                frame.get_column("year"),
                frame.get_column("valeur"),
                frame.get_column("valeur" + REASON_SUFFIX),
            ).with_columns(indicator=frame.get_column("indicator"))
        )
    result = concat(frames)
    problems.extend(duplicate_problems(result, path.name))
    if problems:
        raise ValidationError(f"source {SOURCE.id} : fichier invalide", problems)
    known = set(context.population)
    return SourceLoad(result.filter(pl.col("territory").is_in(known)), (path,))
