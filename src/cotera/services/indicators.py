"""Every loaded indicator value of a territory, with France and the parent territory beside it.

Year selection: by default the latest year with a value, per indicator (one row each);
``year`` keeps that year only; ``all_years`` keeps every year. Custom territories get their
values aggregated on the fly from their members (or, for commune-level indicators, from their
communes) with ``cotera.indicators.aggregation``; each row says which method was used, the
vintage of the populations behind the value (« population 2026 (approximation) ») and the
perimeter of the France value beside it (« France métropolitaine »).

Each value carries the data-quality status of its indicator at its level and year (stored at
load, ``cotera.indicators.quality``) and, when not reliable, the caveat in French; a custom
territory's value takes the least favourable status of the levels it was aggregated from.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

import polars as pl
from sqlalchemy import Connection

from cotera.diagnostic.wording import quality_caveat
from cotera.indicators.aggregation import aggregate
from cotera.indicators.denominator import is_approximation, population_note
from cotera.indicators.model import IndicatorSpec
from cotera.indicators.perimeter import FrancePerimeter
from cotera.indicators.quality import DataQuality, QualityAssessment, lookup, unassessed
from cotera.referential.fragilities import fragility_referential
from cotera.services.database import database
from cotera.services.territories import Resolved, resolve_in
from cotera.settings import Settings
from cotera.sources.cog import POPULATION_YEAR
from cotera.storage.indicator_quality import read_quality
from cotera.storage.indicator_store import read_indicator_specs, read_observations, read_sources
from cotera.territory.model import FRANCE, Territory, TerritoryCode
from cotera.types import Level

_COMPARISON_PARENT = {
    Level.DEPARTEMENT: Level.REGION,
    Level.EPCI: Level.DEPARTEMENT,
    Level.COMMUNE: Level.DEPARTEMENT,
}


@dataclass(frozen=True, slots=True)
class IndicatorValue:
    """One indicator value of the territory, with its provenance and comparison values."""

    indicator: str
    label: str
    fragility: str
    fragility_label: str
    unit: str
    year: int
    value: float | None
    missing_reason: str | None
    method: str  # AggregationMethod value
    source: str
    source_label: str
    licence: str
    france: float | None
    parent: float | None
    basis: str = ""  # custom territories: what the value was aggregated from
    population_year_min: int | None = None  # vintages of the populations behind the value
    population_year_max: int | None = None
    population_note: str = ""  # « population 2026 (approximation) », empty when none used
    approximation: bool = False  # True when those populations are not of the value's year
    france_perimeter: str | None = None  # cotera.indicators.perimeter.Perimeter value
    france_perimeter_missing: str = ""  # départements of that perimeter without a value
    france_perimeter_label: str = ""  # « France métropolitaine hors Lot-et-Garonne (47) »
    france_population_note: str = ""  # the same note for the France value
    quality: str = DataQuality.UNASSESSED.value  # DataQuality of the indicator at that level
    quality_note: str = ""  # why it is not reliable, in French (empty when reliable)


@dataclass(frozen=True, slots=True)
class TerritoryIndicators:
    """The indicator table of one territory."""

    territory: Territory
    parent: Territory | None  # the comparison territory (région of a département…)
    year: int | None
    all_years: bool
    values: tuple[IndicatorValue, ...]
    loaded: bool = True  # False: no indicator loaded at all (else no value for this territory)

    def to_frame(self) -> pl.DataFrame:
        """One row per value (for CSV / JSON output)."""
        rows = [asdict(v) for v in self.values]
        schema: dict[str, type[pl.DataType]] = dict.fromkeys(
            IndicatorValue.__dataclass_fields__, pl.String
        )
        schema |= {"year": pl.Int32, "value": pl.Float64, "france": pl.Float64}
        schema |= {"parent": pl.Float64, "approximation": pl.Boolean}
        schema |= dict.fromkeys(("population_year_min", "population_year_max"), pl.Int32)
        return pl.DataFrame(rows, schema=schema, orient="row")

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready description: territory, comparison parent, selection and values."""
        return {
            "territory": _describe(self.territory),
            "parent": None if self.parent is None else _describe(self.parent),
            "france": str(FRANCE),
            "year": self.year,
            "all_years": self.all_years,
            "values": [asdict(v) for v in self.values],
            "loaded": self.loaded,
        }


