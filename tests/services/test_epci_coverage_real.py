"""EPCI coverage on the real data: BPE (F08, F12, F13, F14) and RP 2018 (F05, F07, F10) by EPCI.

Loads the COG and the two sources with EPCI values from the mirror into a temporary SQLite file.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from cotera.services.data_load import load_all
from cotera.services.database import database
from cotera.services.diagnostic import diagnose
from cotera.services.indicators import territory_indicators
from cotera.settings import Settings
from cotera.sources.indicators import bpe, rp2018_epci
from cotera.storage.indicator_store import read_observations
from cotera.types import Level

BPE_FRAGILITIES = {"F08", "F12", "F13", "F14"}
GRAND_PARIS, VAL_PARISIS = "epci:200054781", "epci:200058485"


@pytest.fixture(scope="module")
def epci_base(mirror: Path, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    directory = tmp_path_factory.mktemp("epci")
    settings = Settings(
        database_url=f"sqlite:///{directory / 'cotera.sqlite'}",
        data_dir=directory,
        data_mirror=mirror,
    )
    summary = load_all(settings, sources=[bpe, rp2018_epci])
    epci = {c.fragility: c.territories for c in summary.coverage if c.level is Level.EPCI}
    assert {f for f, n in epci.items() if n >= 1200} == BPE_FRAGILITIES | {"F05", "F07", "F10"}
    return settings


@pytest.mark.slow
def test_stored_epci_counts_are_sums_of_stored_communes(epci_base: Settings, mirror: Path) -> None:
    # membership read here from the COG communes file, not from the stored territories
    communes = pl.read_csv(mirror / "cog/communes_cog2026.csv", infer_schema=False).filter(
        pl.col("type") == "commune-actuelle"
    )
    with database(epci_base) as engine, engine.connect() as connection:
        stored = read_observations(connection, indicators=list(bpe.TYPES))
    for epci in (GRAND_PARIS, VAL_PARISIS):
        members = ("com:" + communes.filter(pl.col("epci") == epci[5:])["code_insee"]).to_list()
        for indicator in bpe.TYPES:
            rows = stored.filter(pl.col("indicator") == indicator)
            for year in rows["year"].unique().to_list():
                of_year = rows.filter(pl.col("year") == year)
                children = of_year.filter(pl.col("territory").is_in(members))
                parent = of_year.filter(pl.col("territory") == epci)
                assert parent.item(0, "numerator") == children["numerator"].sum()
                assert parent.item(0, "denominator") == children["denominator"].sum()


@pytest.mark.slow
def test_epci_diagnostics_read_bpe_and_rp_fragilities(epci_base: Settings) -> None:
    # RP 2018: Val Parisis has its own row, the Grand Paris is computed from its communes
    for epci in (GRAND_PARIS, VAL_PARISIS):
        coverage = diagnose(epci_base, epci, draws=0, write=False).diagnostic.coverage
        assert set(coverage.with_data) == BPE_FRAGILITIES | {"F05", "F07", "F10"}, epci
        assert coverage.missing_for_territory == ()
    table = territory_indicators(epci_base, GRAND_PARIS)
    assert table.loaded
    assert {v.fragility for v in table.values if v.value is not None} == BPE_FRAGILITIES | {
        "F05",
        "F07",
        "F10",
    }
