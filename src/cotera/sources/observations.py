"""Build frames in the canonical observation layout (``OBSERVATION_COLUMNS``)."""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from cotera.errors import Problem
from cotera.indicators.model import OBSERVATION_COLUMNS, AggregationMethod, MissingReason

SCHEMA: dict[str, pl.DataType] = {
    name: getattr(pl, dtype)() for name, dtype in OBSERVATION_COLUMNS.items()
}


def empty_observations() -> pl.DataFrame:
    """An observation frame with no rows."""
    return pl.DataFrame(schema=SCHEMA)


def conform(frame: pl.DataFrame) -> pl.DataFrame:
    """Select and cast the canonical columns (missing optional ones become null)."""
    columns = [
        (pl.col(name) if name in frame.columns else pl.lit(None)).cast(dtype).alias(name)
        for name, dtype in SCHEMA.items()
    ]
    return frame.select(columns)


def observations(
    indicator: str,
    territory: pl.Series | list[str],
    year: int | pl.Series,
    values: pl.Series,
    reasons: pl.Series | None = None,
    *,
    numerator: pl.Series | None = None,
    denominator: pl.Series | None = None,
    method: AggregationMethod = AggregationMethod.SOURCE,
    population_year: int | pl.Series | None = None,
) -> pl.DataFrame:
    """Observations of one indicator; a null value without reason gets NOT_PUBLISHED.

    ``population_year``: the vintage of the population Cotera divided by (one per row, or one for
    all), kept as ``population_year_min`` and ``_max``; None when it used no population."""
    territories = pl.Series("territory", territory, dtype=pl.String)
    n = territories.len()
    frame = pl.DataFrame(
        {
            "indicator": [indicator] * n,
            "territory": territories,
            "year": year if isinstance(year, pl.Series) else [year] * n,
            "value": values,
            "missing_reason": reasons if reasons is not None else pl.Series([None] * n),
            "numerator": numerator if numerator is not None else pl.Series([None] * n),
            "denominator": denominator if denominator is not None else pl.Series([None] * n),
            "method": [method.value] * n,
            "population_year_min": _per_row(population_year, n),
            "population_year_max": _per_row(population_year, n),
            "perimeter": [None] * n,
            "perimeter_missing": [None] * n,
        },
        schema=SCHEMA,
        strict=False,
    )
    return frame.with_columns(
        missing_reason=pl.when(pl.col("value").is_null())
        .then(pl.col("missing_reason").fill_null(MissingReason.NOT_PUBLISHED.value))
        .otherwise(None),
        **{
            c: pl.when(pl.col("value").is_null()).then(None).otherwise(pl.col(c))
            for c in ("population_year_min", "population_year_max")
        },
    )


def _per_row(value: int | pl.Series | None, n: int) -> pl.Series | list[int | None]:
    return value if isinstance(value, pl.Series) else [value] * n


def concat(frames: Iterable[pl.DataFrame]) -> pl.DataFrame:
    """Concatenate observation frames (any number, possibly none)."""
    items = [conform(f) for f in frames]
    return pl.concat(items, how="vertical") if items else empty_observations()


def duplicate_problems(frame: pl.DataFrame, file: str) -> list[Problem]:
    """A problem per (indicator, territory, year) given more than once."""
    dups = (
        frame.group_by("indicator", "territory", "year")
        .len()
        .filter(pl.col("len") > 1)
        .sort("indicator", "territory", "year")
    )
    return [
        Problem(
            "duplicate_row",
            f"{indicator} {territory} {year} présent {count} fois",
            file=file,
            value=str(territory),
            expected="une ligne par territoire et par année",
        )
        for indicator, territory, year, count in dups.iter_rows()
    ]
