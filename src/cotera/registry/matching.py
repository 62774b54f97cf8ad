"""Matching ("mettre en relation"): complementary partners scored and explained, vectorised.

A :class:`CandidatePool` encodes every active organisation once as numpy arrays (kinds,
fragility masks, commune / EPCI / département / région indices); a query then scores all of
them in a few array operations. Scores add four criteria (points out of 100 by default):
shared fragilities, the territory's priority fragilities, kind complementarity (value chain)
and proximity. Ties break on proximity, then on the smaller organisation id.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import numpy.typing as npt
import polars as pl

from cotera.referential.fragilities import fragility_referential
from cotera.registry.fragility_mask import sorted_codes
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
        kind_index = {k.value: i for i, k in enumerate(KIND_ORDER)}
        return cls(
            ids=active["id"].to_numpy().astype(np.int64),
            kinds=active["kind"].replace_strict(kind_index, return_dtype=pl.Int8).to_numpy(),
            masks=active["fragility_mask"].fill_null(0).to_numpy().astype(np.uint16),
            commune=commune,
            epci=parents[Level.EPCI],
            departement=parents[Level.DEPARTEMENT],
            region=parents[Level.REGION],
            communes=tuple(commune_values),
            codes=codes,
        )

    def __len__(self) -> int:
        return int(self.ids.size)

    def _code(self, level: Level, code: str | None) -> int:
        if not code:
            return -2  # matches nobody (unknown candidates are -1)
        return self.codes[level].get(code, -2)

    def match(
        self,
        request: MatchRequest,
        weights: MatchWeights = MatchWeights(),
        chain: ValueChain | None = None,
    ) -> tuple[Suggestion, ...]:
        """The ``request.top`` best candidates, best first, each with its explanation."""
        chain = chain or value_chain()
        places = {
            Level.COMMUNE: (self.commune, self._code(Level.COMMUNE, request.commune)),
            Level.EPCI: (self.epci, self._code(Level.EPCI, request.epci)),
            Level.DEPARTEMENT: (
                self.departement,
                self._code(Level.DEPARTEMENT, request.departement),
            ),
            Level.REGION: (self.region, self._code(Level.REGION, request.region)),
        }
        want = np.uint16(request.fragilities)
        eligible = (self.masks & want) != 0 if request.fragilities else np.ones(len(self), bool)
        if request.within is not None:
            column, code = places[request.within]
            eligible &= column == code
        if request.exclude:
            wanted = np.fromiter(sorted(request.exclude), dtype=np.int64)
            positions = np.searchsorted(self.ids, wanted).clip(0, max(len(self) - 1, 0))
            eligible[positions[self.ids[positions] == wanted]] = False
        index = np.flatnonzero(eligible)
        if index.size == 0 or request.top <= 0:
            return ()
        masks = self.masks[index]
        score = np.zeros(index.size)
        if request.fragilities:
            wanted_count = int(np.bitwise_count(want))
            score += weights.fragilities * np.bitwise_count(masks & want) / wanted_count
        if request.priorities:
            prio = np.uint16(request.priorities)
            score += weights.priorities * np.bitwise_count(masks & prio) / np.bitwise_count(prio)
        if request.kind is not None:
            score += weights.kind * chain.row(request.kind)[self.kinds[index]]
        closeness = np.zeros(index.size)
        for level, share in (
            (Level.REGION, weights.same_region),
            (Level.DEPARTEMENT, weights.same_departement),
            (Level.EPCI, weights.same_epci),
            (Level.COMMUNE, weights.same_commune),
        ):
            column, code = places[level]
            closeness = np.where(column[index] == code, share, closeness)
        score = np.round(score + weights.proximity * closeness, 6)
        chosen = _top(score, closeness, self.ids[index], request.top)
        return tuple(
            self._suggestion(int(index[i]), float(score[i]), request, weights, chain)
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
            if column[row] == self._code(level, code):
                return proximity
        return Proximity.FAR


_PROXIMITY_TEXT = {
    Proximity.COMMUNE: "même commune ({commune})",
    Proximity.EPCI: "même intercommunalité (commune {commune})",
    Proximity.DEPARTEMENT: "même département (commune {commune})",
    Proximity.REGION: "même région (commune {commune})",
    Proximity.FAR: "hors de la région (commune {commune})",
}


def _top(
    score: npt.NDArray[np.float64], closeness: npt.NDArray[np.float64], ids: IntArray, top: int
) -> IntArray:
    """Positions of the best ``top``: score, then closeness, then smaller id (all ties kept)."""
    if score.size > top:
        threshold = np.partition(score, score.size - top)[score.size - top]
        keep = np.flatnonzero(score >= threshold)
    else:
        keep = np.arange(score.size)
    order = np.lexsort((ids[keep], -closeness[keep], -score[keep]))
    return keep[order[:top]]


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
