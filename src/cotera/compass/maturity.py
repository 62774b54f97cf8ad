"""Maturity: score the answers and facts, place the territory on the path (stages 0–3).

Rule (see stages.toml): a stage's criterion is met when the weighted mean of the share of
points each of its questions obtains (points / maximum) reaches its threshold and each key
question reaches its minimum; the territory is at the highest stage k whose criteria, and
those of every stage below, are met.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from cotera.compass.facts import ORIGIN_LABELS, FactValue
from cotera.compass.referential import (
    CompassReferential,
    FactName,
    Item,
    Question,
    QuestionKind,
    Stage,
)
from cotera.compass.sheet import Answer
from cotera.errors import Problem, ValidationError

_EPSILON = 1e-9


@dataclass(frozen=True, slots=True)
class Evidence:
    """One scored answer or fact, with where it comes from."""

    question: str
    label: str
    dimension: str
    stage: int
    value: str | int | bool
    value_label: str
    points: int
    max_points: int
    weight: float
    origin: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class StageCheck:
    """Whether a stage's criterion is met, and why."""

    level: int
    label: str
    share: float
    threshold: float
    missing_keys: tuple[str, ...]
    met: bool


@dataclass(frozen=True, slots=True)
class DimensionScore:
    """Score of one dimension (weighted share of its points) and the stage it alone reaches."""

    dimension: str
    label: str
    score: float
    stage: int


@dataclass(frozen=True, slots=True)
class Move:
    """A change that would bring the territory closer to the next stage."""

    question: str
    label: str
    current: str
    target: str
    key: bool


@dataclass(frozen=True, slots=True)
class Maturity:
    """Where the territory stands on the path and what comes next."""

    stage: int
    stage_label: str
    pioneers_spotted: bool
    reasons: tuple[str, ...]
    checks: tuple[StageCheck, ...]
    dimensions: tuple[DimensionScore, ...]
    evidence: tuple[Evidence, ...]
    next_solution: str
    next_solution_label: str
    next_steps: tuple[Item, ...]
    moves: tuple[Move, ...]


def points_for(question: Question, value: str | int | bool) -> int:
    """Points of an answer under the question's scoring rule."""
    if question.kind is QuestionKind.CHOICE and question.scale is not None:
        option = question.scale.option(str(value))
        return option.points if option else 0
    if question.kind is QuestionKind.COUNT:
        return sum(1 for t in question.thresholds if int(value) >= t)
    return 1 if value is True else 0


def _value_label(question: Question, value: str | int | bool) -> str:
    if question.kind is QuestionKind.CHOICE and question.scale is not None:
        option = question.scale.option(str(value))
        return option.label.fr if option else str(value)
    if question.kind is QuestionKind.BOOLEAN:
        return "oui" if value else "non"
    return str(value)


def _target_label(question: Question, points: int) -> str:
    """The least answer worth at least ``points`` points."""
    if question.kind is QuestionKind.CHOICE and question.scale is not None:
        options = sorted(question.scale.options, key=lambda o: o.points)
        return next(o.label.fr for o in options if o.points >= points)
    if question.kind is QuestionKind.COUNT:
        return f"au moins {question.thresholds[min(points, len(question.thresholds)) - 1]:g}"
    return "oui"


def collect_evidence(
    referential: CompassReferential,
    answers: Mapping[str, Answer],
    facts: Mapping[FactName, FactValue],
) -> tuple[Evidence, ...]:
    """Score every question; raise ValidationError naming each missing answer or fact."""
    problems: list[Problem] = []
    evidence = []
    for question in referential.questions:
        note = ""
        value: str | int | bool
        if question.fact is not None:
            fact = facts.get(question.fact)
            if fact is None:
                problems.append(
                    Problem(
                        "fait_manquant",
                        f"fait inconnu pour « {question.label.fr} » : renseignez-le dans [faits]",
                        column=f"faits.{question.fact.value}",
                    )
                )
                continue
            value, origin = fact.value, ORIGIN_LABELS[fact.origin]
        else:
            answer = answers.get(question.id)
            if answer is None:
                problems.append(
                    Problem("reponse_manquante", "réponse manquante", column=question.id)
                )
                continue
            value, origin, note = answer.value, "réponse au questionnaire", answer.evidence
        evidence.append(
            Evidence(
                question.id,
                question.label.fr,
                question.dimension,
                question.stage,
                value,
                _value_label(question, value),
                points_for(question, value),
                question.max_points,
                question.weight,
                origin,
                note,
            )
        )
    if problems:
        raise ValidationError("diagnostic de maturité impossible", problems)
    return tuple(evidence)


