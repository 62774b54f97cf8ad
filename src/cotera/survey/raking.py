"""Raking (iterative proportional fitting) to population margins; poststratification.

The sample is collapsed to cells of the margin variables, the cell table is raked, and the
adjustment factors are broadcast back to rows: every row of a cell gets the same factor.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl
from numpy.typing import ArrayLike

from cotera.errors import Problem, ValidationError
from cotera.survey.cells import (
    DENSE_LIMIT,
    FloatArray,
    IntArray,
    combine,
    compact,
    decode,
    group_total,
)
from cotera.survey.design import Calibration
from cotera.types import ABSURD_MAGNITUDE, sane_number

DEFAULT_TOLERANCE = 1e-8
CONSISTENCY_TOLERANCE = 1e-6


@dataclass(frozen=True, eq=False)
class Margin:
    """Population totals of one variable, by level."""

    variable: str
    levels: tuple[str, ...]
    totals: FloatArray

    @property
    def total(self) -> float:
        """Sum over levels."""
        return float(self.totals.sum())


@dataclass(frozen=True, slots=True)
class ConvergenceReport:
    """How the raking ended."""

    converged: bool
    iterations: int
    max_relative_error: float
    tolerance: float
    bounds: tuple[float, float] | None
    n_at_bounds: int
    kish_deff: float
    effective_n: float
    weight_min: float
    weight_max: float
    base_scale: float = 1.0

    def explanation(self) -> str:
        """Why the raking did not converge (French; empty when it did)."""
        if self.converged:
            return ""
        reached = (
            f"écart relatif max. aux marges atteint {self.max_relative_error:.3g}"
            f" ({100 * self.max_relative_error:.2g} %) pour une tolérance de {self.tolerance:.3g}"
        )
        if self.bounds is not None and self.n_at_bounds > 0:
            return (
                f"les bornes {self.bounds[0]:g} – {self.bounds[1]:g} (poids final / poids initial"
                " ramené au total des marges) sont trop serrées pour ces marges : "
                f"{reached}, {self.n_at_bounds} répondants aux bornes. Élargissez les bornes"
                " ou regroupez les niveaux peu représentés dans l'échantillon."
            )
        return (
            f"{reached} après {self.iterations} itérations. Augmentez la tolérance ou"
            " vérifiez que les marges sont cohérentes entre elles."
        )


@dataclass(frozen=True, eq=False)
class RakingResult:
    """Final weights, the convergence report and what variance estimation needs."""

    weights: FloatArray
    report: ConvergenceReport
    margins: tuple[Margin, ...]
    codes: tuple[IntArray, ...]

    def calibration(self) -> Calibration:
        """Margin cells of each row, for standard errors that account for the raking."""
        return Calibration.from_codes(
            tuple(m.variable for m in self.margins),
            self.codes,
            tuple(len(m.levels) for m in self.margins),
        )


def parse_margins(frame: pl.DataFrame, file: str = "") -> tuple[Margin, ...]:
    """Margins from a ``variable,level,total`` table; every problem reported at once.

    Totals that differ between variables are reported with the sample's problems by
    :func:`code_sample` (and so by :func:`rake`).
    """
    missing = {"variable", "level", "total"} - set(frame.columns)
    if missing:
        raise ValidationError(
            "table de marges invalide",
            [
                Problem("missing-column", "colonne manquante", file, column=c)
                for c in sorted(missing)
            ],
        )
    problems: list[Problem] = []
    order: list[str] = []
    seen: dict[str, dict[str, float]] = {}
    for row, (variable, level, total) in enumerate(
        frame.select(
            pl.col("variable").cast(pl.Utf8),
            pl.col("level").cast(pl.Utf8),
            pl.col("total").cast(pl.Utf8),
        ).iter_rows(),
        start=2,
    ):
        value = _number(total)
        if not variable or level is None:
            problems.append(Problem("empty", "variable ou niveau vide", file, row))
            continue
        if value is None or value < 0:
            problems.append(
                Problem("bad-total", "total invalide", file, row, "total", total, "nombre ≥ 0")
            )
            continue
        levels = seen.setdefault(variable, {})
        if variable not in order:
            order.append(variable)
        if level in levels:
            problems.append(Problem("duplicate", "niveau en double", file, row, "level", level))
        levels[level] = value
    margins = tuple(
        Margin(v, tuple(seen[v]), np.array(list(seen[v].values()), dtype=np.float64)) for v in order
    )
    if problems:
        raise ValidationError("table de marges invalide", problems)
    return margins


def _number(text: str | None) -> float | None:
    try:
        value = float(str(text).replace(",", "."))
    except ValueError:
        return None
    return value if sane_number(value) else None


def _consistency_problems(margins: Sequence[Margin], file: str = "") -> list[Problem]:
    if not margins:
        return [Problem("empty", "aucune marge", file)]
    reference = margins[0].total
    return [
        Problem(
            "inconsistent-totals",
            f"le total de {m.variable!r} ({m.total:g}) diffère de celui de "
            f"{margins[0].variable!r} ({reference:g})",
            file,
            column=m.variable,
        )
        for m in margins[1:]
        if abs(m.total - reference) > CONSISTENCY_TOLERANCE * max(reference, 1.0)
    ]


def code_sample(
    sample: Mapping[str, ArrayLike] | pl.DataFrame, margins: Sequence[Margin], file: str = ""
) -> tuple[IntArray, ...]:
    """Level code of each row on each margin; levels missing on either side are errors."""
    problems = _consistency_problems(margins, file)
    codes: list[IntArray] = []
    for margin in margins:
        if margin.variable not in sample:
            problems.append(
                Problem(
                    "missing-column",
                    "variable de marge absente de l'échantillon",
                    file,
                    column=margin.variable,
                )
            )
            continue
        column = sample[margin.variable]
        series = column if isinstance(column, pl.Series) else pl.Series(np.asarray(column))
        values = series.cast(pl.Utf8).alias("value")
        code = values.replace_strict(
            list(margin.levels),
            list(range(len(margin.levels))),
            default=None,
            return_dtype=pl.Int64,
        )
        joined = pl.DataFrame({"value": values, "code": code})
        unknown = joined.filter(code.is_null())["value"].value_counts(sort=True)
        for value, count in unknown.iter_rows():
            problems.append(
                Problem(
                    "level-absent-from-margins",
                    f"niveau présent dans l'échantillon ({count} répondants) "
                    "mais absent des marges",
                    file,
                    column=margin.variable,
                    value=str(value),
                    expected=", ".join(margin.levels),
                )
            )
        coded = code.fill_null(0).to_numpy().astype(np.intp)
        present = np.bincount(coded[code.is_not_null().to_numpy()], minlength=len(margin.levels))
        for level, total, count in zip(margin.levels, margin.totals, present, strict=True):
            if total > 0 and count == 0:
                problems.append(
                    Problem(
                        "level-absent-from-sample",
                        "niveau des marges (total > 0) absent de l'échantillon",
                        file,
                        column=margin.variable,
                        value=level,
                    )
                )
            if total == 0 and count > 0:
                problems.append(
                    Problem(
                        "zero-total",
                        "total nul pour un niveau présent dans l'échantillon",
                        file,
                        column=margin.variable,
                        value=level,
                    )
                )
        codes.append(coded)
    if problems:
        raise ValidationError("échantillon et marges incompatibles", problems)
    return tuple(codes)


def rake(
    sample: Mapping[str, ArrayLike] | pl.DataFrame,
    margins: Sequence[Margin],
    *,
    base_weights: ArrayLike | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
    max_iterations: int = 1000,
    bounds: tuple[float, float] | None = None,
) -> RakingResult:
    """Rake ``sample`` to ``margins``; ``bounds`` limit ``g = w / d`` (see :func:`rake_codes`)."""
    codes = code_sample(sample, margins)
    n = codes[0].size
    w0 = np.ones(n) if base_weights is None else np.asarray(base_weights, dtype=np.float64)
    _check_weights(w0)
    weights, report = rake_codes(
        codes,
        [m.totals for m in margins],
        w0,
        tolerance=tolerance,
        max_iterations=max_iterations,
        bounds=bounds,
    )
    return RakingResult(weights, report, tuple(margins), codes)


def _check_weights(weights: FloatArray) -> None:
    """ValidationError for a NaN, infinite, absurd, zero or negative base weight."""
    bad = np.flatnonzero(~np.isfinite(weights) | (weights <= 0) | (weights >= ABSURD_MAGNITUDE))
    if bad.size:
        raise ValidationError(
            "poids de base invalides",
            [Problem("bad-weight", "poids de base invalide", row=int(i) + 1,
                     value=str(weights[i]), expected="nombre fini > 0") for i in bad[:200]],
        )  # fmt: skip


def poststratify(
    sample: Mapping[str, ArrayLike] | pl.DataFrame,
    margin: Margin,
    *,
    base_weights: ArrayLike | None = None,
) -> RakingResult:
    """Poststratification: raking on a single margin (exact after one iteration)."""
    return rake(sample, [margin], base_weights=base_weights)


def rake_codes(
    codes: Sequence[IntArray],
    targets: Sequence[FloatArray],
    base_weights: FloatArray,
    *,
    tolerance: float = DEFAULT_TOLERANCE,
    max_iterations: int = 1000,
    bounds: tuple[float, float] | None = None,
) -> tuple[FloatArray, ConvergenceReport]:
    """IPF kernel on integer level codes (``codes[m][i]`` in ``0..len(targets[m])-1``).

    With ``bounds = (low, high)``, the base weights are first scaled to the margins' total
    (``d = base · T / Σ base``, as R ``survey::calibrate(..., bounds=)`` users do) and the
    ratio ``g = w / d`` is kept within the bounds; the report gives the scale applied.
    """
    if bounds is not None and not 0 <= bounds[0] <= 1 <= bounds[1]:
        raise ValueError("les bornes doivent vérifier 0 ≤ basse ≤ 1 ≤ haute")
    scale = 1.0
    if bounds is not None and targets:
        total = float(base_weights.sum())
        if total > 0:
            scale = float(targets[0].sum()) / total
            base_weights = base_weights * scale
    sizes = [int(t.size) for t in targets]
    key, n_keys = combine(codes, sizes)
    if n_keys <= DENSE_LIMIT:
        cell_levels = decode(np.arange(n_keys, dtype=np.intp), sizes)
    else:
        key, representative = compact(key, n_keys)
        n_keys = int(representative.size)
        cell_levels = tuple(np.asarray(c)[representative] for c in codes)
    base = group_total(key, base_weights, n_keys)
    factor = np.ones(n_keys)
    iterations, error = 0, _max_error(base, cell_levels, targets)
    while error > tolerance and iterations < max_iterations:
        for levels, target in zip(cell_levels, targets, strict=True):
            current = np.bincount(levels, weights=base * factor, minlength=target.size)
            ratio = np.divide(target, current, out=np.ones_like(target), where=current > 0)
            factor *= ratio[levels]
            if bounds is not None:
                np.clip(factor, bounds[0], bounds[1], out=factor)
        iterations += 1
        error = _max_error(base * factor, cell_levels, targets)
    weights = base_weights * factor[key]
    squares = group_total(key, base_weights * base_weights, n_keys)
    weighted_sum = float(np.dot(base, factor))
    square_sum = float(np.dot(squares, factor * factor))
    at_bounds = 0
    if bounds is not None:
        used = base > 0
        at_bounds = int(
            np.bincount(key, minlength=n_keys)[
                used & (np.isclose(factor, bounds[0]) | np.isclose(factor, bounds[1]))
            ].sum()
        )
    report = ConvergenceReport(
        converged=error <= tolerance,
        iterations=iterations,
        max_relative_error=error,
        tolerance=tolerance,
        bounds=bounds,
        n_at_bounds=at_bounds,
        kish_deff=weights.size * square_sum / weighted_sum**2,
        effective_n=weighted_sum**2 / square_sum,
        weight_min=float(weights.min()),
        weight_max=float(weights.max()),
        base_scale=scale,
    )
    return weights, report


def _max_error(
    cell_weights: FloatArray, cell_levels: Sequence[IntArray], targets: Sequence[FloatArray]
) -> float:
    worst = 0.0
    for levels, target in zip(cell_levels, targets, strict=True):
        current = np.bincount(levels, weights=cell_weights, minlength=target.size)
        positive = target > 0
        if positive.any():
            worst = max(worst, float(np.max(np.abs(current[positive] / target[positive] - 1))))
    return worst
