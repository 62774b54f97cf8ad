"""Matching ("mettre en relation"): complementary partners scored and explained, vectorised.

A :class:`CandidatePool` encodes every active organisation once as numpy arrays (kinds,
fragility masks, commune / EPCI / département / région indices) and groups them by place and
by profile (kind, fragility mask). A query scores the candidates near the request, then only
the far profiles that can still enter the top (:mod:`cotera.registry.match_scoring`): the
same result as scoring every candidate, for a fraction of the work. Scores add four criteria
(points out of 100 by default): shared fragilities, the territory's priority fragilities,
kind complementarity (value chain) and proximity. Ties break on proximity, then on the
smaller organisation id.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import numpy.typing as npt
import polars as pl

from cotera.referential.fragilities import fragility_referential
from cotera.registry.code_groups import CodeGroups
from cotera.registry.fragility_mask import sorted_codes
from cotera.registry.match_scoring import LEVELS, RequestScoring
from cotera.registry.model import OrganizationKind, OrganizationStatus
from cotera.registry.value_chain import KIND_ORDER, ValueChain, value_chain
from cotera.types import Level

IntArray = npt.NDArray[np.int64]


class MatchCriterion(StrEnum):
    """The criteria a suggestion's score is made of."""

    FRAGILITIES = "fragilities"
    PRIORITIES = "priorities"
    KIND = "kind"
    PROXIMITY = "proximity"


class Proximity(StrEnum):
    """How close a candidate is to the request."""

    COMMUNE = "commune"
    EPCI = "epci"
    DEPARTEMENT = "departement"
    REGION = "region"
    FAR = "far"


@dataclass(frozen=True, slots=True)
class MatchWeights:
    """Maximum points per criterion, and the share of proximity points per level."""

    fragilities: float = 40.0
    priorities: float = 15.0
    kind: float = 25.0
    proximity: float = 20.0
    same_commune: float = 1.0
    same_epci: float = 0.75
    same_departement: float = 0.4
    same_region: float = 0.1


@dataclass(frozen=True, slots=True)
class Geography:
    """Where each commune sits, as plain mappings from commune code to parent code."""

    epci: Mapping[str, str]
    departement: Mapping[str, str]
    region: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class MatchRequest:
    """Who is looking (kind, fragilities, place) and what to leave out."""

    fragilities: int  # mask of the fragilities to share (the organisation's, or the one asked)
    commune: str | None = None
    epci: str | None = None
    departement: str | None = None
    region: str | None = None
    kind: OrganizationKind | None = None  # None for a territory + fragility request
    priorities: int = 0  # mask of the territory's priority fragilities
    exclude: frozenset[int] = frozenset()  # the organisation itself and its current partners
    within: Level | None = None  # keep only candidates in the request's territory at this level
    top: int = 10


