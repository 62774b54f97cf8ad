"""Data-quality status of an indicator at one level and year, decided from its observations.

A value is only a fragility signal if the source measured every territory alike. Three rules,
applied to the territories of one level (régions, départements, EPCI, communes) that have a
value for the indicator that year (docs/indicators.md, « Data quality »):

* **coverage** — values for at least ``MIN_COVERAGE`` (90 %) of the level's territories of
  France métropolitaine, where every source is meant to be complete and most comparisons are
  made (the overseas ones are counted apart and stated); otherwise ``PARTIAL_COVERAGE``;
* **zeros** — at least ``MAX_ZERO_SHARE`` (half) of the observed territories at exactly 0: the
  indicator tells presence from absence rather than a level, and the rank cannot order most of
  the territories (all tied at 0); ``NOT_COMPARABLE``;
* **concentration** — for rates kept with their numerator and denominator: a région holding at
  least ``MIN_REGION_SHARE`` (5 %) of the national numerator with a location quotient (its
  share of the numerator over its share of the denominator) of ``MAX_QUOTIENT`` (3) or more:
  the count depends more on where it was collected than on the territories; ``NOT_COMPARABLE``.

``NOT_COMPARABLE`` wins over ``PARTIAL_COVERAGE``. France (one value) takes the status of the
départements (else the régions) of the same indicator and year, the level its value sums or
compares. Only a ``RELIABLE`` indicator (or one not assessed) may make a priority on its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum

import polars as pl

from cotera.types import Level

RULES_VERSION = "1"
"""Stored with every assessment; a new version makes ``cotera data load`` assess again."""
MIN_COVERAGE = 0.9
MAX_ZERO_SHARE = 0.5
MAX_QUOTIENT = 3.0
MIN_REGION_SHARE = 0.05
_RANKED_LEVELS = (Level.REGION, Level.DEPARTEMENT, Level.EPCI, Level.COMMUNE)
_COUNTRY_BASIS = (Level.DEPARTEMENT, Level.REGION)


class DataQuality(StrEnum):
    """How far the values of an indicator can be compared between the territories of a level."""

    RELIABLE = "reliable"
    PARTIAL_COVERAGE = "partial_coverage"
    NOT_COMPARABLE = "not_comparable"
    UNASSESSED = "unassessed"
    """No stored assessment (a database loaded before assessments existed)."""

    @property
    def label_fr(self) -> str:
        """« fiable », « couverture partielle », « non comparable entre territoires »…"""
        return _LABELS[self]

    @property
    def short_fr(self) -> str:
        """« fiable », « couverture partielle », « non comparable », « non évaluée » (tables)."""
        return _SHORT_LABELS[self]

    @property
    def usable(self) -> bool:
        """Whether the indicator may make a priority on its own."""
        return self in (DataQuality.RELIABLE, DataQuality.UNASSESSED)


_LABELS = {
    DataQuality.RELIABLE: "fiable",
    DataQuality.PARTIAL_COVERAGE: "couverture partielle",
    DataQuality.NOT_COMPARABLE: "non comparable entre territoires",
    DataQuality.UNASSESSED: "qualité non évaluée",
}
_SHORT_LABELS = {
    DataQuality.RELIABLE: "fiable",
    DataQuality.PARTIAL_COVERAGE: "couverture partielle",
    DataQuality.NOT_COMPARABLE: "non comparable",
    DataQuality.UNASSESSED: "non évaluée",
}


class QualityReason(StrEnum):
    """Which rule decided a status other than reliable."""

    LOW_COVERAGE = "low_coverage"
    MOSTLY_ZEROS = "mostly_zeros"
    CONCENTRATED = "concentrated"


@dataclass(frozen=True, slots=True)
class QualityAssessment:
    """The status of one indicator at one level and year, with the figures that decided it."""

    indicator: str
    level: Level
    year: int
    status: DataQuality
    reasons: tuple[QualityReason, ...]
    observed: int
    """Territories of the level with a value (metropolitan and overseas)."""
    metropolitan: int
    """Metropolitan territories of the level with a value."""
    expected: int
    """Metropolitan territories of the level."""
    zeros: int
    """Territories of the level at exactly 0."""
    region: str | None = None
    """The région with the largest location quotient among those holding ≥ 5 % of the total."""
    region_name: str | None = None
    region_share: float | None = None
    """Its share of the national numerator (0–1)."""
    region_base_share: float | None = None
    """Its share of the national denominator (0–1)."""
    basis: Level | None = None
    """For France: the level whose status and figures it takes."""

    @property
    def coverage(self) -> float:
        """Share of the level's metropolitan territories with a value (0–1)."""
        return min(1.0, self.metropolitan / self.expected) if self.expected else 0.0

    @property
    def zero_share(self) -> float:
        """Share of the observed territories at 0 (0–1)."""
        return self.zeros / self.observed if self.observed else 0.0

    @property
    def quotient(self) -> float | None:
        """Location quotient of ``region``: its share of the numerator over its share of the
        denominator."""
        if self.region_share is None or not self.region_base_share:
            return None
        return self.region_share / self.region_base_share


