"""Aggregation of weighted normalised values into scores.

Geometric rule for values ≤ 0: a geometric mean needs strictly positive inputs, so before
aggregating, every indicator column whose minimum is ≤ 0 is shifted by a constant so that its
minimum becomes 1 % of its range (or 1 when the column is constant). The shift is monotone, so
it keeps each indicator's order; the shifts are recorded in the result.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from cotera.index.recipe import Aggregation

FloatArray = npt.NDArray[np.float64]

GEOMETRIC_FLOOR = 0.01
"""Minimum of a shifted column, as a share of its range."""


def geometric_shifts(matrix: FloatArray) -> FloatArray:
    """Per-column constant added before a geometric mean (0 when the column is positive)."""
    observed = ~np.isnan(matrix)
    low = np.where(observed, matrix, np.inf).min(axis=0, initial=np.inf)
    high = np.where(observed, matrix, -np.inf).max(axis=0, initial=-np.inf)
    span = high - low
    floor = np.where(span > 0, GEOMETRIC_FLOOR * span, 1.0)
    return np.where((low > 0) | ~observed.any(axis=0), 0.0, floor - low)


def aggregate(values: FloatArray, weights: FloatArray, method: Aggregation) -> FloatArray:
    """Scores of each row of ``values`` (units × indicators); NaN cells are skipped.

    ARITHMETIC and GEOMETRIC are weighted means over the available cells. SUM_THEN_RERANK is
    the weighted sum with weights scaled to sum to the number of indicators (a plain sum with
    equal weights), rescaled up when cells are missing. GEOMETRIC expects positive values
    (see :func:`geometric_shifts`). A row without any available cell scores NaN.
    """
    available = ~np.isnan(values)
    used = np.where(available, weights, 0.0)
    total = used.sum(axis=1)
    filled = np.where(available, values, 0.0 if method is not Aggregation.GEOMETRIC else 1.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        if method is Aggregation.GEOMETRIC:
            if np.any(filled <= 0):
                raise ValueError("geometric aggregation needs strictly positive values")
            score = np.exp((used * np.log(filled)).sum(axis=1) / total)
        else:
            score = (used * filled).sum(axis=1) / total
            if method is Aggregation.SUM_THEN_RERANK:
                score = score * len(weights)
    return np.where(total > 0, score, np.nan)