@dataclass(frozen=True, slots=True)
class ScoreComponent:
    """Points earned on one criterion, out of ``maximum``, with a French explanation."""

    criterion: MatchCriterion
    points: float
    maximum: float
    detail: str


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One suggested partner with its score and why."""

    organization_id: int
    kind: OrganizationKind
    commune: str | None
    proximity: Proximity
    score: float
    components: tuple[ScoreComponent, ...]


def _encode(values: list[str | None]) -> tuple[npt.NDArray[np.int32], tuple[str, ...]]:
    vocabulary = tuple(sorted({v for v in values if v}))
    index = {code: i for i, code in enumerate(vocabulary)}
    return np.array([index.get(v, -1) if v else -1 for v in values], dtype=np.int32), vocabulary


@dataclass(frozen=True, slots=True, eq=False)
class CandidatePool:
    """Active organisations as arrays sorted by id, ready to be scored."""

    ids: IntArray
    kinds: npt.NDArray[np.int8]
    masks: npt.NDArray[np.uint16]
    commune: npt.NDArray[np.int32]  # index into `communes`, -1 when unknown
    epci: npt.NDArray[np.int32]  # index into `codes` of each level, -1 when unknown
    departement: npt.NDArray[np.int32]
    region: npt.NDArray[np.int32]
    communes: tuple[str, ...]
    codes: dict[Level, dict[str, int]]
    places: dict[Level, CodeGroups]  # candidates of each commune, EPCI, département, région
    profiles: CodeGroups  # candidates of each distinct (kind, fragility mask)
    profile_kinds: npt.NDArray[np.int8]
    profile_masks: npt.NDArray[np.uint16]

    @classmethod
    def from_frame(cls, frame: pl.DataFrame, geography: Geography) -> CandidatePool:
        """Build from columns ``id``, ``kind``, ``commune``, ``fragility_mask``, ``status``."""
        active = frame.filter(pl.col("status") == OrganizationStatus.ACTIVE.value).sort("id")
        commune_values = active["commune"].unique().drop_nulls().sort().to_list()
        commune_index = {code: i for i, code in enumerate(commune_values)}
        commune = (
            active["commune"]
            .replace_strict(commune_index, default=-1, return_dtype=pl.Int32)
            .fill_null(-1)
            .to_numpy()
            .astype(np.int32)
        )
        codes: dict[Level, dict[str, int]] = {}
        parents: dict[Level, npt.NDArray[np.int32]] = {}
        for level, mapping in (
            (Level.EPCI, geography.epci),
            (Level.DEPARTEMENT, geography.departement),
            (Level.REGION, geography.region),
        ):
            per_commune, vocabulary = _encode([mapping.get(c) for c in commune_values])
            codes[level] = {code: i for i, code in enumerate(vocabulary)}
            lookup = np.append(per_commune, np.int32(-1))  # index -1 → unknown
            parents[level] = lookup[commune]
        codes[Level.COMMUNE] = commune_index
        parents[Level.COMMUNE] = commune
        kind_index = {k.value: i for i, k in enumerate(KIND_ORDER)}
        kinds = active["kind"].replace_strict(kind_index, return_dtype=pl.Int8).to_numpy()
        masks = active["fragility_mask"].fill_null(0).to_numpy().astype(np.uint16)
        profiles, profile_of = np.unique(kinds.astype(np.int64) << 16 | masks, return_inverse=True)
        return cls(
            ids=active["id"].to_numpy().astype(np.int64),
            kinds=kinds,
            masks=masks,
            commune=commune,
            epci=parents[Level.EPCI],
            departement=parents[Level.DEPARTEMENT],
            region=parents[Level.REGION],
            communes=tuple(commune_values),
            codes=codes,
            places={level: CodeGroups.of(parents[level], len(codes[level])) for level in LEVELS},
            profiles=CodeGroups.of(profile_of, profiles.size),
            profile_kinds=(profiles >> 16).astype(np.int8),
            profile_masks=(profiles & 0xFFFF).astype(np.uint16),
        )

    def __len__(self) -> int:
        return int(self.ids.size)

    def code_of(self, level: Level, code: str | None) -> int:
        """Index of a place code at a level (-2, matching nobody, when unknown)."""
        if not code:
            return -2  # matches nobody (unknown candidates are -1)
        return self.codes[level].get(code, -2)

    def match(
        self,
        request: MatchRequest,
        weights: MatchWeights = MatchWeights(),
        chain: ValueChain | None = None,
    ) -> tuple[Suggestion, ...]:
        """The ``request.top`` best candidates, best first, each with its explanation.

        Exact, without scoring every candidate: the candidates near the request (its région,
        département, EPCI, commune) are scored first; far ones only score their profile
        (kind, fragilities), so only the profiles that can reach the current ``top``-th score
        are fetched. A request restricted to a territory scores that territory only.
        """
        chain = chain or value_chain()
        if request.top <= 0:
            return ()
        scoring = RequestScoring(self, request, weights, chain)
        if request.within is not None:
            chosen = scoring.best(self.places[request.within].rows(scoring.code[request.within]))
        else:
            chosen = scoring.best(scoring.near())
            if chosen.size < request.top:
                chosen = scoring.best(np.arange(len(self)))
            else:
                chosen = scoring.best(np.concatenate([chosen, scoring.far(chosen[-1])]))
        return tuple(
            self._suggestion(int(i), float(scoring.score(i)), request, weights, chain)
            for i in chosen
        )

    def _suggestion(
        self,
        row: int,
        score: float,
        request: MatchRequest,
        weights: MatchWeights,
        chain: ValueChain,
    ) -> Suggestion:
        kind = KIND_ORDER[int(self.kinds[row])]
        mask = int(self.masks[row])
        proximity = self._proximity(row, request)
        components = [
            _fragility_component(
                MatchCriterion.FRAGILITIES, mask, request.fragilities, weights.fragilities
            ),
            _fragility_component(
                MatchCriterion.PRIORITIES, mask, request.priorities, weights.priorities
            ),
        ]
        if request.kind is not None:
            fit = chain.complementarity(request.kind, kind)
            components.append(
                ScoreComponent(
                    MatchCriterion.KIND,
                    round(weights.kind * fit, 6),
                    weights.kind,
                    f"{request.kind.label()} ↔ {kind.label()} (complémentarité {fit:.1f}) : "
                    + chain.explain(request.kind, kind),
                )
            )
        share = {
            Proximity.COMMUNE: weights.same_commune,
            Proximity.EPCI: weights.same_epci,
            Proximity.DEPARTEMENT: weights.same_departement,
            Proximity.REGION: weights.same_region,
            Proximity.FAR: 0.0,
        }[proximity]
        commune = self.communes[self.commune[row]] if self.commune[row] >= 0 else None
        components.append(
            ScoreComponent(
                MatchCriterion.PROXIMITY,
                round(weights.proximity * share, 6),
                weights.proximity,
                _PROXIMITY_TEXT[proximity].format(commune=commune or "inconnue"),
            )
        )
        return Suggestion(
            organization_id=int(self.ids[row]),
            kind=kind,
            commune=commune,
            proximity=proximity,
            score=score,
            components=tuple(c for c in components if c.maximum > 0 and c.detail),
        )

    def _proximity(self, row: int, request: MatchRequest) -> Proximity:
        for level, proximity, column, code in (
            (Level.COMMUNE, Proximity.COMMUNE, self.commune, request.commune),
            (Level.EPCI, Proximity.EPCI, self.epci, request.epci),
            (Level.DEPARTEMENT, Proximity.DEPARTEMENT, self.departement, request.departement),
            (Level.REGION, Proximity.REGION, self.region, request.region),
        ):
            if column[row] == self.code_of(level, code):
                return proximity
        return Proximity.FAR


_PROXIMITY_TEXT = {
    Proximity.COMMUNE: "même commune ({commune})",
    Proximity.EPCI: "même intercommunalité (commune {commune})",
    Proximity.DEPARTEMENT: "même département (commune {commune})",
    Proximity.REGION: "même région (commune {commune})",
    Proximity.FAR: "hors de la région (commune {commune})",
}


def _fragility_component(
    criterion: MatchCriterion, mask: int, wanted: int, maximum: float
) -> ScoreComponent:
    if not wanted:
        return ScoreComponent(criterion, 0.0, 0.0, "")
    shared = sorted_codes(mask & wanted)
    total = len(sorted_codes(wanted))
    referential = fragility_referential()
    names = ", ".join(f"{code} {referential.get(code).label_fr}" for code in shared)
    what = (
        "fragilité(s) en commun"
        if criterion is MatchCriterion.FRAGILITIES
        else "fragilité(s) prioritaire(s) du territoire"
    )
    detail = f"{len(shared)} {what} sur {total}" + (f" : {names}" if names else "")
    return ScoreComponent(criterion, round(maximum * len(shared) / total, 6), maximum, detail)
