"""The two SVI rules, on synthetic tables whose expected values are derived by hand.

Rule 1 (``missing = "per_indicator"``): each variable is ranked over the units where it is
observed; a theme is missing only for units missing one of its variables, the overall for units
missing any. Rule 2 (``inversion = "complement"``): an inverted variable is ``1 − percentile
rank`` of the raw value. Rounding: ``rounding = "each_step"`` (SVI 2018+) rounds every stage to
``decimals`` before the next uses it, ``"output"`` (SVI 2014, 2016) only the stored results.

Synthetic data (labelled as such): six units u1…u6, two themes.

    unit  pov (+)  inc (−)  crowd (+)        theme A = pov, inc; theme B = crowd
    u1    5        10       1
    u2    1        20       4
    u3    3        20       missing
    u4    2        20       2
    u5    6        30       5
    u6    4        40       3

Inclusive percentile rank ``(r − 1) / (N − 1)``, ties at the lowest rank r.

SVI rules (per_indicator + complement), N = 6 for pov and inc, N = 5 for crowd:
- pov: ranks 5, 1, 3, 2, 6, 4 → EPL = 4/5, 0, 2/5, 1/5, 1, 3/5 = .8, 0, .4, .2, 1, .6
- inc: ranks of x 1, 2, 2, 2, 5, 6 → PR = 0, .2, .2, .2, .8, 1
  → EPL = 1 − PR = 1, .8, .8, .8, .2, 0 (the three tied incomes share .8)
- crowd over u1, u2, u4, u5, u6 (values 1, 4, 2, 5, 3): ranks 1, 4, 2, 5, 3
  → EPL = 0, 3/4, —, 1/4, 1, 2/4 = 0, .75, NaN, .25, 1, .5
- SPL_A = pov + inc = 1.8, .8, 1.2, 1.0, 1.2, .6 (u3 keeps theme A)
  ranks (u6 .6 → 1, u2 .8 → 2, u4 1.0 → 3, u3 and u5 1.2 → 4, u1 1.8 → 6)
  → RPL_A = 1, .2, .6, .4, .6, 0
- SPL_B = crowd = 0, .75, NaN, .25, 1, .5 → RPL_B (N = 5) = 0, .75, NaN, .25, 1, .5
- SPL_ALL = pov + inc + crowd = 1.8, 1.55, NaN, 1.25, 2.2, 1.1 (u3 has no overall)
  ranks over 5: u6 1.1 → 1, u4 1.25 → 2, u2 1.55 → 3, u1 1.8 → 4, u5 2.2 → 5
  → RPL_ALL = .75, .5, NaN, .25, 1, 0; overall rank (1 = most fragile) 2, 3, —, 4, 1, 5

Old rules for comparison:
- inc with "negate" (percentile rank of −x, N = 6): −x ascending is u6 −40 (r 1), u5 −30 (r 2),
  u2 u3 u4 −20 (r 3), u1 −10 (r 6) → EPL = 1, .4, .4, .4, .2, 0 (the ties share .4, not .8).
- "drop_unit": u3 leaves every ranking, N = 5 everywhere: pov (5, 1, 2, 6, 4 → ranks
  4, 1, 2, 5, 3) → EPL = .75, 0, —, .25, 1, .5 instead of .8, 0, .4, .2, 1, .6, and theme A of
  u3 is missing instead of .6.
"""

from __future__ import annotations

import tomllib
from dataclasses import replace

import numpy as np
import pytest

from cotera.errors import ValidationError
from cotera.index.engine import IndexResult, build
from cotera.index.framework import Framework
from cotera.index.perturbation import NO_DROP, Draws, PerturbationModel, UncertaintySpec
from cotera.index.recipe import (
    Aggregation,
    Inversion,
    MissingPolicy,
    Normalisation,
    Recipe,
    Rounding,
)
from cotera.index.sensitivity import sensitivity
from cotera.index.uncertainty import uncertainty

