from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from cotera.diagnostic.build import ReferenceValues, build_diagnostic
from cotera.diagnostic.matrix import PeerMatrix
from cotera.diagnostic.priority import Certainty
from cotera.diagnostic.ranking import GroupRanking, Rankings
from cotera.errors import DataUnavailableError
from cotera.indicators.denominator import PopulationVintage
from cotera.indicators.model import IndicatorKind, IndicatorSpec
from cotera.indicators.perimeter import FrancePerimeter, Perimeter
from cotera.referential.fragilities import fragility_referential
from cotera.territory.model import FRANCE, Territory, TerritoryCode
from cotera.types import Direction, Level

REG = TerritoryCode(Level.REGION, "11")
UNITS = ("dep:75", "dep:92", "dep:93", "dep:94")
PEERS = [
    Territory(TerritoryCode.parse(u), f"Département {u[-2:]}", None, (REG, FRANCE)) for u in UNITS
]


def _spec(code: str, fragility: str, direction: Direction) -> IndicatorSpec:
    return IndicatorSpec(
        code, f"libellé {code}", code, fragility, direction, "%", IndicatorKind.RATE,
        (Level.DEPARTEMENT,), "src", (2020,),
    )  # fmt: skip


SPECS = [
    _spec("poverty", "F04", Direction.HIGHER_IS_MORE_FRAGILE),
    _spec("income", "F03", Direction.HIGHER_IS_LESS_FRAGILE),
    _spec("crime", "F09", Direction.HIGHER_IS_MORE_FRAGILE),
]
MATRIX = PeerMatrix(
    UNITS,
    ("poverty", "income", "crime"),
    (2021, 2013, 2022),
    np.array(
        [
            [15.0, 27000.0, 90.0],
            [12.0, 25000.0, 60.0],
            [28.0, 16700.0, np.nan],
            [18.0, 20000.0, 70.0],
        ]
    ),
)


def _ranking(
    rank: list[float], low: list[float] | None = None, high: list[float] | None = None
) -> GroupRanking:
    r = np.array(rank)
    n = np.count_nonzero(np.isfinite(r))
    pct = 100.0 * (n - r) / (n - 1)
    return GroupRanking(
        UNITS, -r, pct, r,
        None if low is None else np.array(low), None if low is None else r,
        None if high is None else np.array(high),
    )  # fmt: skip


RANKINGS = Rankings(
    fragilities={
        "F04": _ranking([3, 4, 1, 2], [2, 3, 1, 1], [3, 4, 1, 3]),
        "F03": _ranking([4, 3, 1, 2], [3, 3, 1, 1], [4, 4, 2, 3]),
        "F09": _ranking([1, 3, np.nan, 2], [1, 3, np.nan, 1], [1, 3, np.nan, 3]),
    },
    families={"sociale": _ranking([3, 4, 1, 2])},
    overall=_ranking([3, 4, 1, 2], [2, 3, 1, 1], [4, 4, 1, 3]),
    method=("rangs centiles",),
    draws=100,
    seed=7,
)