def _share(items: list[Evidence]) -> float:
    """Weighted mean of each question's share of its points (1.0 when there is none)."""
    total = sum(e.weight for e in items)
    return sum(e.weight * e.points / e.max_points for e in items) / total if total else 1.0


def _check(stage: Stage, evidence: tuple[Evidence, ...]) -> StageCheck:
    share = _share([e for e in evidence if e.stage == stage.level])
    by_id = {e.question: e for e in evidence}
    missing = tuple(k.question for k in stage.key if by_id[k.question].points < k.min_points)
    met = share >= stage.threshold - _EPSILON and not missing
    return StageCheck(stage.level, stage.label.fr, share, stage.threshold, missing, met)


def _dimension_stage(
    referential: CompassReferential, dimension: str, evidence: tuple[Evidence, ...]
) -> int:
    reached = 0
    for stage in referential.stages:
        items = [e for e in evidence if e.dimension == dimension and e.stage == stage.level]
        if _share(items) < stage.threshold - _EPSILON:
            break
        reached = stage.level
    return reached


def _moves(
    referential: CompassReferential, blocking: list[StageCheck], evidence: tuple[Evidence, ...]
) -> tuple[Move, ...]:
    moves = []
    for check in blocking:
        stage = referential.stages[check.level]
        keys = {k.question: k.min_points for k in stage.key}
        items = [e for e in evidence if e.stage == check.level and e.points < e.max_points]
        items.sort(key=lambda e: (e.question not in keys, e.points - e.max_points))
        for item in items:
            question = referential.question(item.question)
            goal = max(keys.get(item.question, 0), item.points + 1)
            target = _target_label(question, goal)
            moves.append(
                Move(item.question, item.label, item.value_label, target, item.question in keys)
            )
    return tuple(moves)


def assess_maturity(
    referential: CompassReferential,
    answers: Mapping[str, Answer],
    facts: Mapping[FactName, FactValue],
) -> Maturity:
    """Place the territory on the maturity path from its answers and facts."""
    evidence = collect_evidence(referential, answers, facts)
    checks = tuple(_check(stage, evidence) for stage in referential.stages)
    stage = 0
    for check in checks[1:]:
        if not (checks[0].met and all(c.met for c in checks[1 : check.level + 1])):
            break
        stage = check.level
    reasons = _reasons(referential, checks, stage)
    last = len(checks) - 1
    blocking = [c for c in checks[: min(stage + 1, last) + 1] if not c.met]
    current = referential.stages[stage]
    solution = referential.solution(current.next_solution)
    dimensions = tuple(
        DimensionScore(
            d.id,
            d.label.fr,
            _share([e for e in evidence if e.dimension == d.id]),
            _dimension_stage(referential, d.id, evidence),
        )
        for d in referential.dimensions
    )
    for score in dimensions:
        if score.stage < stage:
            reasons.append(f"La dimension « {score.label} » est en retard : étape {score.stage}.")
        elif score.stage > stage:
            reasons.append(f"La dimension « {score.label} » est en avance : étape {score.stage}.")
    return Maturity(
        stage,
        current.label.fr,
        checks[0].met,
        tuple(reasons),
        checks,
        dimensions,
        evidence,
        solution.id,
        solution.label.fr,
        solution.steps,
        _moves(referential, blocking, evidence),
    )


def _percent(value: float) -> str:
    return f"{math.floor(value * 100 + 0.5)} %"


def _reasons(
    referential: CompassReferential, checks: tuple[StageCheck, ...], stage: int
) -> list[str]:
    reasons = []
    for check in checks:
        detail = f"{_percent(check.share)} des points, seuil {_percent(check.threshold)}"
        if check.missing_keys:
            keys = ", ".join(f"« {referential.question(k).label.fr} »" for k in check.missing_keys)
            detail += f" ; question(s) clé(s) insuffisante(s) : {keys}"
        verdict = "critère atteint" if check.met else "critère non atteint"
        reasons.append(f"Étape {check.level} « {check.label} » : {verdict} ({detail}).")
    if not checks[0].met:
        reasons.append(
            "Les partenariats pionniers restent à repérer : le territoire est à l'étape 0."
        )
    ahead = [c.level for c in checks if c.met and c.level > stage + 1]
    if ahead:
        reasons.append(
            f"Critère(s) d'étape(s) {', '.join(map(str, ahead))} atteint(s) sans les étapes "
            "précédentes : la maturité se construit dans l'ordre, ces acquis compteront ensuite."
        )
    return reasons
