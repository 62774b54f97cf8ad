"""Assemble the diagnostic of one territory from the peer matrix and the index engine's rankings."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from cotera.diagnostic.coverage import family_withheld, territory_coverage, unreliable_caveat
from cotera.diagnostic.matrix import PeerMatrix
from cotera.diagnostic.model import (
    Diagnostic,
    FamilyReading,
    FragilityReading,
    IndicatorReading,
    PeerPoint,
    Position,
    Priority,
    Reference,
)
from cotera.diagnostic.position import position_of
from cotera.diagnostic.priority import Certainty, classify, default_top, describe
from cotera.diagnostic.ranking import GroupRanking, Rankings
from cotera.diagnostic.sufficiency import measured, usable_indicators
from cotera.diagnostic.wording import quality_caveat, tie_clause
from cotera.errors import DataUnavailableError
from cotera.indicators.denominator import PopulationVintage
from cotera.indicators.model import IndicatorSpec
from cotera.indicators.perimeter import FrancePerimeter
from cotera.indicators.quality import QualityAssessment, unassessed
from cotera.referential.fragilities import FragilityReferential
from cotera.territory.model import Territory
from cotera.types import Level


@dataclass(frozen=True, slots=True)
class ReferenceValues:
    """Indicator values of a comparison territory: indicator code → (value, year); for France,
    the perimeter of each value; the populations behind each value (``populations``)."""

    territory: str
    name: str
    values: Mapping[str, tuple[float | None, int | None]]
    perimeters: Mapping[str, FrancePerimeter] = field(default_factory=dict)
    populations: Mapping[str, PopulationVintage] = field(default_factory=dict)
    names: Mapping[str, str] = field(default_factory=dict)  # département names, for labels


#: indicator code → peer (territory code) → populations behind its value at the year used
PeerPopulations = Mapping[str, Mapping[str, PopulationVintage]]


def _position(
    ranking: GroupRanking | None, unit: str, top: int, level: Level, caveat: str = ""
) -> Position | None:
    """The territory's position in a group; a group resting on indicators that are not
    reliable is NOT_RELIABLE, with ``caveat`` saying why."""
    standing = ranking.standing(unit) if ranking is not None else None
    if standing is None or ranking is None:
        return None
    reliable = ranking.reliable
    certainty = (
        classify(standing.rank, standing.interval, top) if reliable else Certainty.NOT_RELIABLE
    )
    sentence = describe(
        certainty, standing.rank, standing.interval, top, standing.peers, level,
        standing.divergence, standing.ties, caveat,
    )  # fmt: skip
    return Position(
        standing.score,
        standing.rank,
        standing.peers,
        standing.percentile,
        standing.interval,
        certainty,
        sentence,
        standing.divergence,
        standing.ties,
        tie_clause(standing.rank, standing.ties, level),
        "" if reliable else caveat,
    )


def _reference(
    values: ReferenceValues | None, spec: IndicatorSpec, column: np.ndarray
) -> Reference | None:
    if values is None:
        return None
    value, year = values.values.get(spec.code, (None, None))
    placed = position_of(value, column, spec.direction, member=False) if value is not None else None
    perimeter = values.perimeters.get(spec.code)
    vintage = values.populations.get(spec.code)
    return Reference(
        values.territory,
        values.name,
        value,
        year,
        placed.percentile if placed else None,
        perimeter,
        "" if perimeter is None else perimeter.label(values.names),
        "" if vintage is None or year is None else vintage.note(year),
    )


def _mean(values: Sequence[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None


def _indicator(
    spec: IndicatorSpec,
    unit: str,
    matrix: PeerMatrix,
    sources: Mapping[str, str],
    france: ReferenceValues | None,
    parent: ReferenceValues | None,
    populations: PeerPopulations,
    quality: QualityAssessment,
    scored: bool,
) -> IndicatorReading:
    column = matrix.column(spec.code)
    year = matrix.year_of(spec.code)
    peers = populations.get(spec.code, {})
    own = peers.get(unit)
    raw = float(column[matrix.units.index(unit)])
    value = raw if math.isfinite(raw) else None
    placed = position_of(raw, column, spec.direction, member=True)
    return IndicatorReading(
        code=spec.code,
        label=spec.label_fr,
        unit=spec.unit,
        source=sources.get(spec.source, spec.source),
        direction=spec.direction,
        year=year,
        value=value,
        rank=placed.rank if placed else None,
        peers=int(np.count_nonzero(np.isfinite(column))),
        percentile=placed.percentile if placed else None,
        france=_reference(france, spec, column),
        parent=_reference(parent, spec, column),
        population_note="" if own is None or value is None else own.note(year),
        approximation=any(v.is_approximation(year) for v in peers.values()),
        ties=placed.ties if placed else 0,
        quality=quality.status,
        quality_note=quality_caveat(quality),
        scored=scored,
    )


def _priority_order(priority: Priority) -> tuple[float, float, float]:
    """Most fragile first: median rank, then the narrower worst case, then the point rank."""
    position = priority.position
    if position.interval is None:
        return (position.rank, position.rank, position.rank)
    return (position.interval.median, position.interval.high, position.rank)


def build_diagnostic(
    territory: Territory,
    peers: Sequence[Territory],
    specs: Sequence[IndicatorSpec],
    matrix: PeerMatrix,
    rankings: Rankings,
    referential: FragilityReferential,
    *,
    sources: Mapping[str, str] | None = None,
    france: ReferenceValues | None = None,
    parent: ReferenceValues | None = None,
    top: int | None = None,
    populations: PeerPopulations | None = None,
    quality: Mapping[str, QualityAssessment] | None = None,
) -> Diagnostic:
    """The diagnostic of ``territory`` among ``peers`` (which include it).

    ``specs`` describe the matrix's indicators (extra specs are ignored); ``sources`` maps a
    source id to its attribution label; ``populations`` gives the populations behind the peers'
    values (an indicator is counted as an approximation when one of them is of another year);
    ``quality`` the assessment of each indicator at the peers' level and matrix year (the one
    ``rankings`` were built with).
    """
    unit = str(territory.code)
    if unit not in matrix.units:
        raise DataUnavailableError(f"{territory.name} ({unit}) ne fait pas partie des pairs")
    level = territory.level
    size = default_top(len(peers)) if top is None else top
    by_code = {spec.code: spec for spec in specs}
    labels = sources or {}
    usable = usable_indicators(matrix.indicators, quality)
    fragilities = []
    for fragility in referential.fragilities:
        codes = [
            code
            for code in matrix.indicators
            if code in by_code and by_code[code].fragility == fragility.code
        ]
        sound = any(code in usable for code in codes)
        readings = tuple(
            _indicator(
                by_code[code], unit, matrix, labels, france, parent, populations or {},
                (quality or {}).get(code) or unassessed(code, level, matrix.year_of(code)),
                scored=code in usable or not sound,
            )
            for code in codes
        )  # fmt: skip
        ranking = rankings.fragilities.get(fragility.code)
        fragilities.append(
            FragilityReading(
                code=fragility.code,
                label=fragility.label_fr,
                family=fragility.family,
                indicators=readings,
                position=_position(ranking, unit, size, level, unreliable_caveat(readings)),
                france_percentile=_mean([r.france.percentile for r in readings if r.france]),
                parent_percentile=_mean([r.parent.percentile for r in readings if r.parent]),
            )
        )
    row = measured(matrix, specs, [f.code for f in referential.fragilities], usable)[
        matrix.units.index(unit)
    ]
    reliable = tuple(f.code for f, yes in zip(referential.fragilities, row, strict=True) if yes)
    families = []
    for family in referential.families:
        inside = tuple(f.code for f in referential.of_family(family.code))
        found = _position(rankings.families.get(family.code), unit, size, level)
        withheld = "" if found else family_withheld(inside, reliable, rankings.rule)
        families.append(FamilyReading(family.code, family.label_fr, inside, found, withheld))
    priorities = sorted(
        (
            Priority(f.code, f.label, f.family, f.position)
            for f in fragilities
            if f.position is not None and f.position.certainty.is_priority
        ),
        key=_priority_order,
    )
    overall = _position(rankings.overall, unit, size, level)
    coverage = territory_coverage(
        territory, fragilities, reliable, matrix, rankings.rule, has_overall=overall is not None
    )
    points = []
    for peer in peers:
        standing = rankings.overall.standing(str(peer.code)) if rankings.overall else None
        points.append(
            PeerPoint(
                str(peer.code),
                peer.name,
                standing.percentile if standing else None,
                standing.rank if standing else None,
            )
        )
    return Diagnostic(
        territory=unit,
        name=territory.name,
        level=level,
        parent=(parent.territory, parent.name) if parent is not None else None,
        peers_count=len(peers),
        top=size,
        coverage=coverage,
        overall=overall,
        fragilities=tuple(fragilities),
        families=tuple(families),
        priorities=tuple(priorities),
        peers=tuple(points),
        method=rankings.method,
        draws=rankings.draws,
        seed=rankings.seed,
        sensitivity=rankings.sensitivity,
    )
