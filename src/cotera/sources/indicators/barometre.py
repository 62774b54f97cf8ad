"""F13, F08 — Baromètre des résultats de l'action publique (initial and current values)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import polars as pl

from cotera.errors import Problem, ValidationError
from cotera.indicators.catalogue import catalogue
from cotera.sources.french_csv import read_text_table
from cotera.sources.indicators.context import LoadContext, SourceLoad
from cotera.sources.keyed_table import REASON_SUFFIX, parse_keyed
from cotera.sources.mirror import Mirror
from cotera.sources.observations import concat, duplicate_problems, observations
from cotera.types import Level

SOURCE = catalogue().source("barometre")
FILES: dict[Level, tuple[str, str]] = {  # level -> (file, code column)
    Level.DEPARTEMENT: (
        "indicators/barometre/barometre-resultats-synthese-departemental.csv",
        "code_departement",
    ),
    Level.REGION: ("indicators/barometre/barometre-resultats-synthese-regional.csv", "code_region"),
    Level.COUNTRY: (
        "indicators/barometre/barometre-resultats-synthese-national.csv",
        "maille_geographique",
    ),
}
INDICATORS = {  # id_indicateur -> catalogue code
    "taux-deploiement-fibre": "fibre_deployment_rate",
    "duree-moyenne-traitement-demandes-allocation-adulte-handicape": "aah_processing_time",
}
_POINTS = (("valeur_initiale", "date_valeur_initiale"), ("valeur_actuelle", "date_valeur_actuelle"))


def _read(path: Path, level: Level, code_column: str) -> tuple[pl.DataFrame, list[Problem]]:
    text = read_text_table(path)
    problems = text.require(["id_indicateur", code_column, *(c for p in _POINTS for c in p)])
    if problems:
        return pl.DataFrame(), problems
    text = replace(
        text,
        frame=text.frame.with_columns(
            pl.col(date).str.extract(r"^(\d{4})-\d{2}-\d{2}$").alias(f"{date}__year")
            for _, date in _POINTS
        ),
    )
    keep = pl.col("id_indicateur").is_in(list(INDICATORS))
    if level is Level.COUNTRY:
        keep = keep & (pl.col(code_column) == "national")
    ids = text.frame.with_row_index("__index").select(
        (pl.col("__index") + text.first_line).cast(pl.Int64).alias("row"), "id_indicateur"
    )
    frames = []
    for value, date in _POINTS:
        table = parse_keyed(
            text, code_column, level, [value], year_column=f"{date}__year", keep=keep
        )
        problems.extend(table.problems)
        if table.problems:
            continue
        frame = table.frame.join(ids, on="row")
        frames.append(
            observations(
                "",
                frame.get_column("territory"),
                frame.get_column("year"),
                frame.get_column(value),
                frame.get_column(value + REASON_SUFFIX),
            ).with_columns(indicator=frame.get_column("id_indicateur").replace_strict(INDICATORS))
        )
    return concat(frames), problems


def load(mirror: Mirror, context: LoadContext) -> SourceLoad:
    """Published départemental, régional and national values at both dates."""
    paths, frames, problems = [], [], []
    for level, (relative, code_column) in FILES.items():
        path = mirror.path(relative)
        frame, file_problems = _read(path, level, code_column)
        problems.extend(file_problems)
        problems.extend(duplicate_problems(frame, path.name) if frame.height else [])
        paths.append(path)
        frames.append(frame)
    if problems:
        raise ValidationError(f"source {SOURCE.id} : fichier(s) invalide(s)", problems)
    result = concat(frames)
    return SourceLoad(
        result.filter(pl.col("territory").is_in(set(context.population))), tuple(paths)
    )
