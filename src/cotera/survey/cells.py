"""Integer coding of categorical columns and cell keys over several coded columns."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

IntArray = NDArray[np.intp]
FloatArray = NDArray[np.float64]

DENSE_LIMIT = 1 << 22


def factorize(values: ArrayLike) -> tuple[IntArray, tuple[str, ...]]:
    """Codes ``0..L-1`` of ``values`` and the sorted distinct values, as strings."""
    array = np.asarray(values)
    if array.dtype.kind in "iub" and array.size:
        low = int(array.min())
        span = int(array.max()) - low + 1
        if span <= max(DENSE_LIMIT, array.size):
            shifted = array.astype(np.intp, copy=False)
            if low:
                shifted = shifted - low
            present = np.bincount(shifted, minlength=span) > 0
            labels = tuple(str(v) for v in np.flatnonzero(present) + low)
            if present.all():  # already dense codes: no lookup pass
                return shifted, labels
            lookup = np.cumsum(present) - 1
            return lookup[shifted].astype(np.intp), labels
    uniques, inverse = np.unique(array.astype(str), return_inverse=True)
    return inverse.astype(np.intp).ravel(), tuple(str(v) for v in uniques)


def combine(codes: Sequence[IntArray], sizes: Sequence[int]) -> tuple[IntArray, int]:
    """One key per row over several coded columns: mixed radix, compacted when too sparse.

    Returns the key and the number of possible keys (keys may be unused when dense).
    """
    if not codes:
        raise ValueError("combine needs at least one column")
    total = 1
    for size in sizes:
        total *= max(int(size), 1)
    if total <= DENSE_LIMIT:
        key = np.asarray(codes[0], dtype=np.intp).copy()
        for column, size in zip(codes[1:], sizes[1:], strict=True):
            key *= int(size)
            key += column
        return key, total
    stacked = np.stack([np.asarray(c, dtype=np.int64) for c in codes], axis=1)
    _, inverse = np.unique(stacked, axis=0, return_inverse=True)
    inverse = inverse.astype(np.intp).ravel()
    return inverse, int(inverse.max()) + 1 if inverse.size else 0


def compact(key: IntArray, n_keys: int) -> tuple[IntArray, IntArray]:
    """Renumber used keys ``0..F-1``; also return one representative row per used key."""
    representative = np.full(n_keys, -1, dtype=np.intp)
    representative[key] = np.arange(key.size, dtype=np.intp)
    used = representative >= 0
    lookup = np.cumsum(used, dtype=np.intp) - 1
    return lookup[key], representative[used]


def decode(key: IntArray, sizes: Sequence[int]) -> tuple[IntArray, ...]:
    """Inverse of a dense :func:`combine`: the column codes of each key."""
    out: list[IntArray] = []
    rest = np.asarray(key, dtype=np.intp)
    for size in reversed(sizes):
        out.append(rest % int(size))
        rest = rest // int(size)
    return tuple(reversed(out))


def group_total(index: IntArray, weights: FloatArray, n_groups: int) -> FloatArray:
    """Sum of ``weights`` by ``index`` (a typed ``np.bincount``)."""
    return np.asarray(np.bincount(index, weights=weights, minlength=n_groups), dtype=np.float64)