NAN = np.nan
IDS = ("u1", "u2", "u3", "u4", "u5", "u6")
TABLE = np.array(
    [
        [5, 10, 1],
        [1, 20, 4],
        [3, 20, NAN],
        [2, 20, 2],
        [6, 30, 5],
        [4, 40, 3],
    ],
    dtype=np.float64,
)
SVI_LIKE = """
[framework]
name = "SVI-like (synthétique)"
id_column = "id"
missing_value = -999
[recipe]
missing = "per_indicator"
normalisation = "percent_rank"
weighting = "equal"
aggregation = "sum_then_rerank"
decimals = 4
rounding = "each_step"
[[families]]
code = "A"
[[families]]
code = "B"
[[indicators]]
code = "pov"
family = "A"
[[indicators]]
code = "inc"
family = "A"
direction = "-"
inversion = "complement"
[[indicators]]
code = "crowd"
family = "B"
"""


def _framework(text: str = SVI_LIKE) -> Framework:
    return Framework.from_mapping(tomllib.loads(text))


def _svi(framework: Framework | None = None, recipe: Recipe | None = None) -> IndexResult:
    framework = framework or _framework()
    assert framework.recipe is not None
    return build(framework, recipe or framework.recipe, TABLE, IDS)


def test_svi_rules_give_the_hand_derived_values() -> None:
    result = _svi()
    np.testing.assert_allclose(result.normalised[:, 0], [0.8, 0, 0.4, 0.2, 1, 0.6])
    np.testing.assert_allclose(result.normalised[:, 1], [1, 0.8, 0.8, 0.8, 0.2, 0])
    np.testing.assert_allclose(result.normalised[:, 2], [0, 0.75, NAN, 0.25, 1, 0.5])
    np.testing.assert_allclose(result.family_scores[:, 0], [1.8, 0.8, 1.2, 1.0, 1.2, 0.6])
    np.testing.assert_allclose(result.family_pcts[:, 0], [1, 0.2, 0.6, 0.4, 0.6, 0])
    np.testing.assert_allclose(result.family_scores[:, 1], [0, 0.75, NAN, 0.25, 1, 0.5])
    np.testing.assert_allclose(result.family_pcts[:, 1], [0, 0.75, NAN, 0.25, 1, 0.5])
    np.testing.assert_allclose(result.overall_score, [1.8, 1.55, NAN, 1.25, 2.2, 1.1])
    np.testing.assert_allclose(result.overall_pct, [0.75, 0.5, NAN, 0.25, 1, 0])
    np.testing.assert_array_equal(result.overall_rank, [2, 3, NAN, 4, 1, 5])
    assert result.coverage.partial_units == ("u3",)
    assert result.coverage.dropped_units == ()
    assert result.coverage.n_included == 5
    assert list(result.included) == [True, True, False, True, True, True]


def test_the_sentinel_is_missing_per_indicator_too() -> None:
    holed = np.nan_to_num(TABLE, nan=-999.0)
    framework = _framework()
    assert framework.recipe is not None
    sentinel = build(framework, framework.recipe, holed, IDS)
    np.testing.assert_array_equal(sentinel.overall_pct, _svi().overall_pct)


def test_negate_differs_from_complement_at_ties_only() -> None:
    negated = _framework(SVI_LIKE.replace('inversion = "complement"', 'inversion = "negate"'))
    result = _svi(negated)
    np.testing.assert_allclose(result.normalised[:, 1], [1, 0.4, 0.4, 0.4, 0.2, 0])
    untied = TABLE.copy()
    untied[:, 1] = [10, 20, 21, 22, 30, 40]
    assert negated.recipe is not None
    np.testing.assert_array_equal(
        build(negated, negated.recipe, untied, IDS).normalised,
        build(_framework(), negated.recipe, untied, IDS).normalised,
    )


def test_recipe_wide_inversion_is_the_default_of_minus_indicators() -> None:
    plain = _framework(SVI_LIKE.replace('inversion = "complement"\n', ""))
    assert plain.recipe is not None
    assert plain.indicators[1].inversion is None
    negate = build(plain, plain.recipe, TABLE, IDS)  # the default is negate
    np.testing.assert_allclose(negate.normalised[:, 1], [1, 0.4, 0.4, 0.4, 0.2, 0])
    recipe = replace(plain.recipe, inversion=Inversion.COMPLEMENT)
    complement = build(plain, recipe, TABLE, IDS)
    np.testing.assert_array_equal(complement.normalised, _svi().normalised)
    # an indicator's own choice wins over the recipe's
    own = build(_framework(), replace(recipe, inversion=Inversion.NEGATE), TABLE, IDS)
    np.testing.assert_allclose(own.normalised[:, 1], [1, 0.8, 0.8, 0.8, 0.2, 0])


