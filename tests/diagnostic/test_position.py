from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cotera.diagnostic.position import position_of
from cotera.types import Direction

PLUS = Direction.HIGHER_IS_MORE_FRAGILE
MINUS = Direction.HIGHER_IS_LESS_FRAGILE


def test_member_rank_and_inclusive_percentile_by_hand() -> None:
    values = np.array([10.0, 20.0, 20.0, 30.0, np.nan])
    top = position_of(30.0, values, PLUS, member=True)
    assert top is not None
    assert (top.rank, top.peers, top.percentile) == (1, 4, 100.0)
    tied = position_of(20.0, values, PLUS, member=True)
    assert tied is not None
    # 1 peer more fragile, 1 tied: ranks 2 and 3 shared -> mid-rank 2.5; of the 3 others,
    # 1 strictly less fragile and half of the tied one -> 50 (not 33.3 nor rank 2 as before)
    assert (tied.rank, tied.ties, tied.percentile) == (2.5, 1, 50.0)
    reversed_ = position_of(10.0, values, MINUS, member=True)
    assert reversed_ is not None
    assert (reversed_.rank, reversed_.percentile) == (1, 100.0)


def test_outside_reference_is_placed_as_if_inserted() -> None:
    values = np.array([10.0, 20.0, 30.0, 40.0])
    france = position_of(25.0, values, PLUS, member=False)
    assert france is not None
    assert (france.rank, france.percentile) == (3, 50.0)  # 2 of 4 below -> 2/4
    level = position_of(20.0, values, PLUS, member=False)  # equal to one peer: half below
    assert level is not None
    assert (level.rank, level.ties, level.percentile) == (3.5, 1, 100.0 * 1.5 / 4)


def test_missing_value_or_too_few_peers_cannot_be_placed() -> None:
    assert position_of(float("nan"), np.array([1.0, 2.0]), PLUS, member=True) is None
    assert position_of(1.0, np.array([1.0, np.nan]), PLUS, member=True) is None
    assert position_of(1.0, np.array([np.nan]), PLUS, member=False) is None


@given(st.lists(st.floats(-1e6, 1e6), min_size=2, max_size=40, unique=True), st.data())
def test_flipping_the_direction_reverses_the_rank(values: list[float], data: st.DataObject) -> None:
    column = np.array(values)
    value = data.draw(st.sampled_from(values))
    up = position_of(value, column, PLUS, member=True)
    down = position_of(value, column, MINUS, member=True)
    assert up is not None
    assert down is not None
    assert up.rank + down.rank == len(values) + 1
    assert up.percentile + down.percentile == pytest.approx(100.0)


@given(st.lists(st.integers(0, 6).map(float), min_size=2, max_size=40), st.data())
def test_rank_and_percentile_agree_with_ties(values: list[float], data: st.DataObject) -> None:
    # many ties (values 0 to 6): the rank and the percentile place the value at the same spot
    column = np.array(values)
    value = data.draw(st.sampled_from(values))
    placed = position_of(value, column, PLUS, member=True)
    assert placed is not None
    n = len(values)
    assert placed.percentile == pytest.approx(100.0 * (n - placed.rank) / (n - 1))
    assert placed.ties == values.count(value) - 1
    flipped = position_of(value, column, MINUS, member=True)
    assert flipped is not None
    assert placed.rank + flipped.rank == n + 1
