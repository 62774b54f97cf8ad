"""What an indicator loader needs (territories) and what it returns (observations, notes)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import polars as pl

from cotera.errors import Problem
from cotera.indicators.catalogue import SourceSpec
from cotera.sources.cog import POPULATION_YEAR, CommuneSplit
from cotera.sources.mirror import Mirror


@dataclass(frozen=True, slots=True)
class LoadContext:
    """Territories as loaders need them (filled by the load service from the COG).

    Codes in the mappings are bare INSEE / SIREN codes (``"93066"``, ``"93"``, ``"11"``);
    ``population`` is keyed by canonical territory code (``"com:93066"``, ``"epci:200054781"``,
    ``"dep:93"``, ``"reg:11"``, ``"fr"``) and holds the current (COG 2026) populations.
    ``former_commune_codes`` maps codes that are no longer communes (communes déléguées or
    associées, former codes of communes nouvelles, municipal arrondissements ``75101`` →
    ``75056``) to the current commune; ``commune_splits`` lists the communes re-established
    after a merger (whose data, during the merger, was published under another commune's code);
    ``population_year`` is the vintage of ``population``.
    """

    commune_parent: dict[str, str]  # current commune -> département
    dep_region: dict[str, str]  # département -> région
    population: dict[str, float]  # canonical code -> current population
    former_commune_codes: dict[str, str] = field(default_factory=dict)  # old -> current commune
    commune_epci: dict[str, str] = field(default_factory=dict)  # current commune -> EPCI SIREN
    commune_splits: tuple[CommuneSplit, ...] = ()
    population_year: int = POPULATION_YEAR

    def population_weights(self) -> pl.DataFrame:
        """Populations as ``territory, weight, population_year`` (weights of an aggregation)."""
        return self.population_frame().with_columns(
            population_year=pl.lit(self.population_year, pl.Int32)
        )

    def population_frame(self) -> pl.DataFrame:
        """Populations as a frame ``territory, weight`` (for population-weighted aggregation)."""
        return pl.DataFrame(
            {"territory": list(self.population), "weight": list(self.population.values())},
            schema={"territory": pl.String, "weight": pl.Float64},
        )

    def departements(self) -> dict[str, str]:
        """Départements of the 101 (code -> région), leaving out overseas collectivities
        (``975``, ``977``… whose "région" is themselves in the COG)."""
        return {d: r for d, r in self.dep_region.items() if len(r) == 2 and r != d}

    def dep_to_region(self) -> dict[str, str]:
        """``dep:XX`` -> ``reg:YY`` for every département."""
        return {f"dep:{d}": f"reg:{r}" for d, r in self.departements().items()}

    def dep_to_country(self) -> dict[str, str]:
        """``dep:XX`` -> ``fr`` for every département."""
        return {f"dep:{d}": "fr" for d in self.departements()}

    def region_to_country(self) -> dict[str, str]:
        """``reg:YY`` -> ``fr`` for every région."""
        return {f"reg:{r}": "fr" for r in sorted(set(self.departements().values()))}


@dataclass(frozen=True, slots=True)
class SourceLoad:
    """What one source loader produced.

    ``observations`` has exactly the columns of ``OBSERVATION_COLUMNS``; ``files`` are the files
    read (their hashes key the load batch); ``problems`` are non-blocking notes (remapped or
    unmatched codes, partial coverage…). Blocking problems raise ``ValidationError`` instead.
    """

    observations: pl.DataFrame
    files: tuple[Path, ...]
    problems: tuple[Problem, ...] = ()


class IndicatorSource(Protocol):
    """A module under ``cotera.sources.indicators`` that loads one source."""

    SOURCE: SourceSpec

    def load(self, mirror: Mirror, context: LoadContext) -> SourceLoad:
        """Read the source's files from the mirror and return its observations."""
        ...
