"""Dispositif: which structure should carry the co-construction, given the bodies that exist.

The deck's rule comes first: settle the dispositif only once the solution is clearly defined.
"""

from __future__ import annotations

from dataclasses import dataclass

from cotera.compass.referential import (
    SOLUTION_DEFINED_QUESTION,
    CompassReferential,
    DispositifOption,
)
from cotera.compass.sheet import ExistingBody

#: From this stage on, a territory without bodies to lean on can justify a new one.
_CREATE_FROM_STAGE = 2


@dataclass(frozen=True, slots=True)
class Body:
    """An existing body of the inventory, with its type's labels."""

    type: str
    type_label: str
    initiator: str
    name: str
    active: bool
    can_host: bool
    note: str = ""


@dataclass(frozen=True, slots=True)
class Alternative:
    """An option not recommended, and why."""

    option: DispositifOption
    label: str
    why_not: str


@dataclass(frozen=True, slots=True)
class DispositifAdvice:
    """The recommended structural option with its reasons."""

    option: DispositifOption
    label: str
    postponed: bool
    solution_defined: bool
    reasons: tuple[str, ...]
    bodies: tuple[Body, ...]
    alternatives: tuple[Alternative, ...]


def _why_not(active: int, host: bool, stage: int) -> dict[DispositifOption, str]:
    """Why each option loses, in the situation found (the chosen one is dropped by the caller)."""
    return {
        DispositifOption.INTEGRATE: "aucun dispositif recensé ne peut porter la solution",
        DispositifOption.ARTICULATE: (
            "un dispositif existant peut porter la solution ; les autres s'articuleront avec lui"
            if host and active >= 2
            else "moins de deux dispositifs actifs à articuler"
        ),
        DispositifOption.CREATE: (
            f"prématuré avant l'étape {_CREATE_FROM_STAGE}"
            if stage < _CREATE_FROM_STAGE
            else "des dispositifs existants peuvent être mobilisés"
        ),
        DispositifOption.INFORMAL: (
            f"à l'étape {stage}, un cadre formel devient utile"
            if stage >= _CREATE_FROM_STAGE
            else "des dispositifs existants offrent déjà un cadre"
        ),
    }


def recommend_dispositif(
    referential: CompassReferential,
    bodies: tuple[ExistingBody, ...],
    solution_answer: str,
    stage: int,
) -> DispositifAdvice:
    """Recommend one of the four options, honouring "dispositif after the solution"."""
    types = {t.id: t for t in referential.body_types}
    inventory = tuple(
        Body(
            b.type,
            types[b.type].label.fr,
            types[b.type].initiator.label.fr,
            b.name,
            b.active,
            b.can_host,
            b.note,
        )
        for b in bodies
    )
    active = [b for b in inventory if b.active]
    hosts = [b for b in active if b.can_host]
    question = referential.question(SOLUTION_DEFINED_QUESTION)
    scale = question.scale
    option_ref = scale.option(solution_answer) if scale else None
    defined = bool(option_ref and scale and option_ref.points == scale.max_points)
    answered = option_ref.label.fr if option_ref else solution_answer
    inventory_text = f"{len(active)} dispositif(s) actif(s) recensé(s)" + (
        f" : {', '.join(b.name for b in active)}" if active else ""
    )
    why_not: dict[DispositifOption, str] = {}
    if not defined:
        option, postponed = DispositifOption.INFORMAL, True
        reasons = [
            f"La solution à impulser n'est pas encore clairement définie "
            f"(réponse : « {answered} »).",
            "Règle du support : la question du dispositif se traite après avoir clairement "
            "défini la solution.",
            "Recommandation : rester informel pour l'instant et reporter le choix de structure ; "
            "définir d'abord la solution.",
            f"Inventaire à garder pour plus tard : {inventory_text}.",
        ]
        text = "à décider une fois la solution définie"
        why_not = dict.fromkeys(
            (DispositifOption.ARTICULATE, DispositifOption.CREATE, DispositifOption.INTEGRATE), text
        )
    else:
        postponed = False
        reasons = [f"La solution est clairement définie ; {inventory_text}."]
        if hosts:
            option = DispositifOption.INTEGRATE
            reasons.append(
                f"{', '.join(b.name for b in hosts)} peut porter la solution : l'y intégrer "
                "évite de créer une structure de plus."
            )
        elif len(active) >= 2:
            option = DispositifOption.ARTICULATE
            reasons.append(
                "Plusieurs dispositifs existent déjà sans qu'aucun ne puisse porter seul la "
                "solution : les articuler autour d'elle."
            )
        elif stage >= _CREATE_FROM_STAGE:
            option = DispositifOption.CREATE
            reasons.append(
                f"Le territoire est à l'étape {stage} et s'appuie sur trop peu de dispositifs "
                "existants : créer un dispositif dédié."
            )
        else:
            option = DispositifOption.INFORMAL
            reasons.append(
                f"Étape {stage} et peu de dispositifs existants : une organisation informelle "
                "suffit au lancement."
            )
        why_not = _why_not(len(active), bool(hosts), stage)
    alternatives = tuple(
        Alternative(o, referential.option_label(o).fr, why_not[o])
        for o in DispositifOption
        if o is not option and o in why_not
    )
    return DispositifAdvice(
        option,
        referential.option_label(option).fr,
        postponed,
        defined,
        tuple(reasons),
        inventory,
        alternatives,
    )
