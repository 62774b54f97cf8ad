"""The survey prism beside the barometer, on both backends (synthétique data only).

Survey shares are checked against a plain weighted count of the stored rows and their 95 %
intervals against an independent implementation of R ``svyciprop(method = "logit")`` for a
with-replacement design without strata (linearised variance ``n/(n-1) Σ (w(y-p)/Σw)²``,
Student t with ``n - 1`` degrees of freedom).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from scipy import stats

from cotera.actor import Actor
from cotera.registry.barometer import Dimension
from cotera.registry.synthetic import SyntheticSpec
from cotera.report.sections import sections_to_data
from cotera.services.barometer_survey import (
    NO_WAVE,
    SECRET,
    barometer_with_survey,
    stored_organization_waves,
)
from cotera.services.database import database
from cotera.services.demo import DemoSizes, synthesize_demo
from cotera.services.portrait_sections import portrait
from cotera.services.registry import synthesize
from cotera.settings import Settings
from cotera.storage.survey_store import list_waves, read_responses, store_wave
from cotera.survey.questionnaire import phare_questionnaire
from cotera.types import Level
from tests.services.portrait_db import portrait_database

SIZES = DemoSizes(
    citizens=300,
    companies=900,
    associations=900,
    registry_associations=2000,
    registry_companies=800,
    registry_partnerships=1500,
)
YEAR = 2015


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    portrait_database(database_url)
    return Settings(database_url=database_url, data_dir=tmp_path / "data")


@pytest.fixture
def demo(settings: Settings) -> Settings:
    synthesize_demo(settings, seed=5, sizes=SIZES)
    return settings


def _stored(settings: Settings) -> dict[str, pl.DataFrame]:
    """The stored responses of each organisation prism, answering the partnership question."""
    with database(settings) as engine:
        return {
            w.prism: read_responses(engine, w).filter(pl.col("partnership").is_not_null())
            for w in list_waves(engine)
            if w.prism in ("companies", "associations")
        }


def _departement(code: str | None) -> str | None:
    if code is None:
        return None
    return (code[:3] if code.startswith("97") else code[:2]) if len(code) == 5 else code


def _plain(rows: pl.DataFrame) -> dict[str, float]:
    """Weighted shares and the logit 95 % interval of "has", by hand."""
    answers = rows["partnership"].to_list()
    w = rows["weight"].to_numpy()
    out = {
        s: float(w[[a == s for a in answers]].sum() / w.sum()) for s in ("has", "intends", "none")
    }
    p, n = out["has"], len(answers)
    y = np.array([a == "has" for a in answers], dtype=float)
    se = math.sqrt(n / (n - 1) * float(((w * (y - p) / w.sum()) ** 2).sum()))
    half = stats.t.ppf(0.975, n - 1) * se / (p * (1 - p))
    logit = math.log(p / (1 - p))
    out["has_ci_low"] = 1 / (1 + math.exp(-(logit - half)))
    out["has_ci_high"] = 1 / (1 + math.exp(-(logit + half)))
    return out


def test_shares_equal_a_plain_weighted_count(demo: Settings) -> None:
    result = barometer_with_survey(demo, None, [Dimension.TERRITORY], [YEAR], Level.DEPARTEMENT)
    table = result.table
    assert "kind" in table.columns  # added: the survey is by kind
    waves = _stored(demo)
    checked = 0
    for prism, kind in (("companies", "company"), ("associations", "association")):
        frame = waves[prism].with_columns(
            dep=pl.col("territory").map_elements(_departement, return_dtype=pl.String)
        )
        for row in table.filter(pl.col("kind") == kind).iter_rows(named=True):
            local = frame.filter(pl.col("dep") == row["territory"].removeprefix("dep:"))
            assert local.height >= 3  # every synthetic département has enough respondents
            assert (row["survey_area"], row["survey_status"]) == (row["territory"], "publié")
            assert row["survey_n"] == local.height
            expected = _plain(local)
            for key, value in expected.items():
                assert row[f"survey_{key}"] == pytest.approx(value, rel=1e-9, abs=1e-12)
            assert row["survey_wave_synthetic"] is True
            checked += 1
    assert checked == 10  # five départements × two prisms
    others = table.filter(~pl.col("kind").is_in(["company", "association"]))
    assert others.height > 0
    assert others["survey_status"].null_count() == others.height
    assert any("données synthétiques" in note for note in result.notes)


def test_size_bands_read_the_survey_bands(demo: Settings) -> None:
    result = barometer_with_survey(demo, "dep:93", [Dimension.SIZE_BAND], [YEAR])
    rows = {(r["kind"], r["size_band"]): r for r in result.table.iter_rows(named=True)}
    waves = _stored(demo)
    companies = waves["companies"].filter(pl.col("territory") == "93")
    associations = waves["associations"].filter(pl.col("territory") == "93")
    # the survey's bands as the secrecy plan groups them (adjacent bands read together when a
    # band would otherwise hide a territory): the groups of this seeded demo
    with database(demo) as engine:
        plans = {k.value: w.plan for k, w in stored_organization_waves(engine).items()}
    assert plans["company"].groups == {
        "0-9": "0-9", "10-49": "10-49 + 50-249 + 250+", "50-249": "10-49 + 50-249 + 250+",
        "250+": "10-49 + 50-249 + 250+",
    }  # fmt: skip
    assert plans["association"].groups == {"0": "0 + 1", "1": "0 + 1"}
    large = ["10-49", "50-249", "250+"]
    cases = [
        (("company", "1-9"), companies.filter(pl.col("size_band") == "0-9")),
        (("company", "250+"), companies.filter(pl.col("size_band").is_in(large))),
        (("association", "0"), associations),
        (("association", "10-49"), associations),
    ]
    for key, local in cases:
        assert rows[key]["survey_n"] == local.height
        assert rows[key]["survey_has"] == pytest.approx(_plain(local)["has"], rel=1e-9)
        assert rows[key]["survey_area"] == "dep:93"
    unknown = [r for (kind, band), r in rows.items() if band == "unknown"]
    assert all(r["survey_status"] is None for r in unknown)
    assert any("10-49 + 50-249 + 250+" in note for note in result.notes)


def _wave(settings: Settings, prism: str, rows: list[tuple[str, str, str, str]]) -> None:
    """Store a hand-made organisation wave: (territory, région, band, answer) per respondent."""
    band = "size_band" if prism == "companies" else "employer"
    impacts = {f"impact_F{i:02d}": "3" for i in range(1, 17)}  # for the prisms section
    frame = pl.DataFrame(
        [{"respondent_id": f"{prism}{i}", "prism": prism, "territory": t, "region": r,
          band: b, "partnership": a, "innovation": "1", "weight": 1.0 + i % 3, **impacts}
         for i, (t, r, b, a) in enumerate(rows)]
    )  # fmt: skip
    with database(settings) as engine:
        store_wave(
            engine, frame, name=f"{prism}-main", prism=prism,
            questionnaire_version=phare_questionnaire().version, file_name=f"{prism}.csv",
            content_sha256=f"{prism}-hand-made".ljust(64, "0"), synthetic=False,
        )  # fmt: skip


@pytest.fixture
def registry(settings: Settings) -> Settings:
    spec = SyntheticSpec(associations=1500, partnerships=1000, companies=3000, seed=3)
    synthesize(settings, spec, Actor.system("test"))
    return settings


def test_secrecy_and_the_wider_area(registry: Settings, tmp_path: Path) -> None:
    companies = [("93", "11", "0-9", "has"), ("93", "11", "0-9", "none")]
    companies += [("75", "11", "0-9", a) for a in ("has", "intends")]
    companies += [("75", "11", "10-49", a) for a in ("has", "has", "none")]
    companies += [("75", "11", "50-249", "has")]
    _wave(registry, "companies", companies)
    _wave(registry, "associations", [("93", "11", "0", "has"), ("07", "84", "1", "none")])
    region = pl.DataFrame(companies, schema=["territory", "region", "size_band", "partnership"],
                          orient="row").with_columns(weight=1.0 + pl.int_range(8) % 3)  # fmt: skip

    overall = barometer_with_survey(registry, "dep:93", [], [YEAR])
    rows = {r["kind"]: r for r in overall.table.iter_rows(named=True)}
    company = rows["company"]
    assert (company["survey_area"], company["survey_area_name"]) == (
        "reg:11", "Région synthétique 11",
    )  # fmt: skip
    assert company["survey_n"] == 8
    assert company["survey_has"] == pytest.approx(_plain(region)["has"], rel=1e-12)
    association = rows["association"]  # two respondents in all France: secret everywhere
    assert (association["survey_area"], association["survey_status"]) == ("fr", SECRET)
    assert association["survey_has"] is None
    assert association["survey_n"] is None

    banded = barometer_with_survey(registry, "dep:93", [Dimension.SIZE_BAND], [YEAR])
    bands = {
        r["size_band"]: r
        for r in banded.table.filter(pl.col("kind") == "company").iter_rows(named=True)
    }
    assert bands["50-249"]["survey_status"] == SECRET  # one respondent (primary)
    assert bands["10-49"]["survey_status"] == SECRET  # secondary: 50-249 = total − the rest
    assert bands["10-49"]["survey_has"] is None
    assert bands["10-49"]["survey_n"] is None
    small = region.filter(pl.col("size_band") == "0-9")
    assert bands["1-9"]["survey_n"] == 4
    assert bands["1-9"]["survey_has"] == pytest.approx(_plain(small)["has"], rel=1e-12)
    assert bands["250+"]["survey_status"] == "aucun répondant"

    result = portrait(registry, "dep:93", draws=0, out_dir=tmp_path)
    data = next(s for s in sections_to_data(result.sections) if s["key"] == "barometre")
    survey = {r["kind"]: r for r in data["survey"]["rows"]}
    assert survey["association"]["status"] == SECRET
    assert survey["company"]["local"] is False
    assert "lecture à l'échelle « Région synthétique 11 »" in " ".join(data["survey"]["summary"])
    assert result.path is not None
    html = result.path.read_text(encoding="utf-8")
    assert "<em>secret statistique</em>" in html
    assert '"barometre-enquete"' in html


def test_no_wave_no_survey(registry: Settings, tmp_path: Path) -> None:
    result = barometer_with_survey(registry, None, [Dimension.TERRITORY], [YEAR])
    assert result.notes == (NO_WAVE,)
    survey = result.table.select(pl.selectors.starts_with("survey_"))
    assert survey.width == 16
    assert survey.null_count().row(0) == (result.table.height,) * 16
    portrait_result = portrait(registry, "dep:93", draws=0, out_dir=tmp_path)
    barometer = next(s for s in portrait_result.sections if s.key == "barometre")
    assert barometer.data["survey"] == {
        "available": False, "reason": NO_WAVE, "rows": [], "summary": [],
    }  # fmt: skip
    assert "enquete" not in barometer.charts
    assert portrait_result.path is not None
    html = portrait_result.path.read_text(encoding="utf-8")
    assert "enquête entreprises ou associations n&#39;est enregistrée" in html


def test_portrait_json_twin_carries_the_service_figures(demo: Settings, tmp_path: Path) -> None:
    result = portrait(demo, "dep:93", draws=0, out_dir=tmp_path)
    data = next(s for s in sections_to_data(result.sections) if s["key"] == "barometre")
    year = data["year"]
    service = barometer_with_survey(demo, "dep:93", [Dimension.KIND], [year]).table
    expected = {r["kind"]: r for r in service.iter_rows(named=True)}
    rows = data["survey"]["rows"]
    assert [r["kind"] for r in rows] == ["association", "company"]
    for row in rows:
        twin = expected[row["kind"]]
        assert row["rate"] == pytest.approx(twin["rate"])
        for key in ("has", "has_ci_low", "has_ci_high", "intends", "none", "n", "area"):
            assert row[key] == twin[f"survey_{key}"]
    assert data["survey"]["synthetic"] is True
