"""The territorial value chain: six stakeholders, what they bring and seek, the imbalances."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from cotera.compass.answers import OTHER_CONTRIBUTION
from cotera.compass.facts import CompassFacts
from cotera.compass.referential import CompassReferential, Item, Label, Signal
from cotera.compass.sheet import StakeholderAnswer


class Imbalance(StrEnum):
    """Ways the value chain can be unbalanced."""

    MISSING = "absente"
    INACTIVE = "presente_inactive"
    UNMET_STAKES = "contribue_sans_retour"
    NO_CONTRIBUTION = "beneficie_sans_contribuer"


@dataclass(frozen=True, slots=True)
class StakeholderStatus:
    """One stakeholder on the territory."""

    id: str
    label: str
    present: bool
    active: bool
    organisations: int | None
    brings: tuple[Item, ...]
    seeks: tuple[Item, ...]
    brings_given: tuple[str, ...]
    stakes_met: tuple[str, ...]
    brings_note: Label | None
    imbalances: tuple[Imbalance, ...]
    note: str = ""


@dataclass(frozen=True, slots=True)
class Finding:
    """One imbalance of the chain, in words."""

    stakeholder: str
    kind: Imbalance
    message: str


@dataclass(frozen=True, slots=True)
class ValueChain:
    """The six stakeholders and the balance of the chain."""

    stakeholders: tuple[StakeholderStatus, ...]
    present_count: int
    active_count: int
    findings: tuple[Finding, ...]
    notes: tuple[str, ...]

    @property
    def balanced(self) -> bool:
        """No imbalance found."""
        return not self.findings

    def signals(self) -> frozenset[Signal]:
        """Diagnosis signals emitted by the chain."""
        kinds = {f.kind for f in self.findings}
        found = set()
        if kinds & {Imbalance.MISSING, Imbalance.INACTIVE}:
            found.add(Signal.STAKEHOLDER_MISSING)
        if Imbalance.UNMET_STAKES in kinds:
            found.add(Signal.STAKES_UNMET)
        return frozenset(found)


def _labels(items: tuple[Item, ...], ids: tuple[str, ...]) -> str:
    names = {i.id: i.label.fr for i in items} | {OTHER_CONTRIBUTION: "autre apport"}
    return ", ".join(names[i] for i in ids)


def assess_value_chain(
    referential: CompassReferential,
    answers: tuple[StakeholderAnswer, ...],
    facts: CompassFacts,
) -> ValueChain:
    """Presence, activity and balance of each stakeholder (answers, and registry counts if any)."""
    by_id = {a.stakeholder: a for a in answers}
    counts = dict(facts.organisations)
    statuses, findings, notes = [], [], []
    for spec in referential.stakeholders:
        answer = by_id.get(spec.id) or StakeholderAnswer(spec.id, False, False)
        count = counts.get(spec.id)
        present = answer.present or bool(count)
        if count and not answer.present:
            notes.append(
                f"{spec.label.fr} : déclarés absents mais {count} organisation(s) au registre ; "
                "comptés présents."
            )
        kinds = []
        if not present:
            kinds.append(Imbalance.MISSING)
            message = f"{spec.label.fr} : partie prenante absente de la co-construction."
            findings.append(Finding(spec.id, Imbalance.MISSING, message))
        elif not answer.active:
            kinds.append(Imbalance.INACTIVE)
            message = f"{spec.label.fr} : partie prenante présente mais pas active."
            findings.append(Finding(spec.id, Imbalance.INACTIVE, message))
        elif answer.brings and not answer.stakes_met:
            kinds.append(Imbalance.UNMET_STAKES)
            wanted = ", ".join(s.label.fr for s in spec.seeks)
            given = _labels(spec.brings, answer.brings)
            message = (
                f"{spec.label.fr} : partie prenante qui contribue ({given}) "
                f"sans que ses enjeux soient satisfaits ({wanted})."
            )
            findings.append(Finding(spec.id, Imbalance.UNMET_STAKES, message))
        elif answer.stakes_met and not answer.brings:
            kinds.append(Imbalance.NO_CONTRIBUTION)
            message = f"{spec.label.fr} : partie prenante servie sans apport déclaré."
            findings.append(Finding(spec.id, Imbalance.NO_CONTRIBUTION, message))
        statuses.append(
            StakeholderStatus(
                spec.id,
                spec.label.fr,
                present,
                present and answer.active,
                count,
                spec.brings,
                spec.seeks,
                answer.brings,
                answer.stakes_met,
                spec.brings_note,
                tuple(kinds),
                answer.note,
            )
        )
    return ValueChain(
        tuple(statuses),
        sum(s.present for s in statuses),
        sum(s.active for s in statuses),
        tuple(findings),
        tuple(notes),
    )
