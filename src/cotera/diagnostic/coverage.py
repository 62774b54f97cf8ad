"""What a territory's diagnostic rests on, said before any rank: the fragilities measured by
usable indicators, those measured only by indicators that are not reliable, and why an overall
or family index is withheld (``cotera.diagnostic.sufficiency``)."""

from __future__ import annotations

from collections.abc import Sequence

from cotera.diagnostic.matrix import PeerMatrix
from cotera.diagnostic.model import Coverage, FragilityReading, IndicatorReading
from cotera.diagnostic.priority import Certainty
from cotera.diagnostic.sufficiency import CoverageRule
from cotera.diagnostic.wording import level_noun
from cotera.territory.model import Territory

FRAGILITIES = 16


def _fragilities(count: int, adjective: str = "") -> str:
    """``1 fragilité mesurée``, ``6 fragilités mesurées``."""
    plural = "s" if count > 1 else ""
    return f"{count} fragilité{plural}" + (f" {adjective}{plural}" if adjective else "")


def unreliable_caveat(readings: Sequence[IndicatorReading]) -> str:
    """Why a fragility measured only by indicators that are not reliable is not a priority:
    « aucun indicateur fiable à ce niveau (Espaces publics numériques : non comparable entre
    territoires : …) »."""
    notes = [f"{r.label} : {r.quality_note}" for r in readings if r.quality_note and r.scored]
    return "aucun indicateur fiable à ce niveau" + (f" ({' ; '.join(notes)})" if notes else "")


def family_withheld(inside: Sequence[str], reliable: Sequence[str], rule: CoverageRule) -> str:
    """Why a family is not ranked for the territory, or empty when the reason is not coverage."""
    count = sum(code in reliable for code in inside)
    needed = rule.family_minimum(len(inside))
    if count >= needed:
        return ""
    return (
        f"non classée : {_fragilities(count)} sur {len(inside)} mesurée"
        f"{'s' if count > 1 else ''} par des indicateurs fiables, il en faut au moins {needed}"
    )


def territory_coverage(
    territory: Territory,
    fragilities: Sequence[FragilityReading],
    reliable: Sequence[str],
    matrix: PeerMatrix,
    rule: CoverageRule,
    *,
    has_overall: bool,
) -> Coverage:
    """The territory's coverage, with its one-sentence summary and, when the overall index is
    withheld, why."""
    unreliable = tuple(
        f.code
        for f in fragilities
        if f.position is not None and f.position.certainty is Certainty.NOT_RELIABLE
    )
    withheld = ""
    if not has_overall:
        count = len(reliable)
        has = (
            "n'a aucune fragilité"
            if count == 0
            else "n'a qu'une fragilité"
            if count == 1
            else f"n'a que {count} fragilités"
        )
        withheld = (
            f"{territory.name} {has} sur {FRAGILITIES} "
            f"mesurée{'s' if count > 1 else ''} par des indicateurs fiables, il en faut au "
            f"moins {rule.overall} ; les fragilités se lisent une à une"
            if count < rule.overall
            else "données insuffisantes pour ce territoire"
        )
    summary = (
        f"{_fragilities(len(reliable), 'mesurée')} sur {FRAGILITIES} par des indicateurs "
        f"fiables pour {territory.name}"
    )
    if unreliable:
        others = "1 autre" if len(unreliable) == 1 else f"{len(unreliable)} autres"
        summary += (
            f", {others} seulement par des indicateurs non fiables ({', '.join(unreliable)}), "
            "à lire avec leur réserve"
        )
    nouns = level_noun(territory.level, plural=True)
    summary += (
        f" ; un indice global parmi les {nouns} en demande au moins {rule.overall}"
        + ("" if has_overall else " : il n'est pas calculé")
        + "."
    )
    return Coverage(
        with_data=tuple(f.code for f in fragilities if f.position is not None),
        no_data_at_level=tuple(f.code for f in fragilities if not f.indicators),
        missing_for_territory=tuple(
            f.code for f in fragilities if f.indicators and f.position is None
        ),
        years=tuple(zip(matrix.indicators, matrix.years, strict=True)),
        approximations=tuple(r.code for f in fragilities for r in f.indicators if r.approximation),
        reliable=tuple(reliable),
        unreliable_only=unreliable,
        minimum=rule.overall,
        overall_withheld=withheld,
        summary=summary,
    )
