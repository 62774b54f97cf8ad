"""Scoring rules case by case: each stage reachable, boundaries, keys, order, evidence."""

from __future__ import annotations

import pytest

from cotera.compass.maturity import assess_maturity, points_for
from cotera.compass.referential import CompassReferential, FactName
from cotera.errors import ValidationError
from tests.compass.helpers import full_up_to, inputs


@pytest.mark.parametrize("level", [0, 1, 2, 3])
def test_each_stage_is_reachable(referential: CompassReferential, level: int) -> None:
    answers, facts = inputs(referential, full_up_to(referential, level))
    maturity = assess_maturity(referential, answers, facts)
    assert maturity.stage == level
    assert maturity.pioneers_spotted
    assert maturity.next_solution == referential.stages[level].next_solution
    assert [c.met for c in maturity.checks] == [c.level <= level for c in maturity.checks]


def test_nothing_done_is_stage_zero_with_pioneers_to_spot(
    referential: CompassReferential,
) -> None:
    answers, facts = inputs(referential, {})
    maturity = assess_maturity(referential, answers, facts)
    assert maturity.stage == 0
    assert not maturity.pioneers_spotted
    assert maturity.next_solution == "animer_le_dialogue"
    assert (
        next(s.label.fr for s in maturity.next_steps) == "Partager les connaissances territoriales"
    )
    assert {m.question for m in maturity.moves} >= {"partenariats_pionniers_reperes"}
    assert all(d.score == 0 for d in maturity.dimensions)


def _stage_one_at_half(referential: CompassReferential) -> dict[str, int]:
    """Stage 0 full; on stage 1, the key question and half of the questions at maximum."""
    points = full_up_to(referential, 0)
    stage_one = [q for q in referential.questions if q.stage == 1]
    assert len(stage_one) % 2 == 0, "the boundary test needs an even number of questions"
    key = referential.stages[1].key[0].question
    ordered = sorted(stage_one, key=lambda q: q.id != key)
    for question in ordered[: len(stage_one) // 2]:
        points[question.id] = question.max_points
    return points


def test_threshold_reached_exactly_is_met(referential: CompassReferential) -> None:
    answers, facts = inputs(referential, _stage_one_at_half(referential))
    maturity = assess_maturity(referential, answers, facts)
    assert maturity.checks[1].share == pytest.approx(0.5)
    assert maturity.checks[1].met
    assert maturity.stage == 1


def test_just_below_threshold_is_not_met(referential: CompassReferential) -> None:
    points = _stage_one_at_half(referential)
    key = referential.stages[1].key[0].question
    lowered = next(
        q
        for q in referential.questions
        if q.stage == 1 and q.id != key and points[q.id] == q.max_points
    )
    points[lowered.id] = lowered.max_points - 1
    answers, facts = inputs(referential, points)
    maturity = assess_maturity(referential, answers, facts)
    assert maturity.checks[1].share < 0.5
    assert not maturity.checks[1].met
    assert maturity.stage == 0


def test_key_question_below_minimum_blocks_the_stage(referential: CompassReferential) -> None:
    points = full_up_to(referential, 1)
    key = referential.stages[1].key[0]
    points[key.question] = key.min_points - 1
    answers, facts = inputs(referential, points)
    maturity = assess_maturity(referential, answers, facts)
    assert maturity.checks[1].share > maturity.checks[1].threshold
    assert maturity.checks[1].missing_keys == (key.question,)
    assert maturity.stage == 0
    assert maturity.moves[0].question == key.question
    assert maturity.moves[0].key


def test_key_question_at_minimum_is_enough(referential: CompassReferential) -> None:
    points = full_up_to(referential, 1)
    key = referential.stages[1].key[0]
    points[key.question] = key.min_points
    answers, facts = inputs(referential, points)
    assert assess_maturity(referential, answers, facts).stage == 1


def test_stages_count_in_order(referential: CompassReferential) -> None:
    points = full_up_to(referential, 3)
    for question in referential.questions:
        if question.stage == 1:
            points[question.id] = 0
    answers, facts = inputs(referential, points)
    maturity = assess_maturity(referential, answers, facts)
    assert maturity.checks[2].met
    assert maturity.checks[3].met
    assert maturity.stage == 0
    assert any("dans l'ordre" in r for r in maturity.reasons)


def test_stage_three_has_no_move_and_consolidates(referential: CompassReferential) -> None:
    answers, facts = inputs(referential, full_up_to(referential, 3))
    maturity = assess_maturity(referential, answers, facts)
    assert maturity.moves == ()
    assert maturity.next_solution == "experimenter_collectivement"


def test_count_and_boolean_rules(referential: CompassReferential) -> None:
    count = referential.question("partenariats_connus")
    assert count.thresholds == (1.0, 5.0, 20.0)
    assert [points_for(count, v) for v in (0, 1, 4, 5, 19, 20, 500)] == [0, 1, 1, 2, 2, 3, 3]
    boolean = referential.question("perceptions_recueillies")
    assert [points_for(boolean, v) for v in (False, True)] == [0, 1]
    choice = referential.question("mise_en_relation")
    assert [
        points_for(choice, v) for v in ("jamais", "ponctuellement", "regulierement", "en_continu")
    ] == [0, 1, 2, 3]


def test_dimension_scores_and_lagging_dimension(referential: CompassReferential) -> None:
    points = full_up_to(referential, 2)
    for question in referential.questions:
        if question.dimension == "modele_economique":
            points[question.id] = 0
    answers, facts = inputs(referential, points)
    maturity = assess_maturity(referential, answers, facts)
    scores = {d.dimension: d for d in maturity.dimensions}
    assert scores["modele_economique"].score == 0
    assert scores["modele_economique"].stage == 0
    assert maturity.stage == 2
    assert any("« Modèle économique » est en retard" in r for r in maturity.reasons)


def test_evidence_carries_origin_and_note(referential: CompassReferential) -> None:
    answers, facts = inputs(referential, full_up_to(referential, 1))
    maturity = assess_maturity(referential, answers, facts)
    by_id = {e.question: e for e in maturity.evidence}
    assert len(by_id) == len(referential.questions)
    assert by_id["partenariats_connus"].origin == "fichier de réponses (déclaratif)"
    assert by_id["mise_en_relation"].origin == "réponse au questionnaire"
    assert by_id["mise_en_relation"].value_label == "En continu, avec une animation dédiée"


def test_missing_fact_is_reported(referential: CompassReferential) -> None:
    answers, facts = inputs(referential, {})
    del facts[FactName.SURVEY_PRESENT]
    del facts[FactName.PARTNERSHIPS]
    with pytest.raises(ValidationError) as caught:
        assess_maturity(referential, answers, facts)
    columns = [p.column for p in caught.value.problems]
    assert columns == ["faits.partenariats", "faits.enquete_presente"]
