"""Memberships coded for the barometer: the years each one counts, and its values.

A membership counts in year Y when its partnership runs in Y (start ≤ Y ≤ end) and its
organisation is active in Y (created ≤ Y < dissolved), i.e. when Y lies in one interval
``[first, last]`` computed once. A membership's *values* at a granularity are dense codes of
what a barometer cuts partnerships by: ``form × 16 + fragility bit`` (form and fragility),
``form``, ``fragility bit``, or ``0`` (neither); one membership has one form and one or more
fragilities. :class:`ValueRows` holds both sides a barometer counts:

- per membership and value (partnerships with a member in a cell), in membership order;
- per distinct (organisation, value) pair with its years merged into disjoint intervals, so
  that a year's count of pairs is a plain filter and ``bincount`` (organisations having a
  partnership of that value), with no de-duplication left at query time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
YearArray = npt.NDArray[np.int32]
FRAGILITY_BITS = 16
_YEAR_SHIFT = 15  # years (and the ±10 000 sentinels, offset by 16 384) fit in 15 bits


@dataclass(frozen=True, slots=True, eq=False)
class ValueRows:
    """Both sides of the memberships at one granularity (see the module docstring)."""

    member: IntArray  # membership of each (membership, value) row
    value: IntArray
    org: IntArray  # organisation row of each distinct (organisation, value) interval
    org_value: IntArray
    first: YearArray
    last: YearArray


def explode(
    form: IntArray, mask: npt.NDArray[np.uint64], by_form: bool, by_fragility: bool
) -> tuple[IntArray, IntArray]:
    """``(row, value)`` pairs: one per membership and value at the granularity."""
    size = form.size
    if not by_fragility:
        return np.arange(size, dtype=np.int64), (form if by_form else np.zeros(size, np.int64))
    low = (mask & np.uint64(0xFFFF)).astype("<u2").view(np.uint8).reshape(size, 2)
    rows, bit = np.nonzero(np.unpackbits(low, axis=1, bitorder="little"))
    values = bit.astype(np.int64)
    if by_form:
        values += form[rows] * FRAGILITY_BITS
    return rows.astype(np.int64), values


def merge_intervals(
    org: IntArray, value: IntArray, first: YearArray, last: YearArray, n_values: int
) -> tuple[IntArray, IntArray, YearArray, YearArray]:
    """Distinct (organisation, value) pairs, each with its years as disjoint intervals."""
    if org.size == 0:
        return org, value, first, last
    pair = org * n_values + value
    order = np.argsort((pair << _YEAR_SHIFT) | (first.astype(np.int64) + 16_384), kind="stable")
    pair, first, last = pair[order], first[order], last[order]
    new_pair = np.r_[True, pair[1:] != pair[:-1]]
    offset = np.cumsum(new_pair, dtype=np.int64) << 16  # keeps each pair's years apart
    reach = np.maximum.accumulate(last.astype(np.int64) + offset)  # furthest year so far
    start = new_pair
    start[1:] |= first[1:].astype(np.int64) + offset[1:] > reach[:-1]
    starts = np.flatnonzero(start)
    pair = pair[starts]
    return (
        pair // n_values,
        pair % n_values,
        first[starts],
        np.maximum.reduceat(last, starts).astype(np.int32),
    )


def value_rows(
    member_org: IntArray,
    form: IntArray,
    mask: npt.NDArray[np.uint64],
    first: YearArray,
    last: YearArray,
    by_form: bool,
    by_fragility: bool,
    n_values: int,
) -> ValueRows:
    """Explode the memberships and merge each organisation's years per value (< n_values)."""
    rows, values = explode(form, mask, by_form, by_fragility)
    org, org_value, org_first, org_last = merge_intervals(
        member_org[rows], values, first[rows], last[rows], n_values
    )
    return ValueRows(rows, values, org, org_value, org_first, org_last)


def same_partnership(partnership: IntArray) -> tuple[IntArray, ...]:
    """For s = 1, 2 …: positions i whose membership s rows back is of the same partnership.

    ``partnership`` is sorted; the arrays shrink fast (only large partnerships go far back).
    """
    shifts: list[IntArray] = []
    shift = 1
    while shift < partnership.size:
        positions = np.flatnonzero(partnership[shift:] == partnership[:-shift]) + shift
        if positions.size == 0:
            break
        shifts.append(positions)
        shift += 1
    return tuple(shifts)


def first_in_cell(
    live: npt.NDArray[np.bool_], cell: IntArray, shifts: tuple[IntArray, ...]
) -> npt.NDArray[np.bool_]:
    """Live memberships that are the first live one of their (partnership, cell) pair."""
    first = live.copy()
    for back, positions in enumerate(shifts, start=1):
        earlier = positions - back
        duplicate = (cell[positions] == cell[earlier]) & live[earlier]
        first[positions[duplicate]] = False
    return first
