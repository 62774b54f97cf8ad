"""Matching on a hand-made territory where the right order is known."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cotera.registry.fragility_mask import to_mask
from cotera.registry.matching import (
    CandidatePool,
    Geography,
    MatchCriterion,
    MatchRequest,
    MatchWeights,
    Proximity,
)
from cotera.registry.model import OrganizationKind
from cotera.registry.value_chain import value_chain
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


def test_a_far_candidate_beats_weaker_near_ones() -> None:
    """Near candidates are scored first; a far one with a better profile must still win."""
    rows = [
        (1, "association", "A1", F01 | F05, "active"),  # the seeker
        (2, "association", "A1", F01, "active"),  # near, half the fragilities, same kind
        (3, "association", "A2", F01, "active"),
        (4, "company", "Z1", F01 | F05, "active"),  # far, every fragility, complementary
    ]
    frame = pl.DataFrame(
        rows, schema=["id", "kind", "commune", "fragility_mask", "status"], orient="row"
    )
    request = seeker(fragilities=F01 | F05, exclude=frozenset({1}), top=2)
    found = CandidatePool.from_frame(frame, GEOGRAPHY).match(request)
    assert [s.organization_id for s in found] == [4, 2]  # 40 + 25 + 0 beats 20 + 5 + 20


def reference_match(
    rows: list[tuple[int, str, str | None, int, str]], geography: Geography, request: MatchRequest
) -> list[tuple[int, float]]:
    """Score every candidate one by one (the straightforward way), same arithmetic."""
    weights, chain = MatchWeights(), value_chain()
    wanted = {
        Level.REGION: request.region,
        Level.DEPARTEMENT: request.departement,
        Level.EPCI: request.epci,
        Level.COMMUNE: request.commune,
    }
    shares = {
        Level.REGION: weights.same_region,
        Level.DEPARTEMENT: weights.same_departement,
        Level.EPCI: weights.same_epci,
        Level.COMMUNE: weights.same_commune,
    }
    scored = []
    for org_id, kind, commune, mask, status in rows:
        if status != "active" or org_id in request.exclude:
            continue
        if request.fragilities and not mask & request.fragilities:
            continue
        place = {
            Level.REGION: geography.region.get(commune or ""),
            Level.DEPARTEMENT: geography.departement.get(commune or ""),
            Level.EPCI: geography.epci.get(commune or ""),
            Level.COMMUNE: commune,
        }
        same = {lv: wanted[lv] is not None and place[lv] == wanted[lv] for lv in wanted}
        if request.within is not None and not same[request.within]:
            continue
        score = np.float64(0.0)
        if request.fragilities:
            shared = (mask & request.fragilities).bit_count()
            score += weights.fragilities * shared / request.fragilities.bit_count()
        if request.priorities:
            hits = (mask & request.priorities).bit_count()
            score += weights.priorities * hits / request.priorities.bit_count()
        if request.kind is not None:
            score += weights.kind * chain.complementarity(request.kind, OrganizationKind(kind))
        closeness = 0.0
        for level in wanted:  # région first: the finest shared place wins
            closeness = shares[level] if same[level] else closeness
        final = float(np.round(score + weights.proximity * closeness, 6))
        scored.append((-final, -closeness, org_id))
    return [(org_id, -final) for final, _, org_id in sorted(scored)[: request.top]]


PLACES = ["A1", "A2", "B1", "Z1", "Q9", None]  # Q9: a commune outside the geography
KINDS = [k.value for k in OrganizationKind]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(KINDS), st.sampled_from(PLACES), st.integers(0, 15),
                       st.sampled_from(["active", "active", "dissolved"])), max_size=40),
    st.integers(0, 15), st.integers(0, 15), st.sampled_from([None, *KINDS]),
    st.sampled_from(PLACES), st.sampled_from([None, *list(Level)[1:5]]),
    st.integers(1, 8), st.sets(st.integers(1, 40), max_size=5),
)  # fmt: skip
def test_fast_path_equals_scoring_every_candidate(
    orgs: list, fragilities: int, priorities: int, kind: str | None, commune: str | None,
    within: Level | None, top: int, exclude: set[int],
) -> None:  # fmt: skip
    rows = [(i + 1, k, c, m, s) for i, (k, c, m, s) in enumerate(orgs)]
    schema = {"id": pl.Int64, "kind": pl.String, "commune": pl.String,
              "fragility_mask": pl.Int32, "status": pl.String}  # fmt: skip
    frame = pl.DataFrame(rows, schema=schema, orient="row")
    at = commune or ""
    request = MatchRequest(
        fragilities=fragilities, priorities=priorities, top=top, exclude=frozenset(exclude),
        kind=OrganizationKind(kind) if kind else None, commune=commune,
        epci=GEOGRAPHY.epci.get(at), departement=GEOGRAPHY.departement.get(at),
        region=GEOGRAPHY.region.get(at),
        within=within if within in {Level.COMMUNE, Level.EPCI, Level.DEPARTEMENT,
                                    Level.REGION} else None,
    )  # fmt: skip
    found = CandidatePool.from_frame(frame, GEOGRAPHY).match(request)
    assert [(s.organization_id, s.score) for s in found] == reference_match(
        rows, GEOGRAPHY, request
    )
