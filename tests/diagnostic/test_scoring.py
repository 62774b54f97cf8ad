from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from cotera.diagnostic.matrix import PeerMatrix
from cotera.diagnostic.method import describe_recipe
from cotera.diagnostic.scoring import DEFAULT_RECIPE, UNCERTAINTY, group_framework, rank_peers
from cotera.diagnostic.sufficiency import CoverageRule
from cotera.index.engine import build
from cotera.index.framework import Family, Framework
from cotera.index.perturbation import Draws, PerturbationModel
from cotera.index.recipe import MissingPolicy, Weighting
from cotera.indicators.model import IndicatorKind, IndicatorSpec
from cotera.referential.fragilities import fragility_referential
from cotera.types import Direction, Level

UNITS = ("dep:01", "dep:02", "dep:03", "dep:04")
ANY = CoverageRule(overall=1, family_share=0.0)
"""These synthetic peers are measured on 2 to 4 fragilities: to test the engine's family and
overall indices the coverage rule is relaxed (the default one is tested below)."""


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
    rankings = rank_peers(_matrix(10.0), SPECS, fragility_referential(), rule=ANY)
    assert set(rankings.fragilities) == {"F03", "F04"}
    # income (lower is more fragile): percentile ranks 0, 1/3, 2/3, 1 -> ranks 4, 3, 2, 1
    f03 = rankings.fragilities["F03"]
    assert f03.score == pytest.approx([0, 1 / 3, 2 / 3, 1])
    assert f03.rank.tolist() == [4, 3, 2, 1]
    assert f03.percentile == pytest.approx([0, 100 / 3, 200 / 3, 100])
    # poverty and rsa cancel out: everybody ties over ranks 1 to 4 -> mid-rank 2.5 and
    # percentile 50 from either end (the old rule gave rank 1 with percentile 0)
    f04 = rankings.fragilities["F04"]
    assert f04.score == pytest.approx([0.5] * 4)
    assert f04.rank.tolist() == [2.5, 2.5, 2.5, 2.5]
    assert f04.percentile == pytest.approx([50.0] * 4)
    standing = f04.standing("dep:01")
    assert standing is not None
    assert standing.ties == 3
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
    rankings = rank_peers(_matrix(10.0), SPECS, fragility_referential(), draws=64, seed=1, rule=ANY)
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


def _wide_matrix(n: int = 60, seed: int = 4) -> tuple[PeerMatrix, list[IndicatorSpec]]:
    """Synthétique: 7 indicators in 4 fragilities of 3 families, a few missing cells."""
    specs = [
        _spec("i1", "F01", Direction.HIGHER_IS_MORE_FRAGILE),
        _spec("i2", "F01", Direction.HIGHER_IS_LESS_FRAGILE),
        _spec("i3", "F04", Direction.HIGHER_IS_MORE_FRAGILE),
        _spec("i4", "F06", Direction.HIGHER_IS_MORE_FRAGILE),
        _spec("i5", "F06", Direction.HIGHER_IS_LESS_FRAGILE),
        _spec("i6", "F06", Direction.HIGHER_IS_MORE_FRAGILE),
        _spec("i7", "F11", Direction.HIGHER_IS_MORE_FRAGILE),
    ]
    rng = np.random.default_rng(seed)
    values = rng.lognormal(size=(n, len(specs)))
    values[rng.random(values.shape) < 0.05] = np.nan
    units = tuple(f"dep:{i:02d}" for i in range(n))
    codes = tuple(s.code for s in specs)
    return PeerMatrix(units, codes, (2020,) * len(codes), values), specs


