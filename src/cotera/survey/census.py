"""Citizen population margins from census counts, on the questionnaire's own levels.

Input: the population of one territory by sex × census age band (all ages) and by sex ×
socio-professional category (CSP, population aged ``csp_min_age`` and over), as counts.
Output: raking margins ``sex``, ``age_band``, ``csp`` of the adult population, the adult
age being the lower bound of the questionnaire's first age band (18).

Mapping rules (each approximation used is returned with the margins):

* an age band of the questionnaire takes every census band it contains; a census band it
  only partly overlaps is split in proportion to the years covered (uniform ages within the
  band: ``AGE_SPLIT``). With the packaged bands (18-29 … 75+) the only split is 15-29, of
  which 18-29 is taken as 12/15;
* the CSP counts cover ages ``csp_min_age``+ (15+ in the census); the young people below the
  adult age (15-17, estimated as above) are removed from the ``inactive_level`` category
  ("autres personnes sans activité professionnelle", where INSEE classifies pupils and
  students): ``MINORS_FROM_INACTIVE``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise

import numpy as np
import polars as pl

from cotera.errors import ConfigurationError, Problem, ValidationError
from cotera.survey.cells import FloatArray
from cotera.survey.questionnaire import Questionnaire
from cotera.survey.raking import CONSISTENCY_TOLERANCE, Margin

_BAND = re.compile(r"(\d+)\s*(?:-\s*(\d+)|\+)")
MARGIN_VARIABLES = ("sex", "age_band", "csp")


class Approximation(StrEnum):
    """Approximations the mapping from census to questionnaire levels may use."""

    AGE_SPLIT = "age_split"
    MINORS_FROM_INACTIVE = "minors_from_inactive"


APPROXIMATION_LABELS = {
    Approximation.AGE_SPLIT: (
        "tranche d'âge du recensement partagée au prorata des années (âges supposés "
        "uniformes dans la tranche)"
    ),
    Approximation.MINORS_FROM_INACTIVE: (
        "mineurs de la population 15 ans et plus (estimés comme ci-dessus) retirés de la "
        "catégorie « autres personnes sans activité professionnelle »"
    ),
}


@dataclass(frozen=True, slots=True, order=True)
class AgeBand:
    """Ages ``lower`` to ``upper`` inclusive; ``upper`` None for an open band (``75+``)."""

    lower: int
    upper: int | None

    @classmethod
    def parse(cls, code: str) -> AgeBand:
        """``"18-29"`` → 18..29, ``"75+"`` → 75 and over; ConfigurationError otherwise."""
        match = _BAND.fullmatch(code.strip())
        if match is None:
            raise ConfigurationError(f"tranche d'âge illisible : {code!r} (attendu 18-29 ou 75+)")
        upper = None if match.group(2) is None else int(match.group(2))
        if upper is not None and upper < int(match.group(1)):
            raise ConfigurationError(f"tranche d'âge vide : {code!r}")
        return cls(int(match.group(1)), upper)

    def overlap(self, other: AgeBand) -> float:
        """Share of ``self``'s years that fall in ``other``, ages uniform within ``self``."""
        if self.upper is None:  # an open band goes whole into an open band, or not at all
            if other.upper is not None and other.upper < self.lower:
                return 0.0
            if other.upper is None and other.lower <= self.lower:
                return 1.0
            raise ConfigurationError(
                f"la tranche ouverte {self.lower}+ du recensement ne peut pas être partagée "
                f"avec la tranche {other} du questionnaire"
            )
        top = self.upper if other.upper is None else min(self.upper, other.upper)
        years = top - max(self.lower, other.lower) + 1
        return max(years, 0) / (self.upper - self.lower + 1)

    def __str__(self) -> str:
        return f"{self.lower}+" if self.upper is None else f"{self.lower}-{self.upper}"


@dataclass(frozen=True, eq=False)
class CensusCounts:
    """Census population of one territory: ``by_sex_age[s, a]`` people of sex ``sexes[s]``
    in ``age_bands[a]`` (all ages), ``by_sex_csp[s, c]`` people of sex ``s`` aged
    ``csp_min_age``+ in category ``csp_codes[c]``."""

    sexes: tuple[str, ...]
    age_bands: tuple[AgeBand, ...]
    by_sex_age: FloatArray
    csp_codes: tuple[str, ...]
    by_sex_csp: FloatArray
    csp_min_age: int = 15
    inactive_level: str = "8"

    def __add__(self, other: CensusCounts) -> CensusCounts:
        if (self.sexes, self.age_bands, self.csp_codes) != (
            other.sexes,
            other.age_bands,
            other.csp_codes,
        ):
            raise ValueError("comptages de recensement de structures différentes")
        return CensusCounts(
            self.sexes,
            self.age_bands,
            self.by_sex_age + other.by_sex_age,
            self.csp_codes,
            self.by_sex_csp + other.by_sex_csp,
            self.csp_min_age,
            self.inactive_level,
        )

    def scaled(self, factor: float) -> CensusCounts:
        """The same structure with every count multiplied by ``factor``."""
        return CensusCounts(
            self.sexes,
            self.age_bands,
            self.by_sex_age * factor,
            self.csp_codes,
            self.by_sex_csp * factor,
            self.csp_min_age,
            self.inactive_level,
        )

    @property
    def population(self) -> float:
        """Total population, all ages."""
        return float(self.by_sex_age.sum())