def unassessed(indicator: str, level: Level, year: int) -> QualityAssessment:
    """The placeholder of an indicator without a stored assessment."""
    return QualityAssessment(indicator, level, year, DataQuality.UNASSESSED, (), 0, 0, 0, 0)


def assess(
    observations: pl.DataFrame,
    territories: pl.DataFrame,
    region_names: Mapping[str, str] | None = None,
) -> tuple[QualityAssessment, ...]:
    """Assess every indicator × level × year of canonical ``observations``.

    ``territories`` has one row per territory: ``territory`` (canonical code), ``level``
    (Level value), ``overseas`` (bool) and ``region`` (the canonical code of its région, a
    région's own code, null for France). ``region_names`` maps région codes to names.
    """
    values = (
        observations.filter(pl.col("value").is_not_null() & pl.col("value").is_finite())
        .with_columns(level=_level_of("territory"))
        .join(territories.select("territory", "overseas", "region"), on="territory", how="left")
    )
    keys = ["indicator", "level", "year"]
    counts = values.group_by(keys).agg(
        observed=pl.col("territory").n_unique(),
        metropolitan=pl.col("territory").filter(~pl.col("overseas").fill_null(True)).n_unique(),
        zeros=(pl.col("value") == 0).sum(),
    )
    metropolitan = dict(territories.filter(~pl.col("overseas")).group_by("level").len().iter_rows())
    regions = {
        (row["indicator"], row["level"], row["year"]): row
        for row in _concentration(values, keys).iter_rows(named=True)
    }
    names = region_names or {}
    found: dict[tuple[str, Level, int], QualityAssessment] = {}
    for row in counts.sort(keys).iter_rows(named=True):
        level = Level(row["level"])
        if level not in _RANKED_LEVELS:
            continue
        top = regions.get((row["indicator"], row["level"], row["year"]))
        found[(row["indicator"], level, row["year"])] = _decide(
            QualityAssessment(
                row["indicator"], level, row["year"], DataQuality.RELIABLE, (),
                int(row["observed"]), int(row["metropolitan"]),
                int(metropolitan.get(level.value, 0)), int(row["zeros"]),
                None if top is None else top["region"],
                None if top is None else names.get(top["region"]),
                None if top is None else top["share"],
                None if top is None else top["base_share"],
            )
        )  # fmt: skip
    countries = counts.filter(pl.col("level") == Level.COUNTRY.value).select("indicator", "year")
    for indicator, year in countries.sort("indicator", "year").iter_rows():
        bases = [found.get((indicator, level, year)) for level in _COUNTRY_BASIS]
        basis = next((b for b in bases if b is not None), None)
        if basis is not None:
            found[(indicator, Level.COUNTRY, year)] = replace(
                basis, level=Level.COUNTRY, basis=basis.level
            )
    return tuple(found[key] for key in sorted(found, key=lambda k: (k[0], k[1].value, k[2])))


def _level_of(column: str) -> pl.Expr:
    return pl.col(column).str.extract(r"^([a-z]+):", 1).fill_null(Level.COUNTRY.value)


def _concentration(values: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """Per key, the région of largest location quotient among those holding ≥ 5 % of the
    numerator (rows kept with a numerator and a denominator only)."""
    rated = values.filter(
        pl.col("numerator").is_not_null()
        & pl.col("denominator").is_not_null()
        & (pl.col("denominator") > 0)
        & pl.col("region").is_not_null()
    )
    by_region = rated.group_by([*keys, "region"]).agg(
        numerator=pl.col("numerator").sum(), denominator=pl.col("denominator").sum()
    )
    shares = by_region.with_columns(
        share=pl.col("numerator") / pl.col("numerator").sum().over(keys),
        base_share=pl.col("denominator") / pl.col("denominator").sum().over(keys),
    ).filter(pl.col("share").is_finite() & (pl.col("share") >= MIN_REGION_SHARE))
    return (
        shares.with_columns(quotient=pl.col("share") / pl.col("base_share"))
        .sort([*keys, "quotient", "region"], descending=[False, False, False, True, False])
        .group_by(keys, maintain_order=True)
        .first()
    )


def _decide(found: QualityAssessment) -> QualityAssessment:
    reasons = []
    if found.coverage < MIN_COVERAGE:
        reasons.append(QualityReason.LOW_COVERAGE)
    if found.observed and found.zero_share >= MAX_ZERO_SHARE:
        reasons.append(QualityReason.MOSTLY_ZEROS)
    quotient = found.quotient
    if quotient is not None and quotient >= MAX_QUOTIENT:
        reasons.append(QualityReason.CONCENTRATED)
    if QualityReason.MOSTLY_ZEROS in reasons or QualityReason.CONCENTRATED in reasons:
        status = DataQuality.NOT_COMPARABLE
    elif reasons:
        status = DataQuality.PARTIAL_COVERAGE
    else:
        status = DataQuality.RELIABLE
    return replace(found, status=status, reasons=tuple(reasons))


def lookup(
    assessments: Iterable[QualityAssessment],
) -> dict[tuple[str, Level, int], QualityAssessment]:
    """Assessments by (indicator, level, year)."""
    return {(a.indicator, a.level, a.year): a for a in assessments}
