"""Citizen population margins of a territory from the census (INSEE RP 2018 by EPCI).

Territories are resolved in the COG 2026 files of the data mirror (code or name; no database
needed). A territory's counts are the sum over its current communes of the commune's
population municipale (COG 2026) times the RP 2018 structure of the commune (Grand Paris,
Lyon and Aix-Marseille communes, arrondissements of Paris, Lyon, Marseille) or of its EPCI.
Every approximation used is returned as a French note.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from cotera.errors import ConfigurationError, DataUnavailableError
from cotera.report.outputs import write_table
from cotera.settings import Settings
from cotera.sources.census_margins import (
    SOURCE_LABEL,
    YEAR,
    Basis,
    CommuneCensus,
    commune_census,
    read_arrondissement_populations,
    read_population_structure,
)
from cotera.sources.cog import load_territories
from cotera.sources.mirror import Mirror
from cotera.survey.census import APPROXIMATION_LABELS, CitizenMargins, citizen_margins
from cotera.survey.questionnaire import phare_questionnaire
from cotera.territory.catalog import TerritoryCatalog
from cotera.territory.model import Territory
from cotera.types import Level


@dataclass(frozen=True, eq=False)
class TerritoryMargins:
    """Margins of a territory's adults, with where they come from and what was approximated."""

    territory: Territory
    margins: CitizenMargins
    population: float  # population municipale COG 2026 of the territory
    coverage: float  # share of that population whose communes have a census structure
    population_by_basis: dict[Basis, float]
    notes: tuple[str, ...]  # French: source, year, approximations
    source: str = SOURCE_LABEL
    year: int = YEAR

    def table(self) -> pl.DataFrame:
        """``variable,level,total``, the file ``cotera survey rake --margins`` reads."""
        return self.margins.table()


@dataclass(frozen=True, eq=False)
class CensusData:
    """What margins of any territory need, read once from the mirror."""

    catalog: TerritoryCatalog
    communes: CommuneCensus
    file_notes: tuple[str, ...]

    def rows_of(self, territory: Territory) -> list[int]:
        """Rows of ``communes`` that make up ``territory``."""
        wanted = {c.code.code for c in self.catalog.communes_of(territory.code)}
        return [i for i, code in enumerate(self.communes.communes) if code in wanted]


def read_census_data(settings: Settings) -> CensusData:
    """Territories, the census file and arrondissement populations of the configured mirror."""
    if settings.data_mirror is None:
        raise ConfigurationError(
            "aucun miroir de données : définissez COTERA_DATA_MIRROR ou passez --mirror DOSSIER"
        )
    mirror = Mirror(settings.data_mirror)
    catalog = TerritoryCatalog(load_territories(mirror))
    structure = read_population_structure(mirror)
    communes = commune_census(
        structure, catalog.by_level(Level.COMMUNE), read_arrondissement_populations(mirror)
    )
    return CensusData(catalog, communes, tuple(n.describe() for n in structure.notes))


def territory_margins(data: CensusData, text: str) -> TerritoryMargins:
    """Margins of the adults of the territory named or coded ``text``."""
    territory = data.catalog.resolve(text)
    rows = data.rows_of(territory)
    census = data.communes
    covered = [i for i in rows if census.basis[i] is not Basis.NONE]
    population = float(census.population[rows].sum())
    covered_population = float(census.population[covered].sum())
    if not covered_population:
        raise DataUnavailableError(
            f"{territory.name} ({territory.code}) : aucune structure par âge et CSP dans le "
            f"recensement {YEAR} par EPCI (EPCI absent du fichier : périmètre modifié depuis "
            "2021, commune sans EPCI, ou DROM) ; fournissez vos marges"
        )
    by_basis: dict[Basis, float] = defaultdict(float)
    for i in rows:
        by_basis[census.basis[i]] += float(census.population[i])
    counts = census.counts(covered)
    coverage = covered_population / population
    if coverage < 1:
        counts = counts.scaled(population / covered_population)
    margins = citizen_margins(counts, phare_questionnaire())
    notes = [
        f"Source : {SOURCE_LABEL}. Structure de {YEAR} appliquée à la population municipale "
        "du COG 2026 (millésimes différents).",
        f"Population couverte par l'enquête : {margins.adult_age} ans et plus.",
        *(APPROXIMATION_LABELS[a].capitalize() + "." for a in margins.approximations),
        *_geography_notes(data, territory, rows, coverage),
        *data.file_notes,
    ]
    return TerritoryMargins(territory, margins, population, coverage, dict(by_basis), tuple(notes))


def _geography_notes(
    data: CensusData, territory: Territory, rows: list[int], coverage: float
) -> list[str]:
    census = data.communes
    notes: list[str] = []
    if territory.level is Level.COMMUNE and census.basis[rows[0]] is Basis.EPCI:
        notes.append(
            "Approximation : commune absente du fichier, structure de son EPCI appliquée à la "
            "population de la commune."
        )
    inside: dict[str, float] = defaultdict(float)
    for i in rows:
        epci = census.epci[i]
        if census.basis[i] is Basis.EPCI and epci is not None:
            inside[epci] += float(census.population[i])
    partial = sorted(
        code
        for code, pop in inside.items()
        if territory.level is not Level.COMMUNE
        and pop < (data.catalog.get(f"epci:{code}").population or 0)
    )
    if partial:
        notes.append(
            f"Approximation : {len(partial)} EPCI à cheval sur la limite du territoire, leur "
            "structure est appliquée à leurs seules communes du territoire ("
            + ", ".join(partial[:10])
            + (" …" if len(partial) > 10 else "")
            + ")."
        )
    if coverage < 1:
        missing = sum(1 for i in rows if census.basis[i] is Basis.NONE)
        notes.append(
            f"Couverture : {_percent(coverage)} de la population ; {missing} commune(s) sans "
            "structure (EPCI absent du fichier de 2021, sans EPCI, ou DROM) ; la structure des "
            "communes couvertes est appliquée à toute la population."
        )
    return notes


def margins_file(settings: Settings, text: str, out: Path | None) -> TerritoryMargins:
    """Margins of the territory ``text``, written to ``out`` (CSV ``variable,level,total``)."""
    result = territory_margins(read_census_data(settings), text)
    if out is not None:
        write_table(result.table(), out)
    return result


def _percent(share: float) -> str:
    return f"{100 * share:.1f} %".replace(".", ",")
