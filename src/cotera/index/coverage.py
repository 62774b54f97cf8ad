"""Missing-data policies and the coverage report they produce."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from cotera.index.recipe import MissingPolicy

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class IndicatorCoverage:
    """How many units have a value for one indicator."""

    code: str
    observed: int
    missing: int

    @property
    def share(self) -> float:
        """Share of units observed (0…1)."""
        total = self.observed + self.missing
        return self.observed / total if total else 0.0


@dataclass(frozen=True, slots=True)
class Coverage:
    """What the missing-data policy did."""

    policy: MissingPolicy
    n_units: int
    indicators: tuple[IndicatorCoverage, ...]
    dropped_units: tuple[str, ...]
    """Units left out of every rank (DROP_UNIT, or nothing observed)."""
    imputed_cells: int
    """Cells filled with the indicator mean (MEAN_IMPUTE)."""
    ignored_cells: int
    """Cells skipped in the aggregate (IGNORE_INDICATOR)."""
    partial_units: tuple[str, ...] = ()
    """Units ranked on the indicators they have, with the scores of their complete families,
    but without an overall score (PER_INDICATOR)."""

    @property
    def n_included(self) -> int:
        """Units that get an overall score and rank."""
        return self.n_units - len(self.dropped_units) - len(self.partial_units)


def apply_policy(
    matrix: FloatArray, codes: tuple[str, ...], unit_ids: tuple[str, ...], policy: MissingPolicy
) -> tuple[FloatArray, BoolArray, Coverage]:
    """Apply ``policy`` to a matrix whose missing cells are NaN.

    Returns the prepared matrix (NaN in the cells to leave out of ranks and scores), the mask
    of included units (those that get an overall score) and the coverage report.
    """
    missing = np.isnan(matrix)
    per_indicator = tuple(
        IndicatorCoverage(code, int((~missing[:, j]).sum()), int(missing[:, j].sum()))
        for j, code in enumerate(codes)
    )
    prepared = matrix.copy()
    imputed = ignored = 0
    complete = policy in (MissingPolicy.DROP_UNIT, MissingPolicy.PER_INDICATOR)
    included: BoolArray = np.asarray(~(missing.any(axis=1) if complete else missing.all(axis=1)))
    per_cell = policy is MissingPolicy.PER_INDICATOR
    ranked = np.asarray(~missing.all(axis=1)) if per_cell else included
    if not complete:
        if policy is MissingPolicy.MEAN_IMPUTE:
            observed_mean = np.array(
                [
                    matrix[~missing[:, j], j].mean() if (~missing[:, j]).any() else np.nan
                    for j in range(matrix.shape[1])
                ]
            )
            fill = missing & included[:, None]
            prepared[fill] = np.broadcast_to(observed_mean, matrix.shape)[fill]
            imputed = int(fill.sum())
        else:
            ignored = int((missing & included[:, None]).sum())
    prepared[~ranked] = np.nan
    coverage = Coverage(
        policy,
        len(unit_ids),
        per_indicator,
        _units(unit_ids, ~ranked),
        imputed,
        ignored,
        _units(unit_ids, ranked & ~included),
    )
    return prepared, included, coverage


def _units(unit_ids: tuple[str, ...], mask: BoolArray) -> tuple[str, ...]:
    return tuple(u for u, selected in zip(unit_ids, mask, strict=True) if selected)
