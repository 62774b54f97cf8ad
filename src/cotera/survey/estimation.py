"""Weighted proportions and means with standard errors, confidence intervals, n and deff.

Proportions: confidence intervals on the logit scale with Student's t on the design degrees
of freedom of the domain, as R ``survey::svyciprop(method = "logit")``. Means: normal
intervals, as ``confint(svymean(...))``. ``deff`` is the design effect against simple random
sampling with replacement (``svymean(..., deff = "replace")``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats

from cotera.survey.cells import FloatArray, IntArray, factorize
from cotera.survey.design import SurveyDesign, VarianceMethod
from cotera.survey.linearization import Linearized, linearize_means, linearize_proportions

OVERALL = "ensemble"
MEAN_LEVEL = "moyenne"


class Statistic(StrEnum):
    """What is estimated."""

    PROPORTION = "proportion"
    MEAN = "mean"


@dataclass(frozen=True, slots=True)
class Estimate:
    """One cell: a domain level (``domain``) and an answer level (``level``)."""

    domain: str
    level: str
    estimate: float
    se: float
    ci_low: float
    ci_high: float
    n: int
    deff: float
    df: int


@dataclass(frozen=True)
class EstimateTable:
    """Estimates of one variable, overall or by domain; says which variance was used."""

    variable: str
    by: str | None
    statistic: Statistic
    variance: VarianceMethod
    confidence: float
    rows: tuple[Estimate, ...] = field(default_factory=tuple)

    def get(self, domain: str, level: str) -> Estimate:
        """The estimate of one cell."""
        for row in self.rows:
            if row.domain == domain and row.level == level:
                return row
        raise KeyError((domain, level))


def _domains(design: SurveyDesign, by: ArrayLike | None) -> tuple[IntArray, tuple[str, ...]]:
    if by is None:
        return np.zeros(design.n, dtype=np.intp), (OVERALL,)
    codes, labels = factorize(by)
    if codes.size != design.n:
        raise ValueError("la variable de domaine n'a pas la longueur du plan")
    return codes, labels


def proportions(
    design: SurveyDesign,
    values: ArrayLike,
    *,
    by: ArrayLike | None = None,
    levels: tuple[str, ...] | None = None,
    missing: ArrayLike | None = None,
    variable: str = "",
    by_name: str | None = None,
    confidence: float = 0.95,
) -> EstimateTable:
    """Share of each answer level, overall or by domain; ``missing`` rows are left out."""
    codes, labels = factorize(values)
    if levels is not None:
        position = {label: i for i, label in enumerate(levels)}
        lookup = np.array([position.get(label, -1) for label in labels], dtype=np.intp)
        codes = lookup[codes]
        labels = levels
    if missing is not None:
        codes = np.where(np.asarray(missing, dtype=bool), -1, codes)
    domain, domain_labels = _domains(design, by)
    result = linearize_proportions(design, domain, len(domain_labels), codes, len(labels))
    return _table(
        result,
        domain_labels,
        labels,
        variable,
        by_name,
        Statistic.PROPORTION,
        design.variance_method,
        confidence,
    )


def mean(
    design: SurveyDesign,
    values: ArrayLike,
    *,
    by: ArrayLike | None = None,
    variable: str = "",
    by_name: str | None = None,
    confidence: float = 0.95,
) -> EstimateTable:
    """Weighted mean (NaN left out), overall or by domain."""
    y = np.asarray(values, dtype=np.float64)
    domain, domain_labels = _domains(design, by)
    result = linearize_means(design, domain, len(domain_labels), y)
    return _table(
        result,
        domain_labels,
        (MEAN_LEVEL,),
        variable,
        by_name,
        Statistic.MEAN,
        design.variance_method,
        confidence,
    )


def logit_interval(
    p: FloatArray, se: FloatArray, df: FloatArray, confidence: float
) -> tuple[FloatArray, FloatArray]:
    """``expit(logit p ± t · se / (p (1-p)))``; degenerate at p ∈ {0, 1} (interval = p)."""
    quantile = stats.t.ppf(0.5 + confidence / 2, np.maximum(df, 1))
    with np.errstate(invalid="ignore", divide="ignore"):
        centre = np.log(p / (1 - p))
        half = quantile * se / (p * (1 - p))
        low = 1 / (1 + np.exp(-(centre - half)))
        high = 1 / (1 + np.exp(-(centre + half)))
    edge = (p <= 0) | (p >= 1)
    return np.where(edge, p, low), np.where(edge, p, high)


def normal_interval(
    estimate: FloatArray, se: FloatArray, confidence: float
) -> tuple[FloatArray, FloatArray]:
    """``estimate ± z · se``."""
    quantile = float(stats.norm.ppf(0.5 + confidence / 2))
    return estimate - quantile * se, estimate + quantile * se


def _table(
    result: Linearized,
    domain_labels: tuple[str, ...],
    level_labels: tuple[str, ...],
    variable: str,
    by_name: str | None,
    statistic: Statistic,
    method: VarianceMethod,
    confidence: float,
) -> EstimateTable:
    estimate = result.estimate.reshape(len(domain_labels), -1)
    se = np.sqrt(np.maximum(result.variance.reshape(estimate.shape), 0.0))
    df = result.df.reshape(estimate.shape)
    n = result.n.reshape(estimate.shape)
    with np.errstate(invalid="ignore", divide="ignore"):
        deff = result.variance.reshape(estimate.shape) / result.srs_variance.reshape(estimate.shape)
    if statistic is Statistic.PROPORTION:
        low, high = logit_interval(estimate, se, df.astype(np.float64), confidence)
    else:
        low, high = normal_interval(estimate, se, confidence)
    rows = tuple(
        Estimate(
            domain=domain_labels[i],
            level=level_labels[k],
            estimate=float(estimate[i, k]),
            se=float(se[i, k]),
            ci_low=float(low[i, k]),
            ci_high=float(high[i, k]),
            n=int(n[i, k]),
            deff=float(deff[i, k]),
            df=int(df[i, k]),
        )
        for i in range(len(domain_labels))
        for k in range(len(level_labels))
    )
    return EstimateTable(variable, by_name, statistic, method, confidence, rows)