def test_diagnostic_of_one_territory() -> None:
    france = ReferenceValues("fr", "France", {"poverty": (14.5, 2021), "income": (21000.0, 2013)})
    region = ReferenceValues("reg:11", "Île-de-France", {"poverty": (15.9, 2021)})
    diag = build_diagnostic(
        PEERS[2], PEERS, SPECS, MATRIX, RANKINGS, fragility_referential(),
        sources={"src": "INSEE"}, france=france, parent=region, top=1,
    )  # fmt: skip
    assert (diag.territory, diag.level, diag.top, diag.peers_count) == (
        "dep:93",
        Level.DEPARTEMENT,
        1,
        4,
    )
    assert diag.parent == ("reg:11", "Île-de-France")
    by_code = {f.code: f for f in diag.fragilities}
    assert len(by_code) == 16
    poverty = by_code["F04"].indicators[0]
    assert (poverty.value, poverty.year, poverty.rank, poverty.peers, poverty.source) == (
        28.0, 2021, 1, 4, "INSEE",
    )  # fmt: skip
    assert poverty.percentile == 100.0
    assert poverty.france is not None
    assert poverty.france.percentile == 25.0  # of 15, 12, 28, 18 only 12 is below 14.5
    assert poverty.parent is not None
    assert poverty.parent.percentile == 50.0  # 12 and 15 are below 15.9
    # F04: interval [1, 1] inside top 1 -> robust; F03: [1, 2] -> depends on the method
    assert by_code["F04"].position is not None
    assert by_code["F04"].position.certainty is Certainty.ROBUST_TOP
    assert by_code["F03"].position is not None
    assert by_code["F03"].position.certainty is Certainty.METHOD_DEPENDENT
    assert [p.fragility for p in diag.priorities] == ["F04", "F03"]
    assert "quelle que soit la méthode" in diag.priorities[0].position.sentence
    assert diag.priorities[0].position.span() == "rang 1 sur 4"
    assert diag.priorities[1].position.span() == "rang 1 à 2 sur 4"
    assert diag.priorities[1].position.sentence.startswith("dépend de la méthode")
    # coverage: F09 has peers' data but not dep:93's; 13 fragilities have no indicator
    assert diag.coverage.with_data == ("F03", "F04")
    assert diag.coverage.missing_for_territory == ("F09",)
    assert len(diag.coverage.no_data_at_level) == 13
    assert dict(diag.coverage.years) == {"poverty": 2021, "income": 2013, "crime": 2022}
    assert by_code["F09"].indicators[0].value is None
    # income: higher is less fragile; 27000 and 25000 are less fragile than 21000 -> 2/4
    assert by_code["F03"].france_percentile == pytest.approx(50.0)
    families = {f.code: f for f in diag.families}
    assert families["sociale"].position is not None
    assert families["economique"].position is None
    assert diag.overall is not None
    assert diag.overall.rank == 1
    assert [p.code for p in diag.peers] == list(UNITS)


def test_territory_outside_the_peers_is_an_error() -> None:
    stranger = Territory(TerritoryCode.parse("dep:13"), "Bouches-du-Rhône")
    with pytest.raises(DataUnavailableError):
        build_diagnostic(stranger, PEERS, SPECS, MATRIX, RANKINGS, fragility_referential())


def test_a_wide_interval_says_when_the_indicators_diverge() -> None:
    f03 = replace(
        RANKINGS.fragilities["F03"],
        indicator_low=np.array([50.0, 40.0, 0.0, 30.0]),
        indicator_high=np.array([60.0, 40.0, 100.0, 90.0]),
    )
    rankings = replace(RANKINGS, fragilities={**RANKINGS.fragilities, "F03": f03})
    diag = build_diagnostic(
        PEERS[2], PEERS, SPECS, MATRIX, rankings, fragility_referential(), top=1
    )
    f03_position = next(p for p in diag.priorities if p.fragility == "F03").position
    clause = " ; ses indicateurs divergent (du centile 0 au centile 100)"
    assert f03_position.span() == "rang 1 à 2 sur 4" + clause
    assert f03_position.sentence.endswith(clause)
    f04_position = next(p for p in diag.priorities if p.fragility == "F04").position
    assert "divergent" not in f04_position.sentence  # no component range known


def test_france_perimeter_and_approximate_denominators() -> None:
    france = ReferenceValues(
        "fr",
        "France",
        {"poverty": (14.5, 2021), "income": (21000.0, 2013)},
        perimeters={"poverty": FrancePerimeter(Perimeter.METROPOLITAN, ("75",))},
        populations={"poverty": PopulationVintage(2021, 2026)},
        names={"75": "Paris"},
    )
    populations = {  # poverty: dep:94 divided by another year's population; income: none used
        "poverty": {
            "dep:93": PopulationVintage(2021, 2021),
            "dep:94": PopulationVintage(2026, 2026),
        },
    }
    diag = build_diagnostic(
        PEERS[2], PEERS, SPECS, MATRIX, RANKINGS, fragility_referential(),
        france=france, populations=populations,
    )  # fmt: skip
    by_code = {f.code: f for f in diag.fragilities}
    poverty = by_code["F04"].indicators[0]
    assert poverty.france is not None
    assert poverty.france.perimeter_label == "France métropolitaine hors Paris (75)"
    assert poverty.france.population_note == "populations 2021 à 2026 (approximation)"
    assert (poverty.population_note, poverty.approximation) == ("population 2021", True)
    income = by_code["F03"].indicators[0]
    assert income.france is not None
    assert (income.france.perimeter, income.france.perimeter_label) == (None, "")
    assert (income.population_note, income.approximation) == ("", False)
    assert diag.coverage.approximations == ("poverty",)
