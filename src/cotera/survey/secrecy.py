"""Statistical secrecy: primary suppression (fewer than N respondents) and secondary suppression.

A cell resting on fewer than ``min_respondents`` respondents is hidden (primary). Then, in a
table published with its totals, every additive line (a row or column with its total) must
hide either no cell or at least two, so that no hidden cell can be recomputed by subtraction
(secondary). The extra cells are chosen deterministically from the cells' keys and counts
only: the same table gives the same statuses whatever the order of its rows and columns.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

import numpy as np
from numpy.typing import ArrayLike, NDArray

from cotera.survey.questionnaire import Prism, phare_questionnaire

TOTAL_KEY = "\uffff total"


class CellStatus(StrEnum):
    """Whether a cell is published."""

    PUBLISHED = "published"
    PRIMARY = "primary"
    SECONDARY = "secondary"

    def label(self, language: str = "fr") -> str:
        """What people read."""
        french = {"published": "publié", "primary": "secret", "secondary": "secret (secondaire)"}
        return self.value if language == "en" else french[self.value]

    @property
    def hidden(self) -> bool:
        """True unless published."""
        return self is not CellStatus.PUBLISHED


def min_respondents(prism: Prism | str) -> int:
    """Default threshold of a prism (11 citizens, 3 organisations), from the questionnaire."""
    return phare_questionnaire().prism(Prism(prism)).min_respondents


def is_primary(count: int, threshold: int) -> bool:
    """The rule: fewer than ``threshold`` respondents is hidden."""
    return count < threshold


def suppress_table(
    counts: ArrayLike,
    threshold: int,
    row_keys: Sequence[str] | None = None,
    column_keys: Sequence[str] | None = None,
) -> NDArray[np.object_]:
    """Statuses of an ``R × C`` table of respondent counts published with its totals.

    Returns an ``(R+1) × (C+1)`` array of :class:`CellStatus`; the last row and column are the
    totals. A 1-D table is a single column (``C = 1``): pass ``counts[:, None]``.
    """
    interior = np.asarray(counts, dtype=np.int64)
    if interior.ndim != 2:
        raise ValueError("counts must be a 2-D table (use counts[:, None] for one dimension)")
    n_rows, n_cols = interior.shape
    rows = list(row_keys) if row_keys is not None else [f"{i:09d}" for i in range(n_rows)]
    cols = list(column_keys) if column_keys is not None else [f"{j:09d}" for j in range(n_cols)]
    full = np.zeros((n_rows + 1, n_cols + 1), dtype=np.int64)
    full[:n_rows, :n_cols] = interior
    full[n_rows, :n_cols] = interior.sum(axis=0)
    full[:n_rows, n_cols] = interior.sum(axis=1)
    full[n_rows, n_cols] = interior.sum()
    primary = full < threshold
    hidden = primary.copy()
    if n_cols == 1:
        # one dimension: the column and each row line coincide with cell + its own total
        lines = [[(i, 0) for i in _order(rows)] + [(n_rows, 0)]]
    else:
        row_order = [*_order(rows), n_rows]
        col_order = [*_order(cols), n_cols]
        lines = [[(i, j) for j in col_order] for i in row_order]
        lines += [[(i, j) for i in row_order] for j in col_order]
    row_names, col_names = [*rows, TOTAL_KEY], [*cols, TOTAL_KEY]
    changed = True
    while changed:
        changed = False
        for line in lines:
            flags = [hidden[cell] for cell in line]
            if sum(flags) != 1:
                continue
            candidates = [cell for cell in line if not hidden[cell]]
            keys = {cell: row_names[cell[0]] + "\x00" + col_names[cell[1]] for cell in candidates}
            best = min(
                candidates,
                key=lambda cell: (cell[0] == n_rows or cell[1] == n_cols, full[cell], keys[cell]),
            )
            hidden[best] = True
            changed = True
    if n_cols == 1:
        # in one dimension each row total equals its cell: same status
        hidden[:n_rows, 1] = hidden[:n_rows, 0]
        primary[:n_rows, 1] = primary[:n_rows, 0]
    status = np.empty(full.shape, dtype=object)
    for cell in np.ndindex(full.shape):
        status[cell] = (
            CellStatus.PRIMARY
            if primary[cell]
            else CellStatus.SECONDARY
            if hidden[cell]
            else CellStatus.PUBLISHED
        )
    return status


def suppress_vector(
    counts: ArrayLike, threshold: int, keys: Sequence[str] | None = None
) -> tuple[tuple[CellStatus, ...], CellStatus]:
    """Statuses of cells published with their total (1-D), and the total's status."""
    column = np.asarray(counts, dtype=np.int64)[:, None]
    status = suppress_table(column, threshold, keys, ["value"])
    return tuple(CellStatus(s) for s in status[:-1, 0]), CellStatus(status[-1, 0])


def _order(keys: Sequence[str]) -> list[int]:
    return sorted(range(len(keys)), key=lambda i: keys[i])
