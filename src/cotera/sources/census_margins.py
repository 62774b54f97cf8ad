"""Population by sex × age band and sex × socio-professional category from INSEE RP 2018.

Reads ``indicators/epci_rp2018_filo2018/POP_epci.csv`` (repository TeamHeka/EPCI-INSEE-indicateur:
RP 2018 shares by EPCI of 2021, plus the communes of the Métropole du Grand Paris, Lyon and
Aix-Marseille-Provence and the arrondissements of Paris, Lyon and Marseille). The file holds
shares, not counts: counts are the shares times the population municipale of COG 2026 (the
RP 2018 populations are not in the mirror), so the structure is of 2018 and the total of the
current vintage.

Columns used, per row: ``Men`` (share of men), the age shares of men and of women
(0-14, 15-29, 30-44, 45-59, 60-74, 75-89, 90+) and the CSP shares of men and of women aged
15 and over (the eight INSEE groups, codes 1 to 8). Known bug of the file: the all-sexes column
``1529_amg_POP`` is a copy of ``0014_amg_POP``; it is not used, and the 15-29 share of the
other all-sexes columns (100 minus the other bands) is checked against the by-sex columns.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import polars as pl

from cotera.errors import Problem, ValidationError
from cotera.sources.french_csv import TextTable, read_text_table
from cotera.sources.french_values import parse_numbers
from cotera.sources.mirror import Mirror
from cotera.survey.cells import FloatArray
from cotera.survey.census import AgeBand, CensusCounts
from cotera.territory.model import Territory
from cotera.types import Level

POP_FILE = "indicators/epci_rp2018_filo2018/POP_epci.csv"
COMMUNES_FILE = "cog/communes_cog2026.csv"
YEAR = 2018
SOURCE_LABEL = (
    "INSEE, recensement de la population 2018 (fichier POP_epci.csv du dépôt "
    "TeamHeka/EPCI-INSEE-indicateur, EPCI au 1er janvier 2021) ; population municipale COG 2026"
)
SEXES = ("M", "F")
AGE_BANDS = tuple(
    AgeBand(low, high)
    for low, high in ((0, 14), (15, 29), (30, 44), (45, 59), (60, 74), (75, 89), (90, None))
)
_AGE_KEYS = ("0014", "1529", "3044", "4559", "6074", "7589", "90+")
AGE_COLUMNS = (
    tuple(f"{k}_men_amg_mPOP" for k in _AGE_KEYS),
    tuple(f"{k}_women_amg_wPOP" for k in _AGE_KEYS),
)
CSP_CODES = ("1", "2", "3", "4", "5", "6", "7", "8")
CSP_COLUMNS = (  # spelled as in the file (two suffixes differ from the others)
    (
        "15+_men_Farmers_amg_mPOP",
        "15+_men_CraftsBusinessShopkeeper_amg_mPOP",
        "15+_men_ManagersHigherIntellectProf_amg_mPOP",
        "15+_men_IntermediateProf_amg_mPOP",
        "15+_men_WhiteCollar_amg_mPOP",
        "15+_men_BlueCollar_amg_mPOP",
        "15+_men_Retired_amg_mPOP",
        "15+_men_OtherNoActivity_amg_POP",
    ),
    (
        "15+_women_Farmers_amg_wPOP",
        "15+_women_CraftsBusinessShopkeeper_amg_wPOP",
        "15+_women_ManagersHigherIntellectProf_amh_wPOP",
        "15+_women_IntermediateProf_amg_wPOP",
        "15+_women_WhiteCollar_amg_wPOP",
        "15+_women_BlueCollar_amg_wPOP",
        "15+_women_Retired_amg_wPOP",
        "15+_women_OtherNoActivity_amg_wPOP",
    ),
)
MEN_COLUMN = "Men"
ALL_SEXES_AGE_COLUMNS = tuple(f"{k}_amg_POP" for k in _AGE_KEYS)  # for the 15-29 check only
SUM_TOLERANCE = 0.01  # percentage points: shares of a row must add up to 100 within this
_COMPLEMENT_TOLERANCE = 0.05  # points: 15-29 by complement vs by sex
_CODE = re.compile(r"\d{9}|\d{5}|2[AB]\d{3}", re.ASCII)  # EPCI SIREN or commune code


@dataclass(frozen=True, eq=False)
class PopulationStructure:
    """Per area of the file: shares of its population by sex × age and sex × CSP (15+).

    ``sex_age[i, s, a]`` and ``sex_csp[i, s, c]`` are fractions of the area's whole
    population; for each area and sex the CSP fractions add up to the 15+ age fractions.
    """

    codes: tuple[str, ...]  # EPCI SIREN (2021) or commune / arrondissement code
    sex_age: FloatArray
    sex_csp: FloatArray
    notes: tuple[Problem, ...]

    def index(self) -> dict[str, int]:
        """Row of each code."""
        return {code: i for i, code in enumerate(self.codes)}


def read_population_structure(mirror: Mirror) -> PopulationStructure:
    """Read and check POP_epci.csv; ValidationError lists every problem of the file."""
    path = mirror.path(POP_FILE)
    table = read_text_table(path)
    needed = ["codgeo", MEN_COLUMN, *ALL_SEXES_AGE_COLUMNS]
    needed += [c for columns in (*AGE_COLUMNS, *CSP_COLUMNS) for c in columns]
    problems = table.require(needed)
    if problems:
        raise ValidationError(f"{path.name} : colonnes manquantes", problems)
    codes = table.frame.get_column("codgeo")
    problems += _code_problems(table, codes.to_list())
    values: dict[str, FloatArray] = {}
    for column in needed[1:]:
        parsed = parse_numbers(table, column)
        problems += parsed.problems
        missing = parsed.reasons.is_not_null() & parsed.values.is_null()
        problems += [
            _row_problem(table, i, column, "valeur absente", table.frame[column][i])
            for i in missing.arg_true().to_list()
        ]
        array = parsed.values.to_numpy().astype(np.float64)
        bad = np.flatnonzero((array < 0) | (array > 100))
        problems += [
            _row_problem(table, int(i), column, "part hors de 0-100", str(array[i])) for i in bad
        ]
        values[column] = array
    if problems:
        raise ValidationError(f"{path.name} : fichier invalide", problems)
    men = values[MEN_COLUMN] / 100
    sex_share = np.stack([men, 1 - men], axis=1)  # (n, sex)
    age = np.stack([_shares(table, values, AGE_COLUMNS[s], problems) for s in (0, 1)], axis=1)
    csp = np.stack([_shares(table, values, CSP_COLUMNS[s], problems) for s in (0, 1)], axis=1)
    notes = _check_all_sexes(table, values, sex_share, age, problems)
    if problems:
        raise ValidationError(f"{path.name} : fichier invalide", problems)
    sex_age = sex_share[:, :, None] * age
    adults = sex_age[:, :, 1:].sum(axis=2)  # 15 and over, by sex
    return PopulationStructure(
        tuple(codes.to_list()), sex_age, adults[:, :, None] * csp, tuple(notes)
    )


def _row_problem(
    table: TextTable, index: int, column: str, message: str, value: object = None
) -> Problem:
    return Problem(
        "bad_value",
        message,
        file=table.file,
        row=table.row_number(index),
        column=column,
        value=None if value is None else str(value),
    )


def _code_problems(table: TextTable, codes: list[str | None]) -> list[Problem]:
    problems, seen = [], set()
    for i, code in enumerate(codes):
        if code is None or not _CODE.fullmatch(code):
            problems.append(_row_problem(table, i, "codgeo", "code EPCI ou commune invalide", code))
        elif code in seen:
            problems.append(_row_problem(table, i, "codgeo", "code en double", code))
        seen.add(code)
    return problems


def _shares(
    table: TextTable,
    values: Mapping[str, FloatArray],
    columns: Sequence[str],
    problems: list[Problem],
) -> FloatArray:
    """Shares of ``columns`` as fractions adding up to 1 (rows off by > 0.01 point reported)."""
    stacked = np.stack([values[c] for c in columns], axis=1)
    total = stacked.sum(axis=1)
    for i in np.flatnonzero(np.abs(total - 100) > SUM_TOLERANCE):
        problems.append(
            Problem(
                "bad_sum",
                f"les parts {columns[0]} … {columns[-1]} totalisent {total[i]:.4g} %",
                file=table.file,
                row=table.row_number(int(i)),
                expected="100 %",
            )
        )
    return np.asarray(stacked / np.where(total > 0, total, 1.0)[:, None])


def _check_all_sexes(
    table: TextTable,
    values: Mapping[str, FloatArray],
    sex_share: FloatArray,
    age: FloatArray,
    problems: list[Problem],
) -> list[Problem]:
    """The 1529 bug noted; 15-29 by complement of the all-sexes columns checked against sex."""
    overall = np.stack([values[c] for c in ALL_SEXES_AGE_COLUMNS], axis=1) / 100
    copies = int(np.sum(overall[:, 1] == overall[:, 0]))
    complement = 1 - overall[:, [0, 2, 3, 4, 5, 6]].sum(axis=1)
    by_sex = (sex_share * age[:, :, 1]).sum(axis=1)
    for i in np.flatnonzero(np.abs(complement - by_sex) * 100 > _COMPLEMENT_TOLERANCE):
        problems.append(
            Problem(
                "inconsistent_shares",
                f"part des 15-29 ans : {100 * complement[i]:.3f} % par complément, "
                f"{100 * by_sex[i]:.3f} % d'après les colonnes par sexe",
                file=table.file,
                row=table.row_number(int(i)),
            )
        )
    if not copies:
        return []
    return [
        Problem(
            "known_bug",
            f"colonne 1529_amg_POP identique à 0014_amg_POP sur {copies} lignes (bogue connu) : "
            "non utilisée ; 15-29 ans lus dans les colonnes par sexe, vérifiés par complément",
            file=table.file,
            column=ALL_SEXES_AGE_COLUMNS[1],
        )
    ]


def read_arrondissement_populations(mirror: Mirror) -> dict[str, float]:
    """Population municipale of the arrondissements of Paris, Lyon and Marseille (COG 2026)."""
    table = read_text_table(mirror.path(COMMUNES_FILE))
    problems = table.require(["code_insee", "type", "population"])
    if problems:
        raise ValidationError("fichier des communes illisible", problems)
    frame = table.frame.with_row_index("index").filter(pl.col("type") == "arrondissement-municipal")
    rows = (frame.get_column("index") + table.first_line).cast(pl.Int64)
    parsed = parse_numbers(table, "population", frame=frame, rows=rows)
    if parsed.problems:
        raise ValidationError("populations des arrondissements illisibles", list(parsed.problems))
    return {
        code: float(pop)
        for code, pop in zip(frame["code_insee"], parsed.values, strict=True)
        if pop is not None
    }


class Basis(StrEnum):
    """Which rows of the file give a commune's structure."""

    COMMUNE = "commune"  # its own row
    ARRONDISSEMENTS = "arrondissements"  # Paris, Lyon, Marseille: their arrondissements
    EPCI = "epci"  # its EPCI's row (the EPCI's structure applied to the commune)
    NONE = "none"  # not covered: its EPCI of 2026 is not in the file (or DROM)


