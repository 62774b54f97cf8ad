"""Statistical secrecy: the N-1 / N boundary, secondary suppression, determinism."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cotera.survey.questionnaire import Prism
from cotera.survey.secrecy import (
    CellStatus,
    is_primary,
    min_respondents,
    suppress_table,
    suppress_vector,
)


def test_default_thresholds() -> None:
    assert min_respondents(Prism.CITIZENS) == 11
    assert min_respondents("companies") == 3
    assert min_respondents(Prism.ASSOCIATIONS) == 3


@pytest.mark.parametrize(
    ("threshold", "count", "hidden"), [(11, 10, True), (11, 11, False), (3, 2, True), (3, 3, False)]
)
def test_fewer_than_n_is_hidden(threshold: int, count: int, hidden: bool) -> None:
    assert is_primary(count, threshold) is hidden
    statuses, _ = suppress_vector([count, 500, 500], threshold, ["a", "b", "c"])
    assert statuses[0].hidden is hidden


def test_one_hidden_domain_drags_a_second_one() -> None:
    statuses, total = suppress_vector([10, 40, 12, 300], 11, ["11", "24", "32", "84"])
    assert statuses == (
        CellStatus.PRIMARY,
        CellStatus.PUBLISHED,
        CellStatus.SECONDARY,
        CellStatus.PUBLISHED,
    )
    assert total is CellStatus.PUBLISHED


tables = st.integers(1, 6).flatmap(
    lambda r: st.integers(1, 6).flatmap(
        lambda c: st.lists(
            st.lists(st.integers(0, 40), min_size=c, max_size=c), min_size=r, max_size=r
        )
    )
)


def _hidden(status: np.ndarray) -> np.ndarray:
    return np.vectorize(lambda s: s.hidden)(status)


@settings(max_examples=150, deadline=None)
@given(tables, st.integers(1, 15))
def test_no_line_with_exactly_one_hidden_cell(table: list[list[int]], threshold: int) -> None:
    counts = np.array(table)
    status = suppress_table(counts, threshold)
    hidden = _hidden(status)
    full = np.zeros((counts.shape[0] + 1, counts.shape[1] + 1), dtype=int)
    full[:-1, :-1] = counts
    full[-1, :-1] = counts.sum(0)
    full[:-1, -1] = counts.sum(1)
    full[-1, -1] = counts.sum()
    # every primary cell (fewer than N) is hidden, every hidden cell is primary or secondary
    assert np.all(hidden[full < threshold])
    assert np.all((full < threshold) == np.vectorize(lambda s: s is CellStatus.PRIMARY)(status))
    if counts.shape[1] > 1:
        assert all(row.sum() != 1 for row in hidden)
        assert all(col.sum() != 1 for col in hidden.T)
    else:
        assert hidden[:, 0].sum() != 1


@settings(max_examples=100, deadline=None)
@given(tables, st.integers(1, 15))
def test_status_does_not_depend_on_row_or_column_order(
    table: list[list[int]], threshold: int
) -> None:
    counts = np.array(table)
    rows = [f"r{i}" for i in range(counts.shape[0])]
    cols = [f"c{j}" for j in range(counts.shape[1])]
    status = suppress_table(counts, threshold, rows, cols)
    row_perm = np.random.default_rng(counts.sum()).permutation(counts.shape[0])
    col_perm = np.random.default_rng(counts.size).permutation(counts.shape[1])
    shuffled = suppress_table(
        counts[row_perm][:, col_perm],
        threshold,
        [rows[i] for i in row_perm],
        [cols[j] for j in col_perm],
    )
    for a, i in enumerate(row_perm):
        for b, j in enumerate(col_perm):
            assert shuffled[a, b] is status[i, j]
        assert shuffled[a, -1] is status[i, -1]
