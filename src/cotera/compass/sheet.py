"""The answer sheet of a territory: answers, declared facts, stakeholders, bodies, budget frame."""

from __future__ import annotations

from dataclasses import dataclass

from cotera.compass.facts import CompassFacts
from cotera.compass.referential import Phase


@dataclass(frozen=True, slots=True)
class Answer:
    """One answer (option id, count or yes / no) and the evidence the facilitator gives."""

    question: str
    value: str | int | bool
    evidence: str = ""


@dataclass(frozen=True, slots=True)
class StakeholderAnswer:
    """What the territory says of one stakeholder of the value chain."""

    stakeholder: str
    present: bool
    active: bool
    brings: tuple[str, ...] = ()
    stakes_met: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True, slots=True)
class ExistingBody:
    """An existing co-construction body of the territory."""

    type: str
    name: str
    active: bool = True
    can_host: bool = False
    note: str = ""


@dataclass(frozen=True, slots=True)
class AnswerSheet:
    """A validated answers file."""

    territory_code: str | None
    territory_name: str | None
    answers: tuple[Answer, ...]
    facts: CompassFacts
    stakeholders: tuple[StakeholderAnswer, ...]
    bodies: tuple[ExistingBody, ...]
    declared_brakes: tuple[tuple[str, bool], ...] = ()
    phase: Phase | None = None
    rates: tuple[tuple[str, float], ...] = ()

    def answer(self, question_id: str) -> Answer | None:
        """The answer to ``question_id``, if given."""
        return next((a for a in self.answers if a.question == question_id), None)