@dataclass(frozen=True, eq=False)
class CitizenMargins:
    """Margins of the adult population on the questionnaire's levels, and how they were made."""

    margins: tuple[Margin, ...]
    adult_age: int
    adults: float
    approximations: tuple[Approximation, ...]

    def table(self) -> pl.DataFrame:
        """The ``variable,level,total`` table read by ``cotera survey rake``."""
        rows = [
            (m.variable, level, float(total))
            for m in self.margins
            for level, total in zip(m.levels, m.totals, strict=True)
        ]
        return pl.DataFrame(rows, schema=["variable", "level", "total"], orient="row")


def _band_weights(
    census: tuple[AgeBand, ...], targets: tuple[AgeBand, ...]
) -> tuple[FloatArray, bool]:
    """``weights[a, t]``: share of census band ``a`` counted in target band ``t``; split used?"""
    weights = np.array([[band.overlap(target) for target in targets] for band in census])
    split = bool(np.any((weights > 0) & (weights < 1)))
    return weights, split


def _age_targets(codes: tuple[str, ...], csp_min_age: int) -> tuple[AgeBand, ...]:
    """The questionnaire's age bands: contiguous, the last one open, adults only."""
    targets = tuple(AgeBand.parse(code) for code in codes)
    ordered = sorted(targets)
    contiguous = all(
        low.upper is not None and high.lower == low.upper + 1 for low, high in pairwise(ordered)
    )
    if not ordered or not contiguous or ordered[-1].upper is not None:
        raise ConfigurationError(
            "les tranches d'âge du questionnaire doivent se suivre sans trou ni chevauchement "
            "et la dernière être ouverte (ex. 75+)"
        )
    if ordered[0].lower < csp_min_age:
        raise ConfigurationError(
            f"âge adulte {ordered[0].lower} inférieur à l'âge des CSP du recensement "
            f"({csp_min_age})"
        )
    return targets


def _codes(questionnaire: Questionnaire, name: str) -> tuple[str, ...]:
    scale = questionnaire.variable(name).scale
    return scale.codes() if scale is not None else ()


def citizen_margins(counts: CensusCounts, questionnaire: Questionnaire) -> CitizenMargins:
    """Margins of the adults on ``sex``, ``age_band`` and ``csp`` of ``questionnaire``.

    Totals agree across the three variables (the adults of the territory). ConfigurationError
    when the questionnaire's levels cannot be matched with the census (other sex or CSP
    codes, unreadable, overlapping or gapped age bands, adult age below ``csp_min_age``);
    ValidationError when the counts contradict each other.
    """
    sex_codes, age_codes, csp_codes = (_codes(questionnaire, n) for n in MARGIN_VARIABLES)
    if set(sex_codes) != set(counts.sexes) or set(csp_codes) != set(counts.csp_codes):
        raise ConfigurationError(
            f"sexes / CSP du questionnaire {sex_codes} / {csp_codes} ≠ recensement "
            f"{counts.sexes} / {counts.csp_codes}"
        )
    targets = _age_targets(age_codes, counts.csp_min_age)
    adult_age = min(targets).lower
    weights, split = _band_weights(counts.age_bands, targets)
    by_sex_band = counts.by_sex_age @ weights  # (sex, questionnaire band)
    approximations = [Approximation.AGE_SPLIT] if split else []
    by_sex_csp = counts.by_sex_csp.copy()
    if adult_age > counts.csp_min_age:
        minors_weights, minors_split = _band_weights(
            counts.age_bands, (AgeBand(counts.csp_min_age, adult_age - 1),)
        )
        if minors_split and not split:
            approximations.append(Approximation.AGE_SPLIT)
        inactive = counts.csp_codes.index(counts.inactive_level)
        by_sex_csp[:, inactive] -= (counts.by_sex_age @ minors_weights)[:, 0]
        approximations.append(Approximation.MINORS_FROM_INACTIVE)
    adults_by_sex = by_sex_band.sum(axis=1)
    _check_counts(counts.sexes, adults_by_sex, by_sex_csp)
    sex_index = [counts.sexes.index(code) for code in sex_codes]
    csp_index = [counts.csp_codes.index(code) for code in csp_codes]
    margins = (
        Margin("sex", sex_codes, adults_by_sex[sex_index]),
        Margin("age_band", age_codes, by_sex_band.sum(axis=0)),
        Margin("csp", csp_codes, by_sex_csp.sum(axis=0)[csp_index]),
    )
    return CitizenMargins(margins, adult_age, float(adults_by_sex.sum()), tuple(approximations))


def _check_counts(sexes: tuple[str, ...], by_age: FloatArray, by_sex_csp: FloatArray) -> None:
    """Adults counted by age and by CSP agree sex by sex, and no CSP count is negative."""
    by_csp = by_sex_csp.sum(axis=1)
    gap = np.abs(by_age - by_csp) > CONSISTENCY_TOLERANCE * np.maximum(by_age, 1.0)
    problems = [
        Problem(
            "inconsistent-counts",
            f"adultes par âge ({a:.6g}) ≠ adultes par CSP ({c:.6g})",
            column="sex",
            value=sex,
        )
        for sex, a, c, bad in zip(sexes, by_age, by_csp, gap, strict=True)
        if bad
    ]
    problems += [
        Problem(
            "negative-count",
            "effectif négatif après retrait des mineurs de la catégorie des inactifs",
            column="csp",
            value=sex,
        )
        for sex, row in zip(sexes, by_sex_csp, strict=True)
        if np.any(row < -CONSISTENCY_TOLERANCE * max(float(row.sum()), 1.0))
    ]
    if problems:
        raise ValidationError("comptages de recensement incohérents", problems)
