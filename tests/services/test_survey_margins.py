"""Citizen margins of real territories (RP 2018 by EPCI, COG 2026 populations), via the mirror.

Expected figures are recomputed here from the raw CSV files with the csv module and plain
arithmetic, independently of the project's readers.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from cotera.errors import DataUnavailableError
from cotera.services.survey_margins import (
    CensusData,
    TerritoryMargins,
    margins_file,
    read_census_data,
    territory_margins,
)
from cotera.settings import Settings
from cotera.sources.census_margins import Basis
from cotera.survey.raking import parse_margins, rake
from cotera.survey.synthetic import generate

EPCI = "200000172"  # CC Faucigny - Glières (Haute-Savoie), a row of POP_epci.csv


@pytest.fixture(scope="module")
def data(mirror: Path) -> CensusData:
    return read_census_data(Settings(data_mirror=mirror))


@pytest.fixture(scope="module")
def raw(mirror: Path) -> dict[str, dict[str, float]]:
    with (mirror / "indicators/epci_rp2018_filo2018/POP_epci.csv").open(encoding="utf-8") as f:
        return {
            r["codgeo"]: {k: float(v) for k, v in r.items() if k != "codgeo"}
            for r in csv.DictReader(f)
        }


@pytest.fixture(scope="module")
def communes(mirror: Path) -> list[dict[str, str]]:
    with (mirror / "cog/communes_cog2026.csv").open(encoding="utf-8") as f:
        return [
            r
            for r in csv.DictReader(f)
            if r["type"] == "commune-actuelle" and r["zone"] in ("metro", "drom")
        ]


def _epci_population(communes: list[dict[str, str]], epci: str) -> float:
    return sum(float(c["population"]) for c in communes if c["epci"] == epci)


def _totals(result: TerritoryMargins) -> dict[tuple[str, str], float]:
    return {(v, lv): t for v, lv, t in result.table().iter_rows()}


def test_epci_margins_from_the_file(
    data: CensusData, raw: dict[str, dict[str, float]], communes: list[dict[str, str]]
) -> None:
    row = raw[EPCI]
    population = _epci_population(communes, EPCI)
    # all-sexes columns, 15-29 by complement (the file's 1529_amg_POP copies 0014_amg_POP)
    bands = ("0014", "3044", "4559", "6074", "7589", "90+")
    share_1529 = 100 - sum(row[f"{b}_amg_POP"] for b in bands)
    assert row["1529_amg_POP"] == row["0014_amg_POP"]  # the known bug is in this row
    adults = population * (100 - row["0014_amg_POP"] - 3 / 15 * share_1529) / 100
    result = territory_margins(data, f"epci:{EPCI}")
    assert result.population == population
    assert result.coverage == 1.0
    assert result.population_by_basis == {Basis.EPCI: population}
    totals = _totals(result)
    for variable in ("sex", "age_band", "csp"):
        total = sum(t for (v, _), t in totals.items() if v == variable)
        assert total == pytest.approx(adults, rel=1e-6)  # file shares carry ~1e-7 point noise
    assert totals["age_band", "18-29"] == pytest.approx(
        population * 12 / 15 * share_1529 / 100, rel=1e-6
    )
    assert totals["age_band", "75+"] == pytest.approx(
        population * (row["7589_amg_POP"] + row["90+_amg_POP"]) / 100, rel=1e-6
    )
    men = population * row["Men"] / 100
    men_adults = men * (100 - row["0014_men_amg_mPOP"] - 3 / 15 * row["1529_men_amg_mPOP"]) / 100
    assert totals["sex", "M"] == pytest.approx(men_adults, rel=1e-6)
    managers = sum(
        population
        * share
        / 100
        * (100 - row[f"0014_{sex}_amg_{p}POP"])
        / 100
        * row[f"15+_{sex}_ManagersHigherIntellectProf_{suffix}"]
        / 100
        for sex, p, share, suffix in (
            ("men", "m", row["Men"], "amg_mPOP"),
            ("women", "w", 100 - row["Men"], "amh_wPOP"),
        )
    )
    assert totals["csp", "3"] == pytest.approx(managers, rel=1e-6)
    assert any("RP 2018" in n or "recensement de la population 2018" in n for n in result.notes)
    assert any("1529_amg_POP" in n for n in result.notes)


def test_departement_equals_the_sum_of_its_epcis(
    data: CensusData, communes: list[dict[str, str]]
) -> None:
    deps_of_epci: dict[str, set[str]] = defaultdict(set)
    for c in communes:
        deps_of_epci[c["epci"]].add(c["departement"])
    dep = "37"  # Indre-et-Loire: 11 EPCI, all wholly inside the département and in the file
    epcis = {c["epci"] for c in communes if c["departement"] == dep}
    assert "" not in epcis
    assert all(deps_of_epci[e] == {dep} for e in epcis)
    whole = _totals(territory_margins(data, f"dep:{dep}"))
    summed: dict[tuple[str, str], float] = defaultdict(float)
    for epci in sorted(epcis):
        for key, total in _totals(territory_margins(data, f"epci:{epci}")).items():
            summed[key] += total
    assert whole.keys() == summed.keys()
    for key, total in whole.items():
        assert total == pytest.approx(summed[key], rel=1e-9)


def test_coverage_commune_and_big_cities(data: CensusData) -> None:
    commune = territory_margins(data, "com:01001")
    assert commune.population_by_basis == {Basis.EPCI: commune.population}
    assert any("structure de son EPCI" in n for n in commune.notes)
    paris = territory_margins(data, "com:75056")
    assert paris.population_by_basis == {Basis.ARRONDISSEMENTS: paris.population}
    assert _totals(territory_margins(data, "dep:75")) == _totals(paris)
    partial = territory_margins(data, "dep:47")  # EPCI changed since 2021
    assert 0.5 < partial.coverage < 1
    assert partial.margins.adults < partial.population
    assert any(n.startswith("Couverture : ") for n in partial.notes)
    france = territory_margins(data, "fr")
    assert 0.95 < france.coverage < 0.98  # the five DROM and a few EPCI are not in the file
    with pytest.raises(DataUnavailableError):
        territory_margins(data, "dep:971")


def test_synthetic_sample_rakes_to_epci_margins(mirror: Path, tmp_path: Path) -> None:
    """Round trip through the margins file (sample: données synthétiques)."""
    out = tmp_path / "margins.csv"
    margins_file(Settings(data_mirror=mirror), f"epci:{EPCI}", out)
    margins = parse_margins(pl.read_csv(out, infer_schema=False), out.name)
    sample = generate("citizens", 5000, seed=3)
    raked = rake(sample, margins)
    assert raked.report.converged
    assert raked.report.max_relative_error <= 1e-8
    for margin, codes in zip(margins, raked.codes, strict=True):
        totals = np.bincount(codes, weights=raked.weights, minlength=len(margin.levels))
        np.testing.assert_allclose(totals, margin.totals, rtol=1e-8)
