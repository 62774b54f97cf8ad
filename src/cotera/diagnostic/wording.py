"""French words for sentences about peers: level nouns, counts, data-quality caveats."""

from __future__ import annotations

from cotera.indicators.quality import QualityAssessment, QualityReason
from cotera.types import Level

_NOUNS: dict[Level, tuple[str, str]] = {
    Level.COUNTRY: ("pays", "pays"),
    Level.REGION: ("région", "régions"),
    Level.DEPARTEMENT: ("département", "départements"),
    Level.EPCI: ("EPCI", "EPCI"),
    Level.COMMUNE: ("commune", "communes"),
    Level.CUSTOM: ("territoire", "territoires"),
}


def level_noun(level: Level, plural: bool = False) -> str:
    """``département`` / ``départements`` for :attr:`Level.DEPARTEMENT`, and so on."""
    singular, many = _NOUNS[level]
    return many if plural else singular


def rank_fr(rank: float) -> str:
    """A rank in French: ``455``, or ``12,5`` for the mid-rank of two tied peers."""
    return str(round(rank)) if float(rank).is_integer() else f"{rank:.1f}".replace(".", ",")


def tie_clause(rank: float, ties: int, level: Level) -> str:
    """``ex aequo avec 908 autres EPCI sur les rangs 1 à 909, rang moyen 455`` for a
    mid-``rank`` shared with ``ties`` other peers; empty without ties."""
    if ties <= 0:
        return ""
    low, high = round(rank - ties / 2), round(rank + ties / 2)
    others = "un autre" if ties == 1 else f"{count_fr(ties)} autres"
    noun = level_noun(level, plural=ties > 1)
    return f"ex aequo avec {others} {noun} sur les rangs {low} à {high}, rang moyen {rank_fr(rank)}"


def tie_range(rank: float, ties: int) -> str:
    """``1–909``: the ranks a mid-``rank`` shared with ``ties`` other peers spans."""
    return f"{round(rank - ties / 2)}–{round(rank + ties / 2)}"


def rank_text(rank: float, peers: int, ties: int) -> str:
    """``12 / 96``, or with ties ``455 / 1232 (ex aequo : 1–909)`` (tables)."""
    text = f"{rank_fr(rank)} / {peers}"
    return text + (f" (ex aequo : {tie_range(rank, ties)})" if ties else "")


def count_fr(number: int) -> str:
    """``34746`` → ``34 746`` (espace fine between thousands)."""
    return f"{number:,}".replace(",", "\u202f")


def quality_caveat(quality: QualityAssessment) -> str:
    """The status of an indicator that is not reliable, and the figures behind it:
    « non comparable entre territoires : 909 EPCI sur 1 255 à 0 (72 %) ; Bretagne concentre
    26 % du total national pour 5 % de la population de référence ». Empty when reliable or not
    assessed."""
    if quality.status.usable:
        return ""
    level = quality.basis or quality.level
    nouns = level_noun(level, plural=True)
    parts = []
    for reason in quality.reasons:
        if reason is QualityReason.LOW_COVERAGE:
            parts.append(
                f"valeurs pour {count_fr(quality.metropolitan)} des {count_fr(quality.expected)} "
                f"{nouns} de France métropolitaine ({round(100 * quality.coverage)}\u202f%)"
            )
        elif reason is QualityReason.MOSTLY_ZEROS:
            parts.append(
                f"{count_fr(quality.zeros)} {nouns} sur {count_fr(quality.observed)} à 0 "
                f"({round(100 * quality.zero_share)}\u202f%)"
            )
        elif quality.region_share is not None and quality.region_base_share is not None:
            parts.append(
                f"{quality.region_name or quality.region} concentre "
                f"{round(100 * quality.region_share)}\u202f% du total national pour "
                f"{round(100 * quality.region_base_share)}\u202f% de la population de référence"
            )
    basis = f" (statut des {nouns})" if quality.basis is not None else ""
    return f"{quality.status.label_fr}{basis} : " + " ; ".join(parts)