def territory_indicators(
    settings: Settings, text: str, year: int | None = None, all_years: bool = False
) -> TerritoryIndicators:
    """Every loaded indicator value of a territory (code, name or ``custom:slug``)."""
    with database(settings) as engine, engine.connect() as connection:
        resolved = resolve_in(connection, text)
        specs = {spec.code: spec for spec in read_indicator_specs(connection)}
        territory = resolved.territory
        parent_code = _comparison_parent(territory)
        parent = None if parent_code is None else resolved.catalog.get(parent_code)
        if resolved.custom is None:
            own = read_observations(connection, territories=[str(territory.code)])
        else:
            own = _custom_observations(connection, resolved, specs)
        references = [str(FRANCE)] + ([] if parent is None else [str(parent.code)])
        compare = read_observations(connection, territories=references)
        sources = {source.id: source for source in read_sources(connection)}
        qualities = lookup(read_quality(connection))
    own = _select_years(own, year, all_years)
    france = _rows_of(compare, str(FRANCE))
    parents = _values_of(compare, None if parent is None else str(parent.code))
    names = {t.code.code: t.name for t in resolved.catalog.by_level(Level.DEPARTEMENT)}
    referential = fragility_referential()
    values = []
    for row in own.iter_rows(named=True):
        spec = specs[row["indicator"]]
        source = sources.get(spec.source)
        key = (row["indicator"], row["year"])
        reference = france.get(key, {})
        perimeter = FrancePerimeter.stored(
            reference.get("perimeter"), reference.get("perimeter_missing")
        )
        low, high = row.get("population_year_min"), row.get("population_year_max")
        levels = row.get("levels") or territory.level.value
        quality = _quality(qualities, row["indicator"], levels, row["year"])
        values.append(
            IndicatorValue(
                indicator=spec.code,
                label=spec.label_fr,
                fragility=spec.fragility,
                fragility_label=referential.get(spec.fragility).label_fr,
                unit=spec.unit,
                year=row["year"],
                value=row["value"],
                missing_reason=row["missing_reason"],
                method=row["method"],
                source=spec.source,
                source_label=spec.source if source is None else source.label_fr,
                licence="" if source is None else source.licence,
                france=reference.get("value"),
                parent=parents.get(key),
                basis=row.get("basis") or "",
                population_year_min=low,
                population_year_max=high,
                population_note=population_note(row["year"], low, high),
                approximation=is_approximation(row["year"], low, high),
                france_perimeter=None if perimeter is None else perimeter.perimeter.value,
                france_perimeter_missing=reference.get("perimeter_missing") or "",
                france_perimeter_label="" if perimeter is None else perimeter.label(names),
                france_population_note=population_note(
                    row["year"],
                    reference.get("population_year_min"),
                    reference.get("population_year_max"),
                ),
                quality=quality.status.value,
                quality_note=quality_caveat(quality),
            )
        )
    values.sort(key=lambda v: (v.fragility, v.indicator, v.year))
    return TerritoryIndicators(
        territory, parent, year, all_years, tuple(values), loaded=bool(specs)
    )


_SEVERITY = {
    DataQuality.RELIABLE: 0,
    DataQuality.UNASSESSED: 1,
    DataQuality.PARTIAL_COVERAGE: 2,
    DataQuality.NOT_COMPARABLE: 3,
}


def _quality(
    qualities: Mapping[tuple[str, Level, int], QualityAssessment],
    indicator: str,
    levels: str,
    year: int,
) -> QualityAssessment:
    """The least favourable assessment among ``levels`` (comma-separated Level values)."""
    found = [
        qualities.get((indicator, Level(level), year), unassessed(indicator, Level(level), year))
        for level in levels.split(",")
    ]
    return max(found, key=lambda q: _SEVERITY[q.status])


def _comparison_parent(territory: Territory) -> TerritoryCode | None:
    level = _COMPARISON_PARENT.get(territory.level)
    return None if level is None else territory.parent(level)


def _select_years(frame: pl.DataFrame, year: int | None, all_years: bool) -> pl.DataFrame:
    if year is not None:
        return frame.filter(pl.col("year") == year)
    if all_years or frame.is_empty():
        return frame
    return (
        frame.with_columns(_has=pl.col("value").is_not_null())
        .sort("indicator", "_has", "year")
        .group_by("indicator", maintain_order=True)
        .last()
        .drop("_has")
    )


def _rows_of(frame: pl.DataFrame, territory: str) -> dict[tuple[str, int], dict[str, Any]]:
    rows = frame.filter(pl.col("territory") == territory)
    return {(row["indicator"], row["year"]): row for row in rows.iter_rows(named=True)}


def _values_of(frame: pl.DataFrame, territory: str | None) -> dict[tuple[str, int], float | None]:
    if territory is None:
        return {}
    rows = frame.filter(pl.col("territory") == territory).select("indicator", "year", "value")
    return {(ind, year): value for ind, year, value in rows.iter_rows()}


def _custom_observations(
    connection: Connection, resolved: Resolved, specs: Mapping[str, IndicatorSpec]
) -> pl.DataFrame:
    """A custom territory's values: from its members, else (commune-level data) its communes."""
    assert resolved.custom is not None
    catalog, code = resolved.catalog, str(resolved.custom.code)
    members = [str(m) for m in resolved.custom.members]
    communes = [str(t.code) for t in resolved.custom.resolve_members(catalog)]
    kinds = {c: s.kind for c, s in specs.items()}
    weighted = sorted(set(members) | set(communes))
    weights = pl.DataFrame(
        {"territory": weighted, "weight": [catalog.get(c).population for c in weighted]},
        schema={"territory": pl.String, "weight": pl.Float64},
    ).with_columns(population_year=pl.lit(POPULATION_YEAR, pl.Int32))
    from_members = aggregate(
        read_observations(connection, territories=members),
        dict.fromkeys(members, code),
        kinds,
        weights,
    ).observations.with_columns(
        basis=pl.lit(f"{len(members)} membre(s)"),
        levels=pl.lit(",".join(sorted({m.level.value for m in resolved.custom.members}))),
    )
    commune_kinds = {c: k for c, k in kinds.items() if Level.COMMUNE in specs[c].levels}
    if not commune_kinds or members == communes:
        return from_members
    from_communes = aggregate(
        read_observations(connection, territories=communes, indicators=list(commune_kinds)),
        dict.fromkeys(communes, code),
        commune_kinds,
        weights,
    ).observations.with_columns(
        basis=pl.lit(f"{len(communes)} commune(s)"), levels=pl.lit(Level.COMMUNE.value)
    )
    covered = from_members.filter(pl.col("value").is_not_null()).select("indicator", "year")
    extra = from_communes.join(covered, on=["indicator", "year"], how="anti")
    kept = from_members.join(
        extra.select("indicator", "year"), on=["indicator", "year"], how="anti"
    )
    return pl.concat([kept, extra], how="vertical")


def _describe(territory: Territory) -> dict[str, object]:
    return {
        "code": str(territory.code),
        "name": territory.name,
        "level": territory.level.value,
        "population": territory.population,
    }
