"""Rank the peers on every fragility, family and overall with the index engine.

Default recipe (docs/diagnostic.md): each indicator is oriented towards fragility and turned into
its inclusive percentile rank among the peers, tied values sharing their mid-rank
(``TieRule.AVERAGE``: neutral, so a block of territories tied at 0 sits in the middle of the
ranks it spans, not at the most fragile one); a fragility's score is the mean of its available
indicators; a family's score and the overall index are means of their fragilities, each fragility
weighing the same (``Weighting.PER_FAMILY`` with one engine family per fragility). A missing
indicator is skipped in the means; a peer with no value at all is not ranked.

Data quality (``cotera.indicators.quality``): a fragility is scored on its usable indicators
(reliable, or not assessed) when it has any; one measured only by indicators that are not
reliable is still ranked on them but flagged (``GroupRanking.reliable``), and it never makes a
priority. Families and the overall index use usable indicators only, and rank only the peers
that reach the minimum coverage (``cotera.diagnostic.sufficiency``).

Scores are rebuilt per group (one engine build for the overall index, one per family and per
fragility) so that each group's Monte Carlo rank interval perturbs exactly the indicators that
make it. A fragility also keeps every peer's lowest and highest percentile among its indicators,
which says whether a wide interval comes from indicators that disagree
(``cotera.diagnostic.priority``). With draws, the overall index also gets its sensitivity
indices (``cotera.diagnostic.sensitivity``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

from cotera.diagnostic.matrix import PeerMatrix
from cotera.diagnostic.method import describe_recipe
from cotera.diagnostic.ranking import GroupRanking, Rankings
from cotera.diagnostic.sensitivity import overall_sensitivity
from cotera.diagnostic.sufficiency import DEFAULT_RULE, CoverageRule, measured, usable_indicators
from cotera.index.engine import IndexResult, build
from cotera.index.framework import Family, Framework, Indicator
from cotera.index.perturbation import UncertaintySpec
from cotera.index.recipe import (
    Aggregation,
    MissingPolicy,
    Normalisation,
    Recipe,
    TieRule,
    Weighting,
)
from cotera.index.uncertainty import uncertainty
from cotera.indicators.model import IndicatorSpec
from cotera.indicators.quality import QualityAssessment
from cotera.referential.fragilities import FragilityReferential

FloatArray = NDArray[np.float64]

DEFAULT_RECIPE = Recipe(
    missing=MissingPolicy.IGNORE_INDICATOR,
    normalisation=Normalisation.PERCENT_RANK,
    weighting=Weighting.PER_FAMILY,
    aggregation=Aggregation.ARITHMETIC,
    ties=TieRule.AVERAGE,
)

UNCERTAINTY = UncertaintySpec()
"""Choices the Monte Carlo varies (the engine's defaults: normalisation, aggregation, ±25 %
weights, one indicator dropped)."""


def group_framework(name: str, matrix: PeerMatrix, specs: Sequence[IndicatorSpec]) -> Framework:
    """The engine framework of one group: its indicators present in ``matrix``, one engine
    family per fragility."""
    present = [spec for spec in specs if spec.code in matrix.indicators]
    fragilities = sorted({spec.fragility for spec in present})
    return Framework(
        name=name,
        id_column="territory",
        families=tuple(Family(code) for code in fragilities),
        indicators=tuple(
            Indicator(spec.code, spec.fragility, spec.direction, label=spec.label_fr)
            for spec in sorted(present, key=lambda s: matrix.indicators.index(s.code))
        ),
    )


def _result(
    name: str, matrix: PeerMatrix, specs: Sequence[IndicatorSpec], recipe: Recipe
) -> IndexResult | None:
    framework = group_framework(name, matrix, specs)
    if not framework.indicators:
        return None
    sub = matrix.subset(framework.indicator_codes)
    return build(framework, recipe, sub.values, sub.units)


def _ranking(
    result: IndexResult,
    units: tuple[str, ...],
    draws: int,
    seed: int | None,
    reliable: bool = True,
) -> GroupRanking:
    spread = uncertainty(result, draws, UNCERTAINTY, seed) if draws > 0 else None
    low, high = (
        _indicator_range(result.percentiles)
        if len(result.framework.families) == 1
        else (None, None)
    )
    return GroupRanking(
        units=units,
        score=np.asarray(result.overall_score, dtype=np.float64),
        percentile=100.0 * np.asarray(result.overall_pct, dtype=np.float64),
        rank=np.asarray(result.overall_rank, dtype=np.float64),
        rank_low=None if spread is None else spread.rank_p05,
        rank_median=None if spread is None else spread.rank_p50,
        rank_high=None if spread is None else spread.rank_p95,
        indicator_low=low,
        indicator_high=high,
        reliable=reliable,
    )


def _group(
    name: str,
    matrix: PeerMatrix,
    specs: Sequence[IndicatorSpec],
    recipe: Recipe,
    draws: int,
    seed: int | None,
    reliable: bool = True,
) -> GroupRanking | None:
    result = _result(name, matrix, specs, recipe)
    return None if result is None else _ranking(result, matrix.units, draws, seed, reliable)


def _keep(matrix: PeerMatrix, rows: NDArray[np.bool_]) -> PeerMatrix:
    """The matrix with the other peers' values removed (they are then not ranked)."""
    values = np.where(rows[:, None], matrix.values, np.nan)
    return PeerMatrix(matrix.units, matrix.indicators, matrix.years, values)


