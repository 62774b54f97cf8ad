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

    @property
    def n_included(self) -> int:
        """Units that get scores and ranks."""
        return self.n_units - len(self.dropped_units)


def apply_policy(
    matrix: FloatArray, codes: tuple[str, ...], unit_ids: tuple[str, ...], policy: MissingPolicy
) -> tuple[FloatArray, BoolArray, Coverage]:
    """Apply ``policy`` to a matrix whose missing cells are NaN.

    Returns the prepared matrix (NaN only in cells to ignore), the mask of included units
    and the coverage report.
    """
    missing = np.isnan(matrix)
    per_indicator = tuple(
        IndicatorCoverage(code, int((~missing[:, j]).sum()), int(missing[:, j].sum()))
        for j, code in enumerate(codes)
    )
    prepared = matrix.copy()
    imputed = ignored = 0
    drop = policy is MissingPolicy.DROP_UNIT
    included: BoolArray = np.asarray(~(missing.any(axis=1) if drop else missing.all(axis=1)))
    if not drop:
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
    prepared[~included] = np.nan
    dropped = tuple(u for u, keep in zip(unit_ids, included, strict=True) if not keep)
    coverage = Coverage(policy, len(unit_ids), per_indicator, dropped, imputed, ignored)
    return prepared, included, coverage
