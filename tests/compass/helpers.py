"""Build answers and facts for the compass tests from the packaged referential."""

from __future__ import annotations

from collections.abc import Mapping

from cotera.compass.facts import FactOrigin, FactValue
from cotera.compass.referential import CompassReferential, FactName, Question, QuestionKind
from cotera.compass.sheet import Answer


def value_with_points(question: Question, points: int) -> str | int | bool:
    """An answer to ``question`` worth exactly ``points`` points under its scoring rule."""
    if question.kind is QuestionKind.CHOICE:
        assert question.scale is not None
        return next(o.id for o in question.scale.options if o.points == points)
    if question.kind is QuestionKind.COUNT:
        return 0 if points == 0 else int(question.thresholds[points - 1])
    return points == 1


def inputs(
    referential: CompassReferential, points: Mapping[str, int], default: int = 0
) -> tuple[dict[str, Answer], dict[FactName, FactValue]]:
    """Answers and facts giving each question ``points[id]`` points (``default`` otherwise)."""
    answers: dict[str, Answer] = {}
    facts: dict[FactName, FactValue] = {}
    for question in referential.questions:
        value = value_with_points(question, points.get(question.id, default))
        if question.fact is None:
            answers[question.id] = Answer(question.id, value)
        else:
            facts[question.fact] = FactValue(value, FactOrigin.ANSWERS_FILE)
    return answers, facts


def full_up_to(referential: CompassReferential, level: int) -> dict[str, int]:
    """Maximum points on every question of stages <= level, zero elsewhere."""
    return {q.id: q.max_points if q.stage <= level else 0 for q in referential.questions}
