"""Build a composite index: missing data → winsorise → normalise → flag → weight → aggregate.

``build`` keeps every stage and the recipe in an immutable :class:`IndexResult`, so a result
can be rebuilt (``rebuild``), perturbed (``uncertainty``) and explained (``contributions``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from cotera.errors import Problem, ValidationError
from cotera.index.aggregate import (
    GEOMETRIC_HIGH,
    aggregate,
    geometric_bounds,
    geometric_fragility,
    geometric_scale,
)
from cotera.index.coverage import Coverage, apply_policy
from cotera.index.framework import Framework
from cotera.index.normalise import percent_rank, rank, winsorise
from cotera.index.orientation import normalise_oriented
from cotera.index.recipe import Aggregation, MissingPolicy, Normalisation, Recipe, Rounding
from cotera.index.weights import Weights, resolve_weights

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class IndexResult:
    """Every stage of a build. Rows are units, columns indicators or families.

    Units without an overall score (see ``coverage``) have NaN overall score, percentile and
    rank; with PER_INDICATOR they keep the values of the indicators and families they have.
    """

    framework: Framework
    recipe: Recipe
    unit_ids: tuple[str, ...]
    raw: FloatArray
    """Input values (the framework's missing sentinel turned into NaN)."""
    coverage: Coverage
    included: BoolArray
    """Units that get an overall score and rank."""
    prepared: FloatArray
    """Values after the missing-data policy and winsorisation, in their own direction."""
    normalised: FloatArray
    """Normalised oriented values (higher = more fragile; see :mod:`cotera.index.orientation`)."""
    percentiles: FloatArray
    """Percentile rank of each oriented indicator (what flags are computed on)."""
    flags: BoolArray
    """Indicator percentile ≥ ``recipe.flag_threshold``."""
    weights: Weights
    geometric_bounds: FloatArray | None
    """(2 × indicators) minimum and maximum of each normalised column, which the geometric rule
    maps to 100 and 1 (see :mod:`cotera.index.aggregate`; None for other aggregations)."""
    family_scores: FloatArray
    family_pcts: FloatArray
    family_flags: IntArray
    """Number of flagged indicators per family."""
    overall_score: FloatArray
    overall_pct: FloatArray
    overall_rank: FloatArray
    """1 = most fragile; ties share the lowest rank number (``TieRule.LOWEST``) or the mean of
    the ranks they span (``AVERAGE``)."""

    def unit_index(self, unit_id: str) -> int:
        """Row of a unit."""
        return self.unit_ids.index(unit_id)

    def contributions(self) -> FloatArray:
        """Share of each indicator in each unit's overall weighted sum (rows sum to 1).

        For GEOMETRIC, the share of each indicator in ``Σ w · log(100 / value)`` on the [1, 100]
        scale: how much it pulls the geometric mean down, i.e. the score up.
        """
        values = self.normalised
        if self.geometric_bounds is not None:
            values = np.log(GEOMETRIC_HIGH / geometric_scale(values, self.geometric_bounds))
        parts = np.where(np.isnan(values), 0.0, values) * self.weights.overall
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.asarray(parts / parts.sum(axis=1, keepdims=True), dtype=np.float64)


def build(
    framework: Framework, recipe: Recipe, matrix: npt.ArrayLike, unit_ids: Sequence[str]
) -> IndexResult:
    """Build the index of ``matrix`` (units × framework indicators, NaN = missing)."""
    raw = np.array(matrix, dtype=np.float64)
    ids = tuple(str(u) for u in unit_ids)
    _check_shape(framework, raw, ids)
    if framework.missing_value is not None:
        raw[raw == framework.missing_value] = np.nan
    codes = framework.indicator_codes
    prepared, included, coverage = apply_policy(raw, codes, ids, recipe.missing)
    if recipe.winsorise:
        prepared = winsorise(prepared, recipe.winsorise)
    step = _Round(recipe.decimals if recipe.rounding is Rounding.EACH_STEP else None)
    final = _Round(recipe.decimals if recipe.rounding is Rounding.OUTPUT else None)

    references = reference_values(framework, recipe, raw, ids)
    normalised = step(
        normalise_oriented(
            prepared, framework, recipe.inversion, recipe.normalisation, references, recipe.ties
        )
    )
    if recipe.normalisation is Normalisation.PERCENT_RANK:
        percentiles = normalised
    else:
        percentiles = step(
            normalise_oriented(
                prepared, framework, recipe.inversion, Normalisation.PERCENT_RANK, None, recipe.ties
            )
        )
    flags = np.nan_to_num(percentiles, nan=-1.0) >= recipe.flag_threshold

    weights = resolve_weights(framework, recipe.weighting)
    inputs, bounds = normalised, None
    if recipe.aggregation is Aggregation.GEOMETRIC:
        bounds = geometric_bounds(normalised)
        inputs = geometric_scale(normalised, bounds)
    family = framework.family_index()
    n_families = len(framework.families)
    family_scores = np.full((raw.shape[0], n_families), np.nan)
    family_flags = np.zeros((raw.shape[0], n_families), dtype=np.int64)
    for f in range(n_families):
        cols = family == f
        scores = _aggregate(inputs[:, cols], weights.within_family[cols], recipe.aggregation)
        if recipe.missing is MissingPolicy.PER_INDICATOR:
            scores[np.isnan(normalised[:, cols]).any(axis=1)] = np.nan
        family_scores[:, f] = scores
        family_flags[:, f] = flags[:, cols].sum(axis=1)
    family_scores = step(family_scores)
    family_pcts = step(np.column_stack([percent_rank(c, recipe.ties) for c in family_scores.T]))
    overall = _aggregate(inputs, weights.overall, recipe.aggregation)
    overall[~included] = np.nan
    overall = step(overall)
    overall_pct = step(percent_rank(overall, recipe.ties))
    overall_rank = rank(-overall, recipe.ties)
    shared = percentiles is normalised
    normalised, family_scores, family_pcts, overall, overall_pct = (
        final(normalised),
        final(family_scores),
        final(family_pcts),
        final(overall),
        final(overall_pct),
    )
    percentiles = normalised if shared else final(percentiles)
    arrays = (
        raw,
        included,
        prepared,
        normalised,
        percentiles,
        flags,
        family_scores,
        family_pcts,
        family_flags,
        overall,
        overall_pct,
        overall_rank,
    )
    for array in arrays:
        array.flags.writeable = False
    return IndexResult(
        framework=framework,
        recipe=recipe,
        unit_ids=ids,
        raw=raw,
        coverage=coverage,
        included=included,
        prepared=prepared,
        normalised=normalised,
        percentiles=percentiles,
        flags=flags,
        weights=weights,
        geometric_bounds=bounds,
        family_scores=family_scores,
        family_pcts=family_pcts,
        family_flags=family_flags,
        overall_score=overall,
        overall_pct=overall_pct,
        overall_rank=overall_rank,
    )


def _aggregate(values: FloatArray, weights: FloatArray, method: Aggregation) -> FloatArray:
    """Scores of rows of normalised values (on the geometric scale for GEOMETRIC)."""
    if method is Aggregation.GEOMETRIC:
        return geometric_fragility(values, weights)
    return aggregate(values, weights, method)


def rebuild(result: IndexResult) -> IndexResult:
    """Build again from the recipe and inputs a result recorded."""
    return build(result.framework, result.recipe, result.raw, result.unit_ids)


@dataclass(frozen=True, slots=True)
class _Round:
    decimals: int | None

    def __call__(self, values: FloatArray) -> FloatArray:
        return values if self.decimals is None else np.round(values, self.decimals)


def _check_shape(framework: Framework, raw: FloatArray, ids: tuple[str, ...]) -> None:
    problems = []
    k = len(framework.indicators)
    if raw.ndim != 2 or raw.shape[1] != k:
        problems.append(
            Problem(
                "index.shape",
                "matrice de forme inattendue",
                value=str(raw.shape),
                expected=f"(unités, {k})",
            )
        )
    elif raw.shape[0] != len(ids):
        problems.append(
            Problem(
                "index.ids",
                "autant d'identifiants que de lignes attendu",
                value=str(len(ids)),
                expected=str(raw.shape[0]),
            )
        )
    seen: set[str] = set()
    for row, unit in enumerate(ids):
        if unit in seen:
            problems.append(
                Problem("index.duplicate_id", "identifiant en double", row=row, value=unit)
            )
        seen.add(unit)
    if problems:
        raise ValidationError("données d'indice invalides", problems)


def reference_values(
    framework: Framework, recipe: Recipe, raw: FloatArray, ids: tuple[str, ...]
) -> FloatArray | None:
    """Raw reference values for DISTANCE_TO_REFERENCE (None for other normalisations)."""
    if recipe.normalisation is not Normalisation.DISTANCE_TO_REFERENCE:
        return None
    values = np.array(
        [np.nan if i.reference is None else i.reference for i in framework.indicators]
    )
    if recipe.reference_unit is not None:
        if recipe.reference_unit not in ids:
            raise ValidationError(
                "unité de référence absente",
                [
                    Problem(
                        "index.reference_unit",
                        "unité de référence absente des données",
                        value=recipe.reference_unit,
                    )
                ],
            )
        values = np.where(np.isnan(values), raw[ids.index(recipe.reference_unit)], values)
    bad = [
        code
        for code, v in zip(framework.indicator_codes, values, strict=True)
        if not np.isfinite(v) or v == 0
    ]
    if bad:
        raise ValidationError(
            "références manquantes ou nulles",
            [
                Problem("index.reference", "référence manquante ou nulle", column=code)
                for code in bad
            ],
        )
    return values
