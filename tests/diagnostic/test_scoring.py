from __future__ import annotations

import numpy as np
import pytest

from cotera.diagnostic.matrix import PeerMatrix
from cotera.diagnostic.scoring import rank_peers
from cotera.indicators.model import IndicatorKind, IndicatorSpec
from cotera.referential.fragilities import fragility_referential
from cotera.types import Direction, Level

UNITS = ("dep:01", "dep:02", "dep:03", "dep:04")


def _spec(code: str, fragility: str, direction: Direction) -> IndicatorSpec:
    return IndicatorSpec(
        code, code, code, fragility, direction, "%", IndicatorKind.RATE, (Level.DEPARTEMENT,),
        "src", (2020,),
    )  # fmt: skip


SPECS = [
    _spec("poverty", "F04", Direction.HIGHER_IS_MORE_FRAGILE),
    _spec("income", "F03", Direction.HIGHER_IS_LESS_FRAGILE),
    _spec("rsa", "F04", Direction.HIGHER_IS_MORE_FRAGILE),
]


def _matrix(rsa_last: float) -> PeerMatrix:
    values = np.array(
        [[10.0, 4.0, 40.0], [20.0, 3.0, 30.0], [30.0, 2.0, 20.0], [40.0, 1.0, rsa_last]]
    )
    return PeerMatrix(UNITS, ("poverty", "income", "rsa"), (2020, 2020, 2020), values)


def test_scores_and_ranks_computed_by_hand() -> None:
    rankings = rank_peers(_matrix(10.0), SPECS, fragility_referential())
    assert set(rankings.fragilities) == {"F03", "F04"}
    # income (lower is more fragile): percentile ranks 0, 1/3, 2/3, 1 -> ranks 4, 3, 2, 1
    f03 = rankings.fragilities["F03"]
    assert f03.score == pytest.approx([0, 1 / 3, 2 / 3, 1])
    assert f03.rank.tolist() == [4, 3, 2, 1]
    assert f03.percentile == pytest.approx([0, 100 / 3, 200 / 3, 100])
    # poverty and rsa cancel out: everybody ties, sharing rank 1 and percentile 0
    f04 = rankings.fragilities["F04"]
    assert f04.score == pytest.approx([0.5] * 4)
    assert f04.rank.tolist() == [1, 1, 1, 1]
    # overall: mean of the two fragilities (each weighs the same)
    assert rankings.overall is not None
    assert rankings.overall.score == pytest.approx([0.25, 5 / 12, 7 / 12, 0.75])
    assert rankings.overall.rank.tolist() == [4, 3, 2, 1]
    assert set(rankings.families) == {"economique", "sociale"}
    assert rankings.families["economique"].rank.tolist() == [4, 3, 2, 1]
    assert rankings.draws == 0
    assert rankings.fragilities["F03"].standing("dep:04") is not None


def test_a_missing_indicator_is_skipped_in_the_mean() -> None:
    rankings = rank_peers(_matrix(np.nan), SPECS, fragility_referential())
    # rsa among the three known values: 1, 1/2, 0; dep:04 keeps only its poverty rank (1)
    assert rankings.fragilities["F04"].score == pytest.approx([0.5, 5 / 12, 1 / 3, 1.0])
    assert rankings.fragilities["F04"].rank.tolist() == [2, 3, 4, 1]
    assert any("manquant" in line for line in rankings.method)
    assert any("non évaluée" in line for line in rankings.method)


def test_monte_carlo_rank_intervals() -> None:
    rankings = rank_peers(_matrix(10.0), SPECS, fragility_referential(), draws=64, seed=1)
    assert rankings.draws == 64
    assert any("64 tirages" in line for line in rankings.method)
    overall = rankings.overall
    assert overall is not None
    assert overall.rank_low is not None
    assert overall.rank_median is not None
    assert overall.rank_high is not None
    assert np.all(overall.rank_low <= overall.rank_median)
    assert np.all(overall.rank_median <= overall.rank_high)
    assert np.all((overall.rank_low >= 1) & (overall.rank_high <= 4))
    # one indicator: no choice of method changes the order of the peers
    f03 = rankings.fragilities["F03"]
    assert f03.rank_low is not None
    assert f03.rank_high is not None
    assert f03.rank_low.tolist() == f03.rank.tolist() == f03.rank_high.tolist()
