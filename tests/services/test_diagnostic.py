"""The diagnostic service on a small synthetic database (fast), and on the real data (slow)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cotera.diagnostic.priority import Certainty
from cotera.errors import DataUnavailableError, NotFoundError
from cotera.services.diagnostic import diagnose, diagnose_level
from cotera.settings import Settings
from cotera.types import Level
from tests.services.diagnostic_db import POVERTY, synthetic_database


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    directory = tmp_path_factory.mktemp("diagnostic")
    url = f"sqlite:///{directory / 'synth.sqlite'}"
    synthetic_database(url)
    return Settings(database_url=url, data_dir=directory, data_mirror=None)


@pytest.fixture(scope="module")
def wide(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Eight synthetic fragilities: enough for an overall index."""
    directory = tmp_path_factory.mktemp("diagnostic-wide")
    url = f"sqlite:///{directory / 'synth.sqlite'}"
    synthetic_database(url, wide=True)
    return Settings(database_url=url, data_dir=directory, data_mirror=None)


def test_diagnose_one_departement(settings: Settings) -> None:
    portrait = diagnose(settings, "dep:93", draws=50, seed=1)
    diagnostic = portrait.diagnostic
    assert (diagnostic.territory, diagnostic.peers_count, diagnostic.top) == ("dep:93", 5, 3)
    assert diagnostic.parent == ("reg:11", "Région synthétique 11")
    by_code = {f.code: f for f in diagnostic.fragilities}
    poverty = by_code["F04"].indicators[0]
    assert (poverty.value, poverty.year, poverty.rank, poverty.peers) == (28.0, 2021, 1, 5)
    assert poverty.source == "Source synthétique (Licence Ouverte)"
    assert poverty.france is not None
    assert (poverty.france.value, poverty.france.year) == (14.6, 2020)  # latest France year
    assert poverty.parent is not None
    assert (poverty.parent.value, poverty.parent.year) == (15.5, 2021)
    assert [p.fragility for p in diagnostic.priorities] == ["F03", "F04"]
    assert all(p.position.certainty is Certainty.ROBUST_TOP for p in diagnostic.priorities)
    assert diagnostic.coverage.with_data == ("F03", "F04")
    assert len(diagnostic.coverage.no_data_at_level) == 14
    # 2 fragilities of 16: no overall rank, said before anything else
    assert diagnostic.overall is None
    assert diagnostic.coverage.reliable == ("F03", "F04")
    assert diagnostic.coverage.overall_withheld.startswith("Dép. synthétique 93 n'a que 2")
    assert diagnostic.draws == 50
    assert portrait.path == settings.data_dir / "reports" / "portrait-dep-93.html"
    html = portrait.path.read_text(encoding="utf-8")
    assert "Dép. synthétique 93" in html
    map_section = html.split('<section id="carte">')[1].split("</section>")[0]
    assert "Contours non chargés : lancez « cotera data load »." in map_section  # no outlines


def test_diagnose_by_name_without_writing(settings: Settings) -> None:
    portrait = diagnose(settings, "dép. synthétique 07", draws=0, write=False)
    assert portrait.path is None
    assert portrait.diagnostic.territory == "dep:07"
    assert portrait.diagnostic.draws == 0
    assert portrait.diagnostic.priorities[0].position.certainty is Certainty.UNASSESSED_TOP


def test_all_departements_rank_the_peers_once(wide: Settings, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    portraits = diagnose_level(
        wide, Level.DEPARTEMENT, draws=20, seed=2, out_dir=tmp_path / "out",
        progress=lambda done, total, name: seen.append((done, total)),
    )  # fmt: skip
    assert [p.diagnostic.territory for p in portraits] == [f"dep:{d}" for d in sorted(POVERTY)]
    assert seen[-1] == (5, 5)
    assert len(list((tmp_path / "out").glob("portrait-*.html"))) == 5
    # by hand: mean of the poverty and income percentile ranks; dep:07 and dep:75 tie at 0.375
    # over ranks 3 and 4: they share the mid-rank 3.5 (and the percentile 100 × 1.5 / 4)
    ranks = {
        p.diagnostic.territory: p.diagnostic.overall and p.diagnostic.overall.rank
        for p in portraits
    }
    assert ranks == {"dep:93": 1, "dep:03": 2, "dep:07": 3.5, "dep:75": 3.5, "dep:01": 5}
    tied = next(p.diagnostic.overall for p in portraits if p.diagnostic.territory == "dep:07")
    assert tied is not None
    assert (tied.percentile, tied.ties) == (37.5, 1)
    assert "ex aequo avec un autre département sur les rangs 3 à 4, rang moyen 3,5" in tied.sentence


def test_no_indicator_at_a_level_is_said(settings: Settings) -> None:
    with pytest.raises(DataUnavailableError, match="aucun indicateur"):
        diagnose(settings, "epci:200000001", draws=0)
    with pytest.raises(NotFoundError):
        diagnose(settings, "dep:99", draws=0)
