"""Aggregation of weighted normalised values into scores.

Geometric rule. A geometric mean needs positive values and is not compensatory: it is pulled
towards a unit's *lowest* values. Following the OECD/JRC Handbook on Constructing Composite
Indicators (2008, §6.2) and COINr (normalise min–max to [1, 100], then ``a_gmean``), it is
taken on a scale where higher is *better*, so that the values it weighs most are the
shortfalls — here, the fragilities. Each normalised, fragility-oriented column is rescaled
min–max to [1, 100] with 100 = least fragile (:func:`geometric_scale`), the weighted geometric
mean ``G`` of a unit's values is taken, and its score is ``101 − G``: in [1, 100], higher = more
fragile, a severe fragility is not offset by the absence of others. Taking the geometric mean of
the fragility-oriented values instead would let one *least* fragile indicator (a value near 0)
sink a unit that is the most fragile on everything else. The column bounds are recorded in the
result. Every normalisation is an affine map of the raw values except the (percentile) ranks,
so under this rule min–max, z-score and distance to a reference give the same geometric scores.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from cotera.index.recipe import Aggregation

FloatArray = npt.NDArray[np.float64]

GEOMETRIC_LOW, GEOMETRIC_HIGH = 1.0, 100.0
"""The [1, 100] scale of the geometric mean (COINr's ``n_minmax`` with ``l_u = c(1, 100)``)."""


def geometric_bounds(matrix: FloatArray) -> FloatArray:
    """(2 × indicators) observed minimum and maximum of each column (NaN when none)."""
    observed = ~np.isnan(matrix)
    some = observed.any(axis=0)
    low = np.where(observed, matrix, np.inf).min(axis=0, initial=np.inf)
    high = np.where(observed, matrix, -np.inf).max(axis=0, initial=-np.inf)
    return np.vstack([np.where(some, low, np.nan), np.where(some, high, np.nan)])


def geometric_scale(matrix: FloatArray, bounds: FloatArray) -> FloatArray:
    """Fragility-oriented values put on [1, 100], 100 = least fragile (a constant column: 100)."""
    low, high = bounds
    span = high - low
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(span > 0, (matrix - low) / span, 0.0)
    share = np.where(np.isnan(matrix), np.nan, share)
    return GEOMETRIC_HIGH - (GEOMETRIC_HIGH - GEOMETRIC_LOW) * share


def geometric_fragility(scaled: FloatArray, weights: FloatArray) -> FloatArray:
    """Score ``101 − G`` of rows of :func:`geometric_scale` values (higher = more fragile)."""
    return GEOMETRIC_HIGH + GEOMETRIC_LOW - aggregate(scaled, weights, Aggregation.GEOMETRIC)


def aggregate(values: FloatArray, weights: FloatArray, method: Aggregation) -> FloatArray:
    """Scores of each row of ``values`` (units × indicators); NaN cells are skipped.

    ARITHMETIC and GEOMETRIC are weighted means over the available cells. SUM_THEN_RERANK is
    the weighted sum with weights scaled to sum to the number of indicators (a plain sum with
    equal weights), rescaled up when cells are missing. GEOMETRIC is the plain weighted
    geometric mean of positive values (the engine applies it through
    :func:`geometric_fragility`). A row without any available cell scores NaN.
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
