"""Normalisation of oriented indicator columns (higher = more fragile), NaN-aware."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from cotera.index.recipe import Normalisation, TieRule

FloatArray = npt.NDArray[np.float64]


def percent_rank(values: FloatArray, ties: TieRule = TieRule.LOWEST) -> FloatArray:
    """Inclusive percentile rank ``(rank − 1) / (N − 1)`` of a 1-D array.

    With ``ties = LOWEST`` it equals Excel ``PERCENTRANK.INC`` (before its rounding); with
    ``AVERAGE`` tied values take their mid-rank. NaN stays NaN and is not counted.
    """
    ranks = rank(values, ties)
    n = int(np.count_nonzero(~np.isnan(values)))
    return (ranks - 1.0) / (n - 1) if n > 1 else np.where(np.isnan(ranks), np.nan, 0.0)


def rank(values: FloatArray, ties: TieRule = TieRule.LOWEST) -> FloatArray:
    """Rank 1…N of a 1-D array in ascending order; NaN stays NaN.

    Tied values share the lowest rank of their block (``LOWEST``) or its mean (``AVERAGE``:
    a block spanning ranks 1 to 909 gets 455).
    """
    observed = ~np.isnan(values)
    present = values[observed]
    order = np.argsort(present)
    ordered = present[order]
    size = len(present)
    first = np.arange(size)
    last = np.arange(size)
    if size > 1:
        same = ordered[1:] == ordered[:-1]
        first[1:][same] = 0
        np.maximum.accumulate(first, out=first)
        last[:-1][same] = size
        last = np.minimum.accumulate(last[::-1])[::-1]
    shared = first if ties is TieRule.LOWEST else (first + last) / 2.0
    ranks = np.empty(size)
    ranks[order] = shared + 1.0
    out = np.full(values.shape, np.nan)
    out[observed] = ranks
    return out


def min_max(values: FloatArray) -> FloatArray:
    """Rescale to [0, 1]; a constant column maps to 0."""
    if np.isnan(values).all():
        return values.copy()
    low, high = np.nanmin(values), np.nanmax(values)
    span = high - low
    return (values - low) / span if span > 0 else np.where(np.isnan(values), np.nan, 0.0)


def z_score(values: FloatArray) -> FloatArray:
    """Centre on the mean and divide by the sample standard deviation (ddof 1); constant → 0."""
    if np.isnan(values).all():
        return values.copy()
    mean = np.nanmean(values)
    n = int(np.count_nonzero(~np.isnan(values)))
    std = float(np.nanstd(values, ddof=1)) if n > 1 else 0.0
    return (values - mean) / std if std > 0 else np.where(np.isnan(values), np.nan, 0.0)


def distance_to_reference(values: FloatArray, reference: float) -> FloatArray:
    """Relative gap ``(x − ref) / |ref|`` (0.12 = 12 % more fragile than the reference)."""
    if reference == 0 or not np.isfinite(reference):
        raise ValueError(f"reference must be finite and non-zero, got {reference}")
    return (values - reference) / abs(reference)


def normalise(
    matrix: FloatArray,
    method: Normalisation,
    references: FloatArray | None = None,
    ties: TieRule = TieRule.LOWEST,
) -> FloatArray:
    """Normalise every column of an oriented (units × indicators) matrix (``ties``: the rank
    tied values share under RANK and PERCENT_RANK)."""
    out = np.empty_like(matrix, dtype=np.float64)
    for j in range(matrix.shape[1]):
        column = matrix[:, j]
        if method is Normalisation.DISTANCE_TO_REFERENCE:
            if references is None:
                raise ValueError("distance to reference needs reference values")
            out[:, j] = distance_to_reference(column, float(references[j]))
        elif method in (Normalisation.RANK, Normalisation.PERCENT_RANK):
            out[:, j] = _RANKED[method](column, ties)
        else:
            out[:, j] = _COLUMN[method](column)
    return out


def winsorise(matrix: FloatArray, tail: float) -> FloatArray:
    """Clip each column at its ``tail`` and ``1 − tail`` quantiles (NaN ignored)."""
    out = matrix.copy()
    for j in range(matrix.shape[1]):
        observed = matrix[~np.isnan(matrix[:, j]), j]
        if observed.size:
            low, high = np.quantile(observed, [tail, 1.0 - tail])
            out[:, j] = np.clip(matrix[:, j], low, high)
    return out


_COLUMN = {
    Normalisation.MIN_MAX: min_max,
    Normalisation.Z_SCORE: z_score,
}
_RANKED = {
    Normalisation.PERCENT_RANK: percent_rank,
    Normalisation.RANK: rank,
}
