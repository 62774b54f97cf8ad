"""Complete a source's département values with région and France values by aggregation."""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from cotera.errors import Problem
from cotera.indicators.aggregation import aggregate
from cotera.indicators.model import IndicatorSpec
from cotera.sources.indicators.context import LoadContext
from cotera.sources.observations import concat
from cotera.types import Level

COUNTRY_MIN_COVERAGE = 0.95
"""France from départements: computed when at least 95 % of the population is covered, so a
metropolitan-only panel (96 départements, ~97 % of the population) gives a France
(metropolitan) value; the coverage is stated in a note."""


def _complete(
    observations: pl.DataFrame, context: LoadContext, weights: pl.DataFrame | None
) -> pl.DataFrame:
    """Year-specific weights where given, current (COG) population for the other territories,
    so that coverage is always measured over every expected child; each weight keeps its
    vintage (``population_year``: the weight's year when given by year, else the COG's)."""
    current = context.population_weights()
    years = observations.select(pl.col("year").unique())
    full = years.join(current, how="cross")
    if weights is None:
        return full
    given = weights if "year" in weights.columns else weights.join(years, how="cross")
    vintage = pl.col("population_year") if "population_year" in given.columns else pl.col("year")
    given = given.select(
        "territory",
        pl.col("year").cast(pl.Int32),
        pl.col("weight"),
        vintage.cast(pl.Int32).alias("population_year"),
    )
    joined = full.join(given, on=["territory", "year"], how="left", suffix="_given")
    has_given = pl.col("weight_given").is_not_null()
    return joined.select(
        "territory",
        "year",
        pl.coalesce("weight_given", "weight").alias("weight"),
        pl.when(has_given)
        .then(pl.col("population_year_given"))
        .otherwise(pl.col("population_year"))
        .alias("population_year"),
    )


def roll_up(
    observations: pl.DataFrame,
    context: LoadContext,
    indicators: Iterable[IndicatorSpec],
    *,
    weights: pl.DataFrame | None = None,
    published: pl.DataFrame | None = None,
    source_file: str = "",
) -> tuple[pl.DataFrame, list[Problem]]:
    """Région (all départements required) and France values of département ``observations``.

    Values the source publishes itself (``published``, any level) are kept and not recomputed.
    Parents none of whose children have a value are left out (the source does not cover them).
    Returns the new observations and notes on partial coverage.
    """
    specs = list(indicators)
    weights = _complete(observations, context, weights)
    frames: list[pl.DataFrame] = []
    notes: list[Problem] = []
    for level, membership, min_coverage in (
        (Level.REGION, context.dep_to_region(), 1.0),
        (Level.COUNTRY, context.dep_to_country(), COUNTRY_MIN_COVERAGE),
    ):
        kinds = {s.code: s.kind for s in specs if level in s.levels}
        if not kinds:
            continue
        result = aggregate(observations, membership, kinds, weights, min_coverage=min_coverage)
        keep = result.coverage.select(
            "indicator", "territory", "year", (pl.col("covered") > 0).alias("keep")
        )
        frame = result.observations.join(keep, on=["indicator", "territory", "year"])
        frame = frame.filter(pl.col("keep")).drop("keep")
        if published is not None:
            frame = frame.join(
                published.select("indicator", "territory", "year"),
                on=["indicator", "territory", "year"],
                how="anti",
            )
        frames.append(frame)
        partial = result.coverage.filter((pl.col("covered") > 0) & (pl.col("coverage") < 1.0)).join(
            frame.filter(pl.col("value").is_not_null()), on=["indicator", "territory", "year"]
        )
        for (indicator, territory), group in partial.group_by(
            "indicator", "territory", maintain_order=True
        ):
            years = ", ".join(str(y) for y in sorted(group.get_column("year").to_list()))
            share = float(group.get_column("coverage").min())  # type: ignore[arg-type]
            share_fr = f"{100 * share:.1f}".replace(".", ",")
            notes.append(
                Problem(
                    "partial_coverage",
                    f"{indicator!s} {territory!s} ({years}) : calculé sur les territoires avec "
                    f"une valeur, soit au moins {share_fr} % de la population",
                    file=source_file,
                )
            )
    return concat(frames), notes