@dataclass(frozen=True, eq=False)
class CommuneCensus:
    """Census counts of every current commune (population municipale × structure)."""

    communes: tuple[str, ...]
    epci: tuple[str | None, ...]
    population: FloatArray
    basis: tuple[Basis, ...]
    sex_age: FloatArray  # (commune, sex, age band) counts; zeros when not covered
    sex_csp: FloatArray  # (commune, sex, CSP) counts of people aged 15 and over

    def counts(self, rows: Sequence[int]) -> CensusCounts:
        """Census counts of the communes at ``rows``, summed."""
        selected = np.asarray(rows, dtype=np.intp)
        return CensusCounts(
            SEXES,
            AGE_BANDS,
            self.sex_age[selected].sum(axis=0),
            CSP_CODES,
            self.sex_csp[selected].sum(axis=0),
        )


def commune_census(
    structure: PopulationStructure,
    communes: Sequence[Territory],
    arrondissements: Mapping[str, float],
) -> CommuneCensus:
    """Counts of each commune: its own row, else its arrondissements, else its EPCI's row."""
    index = structure.index()
    groups: dict[str, list[str]] = {}
    for code in arrondissements:
        groups.setdefault(_ARRONDISSEMENT_CITY.get(code[:3], ""), []).append(code)
    n = len(communes)
    sex_age = np.zeros((n, len(SEXES), len(AGE_BANDS)))
    sex_csp = np.zeros((n, len(SEXES), len(CSP_CODES)))
    basis: list[Basis] = []
    epcis: list[str | None] = []
    population = np.array([float(c.population or 0) for c in communes])
    for i, commune in enumerate(communes):
        epci = commune.parent(Level.EPCI)
        epcis.append(None if epci is None else epci.code)
        parts = groups.get(commune.code.code, [])
        if commune.code.code in index:
            rows, weights, kind = [index[commune.code.code]], [population[i]], Basis.COMMUNE
        elif parts and all(p in index for p in parts):
            rows, weights = [index[p] for p in parts], [arrondissements[p] for p in parts]
            kind = Basis.ARRONDISSEMENTS
        elif epci is not None and epci.code in index:
            rows, weights, kind = [index[epci.code]], [population[i]], Basis.EPCI
        else:
            basis.append(Basis.NONE)
            continue
        w = np.asarray(weights)[:, None, None]
        sex_age[i] = (structure.sex_age[rows] * w).sum(axis=0)
        sex_csp[i] = (structure.sex_csp[rows] * w).sum(axis=0)
        basis.append(kind)
    return CommuneCensus(
        tuple(c.code.code for c in communes),
        tuple(epcis),
        population,
        tuple(basis),
        sex_age,
        sex_csp,
    )


_ARRONDISSEMENT_CITY = {"751": "75056", "693": "69123", "132": "13055"}
