"""Data quality, ties and minimum coverage in the diagnostic, on synthetic peers (synthétique).

30 "départements", one indicator per fragility (F01…F16) plus ``epn`` in F13, a count per
10,000 inhabitants that is 0 for 18 of them and assessed "non comparable".
"""

from __future__ import annotations

import numpy as np
import pytest

from cotera.diagnostic.build import build_diagnostic
from cotera.diagnostic.matrix import PeerMatrix
from cotera.diagnostic.model import Diagnostic
from cotera.diagnostic.priority import Certainty
from cotera.diagnostic.scoring import rank_peers
from cotera.indicators.model import IndicatorKind, IndicatorSpec
from cotera.indicators.quality import DataQuality, QualityAssessment, QualityReason
from cotera.referential.fragilities import fragility_referential
from cotera.territory.model import FRANCE, Territory, TerritoryCode
from cotera.types import Direction, Level

N = 30
UNITS = tuple(f"dep:{i + 10}" for i in range(N))
REGION = TerritoryCode(Level.REGION, "84")
PEERS = [
    Territory(TerritoryCode.parse(u), f"Synthétique {u[4:]}", 1, (REGION, FRANCE)) for u in UNITS
]
FRAGILITIES = [f"F{i:02d}" for i in range(1, 17)]
MINUS = Direction.HIGHER_IS_LESS_FRAGILE


def _spec(code: str, fragility: str) -> IndicatorSpec:
    return IndicatorSpec(
        code, f"Indicateur {code} (synthétique)", code, fragility, MINUS, "pour 10 000 hab.",
        IndicatorKind.RATE, (Level.DEPARTEMENT,), "synth", (2013,),
    )  # fmt: skip


SPECS = [_spec(f"x{f[1:]}", f) for f in FRAGILITIES] + [_spec("epn", "F13")]
EPN = QualityAssessment(
    "epn", Level.DEPARTEMENT, 2013, DataQuality.NOT_COMPARABLE, (QualityReason.MOSTLY_ZEROS,),
    N, N, N, 18,
)  # fmt: skip


def _matrix(values: np.ndarray, specs: list[IndicatorSpec] = SPECS) -> PeerMatrix:
    """The peers' values, without the columns nobody has (as ``latest_year_matrix``)."""
    kept = [j for j in range(len(specs)) if np.isfinite(values[:, j]).any()]
    codes = tuple(specs[j].code for j in kept)
    return PeerMatrix(UNITS, codes, (2013,) * len(kept), values[:, kept])


def _values(seed: int = 5) -> np.ndarray:
    rng = np.random.default_rng(seed)
    values = rng.lognormal(size=(N, len(SPECS)))
    values[:18, -1] = 0.0  # epn: 18 of 30 at zero (the first 18 peers)
    return values


def _diagnose(
    matrix: PeerMatrix, unit: int, quality: dict[str, QualityAssessment] | None
) -> Diagnostic:
    referential = fragility_referential()
    rankings = rank_peers(matrix, SPECS, referential, draws=40, seed=1, quality=quality)
    return build_diagnostic(
        PEERS[unit], PEERS, SPECS, matrix, rankings, referential, quality=quality
    )


def test_an_indicator_that_is_not_reliable_never_makes_a_priority_on_its_own() -> None:
    values = _values()
    values[:, 12] = np.nan  # F13 measured by epn alone (x13 missing everywhere)
    matrix = _matrix(values)
    before = _diagnose(matrix, 0, None)  # no assessment stored: epn used as it is
    f13 = next(f for f in before.fragilities if f.code == "F13")
    assert f13.position is not None
    assert f13.position.certainty is not Certainty.NOT_RELIABLE
    after = _diagnose(matrix, 0, {"epn": EPN})
    f13 = next(f for f in after.fragilities if f.code == "F13")
    position = f13.position
    assert position is not None
    assert position.certainty is Certainty.NOT_RELIABLE
    assert not position.certainty.is_priority
    assert "F13" not in [p.fragility for p in after.priorities]
    assert position.sentence.startswith(
        "non retenue comme priorité : aucun indicateur fiable à ce niveau (Indicateur epn "
        "(synthétique) : non comparable entre territoires : 18 départements sur 30 à 0 (60\u202f%))"
    )
    (reading,) = f13.indicators
    assert (reading.quality, reading.scored) == (DataQuality.NOT_COMPARABLE, True)
    assert after.coverage.unreliable_only == ("F13",)
    assert "F13" not in after.coverage.reliable
    assert len(after.coverage.reliable) == 15
    # the overall index leaves epn out: it is the index of the 15 other indicators
    without = _diagnose(_matrix(np.delete(values, -1, axis=1), SPECS[:-1]), 0, None)
    assert after.overall is not None
    assert without.overall is not None
    assert after.overall.score == pytest.approx(without.overall.score)


