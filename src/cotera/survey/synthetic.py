"""Synthetic PHARE-like samples (données synthétiques), seeded, calibrated on DESIGN.md §2.4.

There is no public PHARE microdata. The generator draws respondents of one prism whose
national *weighted* results equal the published 2015 figures in expectation:

* companies: 37 % partnership / 5 % none but intend / 58 % none; associations: 38 / 38 / 24 %,
  with 53 % of employer associations in partnership (employer share: 12 %, our assumption);
* partnerships seen as a source of innovation: 69 % citizens, 81 % companies, 86 % associations
  (the deck gives the three figures without saying which is which: our reading);
* strong or very strong impact of partnerships: employment 49 %, economic development 46 %,
  environment 42 %, standard of living 40 % (citizens, published); the other twelve
  fragilities get the project's own assumed shares (``ASSUMED_STRONG``), and companies and
  associations use the same shares (not published).

Regional variation model: for region ``r`` and fragility ``f`` with objective fragility
percentile ``q`` (0..1, passed in), ``logit p_rf = logit p_f + slope · (q - ½) + c_f`` where
``c_f`` is solved so that the population-weighted mean of ``p_rf`` over regions is exactly
the national ``p_f``. Regions are over-sampled towards equal sizes (half proportional, half
uniform); weights ``population share / sampling probability`` undo it.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import polars as pl
from scipy.optimize import brentq
from scipy.special import expit, logit

from cotera.survey.questionnaire import Prism, phare_questionnaire

SYNTHETIC_LABEL = "données synthétiques"
DEFAULT_SLOPE = 1.0

# 2016 regions (metropolitan France) and their population shares (INSEE 2015, rounded).
REGION_SHARES: dict[str, float] = {
    "11": 0.1879,
    "24": 0.0403,
    "27": 0.0442,
    "28": 0.0520,
    "32": 0.0943,
    "44": 0.0870,
    "52": 0.0577,
    "53": 0.0517,
    "75": 0.0922,
    "76": 0.0907,
    "84": 0.1216,
    "93": 0.0783,
    "94": 0.0051,
}
PUBLISHED_STRONG = {"F01": 0.49, "F02": 0.46, "F15": 0.42, "F03": 0.40}
ASSUMED_STRONG = {
    "F04": 0.38,
    "F05": 0.33,
    "F06": 0.31,
    "F07": 0.30,
    "F08": 0.34,
    "F09": 0.24,
    "F10": 0.37,
    "F11": 0.29,
    "F12": 0.32,
    "F13": 0.27,
    "F14": 0.28,
    "F16": 0.36,
}
VERY_STRONG_SHARE = 0.35  # of strong answers, code 4 rather than 3 (assumption)
NO_IMPACT_SHARE = 0.30  # of other answers, code 1 rather than 2 (assumption)
INNOVATION = {Prism.CITIZENS: 0.69, Prism.COMPANIES: 0.81, Prism.ASSOCIATIONS: 0.86}
PARTNERSHIP = {Prism.COMPANIES: (0.37, 0.05, 0.58), Prism.ASSOCIATIONS: (0.38, 0.38, 0.24)}
EMPLOYER_SHARE = 0.12
EMPLOYER_PARTNERSHIP = 0.53
DESIGN_SHARES: dict[str, dict[str, float]] = {
    "sex": {"F": 0.52, "M": 0.48},
    # adults 18+, France, RP 2018 structure (``cotera survey margins fr``, rounded)
    "age_band": {"18-29": 0.178, "30-44": 0.238, "45-59": 0.253, "60-74": 0.211, "75+": 0.12},
    "csp": {"1": 0.01, "2": 0.04, "3": 0.10, "4": 0.14, "5": 0.16, "6": 0.12, "7": 0.27, "8": 0.16},
    "size_band": {"0-9": 0.82, "10-49": 0.14, "50-249": 0.03, "250+": 0.01},
    "sector": {"industry": 0.10, "construction": 0.13, "trade": 0.25, "services": 0.52},
    "association_sector": {
        "sport": 0.24,
        "culture": 0.20,
        "leisure": 0.21,
        "social": 0.11,
        "education": 0.05,
        "rights": 0.13,
        "other": 0.06,
    },
}


def strong_impact_share(fragility: str) -> float:
    """National share of strong / very strong impact answers used for ``fragility``."""
    return {**PUBLISHED_STRONG, **ASSUMED_STRONG}[fragility]


def regional_strong_shares(
    percentiles: Mapping[str, Mapping[str, float]], slope: float = DEFAULT_SLOPE
) -> dict[str, dict[str, float]]:
    """``{region: {fragility: p_rf}}`` under the logit-shift model, national means preserved."""
    shares = np.array(list(REGION_SHARES.values()))
    shares = shares / shares.sum()
    result: dict[str, dict[str, float]] = {r: {} for r in REGION_SHARES}
    for fragility in phare_questionnaire().impact_questions():
        code = str(fragility.fragility)
        national = strong_impact_share(code)
        q = np.array([percentiles.get(r, {}).get(code, 0.5) for r in REGION_SHARES])
        base = logit(national) + slope * (q - 0.5)
        offset = brentq(lambda c, b=base, t=national: float(shares @ expit(b + c)) - t, -10.0, 10.0)
        for region, p in zip(REGION_SHARES, expit(base + offset), strict=True):
            result[region][code] = float(p)
    return result


def _labelled(name: str, codes: np.ndarray, labels: list[str]) -> pl.Series:
    """String column from small integer codes (fast for large ``n``)."""
    series = pl.Series(name, codes.astype(np.uint8))
    return series.replace_strict(list(range(len(labels))), labels, return_dtype=pl.Utf8)


def _draw(rng: np.random.Generator, name: str, shares: Mapping[str, float], n: int) -> pl.Series:
    p = np.array(list(shares.values()))
    return _labelled(name, rng.choice(p.size, size=n, p=p / p.sum()), list(shares))


def _partnership(
    rng: np.random.Generator, n: int, has: np.ndarray | float, split: tuple[float, float]
) -> pl.Series:
    u = rng.random(n)
    intends = (1 - np.asarray(has)) * split[0] / (split[0] + split[1])
    codes = (u >= has).astype(np.uint8) + (u >= np.asarray(has) + intends)
    return _labelled("partnership", codes, ["has", "intends", "none"])


def generate(
    prism: Prism | str,
    n: int,
    seed: int,
    *,
    percentiles: Mapping[str, Mapping[str, float]] | None = None,
    slope: float = DEFAULT_SLOPE,
) -> pl.DataFrame:
    """A synthetic sample of ``n`` respondents of ``prism`` (column ``synthetic`` = true)."""
    prism = Prism(prism)
    if prism not in INNOVATION:
        raise ValueError(f"pas de générateur synthétique pour le prisme {prism}")
    if n < 1:
        raise ValueError("n doit être ≥ 1")
    rng = np.random.default_rng(seed)
    regions = np.array(list(REGION_SHARES))
    population = np.array(list(REGION_SHARES.values()))
    population = population / population.sum()
    sampling = 0.5 * population + 0.5 / regions.size
    region_code = rng.choice(regions.size, size=n, p=sampling)
    columns: list[pl.Series] = [
        pl.Series("prism", [prism.value]).extend_constant(prism.value, n - 1),
        _labelled("region", region_code, list(regions)),
    ]
    employer = np.zeros(n, dtype=bool)
    for name in phare_questionnaire().prism(prism).design:
        if name == "employer":
            employer = rng.random(n) < EMPLOYER_SHARE
            columns.append(_labelled(name, employer.astype(np.uint8), ["0", "1"]))
        elif name != "region":
            columns.append(_draw(rng, name, DESIGN_SHARES[name], n))
    if prism in PARTNERSHIP:
        has, intends, none = PARTNERSHIP[prism]
        has_prob: np.ndarray | float = has
        if prism is Prism.ASSOCIATIONS:
            other = (has - EMPLOYER_SHARE * EMPLOYER_PARTNERSHIP) / (1 - EMPLOYER_SHARE)
            has_prob = np.where(employer, EMPLOYER_PARTNERSHIP, other)
        columns.append(_partnership(rng, n, has_prob, (intends, none)))
    else:
        columns.append(pl.Series("partnership", [None] * n, dtype=pl.Utf8))
    innovation = (rng.random(n) < INNOVATION[prism]).astype(np.uint8)
    columns.append(_labelled("innovation", innovation, ["0", "1"]))
    strong = regional_strong_shares(percentiles or {}, slope)
    for question in phare_questionnaire().impact_questions():
        code = str(question.fragility)
        p = np.array([strong[r][code] for r in regions])[region_code]
        is_strong = rng.random(n) < p
        v = rng.random(n)
        answer = np.where(is_strong, 2 + (v < VERY_STRONG_SHARE), (v >= NO_IMPACT_SHARE))
        columns.append(_labelled(question.name, answer, ["1", "2", "3", "4"]))
    weight = (population / sampling)[region_code]
    columns.append(pl.Series("weight", weight / weight.mean()))
    frame = pl.DataFrame(columns).with_columns(
        pl.format("{}-{}", pl.lit(prism.value[:3]), pl.int_range(1, n + 1)).alias("respondent_id"),
        pl.lit(True).alias("synthetic"),
    )
    return frame.select("respondent_id", pl.exclude("respondent_id"))