def test_drop_unit_ranks_without_the_unit_everywhere() -> None:
    framework = _framework()
    assert framework.recipe is not None
    result = _svi(framework, replace(framework.recipe, missing=MissingPolicy.DROP_UNIT))
    np.testing.assert_allclose(result.normalised[:, 0], [0.75, 0, NAN, 0.25, 1, 0.5])
    assert np.isnan(result.family_scores[2, 0])
    assert result.coverage.dropped_units == ("u3",)
    assert result.coverage.partial_units == ()


def test_complement_of_plain_ranks_and_affine_scales() -> None:
    """Ranks of inc (10, 20, 20, 20, 30, 40): of x, ties lowest, 1, 2, 2, 2, 5, 6, so the
    complement N + 1 − r = 6, 5, 5, 5, 2, 1; of −x 6, 3, 3, 3, 2, 1. Min–max is affine: both
    conventions give (40 − x) / 30 = 1, 2/3, 2/3, 2/3, 1/3, 0."""
    framework, negated = _framework(), _framework(SVI_LIKE.replace("complement", "negate"))
    ranked = Recipe(missing=MissingPolicy.PER_INDICATOR, normalisation=Normalisation.RANK)
    np.testing.assert_array_equal(
        build(framework, ranked, TABLE, IDS).normalised[:, 1], [6, 5, 5, 5, 2, 1]
    )
    np.testing.assert_array_equal(
        build(negated, ranked, TABLE, IDS).normalised[:, 1], [6, 3, 3, 3, 2, 1]
    )
    scaled = Recipe(
        missing=MissingPolicy.PER_INDICATOR, normalisation=Normalisation.MIN_MAX, flag_threshold=0.8
    )
    for convention in (framework, negated):
        inc = build(convention, scaled, TABLE, IDS).normalised[:, 1]
        np.testing.assert_allclose(inc, [1, 2 / 3, 2 / 3, 2 / 3, 1 / 3, 0])
    # flags (percentile rank ≥ .8) follow the convention whatever the normalisation
    np.testing.assert_array_equal(
        build(framework, scaled, TABLE, IDS).flags[:, 1], [True, True, True, True, False, False]
    )
    np.testing.assert_array_equal(
        build(negated, scaled, TABLE, IDS).flags[:, 1], [True, False, False, False, False, False]
    )


ROUNDED = """
[framework]
name = "arrondis (synthétique)"
id_column = "id"
[recipe]
normalisation = "percent_rank"
aggregation = "sum_then_rerank"
decimals = 4
[[families]]
code = "A"
[[indicators]]
code = "a"
family = "A"
[[indicators]]
code = "b"
family = "A"
[[indicators]]
code = "c"
family = "A"
"""


def test_rounding_each_step_or_at_output() -> None:
    """Synthetic: four units, three indicators of one theme (N = 4, PR in thirds).

    a = 2, 4, 1, 3 → PR 1/3, 1, 0, 2/3;  b = 2, 1, 3, 4 → PR 1/3, 0, 2/3, 1;
    c = 2, 1, 4, 3 → PR 1/3, 0, 1, 2/3.  Exact sums: 1, 1, 5/3, 7/3.
    each_step: EPL rounded first (1/3 → .3333, 2/3 → .6667), so SPL = .9999, 1, 1.6667,
    2.3334: u1 < u2, RPL = 0, 1/3 → .3333, .6667, 1.
    output: SPL = round(1) = 1, 1, round(5/3) = 1.6667, round(7/3) = 2.3333: u1 and u2 tie,
    RPL = 0, 0, .6667, 1; stored EPL still rounded (.3333).
    """
    framework = _framework(ROUNDED)
    assert framework.recipe is not None
    matrix = np.array([[2, 2, 2], [4, 1, 1], [1, 3, 4], [3, 4, 3]], dtype=np.float64)
    ids = ("u1", "u2", "u3", "u4")
    step = build(framework, framework.recipe, matrix, ids)
    assert framework.recipe.rounding is Rounding.EACH_STEP
    np.testing.assert_array_equal(step.family_scores[:, 0], [0.9999, 1.0, 1.6667, 2.3334])
    np.testing.assert_array_equal(step.family_pcts[:, 0], [0, 0.3333, 0.6667, 1])
    late = build(framework, replace(framework.recipe, rounding=Rounding.OUTPUT), matrix, ids)
    np.testing.assert_array_equal(late.family_scores[:, 0], [1.0, 1.0, 1.6667, 2.3333])
    np.testing.assert_array_equal(late.family_pcts[:, 0], [0, 0, 0.6667, 1])
    np.testing.assert_array_equal(late.normalised[0], [0.3333, 0.3333, 0.3333])
    np.testing.assert_array_equal(late.overall_rank, [3, 3, 2, 1])


