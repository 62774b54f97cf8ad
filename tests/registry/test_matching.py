"""Matching on a hand-made territory where the right order is known."""

from __future__ import annotations

import polars as pl
import pytest

from cotera.registry.fragility_mask import to_mask
from cotera.registry.matching import (
    CandidatePool,
    Geography,
    MatchCriterion,
    MatchRequest,
    Proximity,
)
from cotera.registry.model import OrganizationKind
from cotera.types import Level

# Communes A1, A2 share EPCI E1; B1 is in the same département D1; Z1 is in another région.
GEOGRAPHY = Geography(
    epci={"A1": "E1", "A2": "E1", "B1": "E2", "Z1": "E9"},
    departement={"A1": "D1", "A2": "D1", "B1": "D1", "Z1": "D9"},
    region={"A1": "R1", "A2": "R1", "B1": "R1", "Z1": "R9"},
)
F01, F05 = to_mask(["F01"]), to_mask(["F05"])
ROWS = [  # id, kind, commune, mask, status
    (1, "association", "A1", F01, "active"),  # the seeker
    (2, "company", "A1", F01, "active"),  # same commune, complementary: best
    (3, "company", "A2", F01, "active"),  # same EPCI
    (4, "company", "B1", F01, "active"),  # same département
    (5, "association", "A1", F01, "active"),  # same kind: weak complementarity
    (6, "company", "A1", F05, "active"),  # no shared fragility: never suggested
    (7, "company", "A1", F01, "dissolved"),  # dissolved: never suggested
    (8, "company", "A1", F01, "active"),  # already a partner of 1
    (9, "company", "Z1", F01, "active"),  # far away
    (10, "company", "A1", F01, "active"),  # ties with 2: smaller id first
]


@pytest.fixture(scope="module")
def pool() -> CandidatePool:
    frame = pl.DataFrame(
        ROWS, schema=["id", "kind", "commune", "fragility_mask", "status"], orient="row"
    )
    return CandidatePool.from_frame(frame, GEOGRAPHY)


def seeker(**changes: object) -> MatchRequest:
    base: dict[str, object] = {
        "fragilities": F01,
        "commune": "A1",
        "epci": "E1",
        "departement": "D1",
        "region": "R1",
        "kind": OrganizationKind.ASSOCIATION,
        "exclude": frozenset({1, 8}),
    }
    base.update(changes)
    return MatchRequest(**base)  # type: ignore[arg-type]


def test_order_is_the_known_one(pool: CandidatePool) -> None:
    suggestions = pool.match(seeker(top=6))
    assert [s.organization_id for s in suggestions] == [2, 10, 3, 4, 5, 9]
    # 40 (fragility) + 25 (association ↔ company) + 20 × proximity share
    assert [s.score for s in suggestions] == [85.0, 85.0, 80.0, 73.0, 67.5, 65.0]
    assert [s.proximity for s in suggestions[:4]] == [
        Proximity.COMMUNE,
        Proximity.COMMUNE,
        Proximity.EPCI,
        Proximity.DEPARTEMENT,
    ]


def test_explanation_adds_up_to_the_score(pool: CandidatePool) -> None:
    for suggestion in pool.match(seeker(top=10)):
        assert sum(c.points for c in suggestion.components) == pytest.approx(suggestion.score)
    third = pool.match(seeker(top=3))[2]
    texts = {c.criterion: c.detail for c in third.components}
    assert "F01 Emploi" in texts[MatchCriterion.FRAGILITIES]
    assert "intercommunalité" in texts[MatchCriterion.PROXIMITY]
    assert "entreprise apporte" in texts[MatchCriterion.KIND]


def test_exclusions_dissolved_and_unrelated_never_suggested(pool: CandidatePool) -> None:
    ids = {s.organization_id for s in pool.match(seeker(top=100))}
    assert ids.isdisjoint({1, 6, 7, 8})


def test_territory_and_fragility_request(pool: CandidatePool) -> None:
    request = MatchRequest(fragilities=F01, departement="D1", region="R1", within=Level.DEPARTEMENT)
    suggestions = pool.match(request)
    # Same fragility, same département for all, no kind: ties broken by id; 7 is dissolved.
    assert [s.organization_id for s in suggestions] == [1, 2, 3, 4, 5, 8, 10]
    assert {s.score for s in suggestions} == {48.0}


def test_priorities_lift_candidates_on_the_territory_priorities(pool: CandidatePool) -> None:
    request = MatchRequest(fragilities=F01 | F05, priorities=F05, commune="A1", top=3)
    assert pool.match(request)[0].organization_id == 6  # the only one on the priority F05


def test_deterministic(pool: CandidatePool) -> None:
    assert pool.match(seeker()) == pool.match(seeker())
