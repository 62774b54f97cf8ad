"""The technical brakes as a checklist tied to the diagnosis and the answers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from cotera.compass.referential import CompassReferential, Signal

SIGNAL_LABELS = {
    Signal.SOLUTION_UNDEFINED: "solution pas encore clairement définie",
    Signal.STAKEHOLDER_MISSING: "partie prenante absente ou inactive",
    Signal.STAKES_UNMET: "partie prenante qui contribue sans retour",
    Signal.PUBLIC_LOW: "tiers public sous la cible",
    Signal.PRIVATE_LOW: "tiers privé sous la cible",
    Signal.SERVICES_LOW: "tiers prestations sous la cible",
    Signal.VOLUNTEERING_LOW: "bénévolat peu valorisé",
    Signal.SINGLE_SOURCE: "dépendance à une source de financement",
    Signal.ENGINEERING_NOT_SEPARATED: "ingénierie et projets financés ensemble",
    Signal.ENGINEERING_DEFICIT: "ingénierie déficitaire",
    Signal.COSTS_OFF_BENCHMARK: "structure des coûts hors repères",
}


class BrakeStatus(StrEnum):
    """Where a brake stands."""

    TO_LIFT = "a_lever"
    TO_CHECK = "a_verifier"
    NOT_DETECTED = "non_detecte"
    LIFTED = "leve"


@dataclass(frozen=True, slots=True)
class BrakeCheck:
    """One brake of the checklist and what the diagnosis says of it."""

    id: str
    label: str
    dimension: str
    status: BrakeStatus
    reasons: tuple[str, ...]
    declared: bool | None


def check_brakes(
    referential: CompassReferential,
    points: Mapping[str, int],
    signals: frozenset[Signal],
    known_signals: frozenset[Signal],
    declared: Mapping[str, bool],
) -> tuple[BrakeCheck, ...]:
    """Status of each brake: declared by the territory, detected, not detected or to check.

    ``points`` are the points of each answered question, ``signals`` those emitted by the
    diagnosis, ``known_signals`` those it could evaluate (budget signals need a budget).
    """
    checks = []
    for brake in referential.brakes:
        reasons = []
        for trigger in brake.questions:
            question = referential.question(trigger.question)
            if points[trigger.question] < trigger.below:
                reasons.append(
                    f"« {question.label.fr} » : {points[trigger.question]} point(s) "
                    f"sur {question.max_points}"
                )
        reasons += [f"diagnostic : {SIGNAL_LABELS[s]}" for s in brake.signals if s in signals]
        unknown = [s for s in brake.signals if s not in known_signals]
        said = declared.get(brake.id)
        if said is True:
            status = BrakeStatus.TO_LIFT
            reasons.insert(0, "déclaré présent par le territoire")
        elif said is False:
            status = BrakeStatus.TO_CHECK if reasons else BrakeStatus.LIFTED
            reasons.insert(0, "déclaré levé par le territoire")
        elif reasons:
            status = BrakeStatus.TO_LIFT
        elif unknown:
            status = BrakeStatus.TO_CHECK
            reasons.append(
                "à vérifier faute de budget : " + ", ".join(SIGNAL_LABELS[s] for s in unknown)
            )
        else:
            status = BrakeStatus.NOT_DETECTED
        checks.append(
            BrakeCheck(brake.id, brake.label.fr, brake.dimension, status, tuple(reasons), said)
        )
    return tuple(checks)