def test_a_reliable_indicator_alone_scores_its_fragility() -> None:
    matrix = _matrix(_values())
    diagnostic = _diagnose(matrix, 0, {"epn": EPN})
    f13 = next(f for f in diagnostic.fragilities if f.code == "F13")
    assert f13.position is not None
    assert f13.position.certainty is not Certainty.NOT_RELIABLE
    x13, epn = f13.indicators
    assert (x13.scored, epn.scored) == (True, False)
    assert f13.position.percentile == pytest.approx(x13.percentile)  # x13 alone


def test_a_block_of_ties_takes_its_mid_rank_and_says_so() -> None:
    values = _values()
    values[:, 12] = np.nan
    diagnostic = _diagnose(_matrix(values), 0, None)
    f13 = next(f for f in diagnostic.fragilities if f.code == "F13")
    position = f13.position
    assert position is not None
    # 18 peers at 0 (the most fragile value) span ranks 1 to 18: mid-rank 9.5, percentile
    # 100 × (30 − 9.5) / 29 — before, rank 1 and percentile 100 × 12 / 29 = 41
    assert (position.rank, position.ties) == (9.5, 17)
    assert position.percentile == pytest.approx(100 * (30 - 9.5) / 29)
    assert position.tie_note == (
        "ex aequo avec 17 autres départements sur les rangs 1 à 18, rang moyen 9,5"
    )
    assert position.tie_note in position.sentence
    assert position.rank_text() == "9,5 / 30 (ex aequo : 1–18)"
    (reading,) = f13.indicators
    assert (reading.rank, reading.ties, reading.percentile) == (
        position.rank, 17, pytest.approx(position.percentile),
    )  # fmt: skip


def test_below_the_minimum_coverage_there_is_no_overall_rank() -> None:
    values = _values()
    values[0, :9] = np.nan  # the first peer: 7 fragilities of 16 (F10…F16)
    diagnostic = _diagnose(_matrix(values), 0, None)
    assert diagnostic.overall is None
    assert diagnostic.coverage.reliable == tuple(FRAGILITIES[9:])
    assert diagnostic.coverage.minimum == 8
    assert diagnostic.coverage.overall_withheld == (
        "Synthétique 10 n'a que 7 fragilités sur 16 mesurées par des "
        "indicateurs fiables, il en faut au moins 8 ; les fragilités se lisent une à une"
    )
    assert diagnostic.coverage.summary == (
        "7 fragilités mesurées sur 16 par des indicateurs fiables pour Synthétique 10 ; un "
        "indice global parmi les départements en demande au moins 8 : il n'est pas calculé."
    )
    families = {f.code: f for f in diagnostic.families}
    assert families["economique"].position is None  # F01–F03: none of 3
    assert families["economique"].withheld == (
        "non classée : 0 fragilité sur 3 mesurée par des indicateurs fiables, il en faut au moins 2"
    )
    assert families["environnementale"].position is not None  # F15, F16: 2 of 2
    # the fragilities are still read one by one; the other peers are ranked among 29
    assert sum(f.position is not None for f in diagnostic.fragilities) == 7
    other = _diagnose(_matrix(values), 1, None)
    assert other.overall is not None
    assert other.overall.peers == N - 1
    assert diagnostic.peers[0].rank is None


def test_the_minimum_coverage_is_half_of_the_fragilities() -> None:
    values = _values()
    values[0, :8] = np.nan  # 8 of 16 left: enough
    diagnostic = _diagnose(_matrix(values), 0, None)
    assert diagnostic.overall is not None
    assert diagnostic.overall.peers == N
    assert diagnostic.coverage.overall_withheld == ""
