"""F05, F06, F11 — older people living alone, without a car; shares of 60+ and 75+."""

from __future__ import annotations

import polars as pl

from cotera.errors import ValidationError
from cotera.indicators.catalogue import catalogue
from cotera.indicators.model import AggregationMethod
from cotera.sources.french_csv import read_text_table
from cotera.sources.indicators.context import LoadContext, SourceLoad
from cotera.sources.indicators.rollup import roll_up
from cotera.sources.keyed_table import REASON_SUFFIX, parse_keyed
from cotera.sources.mirror import Mirror
from cotera.sources.observations import concat, observations
from cotera.types import Level

SOURCE = catalogue().source("vieillissement")
AGEING_FILE = "indicators/vieillissement/caisse_dep_departements.csv"
_SENIORS = "POPULATION_60_ANS_ET_PLUS"
_ALONE = "X60_ANS_ET_PLUS_ISOLES"
_NO_CAR = "X60_ANS_ET_PLUS_SANS_VOITURE"
_OMPHALE_POP = "omphale_pop_2013"  # thousands
_SHARE_60 = "part des 60 ans et plus en 2013"
_SHARE_75 = "omphale_Tr2013_75_ans_et_plus"


def _counts(frame: pl.DataFrame, code: str, count: str) -> pl.DataFrame:
    reason = pl.coalesce(pl.col(count + REASON_SUFFIX), pl.col(_SENIORS + REASON_SUFFIX))
    part = frame.with_columns(rate=pl.col(count) / pl.col(_SENIORS) * 100, reason=reason)
    return observations(
        code,
        part.get_column("territory"),
        2016,
        part.get_column("rate"),
        part.get_column("reason"),
        numerator=part.get_column(count),
        denominator=part.get_column(_SENIORS),
        method=AggregationMethod.RATIO,
    )


def _shares(frame: pl.DataFrame, code: str, share: str) -> pl.DataFrame:
    population = pl.col(_OMPHALE_POP) * 1000
    return observations(
        code,
        frame.get_column("territory"),
        2013,
        frame.get_column(share),
        frame.get_column(share + REASON_SUFFIX),
        numerator=frame.select(pl.col(share) / 100 * population).to_series(),
        denominator=frame.select(population).to_series(),
    )


def load(mirror: Mirror, context: LoadContext) -> SourceLoad:
    """Rates computed from counts (2016) and published Omphale shares (2013)."""
    path = mirror.path(AGEING_FILE)
    table = parse_keyed(
        read_text_table(path),
        "code_dep",
        Level.DEPARTEMENT,
        [_SENIORS, _ALONE, _NO_CAR, _OMPHALE_POP, _SHARE_60, _SHARE_75],
    )
    table.raise_problems(f"source {SOURCE.id} : fichier invalide")
    frame = table.frame
    dep = concat(
        [
            _counts(frame, "seniors_living_alone_share", _ALONE),
            _counts(frame, "seniors_without_car_share", _NO_CAR),
            _shares(frame, "share_75plus", _SHARE_75),
            _shares(frame, "share_60plus", _SHARE_60),
        ]
    )
    if dep.height == 0:
        raise ValidationError(f"source {SOURCE.id} : aucune ligne de département", [])
    upper, notes = roll_up(dep, context, catalogue().of_source(SOURCE.id), source_file=path.name)
    return SourceLoad(concat([dep, upper]), (path,), tuple(notes))
