"""A sampling design: final weights, optional strata and clusters, optional raking information."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

import numpy as np
from numpy.typing import ArrayLike

from cotera.errors import ConfigurationError
from cotera.survey.cells import FloatArray, IntArray, combine, compact, factorize


class VarianceMethod(StrEnum):
    """How standard errors treat the weights."""

    WEIGHTS_AS_GIVEN = "weights_as_given"
    RAKING = "raking"


@dataclass(frozen=True, eq=False)
class Calibration:
    """Raking margins seen by each row, for standard errors that account for the raking.

    ``cell`` numbers the distinct combinations of margin levels (``n_cells`` of them) and
    ``cell_levels[m]`` gives, for each such cell, its level code on margin ``m``.
    """

    variables: tuple[str, ...]
    sizes: tuple[int, ...]
    cell: IntArray
    n_cells: int
    cell_levels: tuple[IntArray, ...]

    @classmethod
    def from_codes(
        cls, variables: tuple[str, ...], codes: tuple[IntArray, ...], sizes: tuple[int, ...]
    ) -> Calibration:
        """Build from per-row level codes of each margin variable."""
        key, n_keys = combine(codes, sizes)
        cell, representative = compact(key, n_keys)
        levels = tuple(np.asarray(c, dtype=np.intp)[representative] for c in codes)
        return cls(variables, sizes, cell, int(representative.size), levels)


@dataclass(frozen=True, eq=False)
class SurveyDesign:
    """Final weights with optional strata and first-stage clusters (PSUs nested in strata).

    Variances follow the with-replacement (ultimate cluster) approximation of R ``survey``.
    """

    weights: FloatArray
    strata: IntArray
    n_strata: int
    psu: IntArray | None
    n_psu: int
    psu_stratum: IntArray
    calibration: Calibration | None = None

    @cached_property
    def weights_squared(self) -> FloatArray:
        """``w²``, computed once per design."""
        return self.weights * self.weights

    @property
    def n(self) -> int:
        """Number of rows."""
        return int(self.weights.size)

    @property
    def variance_method(self) -> VarianceMethod:
        """Whether standard errors account for a raking."""
        return (
            VarianceMethod.WEIGHTS_AS_GIVEN if self.calibration is None else VarianceMethod.RAKING
        )

    def psu_per_stratum(self) -> IntArray:
        """Number of PSUs in each stratum."""
        return np.bincount(self.psu_stratum, minlength=self.n_strata).astype(np.intp)

    def degrees_of_freedom(self) -> int:
        """PSUs minus strata, as ``survey::degf``."""
        return self.n_psu - self.n_strata


def make_design(
    weights: ArrayLike,
    *,
    strata: ArrayLike | None = None,
    clusters: ArrayLike | None = None,
    calibration: Calibration | None = None,
) -> SurveyDesign:
    """Check and code a design; clusters are nested in strata (``nest=TRUE``)."""
    w = np.ascontiguousarray(weights, dtype=np.float64)
    if w.ndim != 1 or w.size == 0:
        raise ConfigurationError("les poids doivent former un vecteur non vide")
    if not np.all(np.isfinite(w)) or np.any(w <= 0):
        raise ConfigurationError("les poids doivent être finis et strictement positifs")
    n = w.size
    if strata is None:
        h: IntArray = np.zeros(n, dtype=np.intp)
        n_strata = 1
    else:
        h, labels = factorize(strata)
        n_strata = len(labels)
    if h.size != n:
        raise ConfigurationError("strates et poids n'ont pas la même longueur")
    if clusters is None:
        psu = None
        n_psu = n
        psu_stratum = h
    else:
        c, c_labels = factorize(clusters)
        if c.size != n:
            raise ConfigurationError("grappes et poids n'ont pas la même longueur")
        key, n_keys = combine((h, c), (n_strata, len(c_labels)))
        psu, representative = compact(key, n_keys)
        n_psu = int(representative.size)
        psu_stratum = h[representative]
    if calibration is not None and calibration.cell.size != n:
        raise ConfigurationError("calage et poids n'ont pas la même longueur")
    design = SurveyDesign(w, h, n_strata, psu, n_psu, psu_stratum, calibration)
    lonely = np.flatnonzero(design.psu_per_stratum() < 2)
    if lonely.size:
        raise ConfigurationError(
            f"{lonely.size} strate(s) n'ont qu'une seule unité primaire : variance non estimable"
        )
    return design


def kish_deff(weights: ArrayLike) -> float:
    """Kish design effect of unequal weighting, ``n Σw² / (Σw)²``."""
    w = np.asarray(weights, dtype=np.float64)
    return float(w.size * np.dot(w, w) / w.sum() ** 2)


def effective_n(weights: ArrayLike) -> float:
    """Kish effective sample size, ``(Σw)² / Σw²``."""
    w = np.asarray(weights, dtype=np.float64)
    return float(w.sum() ** 2 / np.dot(w, w))
