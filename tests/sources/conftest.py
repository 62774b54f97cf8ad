"""A LoadContext built straight from the mirror's COG 2026 files (independent of the COG loader)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest

from cotera.indicators.perimeter import france_perimeters
from cotera.sources.cog import commune_splits
from cotera.sources.indicators import LoadContext, SourceLoad, all_sources
from cotera.sources.mirror import Mirror

_PLM = {"75": "75056", "69": "69123", "13": "13055"}  # Paris, Lyon, Marseille


@pytest.fixture(scope="session")
def context(mirror: Path) -> LoadContext:
    """Communes, départements, régions, EPCI and populations of COG 2026."""
    communes = pl.read_csv(mirror / "cog/communes_cog2026.csv", infer_schema=False)
    current = communes.filter((pl.col("type") == "commune-actuelle") & (pl.col("zone") != "com"))
    population: dict[str, float] = {}
    for code, dep, pop in current.select("code_insee", "departement", "population").iter_rows():
        population[f"com:{code}"] = float(pop or 0)
        population[f"dep:{dep}"] = population.get(f"dep:{dep}", 0.0) + float(pop or 0)
    deps = json.loads((mirror / "cog/departements_cog2026.json").read_text(encoding="utf-8"))
    dep_region = {d["code"]: d["region"] for d in deps if f"dep:{d['code']}" in population}
    for dep, reg in dep_region.items():
        population[f"reg:{reg}"] = population.get(f"reg:{reg}", 0.0) + population[f"dep:{dep}"]
    population["fr"] = sum(v for k, v in population.items() if k.startswith("reg:"))
    epci = pl.read_csv(mirror / "cog/epci_cog2026.csv", infer_schema=False)
    for code, pop in epci.select("code", "population_municipale").iter_rows():
        population[f"epci:{code}"] = float(pop)
    history = pl.read_csv(mirror / "cog/communes_anciens_codes_cog2026.csv", infer_schema=False)
    former = dict(history.select("ancien_code", "code_insee").iter_rows())
    former |= {
        code: chef
        for code, chef in communes.filter(
            pl.col("type").is_in(["commune-deleguee", "commune-associee"])
        )
        .select("code_insee", "chef_lieu")
        .iter_rows()
        if chef and code != chef
    }
    arrondissements = communes.filter(pl.col("type") == "arrondissement-municipal")
    for code, dep in arrondissements.select("code_insee", "departement").iter_rows():
        former[code] = _PLM[dep]
    return LoadContext(
        commune_parent=dict(current.select("code_insee", "departement").iter_rows()),
        dep_region=dep_region,
        population=population,
        former_commune_codes=former,
        commune_epci={c: e for c, e in current.select("code_insee", "epci").iter_rows() if e},
        commune_splits=commune_splits(Mirror(mirror)),
    )


@pytest.fixture(scope="session")
def loads(mirror: Path, context: LoadContext) -> dict[str, SourceLoad]:
    """Every source loaded from the real files, France perimeters set as the load service does."""
    result = {}
    for module in all_sources():
        load = module.load(Mirror(mirror), context)
        frame = france_perimeters(load.observations, context.departements())
        result[module.SOURCE.id] = replace(load, observations=frame)
    return result
