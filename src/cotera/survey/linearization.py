"""Taylor-linearised variances of weighted ratios (proportions, means), by domain.

Follows R ``survey`` (``svymean`` on ``svydesign(ids=~cluster, strata=~h, weights=~w)``):
influence values ``z = w (y - ȳ_d) / W_d`` inside the domain and 0 outside, summed by PSU,
centred within strata, ``n_h / (n_h - 1)`` with-replacement factor. On a raked design the
influence values are first replaced by their residuals on the margins, with the ten sweeps of
unweighted level means that ``survey:::svyrecvar`` applies to ``rake()`` designs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from cotera.survey.cells import (
    DENSE_LIMIT,
    FloatArray,
    IntArray,
    combine,
    compact,
    decode,
    group_total,
)
from cotera.survey.design import Calibration, SurveyDesign

RAKING_SWEEPS = 10
CHUNK_ELEMENTS = 1 << 22


@dataclass(frozen=True, eq=False)
class Linearized:
    """Per-estimate arrays (shape ``(D, K)`` for proportions, ``(D,)`` for means)."""

    estimate: FloatArray
    variance: FloatArray
    srs_variance: FloatArray
    n: IntArray
    df: IntArray


def _group_sum(index: IntArray, values: FloatArray, n_groups: int) -> FloatArray:
    """Sums of the rows of ``values`` (2-D) by ``index``."""
    indicator = sparse.csr_matrix(
        (np.ones(index.size), (index, np.arange(index.size))), shape=(n_groups, index.size)
    )
    return np.asarray(indicator @ values)


def raking_shift(
    e: FloatArray, counts: FloatArray, cell: IntArray, calibration: Calibration
) -> FloatArray:
    """Per calibration cell, what the residualisation subtracts from ``e`` (rows × estimates).

    ``e`` holds values per fine cell, ``counts`` the rows per fine cell, ``cell`` the
    calibration cell of each fine cell.
    """
    n_cells = calibration.n_cells
    sums = _group_sum(cell, counts[:, None] * e, n_cells)
    rows = np.bincount(cell, weights=counts, minlength=n_cells)
    delta = np.zeros_like(sums)
    for _ in range(RAKING_SWEEPS):
        for levels, size in zip(calibration.cell_levels, calibration.sizes, strict=True):
            level_sum = _group_sum(levels, sums - rows[:, None] * delta, size)
            level_rows = np.bincount(levels, weights=rows, minlength=size)
            mean = np.divide(
                level_sum,
                level_rows[:, None],
                out=np.zeros_like(level_sum),
                where=level_rows[:, None] > 0,
            )
            delta += mean[levels]
    return delta


def _variance_from_units(
    design: SurveyDesign, stratum: IntArray, z_sum: FloatArray, z_square: FloatArray
) -> FloatArray:
    """Variance when each row is its own PSU, from stratum sums of ``z`` and ``z²``."""
    n_h = np.bincount(design.strata, minlength=design.n_strata).astype(np.float64)
    s1 = _group_sum(stratum, z_sum, design.n_strata)
    s2 = _group_sum(stratum, z_square, design.n_strata)
    scale = n_h / (n_h - 1)
    return np.asarray((scale[:, None] * (s2 - s1 * s1 / n_h[:, None])).sum(axis=0))


def _variance_from_psu_totals(design: SurveyDesign, totals: FloatArray) -> FloatArray:
    """Variance from PSU totals of ``z`` (PSUs × estimates), centred within strata."""
    n_h = design.psu_per_stratum().astype(np.float64)
    mean = _group_sum(design.psu_stratum, totals, design.n_strata) / n_h[:, None]
    centred = totals - mean[design.psu_stratum]
    scale = (n_h / (n_h - 1))[design.psu_stratum]
    return np.asarray((scale[:, None] * centred * centred).sum(axis=0))


def _domain_df(
    design: SurveyDesign, unit_f: IntArray, d_f: IntArray, n_domains: int, n_d: IntArray
) -> IntArray:
    """PSUs minus strata among the rows of each domain (``survey::degf`` of the subset).

    ``unit_f`` / ``d_f`` give the PSU (or stratum, without clusters) and domain of each used
    fine cell; ``n_d`` the rows of each domain.
    """
    stratum_f = unit_f if design.psu is None else design.psu_stratum[unit_f]
    inside = d_f < n_domains

    def distinct_per_domain(first: IntArray, size: int) -> IntArray:
        used = np.zeros(size * n_domains, dtype=bool)
        used[first[inside] * n_domains + d_f[inside]] = True
        return np.asarray(used.reshape(size, n_domains).sum(axis=0), dtype=np.intp)

    n_strata = distinct_per_domain(stratum_f, design.n_strata)
    n_psu = n_d if design.psu is None else distinct_per_domain(unit_f, design.n_psu)
    return np.asarray(n_psu - n_strata, dtype=np.intp)


def _fine_cells(
    columns: list[IntArray], sizes: list[int], weights: FloatArray, squares: FloatArray
) -> tuple[tuple[IntArray, ...], FloatArray, FloatArray, FloatArray]:
    """Used cells of several coded columns: their codes, Σw, Σw² and row counts."""
    key, n_keys = combine(columns, sizes)
    if n_keys <= DENSE_LIMIT:
        counts = np.bincount(key, minlength=n_keys)
        used = np.flatnonzero(counts)
        codes = decode(used.astype(np.intp), sizes)
        w_f = group_total(key, weights, n_keys)[used]
        q_f = group_total(key, squares, n_keys)[used]
        return codes, w_f, q_f, counts[used].astype(np.float64)
    fine, representative = compact(key, n_keys)
    n_fine = representative.size
    codes = tuple(np.asarray(c)[representative] for c in columns)
    return (
        codes,
        group_total(fine, weights, n_fine),
        group_total(fine, squares, n_fine),
        np.bincount(fine, minlength=n_fine).astype(np.float64),
    )


def linearize_proportions(
    design: SurveyDesign, domain: IntArray, n_domains: int, category: IntArray, n_categories: int
) -> Linearized:
    """Proportion of each category in each domain; code ``-1`` means missing / outside."""
    w = design.weights
    big_d, big_k = n_domains, n_categories
    valid = (domain >= 0) & (category >= 0)
    if valid.all():
        dd, kk = domain, category
    else:
        dd = np.where(valid, domain, big_d).astype(np.intp)
        kk = np.where(valid, category, 0).astype(np.intp)
    calibration = design.calibration
    psu = design.psu
    unit = psu if psu is not None else design.strata
    n_unit = design.n_psu if psu is not None else design.n_strata
    columns, sizes = [unit, dd, kk], [n_unit, big_d + 1, big_k]
    if calibration is not None:
        columns.append(calibration.cell)
        sizes.append(calibration.n_cells)
    codes, w_f, q_f, n_f = _fine_cells(columns, sizes, w, design.weights_squared)
    unit_f, d_f, k_f = codes[0], codes[1], codes[2]
    cell_f = codes[3] if calibration is not None else None
    dk_f = d_f * big_k + k_f
    size = (big_d + 1) * big_k
    weighted = group_total(dk_f, w_f, size).reshape(big_d + 1, big_k)[:big_d]
    counts = group_total(dk_f, n_f, size).reshape(big_d + 1, big_k)[:big_d]
    total = weighted.sum(axis=1)
    n_d = counts.sum(axis=1).astype(np.intp)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = weighted / total[:, None]
    n_fine = w_f.size
    variance = np.empty(big_d * big_k)
    p_flat = p.ravel()
    chunk = max(1, CHUNK_ELEMENTS // max(n_fine, 1))
    for start in range(0, big_d * big_k, chunk):
        js = np.arange(start, min(start + chunk, big_d * big_k))
        dj, kj = js // big_k, js % big_k
        e = (
            (d_f[:, None] == dj[None, :])
            * ((k_f[:, None] == kj[None, :]) - p_flat[js][None, :])
            / total[dj][None, :]
        )
        if calibration is not None and cell_f is not None:
            e = e - raking_shift(e, n_f, cell_f, calibration)[cell_f]
        if psu is None:
            variance[js] = _variance_from_units(
                design, unit_f, w_f[:, None] * e, q_f[:, None] * e * e
            )
        else:
            variance[js] = _variance_from_psu_totals(
                design, _group_sum(unit_f, w_f[:, None] * e, design.n_psu)
            )
    with np.errstate(invalid="ignore", divide="ignore"):
        srs = p * (1 - p) / (n_d[:, None] - 1)
    df = _domain_df(design, unit_f, d_f, big_d, n_d)
    return Linearized(
        estimate=p,
        variance=variance.reshape(big_d, big_k),
        srs_variance=srs,
        n=np.repeat(n_d[:, None], big_k, axis=1),
        df=np.repeat(df[:, None], big_k, axis=1),
    )


def linearize_means(
    design: SurveyDesign, domain: IntArray, n_domains: int, values: FloatArray
) -> Linearized:
    """Weighted mean of ``values`` in each domain; NaN values and domain ``-1`` are left out."""
    w = design.weights
    big_d = n_domains
    valid = (domain >= 0) & np.isfinite(values)
    dd = np.where(valid, domain, big_d).astype(np.intp)
    y = np.where(valid, values, 0.0)
    total = np.bincount(dd, weights=w, minlength=big_d + 1)
    total[big_d] = 1.0
    n_d = np.bincount(dd, minlength=big_d + 1)[:big_d]
    mean = np.bincount(dd, weights=w * y, minlength=big_d + 1) / total
    mean[big_d] = 0.0
    centred = y - mean[dd]
    own = centred / total[dd]
    z_own = w * own
    psu, calibration = design.psu, design.calibration
    if calibration is None:
        if psu is None:
            key = design.strata * (big_d + 1) + dd
            size = design.n_strata * (big_d + 1)
            s1 = np.bincount(key, weights=z_own, minlength=size).reshape(design.n_strata, -1)
            s2 = np.bincount(key, weights=z_own * z_own, minlength=size).reshape(
                design.n_strata, -1
            )
            n_h = np.bincount(design.strata, minlength=design.n_strata).astype(np.float64)
            scale = n_h / (n_h - 1)
            variance = (scale[:, None] * (s2 - s1 * s1 / n_h[:, None])).sum(axis=0)[:big_d]
        else:
            totals = group_total(psu * (big_d + 1) + dd, z_own, design.n_psu * (big_d + 1)).reshape(
                design.n_psu, -1
            )[:, :big_d]
            variance = _variance_from_psu_totals(design, totals)
    else:
        variance = _calibrated_mean_variance(design, calibration, dd, big_d, own)
    srs_sum = np.bincount(dd, weights=w * centred * centred, minlength=big_d + 1)[:big_d]
    unit = design.psu if design.psu is not None else design.strata
    n_unit = design.n_psu if design.psu is not None else design.n_strata
    (unit_codes, domain_codes), *_ = _fine_cells(
        [unit, dd], [n_unit, big_d + 1], w, design.weights_squared
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        srs = srs_sum / total[:big_d] / (n_d - 1)
    return Linearized(
        estimate=mean[:big_d],
        variance=np.asarray(variance),
        srs_variance=srs,
        n=n_d.astype(np.intp),
        df=_domain_df(design, unit_codes, domain_codes, big_d, n_d.astype(np.intp)),
    )


def _calibrated_mean_variance(
    design: SurveyDesign, calibration: Calibration, dd: IntArray, big_d: int, own: FloatArray
) -> FloatArray:
    """Per-domain loop: residualised influence values row by row (exact, no expansion)."""
    cell = calibration.cell
    n_cells = calibration.n_cells
    sums = np.bincount(
        cell * (big_d + 1) + dd, weights=own, minlength=n_cells * (big_d + 1)
    ).reshape(n_cells, -1)[:, :big_d]
    # raking_shift works on fine cells; here each calibration cell is one "fine cell"
    # whose summed e is `sums` and row count `rows`: pass e = sums / rows.
    rows = np.bincount(cell, minlength=n_cells).astype(np.float64)
    delta = raking_shift(sums / rows[:, None], rows, np.arange(n_cells), calibration)
    w = design.weights
    variance = np.empty(big_d)
    for j in range(big_d):
        z = w * (np.where(dd == j, own, 0.0) - delta[cell, j])
        if design.psu is None:
            unit_sums = _variance_from_units(design, design.strata, z[:, None], (z * z)[:, None])
            variance[j] = unit_sums[0]
        else:
            totals = group_total(design.psu, z, design.n_psu)
            variance[j] = _variance_from_psu_totals(design, totals[:, None])[0]
    return variance