def test_framework_problems_of_inversion() -> None:
    bad = SVI_LIKE.replace('inversion = "complement"', 'inversion = "mirror"').replace(
        'code = "crowd"\nfamily = "B"', 'code = "crowd"\nfamily = "B"\ninversion = "negate"'
    )
    with pytest.raises(ValidationError) as caught:
        _framework(bad)
    assert sorted(p.code for p in caught.value.problems) == [
        "framework.bad_inversion",
        "framework.inversion_without_minus",
    ]
    with pytest.raises(ValidationError) as recipe_error:
        Recipe.from_mapping({"inversion": "flip", "rounding": "never"})
    assert [p.column for p in recipe_error.value.problems] == ["inversion", "rounding"]


def test_recipe_keys_round_trip() -> None:
    recipe = Recipe(
        missing=MissingPolicy.PER_INDICATOR,
        inversion=Inversion.COMPLEMENT,
        rounding=Rounding.OUTPUT,
    )
    assert recipe.to_mapping()["missing"] == "per_indicator"
    assert Recipe.from_mapping(recipe.to_mapping()) == recipe


def _survey(n: int = 120) -> tuple[np.ndarray, list[str]]:
    """Synthetic: n units; inc rounded to tens (many ties); unit 0 misses crowd and holds the
    largest pov, so the bounds of pov's scale depend on whether it counts."""
    rng = np.random.default_rng(5)
    matrix = np.column_stack(
        [rng.lognormal(size=n), np.round(rng.uniform(100, 300, n), -1), rng.lognormal(size=n)]
    )
    matrix[0, 0] = matrix[:, 0].max() + 10.0
    matrix[0, 2] = NAN
    return matrix, [f"u{i}" for i in range(n)]


@pytest.mark.parametrize("norm", [Normalisation.PERCENT_RANK, Normalisation.MIN_MAX])
def test_draws_normalise_like_the_engine_with_a_missing_theme(norm: Normalisation) -> None:
    """A unit missing a theme has no rank in the draws, but still counts in the others'
    normalisation on the indicators it has (as in the engine), with the same inversion."""
    matrix, ids = _survey()
    recipe = Recipe(missing=MissingPolicy.PER_INDICATOR, normalisation=norm)
    base = build(_framework(), recipe, matrix, ids)
    assert base.coverage.partial_units == ("u0",)
    spec = UncertaintySpec((norm,), (Aggregation.ARITHMETIC,), weight_spread=0.0)
    model = PerturbationModel(base, spec)
    assert model.n_units == len(ids) - 1
    draw = Draws(np.array([0]), np.array([0]), np.ones((1, 3)), np.array([NO_DROP]))
    np.testing.assert_allclose(model.scores(draw)[0], base.overall_score[1:], rtol=1e-6)


def test_uncertainty_and_sensitivity_skip_a_unit_missing_a_theme() -> None:
    matrix, ids = _survey()
    base = build(_framework(), Recipe(missing=MissingPolicy.PER_INDICATOR), matrix, ids)
    spread = uncertainty(base, 64, seed=2)
    assert np.isnan(spread.rank_p50[0])
    assert np.isnan(spread.rank_max[0])
    assert np.isfinite(spread.rank_p50[1:]).all()
    assert spread.rank_max[1:].max() <= len(ids) - 1
    drivers = sensitivity(base, 600, seed=2)
    assert all(np.isfinite([i.first_order, i.total]).all() for i in drivers.indices)
