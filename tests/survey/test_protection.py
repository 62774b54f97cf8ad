"""Secondary suppression of tables: nothing below the threshold can be derived (exact check)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cotera.survey.protection import suppress_table, suppress_vector
from cotera.survey.secrecy import CellStatus
from tests.survey.derivable import small_groups

counts = st.integers(0, 40)
tables = st.integers(1, 4).flatmap(
    lambda r: st.integers(1, 4).flatmap(
        lambda c: st.lists(st.lists(counts, min_size=c, max_size=c), min_size=r, max_size=r)
    )
)


def _published_sets(status: np.ndarray) -> list[list[int]]:
    """The atoms (interior cells, row-major) of every published cell, margin and total."""
    rows, columns = status.shape[0] - 1, status.shape[1] - 1
    out = []
    for i in range(rows + 1):
        for j in range(columns + 1):
            if status[i, j] is CellStatus.PUBLISHED:
                chosen_rows = range(rows) if i == rows else [i]
                chosen_columns = range(columns) if j == columns else [j]
                out.append([r * columns + c for r in chosen_rows for c in chosen_columns])
    return out


@settings(max_examples=200, deadline=None)
@given(st.lists(counts, min_size=1, max_size=12), st.integers(1, 15))
def test_no_small_group_from_domains_and_their_total(cells: list[int], threshold: int) -> None:
    """Two outputs: the table by domain and the overall figure."""
    statuses, total = suppress_vector(cells, threshold)
    by_domain = [[i] for i, s in enumerate(statuses) if s is CellStatus.PUBLISHED]
    overall = [list(range(len(cells)))] if total is CellStatus.PUBLISHED else []
    assert small_groups(cells, by_domain + overall, threshold) == []
    for count, status in zip(cells, statuses, strict=True):
        assert (status is CellStatus.EMPTY) == (count == 0)
        assert (status is CellStatus.PRIMARY) == (0 < count < threshold)


@settings(max_examples=200, deadline=None)
@given(tables, st.integers(1, 15))
def test_no_small_group_from_a_table_and_its_margins(
    table: list[list[int]], threshold: int
) -> None:
    grid = np.array(table)
    status = suppress_table(grid, threshold)
    assert small_groups(grid.ravel().tolist(), _published_sets(status), threshold) == []
    interior = status[:-1, :-1]
    primary = (grid > 0) & (grid < threshold)
    assert all(s.hidden for s in interior[primary])
    assert all(s is CellStatus.EMPTY for s in interior[grid == 0])


@settings(max_examples=100, deadline=None)
@given(tables, st.integers(1, 15))
def test_status_does_not_depend_on_row_or_column_order(
    table: list[list[int]], threshold: int
) -> None:
    grid = np.array(table)
    rows = [f"r{i}" for i in range(grid.shape[0])]
    cols = [f"c{j}" for j in range(grid.shape[1])]
    status = suppress_table(grid, threshold, rows, cols)
    row_perm = np.random.default_rng(grid.sum()).permutation(grid.shape[0])
    col_perm = np.random.default_rng(grid.size).permutation(grid.shape[1])
    shuffled = suppress_table(
        grid[row_perm][:, col_perm],
        threshold,
        [rows[i] for i in row_perm],
        [cols[j] for j in col_perm],
    )
    for a, i in enumerate(row_perm):
        for b, j in enumerate(col_perm):
            assert shuffled[a, b] is status[i, j]
            assert shuffled[-1, b] is status[-1, j]
        assert shuffled[a, -1] is status[i, -1]