def test_every_draw_of_the_diagnostic_ranks_like_the_engine() -> None:
    """A Monte Carlo draw (normalisation, aggregation, perturbed weights, dropped indicator) of
    the diagnostic's overall index gives the ranks of an engine build with the same choices:
    the dropped indicator left out and the draw's weights given as user weights."""
    matrix, specs = _wide_matrix()
    framework = group_framework("global", matrix, specs)
    base = build(framework, DEFAULT_RECIPE, matrix.values, matrix.units)
    model = PerturbationModel(base, UNCERTAINTY)
    k = len(framework.indicators)
    rng = np.random.default_rng(9)
    norms, aggs = len(UNCERTAINTY.normalisations), len(UNCERTAINTY.aggregations)
    for trial in range(norms * aggs * (k + 1)):
        norm, agg = trial % norms, (trial // norms) % aggs
        dropped = trial // (norms * aggs) - 1
        multipliers = rng.uniform(0.75, 1.25, k)
        draw = Draws(np.array([norm]), np.array([agg]), multipliers[None], np.array([dropped]))
        weights = base.weights.overall * multipliers
        keep = [j for j in range(k) if j != dropped]
        alone = Framework(
            "synthétique",
            "territory",
            tuple(Family(f"f{j}", weight=float(weights[j])) for j in keep),
            tuple(replace(framework.indicators[j], family=f"f{j}") for j in keep),
        )
        recipe = replace(
            DEFAULT_RECIPE,
            normalisation=UNCERTAINTY.normalisations[norm],
            aggregation=UNCERTAINTY.aggregations[agg],
            weighting=Weighting.USER,
        )
        expected = build(alone, recipe, matrix.values[:, keep], matrix.units)
        ranks = model.ranks(draw)[0] / model.rank_scale  # mid-ranks are stored doubled
        np.testing.assert_array_equal(ranks, expected.overall_rank)


def test_a_territory_fragile_on_all_but_one_indicator_stays_robustly_first() -> None:
    """Regression (seen on dep:93): being the least fragile peer on one indicator (a young
    population) must not make the overall rank of the most fragile peer method-dependent."""
    matrix, specs = _wide_matrix()
    values = matrix.values.copy()
    oriented = np.array(
        [1 if s.direction is Direction.HIGHER_IS_MORE_FRAGILE else -1 for s in specs]
    )
    most = np.nanmax(values * oriented, axis=0) * oriented  # the most fragile value of each column
    values[0] = most + oriented * 0.5
    values[0, 5] = np.nanmin(values[:, 5]) / 2  # i6, higher is more fragile: least fragile
    peers = PeerMatrix(matrix.units, matrix.indicators, matrix.years, values)
    rankings = rank_peers(peers, specs, fragility_referential(), draws=300, seed=2, rule=ANY)
    overall = rankings.overall
    assert overall is not None
    assert overall.rank_high is not None
    assert overall.rank[0] == 1
    assert overall.rank_high[0] == 1


def test_groups_keep_the_range_of_their_components() -> None:
    """Each peer's lowest and highest percentile among F04's indicators (poverty, rsa)."""
    rankings = rank_peers(_matrix(50.0), SPECS, fragility_referential(), draws=32, seed=1, rule=ANY)
    f04 = rankings.fragilities["F04"]
    assert f04.indicator_low is not None
    assert f04.indicator_high is not None
    # poverty ranks 0, 1/3, 2/3, 1; rsa (40, 30, 20, 50) ranks 2/3, 1/3, 0, 1
    np.testing.assert_allclose(f04.indicator_low, [0, 100 / 3, 0, 100])
    np.testing.assert_allclose(f04.indicator_high, [200 / 3, 100 / 3, 200 / 3, 100])
    standing = f04.standing("dep:01")
    assert standing is not None
    assert standing.divergence is not None
    assert not standing.divergence.diverges  # 0 and 66.7: not both ends
    f03 = rankings.fragilities["F03"]  # a single indicator: no range
    assert f03.indicator_low is not None
    assert np.isnan(f03.indicator_low).all()
    assert rankings.overall is not None
    assert rankings.overall.indicator_low is None  # families and overall: not said


def test_overall_sensitivity_indices_and_their_reading() -> None:
    matrix, specs = _wide_matrix()
    rankings = rank_peers(matrix, specs, fragility_referential(), draws=16, seed=3, rule=ANY)
    found = rankings.sensitivity
    assert found is not None
    assert found.evaluations == 600
    assert [s.factor for s in found.shares] == [
        "normalisation",
        "aggregation",
        "weights",
        "dropped_indicator",
    ]
    for item in found.shares:
        assert 0.0 <= item.first_order <= 1.0
        assert 0.0 <= item.total <= 1.0
        # estimator noise with 100 base draws: a few hundredths (docs/diagnostic.md)
        assert item.total >= item.first_order - 0.1
    top = max(found.shares, key=lambda s: s.total)
    assert found.dominant == top.factor
    line = next(line for line in rankings.method if line.startswith("Sensibilité"))
    assert "600 évaluations, graine 3" in line
    assert top.label in line
    assert "de la variance des rangs" in line
    # seeded: the same indices again
    again = rank_peers(matrix, specs, fragility_referential(), draws=16, seed=3, rule=ANY)
    assert again.sensitivity == found


def test_no_sensitivity_without_draws() -> None:
    matrix, specs = _wide_matrix()
    rankings = rank_peers(matrix, specs, fragility_referential(), draws=0)
    assert rankings.sensitivity is None
    assert not any(line.startswith("Sensibilité") for line in rankings.method)


@pytest.mark.parametrize("policy", list(MissingPolicy))
def test_every_missing_policy_is_described_in_french(policy: MissingPolicy) -> None:
    lines = describe_recipe(replace(DEFAULT_RECIPE, missing=policy), 0, None, UNCERTAINTY)
    assert any(line.startswith("Données manquantes : ") for line in lines)
