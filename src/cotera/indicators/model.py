"""Indicator catalogue entries and the canonical table of observations."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from cotera.types import Direction, Level


class IndicatorKind(StrEnum):
    """What an indicator's value is; it decides how values aggregate to larger territories."""

    COUNT = "count"  # adds up
    RATE = (
        "rate"  # numerator / denominator (percent or per N): recomputed, else population-weighted
    )
    MEDIAN = "median"  # never averaged silently: aggregation is flagged as an approximation
    AMOUNT_PER_CAPITA = "amount_per_capita"  # a mean per inhabitant: population-weighted


class AggregationMethod(StrEnum):
    """How an observation was obtained."""

    SOURCE = "source"  # published by the source at that level
    SUM = "sum"  # counts added
    RATIO = "ratio"  # rate recomputed from summed numerator and denominator
    POPULATION_WEIGHTED = "population_weighted"  # rate averaged with population weights
    APPROXIMATION = "approximation"  # e.g. a median approximated from parts: flagged to users


class MissingReason(StrEnum):
    """Why a value is missing: never a silent zero."""

    SECRET = "secret"  # statistical secrecy marker in the source
    NOT_PUBLISHED = "not_published"  # empty / n.d. in the source
    SUSPECT = "suspect"  # published but known to be wrong (e.g. Filosofi 2012 poverty panel)
    NOT_COVERED = "not_covered"  # some parts of an aggregate had no value
    MERGED_PERIMETER = "merged_perimeter"  # the source's row covers several of today's communes


@dataclass(frozen=True, slots=True)
class IndicatorSpec:
    """One catalogue entry (versioned data in ``indicators/data/catalogue/*.toml``)."""

    code: str
    label_fr: str
    label_en: str
    fragility: str
    direction: Direction
    unit: str
    kind: IndicatorKind
    levels: tuple[Level, ...]
    source: str
    years: tuple[int, ...]
    description_fr: str = ""


# Columns (and polars dtypes, by name) of the canonical observation table every loader returns.
OBSERVATION_COLUMNS: dict[str, str] = {
    "indicator": "String",  # IndicatorSpec.code
    "territory": "String",  # canonical TerritoryCode text: fr, reg:11, dep:93, epci:…, com:93066
    "year": "Int32",
    "value": "Float64",  # null when missing
    "missing_reason": "String",  # MissingReason value, null when value is present
    "numerator": "Float64",  # for rates when known
    "denominator": "Float64",
    "method": "String",  # AggregationMethod value
    # vintages of the populations Cotera used (denominator or weights); null: none, or the
    # source's own; min < max when an aggregate mixes vintages (cotera.indicators.denominator)
    "population_year_min": "Int32",
    "population_year_max": "Int32",
    # France rows only: cotera.indicators.perimeter.Perimeter value and the départements of that
    # perimeter without a value (comma-separated codes, null when none)
    "perimeter": "String",
    "perimeter_missing": "String",
}
