"""Portrait sections on both backends: absent without data (and why), present after the
synthetic demo, figures checked against direct counts of the stored rows (synthétique)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from cotera.errors import ConfigurationError
from cotera.services.database import database
from cotera.services.demo import DemoSizes, synthesize_demo
from cotera.services.diagnostic import Portrait
from cotera.services.portrait_sections import portrait, stored_facts
from cotera.settings import Settings
from cotera.storage.registry_store import memberships_frame, organizations_frame
from cotera.storage.survey_store import list_waves, read_responses, store_wave
from cotera.survey.questionnaire import phare_questionnaire
from tests.services.portrait_db import portrait_database

SIZES = DemoSizes(
    citizens=3000,
    companies=900,
    associations=900,
    registry_associations=3000,
    registry_companies=1200,
    registry_partnerships=2400,
)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    portrait_database(database_url)
    return Settings(database_url=database_url, data_dir=tmp_path / "data")


def _sections(result: Portrait) -> dict[str, dict[str, object]]:
    return {s.key: {"title": s.title, **s.data} for s in result.sections}


def test_sections_are_absent_with_a_reason_without_data(settings: Settings, tmp_path: Path) -> None:
    result = portrait(settings, "dep:93", draws=0, out_dir=tmp_path)
    sections = _sections(result)
    assert list(sections) == ["prismes", "barometre", "boussole"]
    assert all(s["available"] is False for s in sections.values())
    assert "Aucune vague d'enquête" in str(sections["prismes"]["reason"])
    assert "registre des partenariats est vide" in str(sections["barometre"]["reason"])
    assert "--answers" in str(sections["boussole"]["reason"])
    assert result.path is not None
    html = result.path.read_text(encoding="utf-8")
    assert "cotera demo synth" in html
    assert stored_facts(settings, "dep:93").partnerships is None


@pytest.fixture
def demo(settings: Settings) -> Settings:
    synthesize_demo(settings, seed=11, sizes=SIZES)
    return settings


def _strong_share(frame: pl.DataFrame, fragility: str) -> float:
    """Weighted share of answers 3 or 4 (plain numpy, independent of the survey engine)."""
    answers = frame[f"impact_{fragility}"].to_numpy()
    weights = frame["weight"].to_numpy()
    known = answers != None  # noqa: E711 (object array)
    strong = np.isin(answers, ["3", "4"])
    return float((weights * strong)[known].sum() / weights[known].sum())


def test_prisms_section_reads_the_territory_waves(demo: Settings, tmp_path: Path) -> None:
    result = portrait(demo, "dep:93", draws=0, out_dir=tmp_path)
    prisms = _sections(result)["prismes"]
    assert prisms["available"] is True
    assert prisms["title"] == "Les trois prismes (données synthétiques)"
    assert prisms["scope"] == {
        "code": "dep:93",
        "name": "Dép. synthétique 93",
        "note": "Répondants situés dans Dép. synthétique 93.",
    }
    with database(demo) as engine:
        waves = list_waves(engine)
        frames = {w.prism: read_responses(engine, w) for w in waves}
    local = {p: f.filter(pl.col("territory") == "93") for p, f in frames.items()}
    assert [w["respondents"] for w in prisms["waves"]] == [
        local[p].height for p in ("citizens", "companies", "associations")
    ]
    assert all(w["synthetic"] for w in prisms["waves"])
    rows = {r["fragility"]: r for r in prisms["fragilities"]}
    assert len(rows) == 16
    for prism, frame in local.items():
        score = rows["F01"]["scores"][prism]
        assert score["estimate"] == pytest.approx(_strong_share(frame, "F01"), rel=1e-12)
        assert score["ci_low"] < score["estimate"] < score["ci_high"]
    f04 = next(f for f in result.diagnostic.fragilities if f.code == "F04")
    assert f04.position is not None
    assert rows["F04"]["objective_percentile"] == pytest.approx(f04.position.percentile / 100)
    assert rows["F04"]["gap"] == pytest.approx(
        rows["F04"]["perceived_percentile"] - rows["F04"]["objective_percentile"]
    )
    assert rows["F05"]["objective_percentile"] is None  # not measured in this base
    assert result.path is not None
    html = result.path.read_text(encoding="utf-8")
    assert "Les trois prismes (données synthétiques)" in html
    assert '"prismes-scores"' in html


def test_a_small_wave_is_read_wider_and_hidden_cells_are_secret(
    settings: Settings, tmp_path: Path
) -> None:
    questionnaire = phare_questionnaire()
    impacts = {f"impact_F{i:02d}": "3" for i in range(1, 17)}
    citizens = pl.DataFrame(
        [{"respondent_id": f"c{i}", "prism": "citizens", "territory": "93", "region": "11",
          "sex": "F", "age_band": "25-34", "csp": "3", "innovation": "1", **impacts}
         for i in range(40)]
    )  # fmt: skip
    associations = pl.DataFrame(
        [{"respondent_id": f"a{i}", "prism": "associations", "territory": "93", "region": "11",
          "employer": "0", "association_sector": "social", "partnership": "has",
          "innovation": "1", **impacts} for i in range(2)]
    )  # fmt: skip
    with database(settings) as engine:
        for name, frame in (("citoyens", citizens), ("associations", associations)):
            store_wave(
                engine, frame, name=name, prism=str(frame["prism"][0]),
                questionnaire_version=questionnaire.version, file_name=f"{name}.csv",
                content_sha256=name * 4, synthetic=False,
            )  # fmt: skip
    result = portrait(settings, "dep:93", draws=0, out_dir=tmp_path)
    prisms = _sections(result)["prismes"]
    assert prisms["title"] == "Les trois prismes"
    assert prisms["scope"]["code"] == "fr"  # 2 associations: not enough anywhere
    assert "lecture à l'échelle « France »" in str(prisms["scope"]["note"])
    f01 = next(r for r in prisms["fragilities"] if r["fragility"] == "F01")
    assert f01["scores"]["associations"] == {"hidden": True, "status": "secret statistique",
                                             "n": None}  # fmt: skip
    assert f01["scores"]["citizens"]["estimate"] == 1.0
    assert prisms["shared"] == []
    assert result.path is not None
    assert "<em>secret statistique</em>" in result.path.read_text(encoding="utf-8")
    assert stored_facts(settings, "dep:93").survey_present is None


def test_barometer_rates_match_a_direct_count(demo: Settings, tmp_path: Path) -> None:
    result = portrait(demo, "dep:93", draws=0, out_dir=tmp_path)
    barometer = _sections(result)["barometre"]
    assert barometer["title"] == "Baromètre des partenariats (registre synthétique)"
    year = barometer["year"]
    with database(demo) as engine, engine.connect() as connection:
        orgs = organizations_frame(connection)
        members = memberships_frame(connection)
    assert year == members["start_year"].max()
    active = orgs.filter(
        pl.col("commune").str.starts_with("93")
        & (pl.col("created_year") <= year)
        & (pl.col("dissolved_year").is_null() | (pl.col("dissolved_year") > year))
    )
    live = members.filter(
        (pl.col("start_year") <= year)
        & (pl.col("end_year").is_null() | (pl.col("end_year") >= year))
    )
    partnering = set(live["organization_id"]) & set(active["id"])
    last = barometer["yearly"][-1]
    assert (last["year"], last["organizations"], last["partnering"]) == (
        year, active.height, len(partnering),
    )  # fmt: skip
    assert last["rate"] == pytest.approx(len(partnering) / active.height)
    assert [r["year"] for r in barometer["yearly"]] == list(range(year - 5, year + 1))
    kinds = {r["code"]: r for r in barometer["by_kind"]}
    companies = active.filter(pl.col("kind") == "company")
    assert kinds["company"]["organizations"] == companies.height
    peers = {p["territory"]: p for p in barometer["peers"]}
    assert set(peers) == {"dep:01", "dep:03", "dep:07", "dep:75", "dep:93"}
    assert peers["dep:93"]["rate"] == pytest.approx(last["rate"])
    assert barometer["rank"] == 1 + sum(p["rate"] > last["rate"] for p in peers.values())


def test_compass_section_uses_stored_facts(demo: Settings, tmp_path: Path) -> None:
    answers = demo.data_dir / "demo" / "reponses-exemple-synthetiques.toml"
    budget = demo.data_dir / "demo" / "budget-exemple-synthetique.csv"
    result = portrait(demo, "dep:93", answers=answers, budget=budget, draws=0, out_dir=tmp_path)
    compass = _sections(result)["boussole"]
    assert compass["title"] == "Boussole de la co-construction (réponses d'exemple synthétiques)"
    sources = " ".join(compass["facts_sources"])  # type: ignore[arg-type]
    assert "(registre des partenariats)" in sources
    assert "enquete_presente = oui (enquêtes chargées)" in sources
    facts = stored_facts(demo, "dep:93")
    assert facts.partnerships is not None
    assert f"partenariats = {facts.partnerships.value} (registre" in sources
    with database(demo) as engine, engine.connect() as connection:
        orgs = organizations_frame(connection).filter(pl.col("commune").str.starts_with("93"))
        members = memberships_frame(connection)
    year = int(members["start_year"].max())  # type: ignore[arg-type]
    live = members.filter(pl.col("end_year").is_null() | (pl.col("end_year") >= year))
    mine = live.filter(pl.col("organization_id").is_in(orgs["id"].implode()))
    local = set(mine["partnership_id"])
    kinds: dict[int, set[str]] = {}
    for pid, kind in live.select("partnership_id", "kind").iter_rows():
        kinds.setdefault(pid, set()).add(kind)
    expected = sum({"association", "company"} <= kinds[p] for p in local)
    assert facts.partnerships.value == expected
    assert set(result.sections[2].charts) == {"maturite", "tiers", "couts"}
    with pytest.raises(ConfigurationError):
        portrait(demo, "dep:93", budget=budget, draws=0, out_dir=tmp_path)
