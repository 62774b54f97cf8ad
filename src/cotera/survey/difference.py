"""Differences between two independent samples (two waves, or two prisms)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy import stats

from cotera.survey.estimation import EstimateTable


@dataclass(frozen=True, slots=True)
class Difference:
    """``second - first`` for one cell, with its standard error and normal CI."""

    domain: str
    level: str
    first: float
    second: float
    difference: float
    se: float
    ci_low: float
    ci_high: float

    @property
    def significant(self) -> bool:
        """True when the confidence interval excludes 0."""
        return self.ci_low > 0 or self.ci_high < 0


def compare(
    first: EstimateTable, second: EstimateTable, confidence: float = 0.95
) -> tuple[Difference, ...]:
    """Cell-by-cell differences of two tables of independent samples (variances add).

    Cells present in only one of the tables are left out.
    """
    quantile = float(stats.norm.ppf(0.5 + confidence / 2))
    out = []
    for a in first.rows:
        try:
            b = second.get(a.domain, a.level)
        except KeyError:
            continue
        se = math.sqrt(a.se**2 + b.se**2)
        diff = b.estimate - a.estimate
        out.append(
            Difference(
                a.domain,
                a.level,
                a.estimate,
                b.estimate,
                diff,
                se,
                diff - quantile * se,
                diff + quantile * se,
            )
        )
    return tuple(out)