def _indicator_range(percentiles: NDArray[np.float64]) -> tuple[FloatArray, FloatArray]:
    """Each row's lowest and highest percentile × 100 (NaN with fewer than two values)."""
    observed = ~np.isnan(percentiles)
    enough = observed.sum(axis=1) >= 2
    low = np.where(observed, percentiles, np.inf).min(axis=1, initial=np.inf)
    high = np.where(observed, percentiles, -np.inf).max(axis=1, initial=-np.inf)
    return np.where(enough, 100.0 * low, np.nan), np.where(enough, 100.0 * high, np.nan)


def rank_peers(
    matrix: PeerMatrix,
    specs: Sequence[IndicatorSpec],
    referential: FragilityReferential,
    *,
    recipe: Recipe = DEFAULT_RECIPE,
    draws: int = 0,
    seed: int | None = None,
    quality: Mapping[str, QualityAssessment] | None = None,
    rule: CoverageRule = DEFAULT_RULE,
) -> Rankings:
    """Every group ranking of the peers, with Monte Carlo rank intervals when ``draws`` > 0.

    ``quality`` gives the assessment of the matrix's indicators at the peers' level and year
    (an indicator without one is used as reliable).
    """
    usable = usable_indicators(matrix.indicators, quality)
    present = [s for s in specs if s.code in matrix.indicators]
    codes = [fragility.code for fragility in referential.fragilities]
    has = measured(matrix, present, codes, usable)
    fragilities = {}
    for code in codes:
        members = [s for s in present if s.fragility == code]
        sound = [s for s in members if s.code in usable]
        group = _group(code, matrix, sound or members, recipe, draws, seed, bool(sound))
        if group is not None:
            fragilities[code] = group
    scored = [s for s in present if s.code in usable]
    families = {}
    for family in referential.families:
        inside = [f.code for f in referential.of_family(family.code)]
        count = has[:, [codes.index(code) for code in inside]].sum(axis=1)
        rows = count >= rule.family_minimum(len(inside))
        members = [s for s in scored if s.fragility in inside]
        if not rows.any():
            continue
        group = _group(family.code, _keep(matrix, rows), members, recipe, draws, seed)
        if group is not None:
            families[family.code] = group
    rows = has.sum(axis=1) >= rule.overall
    result = _result("global", _keep(matrix, rows), scored, recipe) if rows.any() else None
    overall = None if result is None else _ranking(result, matrix.units, draws, seed)
    sensitivity = (
        overall_sensitivity(result, UNCERTAINTY, seed) if result is not None and draws > 0 else None
    )
    return Rankings(
        fragilities=fragilities,
        families=families,
        overall=overall,
        method=describe_recipe(recipe, draws, seed, UNCERTAINTY, sensitivity),
        draws=draws,
        seed=seed if draws else None,
        sensitivity=sensitivity,
        rule=rule,
    )
