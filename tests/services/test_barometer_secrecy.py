"""The barometer's survey fallback: a région figure is never shown beside départements that
would give back a hidden one (synthetic territories, hand-made wave; both backends)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from cotera.registry.barometer import Dimension
from cotera.registry.synthetic import SyntheticSpec
from cotera.services.barometer_survey import barometer_with_survey
from cotera.services.database import database
from cotera.services.registry import synthesize
from cotera.services.survey import estimate_frame
from cotera.services.survey_waves import cross_read_waves, wave_frame
from cotera.settings import Settings
from cotera.storage.engine import open_database
from cotera.storage.survey_store import store_wave
from cotera.storage.territory_store import replace_territories
from cotera.survey.questionnaire import phare_questionnaire
from cotera.territory.model import FRANCE, Territory, TerritoryCode
from cotera.types import Level
from tests.services.diagnostic_db import synthetic_database
from tests.survey.derivable import small_groups

YEAR = 2015
DEPARTEMENTS = ("75", "77", "78", "91", "92", "93", "94", "95")
# the wave: 2 companies in dep:93 (both in partnership), 10 in each other département
HAS = {"75": 3, "77": 3, "78": 3, "91": 2, "92": 2, "93": 2, "94": 2, "95": 2}


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """Région 11 with its eight départements (one synthetic commune each), a synthetic
    registry and the companies wave of the issue (weights of 1)."""
    synthetic_database(database_url)
    region = TerritoryCode(Level.REGION, "11")
    territories = [Territory(FRANCE, "France"), Territory(region, "Région 11", None, (FRANCE,))]
    for code in DEPARTEMENTS:
        dep = TerritoryCode(Level.DEPARTEMENT, code)
        territories.append(Territory(dep, f"Dép. {code}", 100_000, (region, FRANCE)))
        commune = TerritoryCode(Level.COMMUNE, f"{code}001")
        territories.append(Territory(commune, f"Commune {code}001", 100_000, (dep, region, FRANCE)))
    engine = open_database(database_url)
    with engine.begin() as connection:
        replace_territories(connection, territories)
    engine.dispose()
    settings = Settings(database_url=database_url, data_dir=tmp_path / "data")
    synthesize(settings, SyntheticSpec(associations=800, partnerships=600, companies=800), "test")
    impacts = {f"impact_F{i:02d}": "3" for i in range(1, 17)}
    rows = []
    for code in DEPARTEMENTS:
        count = 2 if code == "93" else 10
        for i in range(count):
            rows.append({"respondent_id": f"{code}-{i}", "prism": "companies", "territory": code,
                         "region": "11", "size_band": "0-9", "sector": "services",
                         "partnership": "has" if i < HAS[code] else "none", "innovation": "1",
                         "weight": 1.0, **impacts})  # fmt: skip
    with database(settings) as engine:
        store_wave(
            engine, pl.DataFrame(rows), name="entreprises", prism="companies",
            questionnaire_version=phare_questionnaire().version, file_name="entreprises.csv",
            content_sha256="entreprises".ljust(64, "0"), synthetic=False,
        )  # fmt: skip
    return settings


def test_the_region_figure_does_not_give_back_a_small_departement(settings: Settings) -> None:
    result = barometer_with_survey(settings, None, [Dimension.TERRITORY], [YEAR], Level.DEPARTEMENT)
    rows = {
        r["territory"].removeprefix("dep:"): r
        for r in result.table.filter(pl.col("kind") == "company").iter_rows(named=True)
    }
    assert set(rows) == set(DEPARTEMENTS)
    local = [d for d, r in rows.items() if r["survey_area"] == f"dep:{d}"]
    region = rows["93"]
    assert region["survey_area"] == "reg:11"
    # the subtraction: the région's respondents and "has" answers minus the local ones
    hidden = region["survey_n"] - sum(rows[d]["survey_n"] for d in local)
    hidden_has = region["survey_n"] * region["survey_has"] - sum(
        rows[d]["survey_n"] * rows[d]["survey_has"] for d in local
    )
    assert hidden >= 3, f"{hidden} companies given back ({hidden_has:.3f} in partnership)"
    counts = [2 if d == "93" else 10 for d in DEPARTEMENTS]
    published = [list(range(len(DEPARTEMENTS)))] + [[DEPARTEMENTS.index(d)] for d in local]
    assert small_groups(counts, published, 3) == []
    # the sibling hidden with dep:93 reads the région too, and says why
    assert region["survey_local_status"] == "secret statistique"
    siblings = [d for d in DEPARTEMENTS if d not in local and d != "93"]
    assert [rows[d]["survey_local_status"] for d in siblings] == [
        "secret statistique (secondaire)"
    ]  # fmt: skip
    assert any("secret secondaire" in note for note in result.notes)


def test_every_output_of_the_wave_shows_the_same_pattern(settings: Settings) -> None:
    """The barometer, ``survey estimate --by region`` and the cross-reading of a région agree."""
    table = barometer_with_survey(settings, None, [Dimension.TERRITORY], [YEAR], Level.DEPARTEMENT)
    areas = table.table.filter(pl.col("kind") == "company")["survey_area"].to_list()
    _, frame = wave_frame(settings, "entreprises")
    by_dep = estimate_frame(frame, "partnership", by="territory")
    shown = {d for d, s in by_dep.statuses.items() if not s.hidden}
    assert {a.removeprefix("dep:") for a in areas if a.startswith("dep:")} == shown
    by_region = estimate_frame(frame, "partnership", by="region")
    assert not by_region.statuses["11"].hidden
    reading, _ = cross_read_waves(settings, {"companies": "entreprises"}, region="11")
    assert all(not r.scores["companies"].hidden for r in reading.readings)
