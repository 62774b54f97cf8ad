"""The peers × indicators matrix the diagnostic ranks: one vintage (year) per indicator.

Choice of year (documented in docs/diagnostic.md): for each indicator, the latest year in which at
least ``min_share`` of the peers (default one half) have a value. All peers are read at that same
year, so that they are compared on one vintage; a peer without a value that year is missing (never
filled with another year's value). An indicator with no such year is left out of the matrix.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl
from numpy.typing import NDArray


@dataclass(frozen=True, slots=True)
class PeerMatrix:
    """Values of the peers (rows) for the indicators (columns) at one year per indicator."""

    units: tuple[str, ...]
    indicators: tuple[str, ...]
    years: tuple[int, ...]
    values: NDArray[np.float64]  # len(units) × len(indicators), NaN when missing

    def column(self, indicator: str) -> NDArray[np.float64]:
        """The peers' values of one indicator."""
        return self.values[:, self.indicators.index(indicator)]

    def row(self, unit: str) -> NDArray[np.float64]:
        """One peer's values."""
        return self.values[self.units.index(unit), :]

    def year_of(self, indicator: str) -> int:
        """The vintage used for an indicator."""
        return self.years[self.indicators.index(indicator)]

    def subset(self, indicators: Sequence[str]) -> PeerMatrix:
        """The matrix restricted to some indicators (in the given order)."""
        columns = [self.indicators.index(code) for code in indicators]
        return PeerMatrix(
            self.units,
            tuple(indicators),
            tuple(self.years[c] for c in columns),
            self.values[:, columns],
        )


def latest_year_matrix(
    observations: pl.DataFrame,
    units: Sequence[str],
    indicators: Sequence[str],
    min_share: float = 0.5,
) -> PeerMatrix:
    """The matrix from canonical observations (``indicator``, ``territory``, ``year``, ``value``).

    ``indicators`` fixes the candidate columns and their order; those without a year covering
    ``min_share`` of ``units`` are dropped.
    """
    unit_list = list(units)
    present = observations.filter(
        pl.col("territory").is_in(unit_list)
        & pl.col("indicator").is_in(list(indicators))
        & pl.col("value").is_not_null()
        & pl.col("value").is_finite()
    )
    coverage = present.group_by("indicator", "year").agg(pl.col("territory").n_unique().alias("n"))
    needed = min_share * len(unit_list)
    chosen = coverage.filter(pl.col("n") >= needed).group_by("indicator").agg(pl.col("year").max())
    year_of = dict(zip(chosen["indicator"].to_list(), chosen["year"].to_list(), strict=True))
    kept = [code for code in indicators if code in year_of]
    values = np.full((len(unit_list), len(kept)), np.nan)
    row_of = {unit: i for i, unit in enumerate(unit_list)}
    for column, code in enumerate(kept):
        frame = present.filter((pl.col("indicator") == code) & (pl.col("year") == year_of[code]))
        for territory, value in frame.select("territory", "value").iter_rows():
            values[row_of[territory], column] = value
    return PeerMatrix(tuple(unit_list), tuple(kept), tuple(int(year_of[c]) for c in kept), values)
