"""Aggregate observations from smaller territories to larger (or custom) ones, by kind.

Rules (issue 2 §2, DESIGN.md §4):

- ``COUNT``: children are added (method ``sum``).
- ``RATE``: when every covered child has its numerator and denominator, the rate is
  recomputed from the summed parts (method ``ratio``; the per-N scale of the rate — 100 for a
  percentage, 10,000 for a per-10,000 rate — is read back from the children); otherwise it is
  the population-weighted mean (method ``population_weighted``).
- ``AMOUNT_PER_CAPITA``: population-weighted mean (``population_weighted``).
- ``MEDIAN``: a median cannot be averaged; the population-weighted mean of the children's
  medians is given and flagged ``approximation``.

Population vintages: a parent keeps the first and last vintage of the populations behind its
value — its children's (``population_year_min`` / ``_max``) and, for weighted means, the
weights' (an optional ``population_year`` column of ``weights``); counts use none.

Coverage: a parent's *coverage* is the population share of its expected children (from the
membership mapping) that have a value (the share of children when no weights are given). When
coverage is below ``min_coverage`` — by default 1.0: any missing child — the parent's value is
null with reason ``not_covered``; otherwise it is computed from the covered children and the
coverage is reported in ``Aggregation.coverage`` so callers can state it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from cotera.indicators.model import (
    OBSERVATION_COLUMNS,
    AggregationMethod,
    IndicatorKind,
    MissingReason,
)

_KEYS = ("indicator", "parent", "year")
_VINTAGES = ("population_year_min", "population_year_max")


@dataclass(frozen=True, slots=True)
class Aggregation:
    """Aggregated observations and, for each of them, how much of the parent they cover."""

    observations: pl.DataFrame  # OBSERVATION_COLUMNS
    coverage: pl.DataFrame  # indicator, territory, year, children, covered, coverage


def _snap_scale(ratio: float) -> float:
    """The power of ten closest to ``value / (numerator / denominator)``."""
    if not math.isfinite(ratio) or ratio <= 0:
        return 1.0
    return float(10 ** round(math.log10(ratio)))


def _vintages(missing: pl.Expr, count: pl.Expr, ratio: pl.Expr) -> dict[str, pl.Expr]:
    """Population vintages of a parent: none for counts, its children's for a recomputed ratio,
    its children's and its weights' for a weighted mean."""
    first = pl.min_horizontal("child_first", "weight_first")
    last = pl.max_horizontal("child_last", "weight_last")
    return {
        name: pl.when(missing | count).then(None).when(ratio).then(pl.col(child)).otherwise(both)
        for name, child, both in (
            ("population_year_min", "child_first", first),
            ("population_year_max", "child_last", last),
        )
    }


def aggregate(
    observations: pl.DataFrame,
    membership: Mapping[str, str],
    kinds: Mapping[str, IndicatorKind],
    weights: pl.DataFrame | None = None,
    *,
    min_coverage: float = 1.0,
) -> Aggregation:
    """Aggregate ``observations`` of children to their parents.

    ``membership`` maps child territory code -> parent code (every expected child, even those
    without a row); ``kinds`` gives each indicator's kind (indicators not listed are ignored);
    ``weights`` has columns ``territory``, ``weight`` and optionally ``year`` (populations) and
    ``population_year`` (the vintage of each weight).
    """
    if not 0.0 <= min_coverage <= 1.0:
        raise ValueError("min_coverage doit être compris entre 0 et 1")
    obs = observations.filter(pl.col("indicator").is_in(list(kinds))).with_columns(
        pl.col(c) if c in observations.columns else pl.lit(None, pl.Int32).alias(c)
        for c in _VINTAGES
    )
    children = pl.DataFrame(
        {"territory": list(membership), "parent": list(membership.values())},
        schema={"territory": pl.String, "parent": pl.String},
    )
    grid = (
        obs.select("indicator", "year")
        .unique()
        .join(children, how="cross")
        .join(
            obs.select(
                "indicator", "territory", "year", "value", "numerator", "denominator", *_VINTAGES
            ),
            on=["indicator", "territory", "year"],
            how="left",
        )
    )
    if weights is None:
        grid = grid.with_columns(
            weight=pl.lit(None, dtype=pl.Float64), weight_year=pl.lit(None, dtype=pl.Int32)
        )
    else:
        on = ["territory", "year"] if "year" in weights.columns else ["territory"]
        vintage = pl.col("population_year") if "population_year" in weights.columns else None
        w = weights.select(
            *on,
            pl.col("weight").cast(pl.Float64),
            (pl.lit(None) if vintage is None else vintage).cast(pl.Int32).alias("weight_year"),
        )
        grid = grid.join(
            w.with_columns(pl.col(c).cast(grid.schema[c]) for c in on), on=on, how="left"
        )
    kind_of = {code: kind.value for code, kind in kinds.items()}
    grid = grid.with_columns(
        kind=pl.col("indicator").replace_strict(kind_of, return_dtype=pl.String),
        covered=pl.col("value").is_not_null() & pl.col("value").is_not_nan(),
    )
    weighted_kind = pl.col("kind") != IndicatorKind.COUNT.value
    grid = grid.with_columns(
        has_parts=pl.col("numerator").is_not_null() & (pl.col("denominator") > 0),
    )
    grid = grid.with_columns(
        usable=pl.col("covered")
        & (
            ~weighted_kind
            | pl.col("weight").is_not_null()
            | ((pl.col("kind") == IndicatorKind.RATE.value) & pl.col("has_parts"))
        )
    )
    usable = pl.col("usable")
    summary = grid.group_by(*_KEYS).agg(
        kind=pl.col("kind").first(),
        children=pl.len(),
        covered=usable.sum(),
        all_weighted=pl.col("weight").is_not_null().all(),
        weight_total=pl.col("weight").sum(),
        weight_covered=pl.col("weight").filter(usable).sum(),
        total=pl.col("value").filter(usable).sum(),
        weighted_sum=(pl.col("value") * pl.col("weight")).filter(usable).sum(),
        parts_complete=pl.col("has_parts").filter(usable).all() & (usable.sum() > 0),
        numerator=pl.col("numerator").filter(usable).sum(),
        denominator=pl.col("denominator").filter(usable).sum(),
        scale=(pl.col("value") * pl.col("denominator") / pl.col("numerator"))
        .filter(usable & pl.col("has_parts") & (pl.col("numerator") > 0))
        .median(),
        child_first=pl.col("population_year_min").filter(usable).min(),
        child_last=pl.col("population_year_max").filter(usable).max(),
        weight_first=pl.col("weight_year").filter(usable).min(),
        weight_last=pl.col("weight_year").filter(usable).max(),
    )
    summary = summary.with_columns(
        coverage=pl.when(pl.col("all_weighted") & (pl.col("weight_total") > 0))
        .then(pl.col("weight_covered") / pl.col("weight_total"))
        .otherwise(pl.col("covered") / pl.col("children")),
        scale=pl.col("scale").map_elements(_snap_scale, return_dtype=pl.Float64),
    )
    kind = pl.col("kind")
    ratio = (kind == IndicatorKind.RATE.value) & pl.col("parts_complete")
    mean = pl.col("weighted_sum") / pl.col("weight_covered")
    enough = (pl.col("covered") > 0) & (pl.col("coverage") >= min_coverage - 1e-12)
    result = summary.with_columns(
        value=pl.when(~enough)
        .then(None)
        .when(kind == IndicatorKind.COUNT.value)
        .then(pl.col("total"))
        .when(ratio)
        .then(pl.col("scale").fill_null(1.0) * pl.col("numerator") / pl.col("denominator"))
        .otherwise(mean),
        method=pl.when(kind == IndicatorKind.COUNT.value)
        .then(pl.lit(AggregationMethod.SUM.value))
        .when(ratio)
        .then(pl.lit(AggregationMethod.RATIO.value))
        .when(kind == IndicatorKind.MEDIAN.value)
        .then(pl.lit(AggregationMethod.APPROXIMATION.value))
        .otherwise(pl.lit(AggregationMethod.POPULATION_WEIGHTED.value)),
        numerator=pl.when(enough & ratio).then(pl.col("numerator")).otherwise(None),
        denominator=pl.when(enough & ratio).then(pl.col("denominator")).otherwise(None),
    ).with_columns(
        missing_reason=pl.when(pl.col("value").is_null())
        .then(pl.lit(MissingReason.NOT_COVERED.value))
        .otherwise(None),
        **_vintages(pl.col("value").is_null(), kind == IndicatorKind.COUNT.value, ratio),
    )
    result = result.rename({"parent": "territory"}).sort("indicator", "territory", "year")
    dtypes = {name: getattr(pl, dtype)() for name, dtype in OBSERVATION_COLUMNS.items()}
    observations_out = result.select(
        (pl.col(name) if name in result.columns else pl.lit(None)).cast(dtype).alias(name)
        for name, dtype in dtypes.items()
    )
    coverage = result.select(
        "indicator",
        "territory",
        pl.col("year").cast(pl.Int32),
        pl.col("children").cast(pl.Int64),
        pl.col("covered").cast(pl.Int64),
        pl.col("coverage").cast(pl.Float64),
    )
    return Aggregation(observations_out, coverage)
