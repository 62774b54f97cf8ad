"""Value-chain imbalances, the dispositif recommendation and the brakes checklist."""

from __future__ import annotations

import pytest

from cotera.compass import CompassFacts
from cotera.compass.brakes import BrakeStatus, check_brakes
from cotera.compass.dispositif import recommend_dispositif
from cotera.compass.referential import (
    BUDGET_SIGNALS,
    CompassReferential,
    DispositifOption,
    Signal,
)
from cotera.compass.sheet import ExistingBody, StakeholderAnswer
from cotera.compass.value_chain import Imbalance, assess_value_chain

IDS = ("pouvoirs_publics", "associations", "entreprises", "citoyens", "universites", "medias")


def _all_active() -> dict[str, StakeholderAnswer]:
    return {i: StakeholderAnswer(i, True, True, ("autre",), ()) for i in IDS}


def test_balanced_chain(referential: CompassReferential) -> None:
    answers = {
        i: StakeholderAnswer(i, True, True, ("autre",), (referential.stakeholder(i).seeks[0].id,))
        for i in IDS
    }
    chain = assess_value_chain(referential, tuple(answers.values()), CompassFacts())
    assert chain.balanced
    assert (chain.present_count, chain.active_count) == (6, 6)
    assert chain.signals() == frozenset()


def test_each_imbalance(referential: CompassReferential) -> None:
    answers = _all_active()
    answers["medias"] = StakeholderAnswer("medias", False, False)
    answers["citoyens"] = StakeholderAnswer("citoyens", True, False)
    answers["entreprises"] = StakeholderAnswer("entreprises", True, True, ("financement",), ())
    answers["universites"] = StakeholderAnswer("universites", True, True, (), ("objets_etude",))
    answers["associations"] = StakeholderAnswer(
        "associations", True, True, ("idees",), ("rd_innovation",)
    )
    answers["pouvoirs_publics"] = StakeholderAnswer(
        "pouvoirs_publics", True, True, ("portage_politique",), ("emulation_territoire",)
    )
    chain = assess_value_chain(referential, tuple(answers.values()), CompassFacts())
    kinds = {f.stakeholder: f.kind for f in chain.findings}
    assert kinds == {
        "medias": Imbalance.MISSING,
        "citoyens": Imbalance.INACTIVE,
        "entreprises": Imbalance.UNMET_STAKES,
        "universites": Imbalance.NO_CONTRIBUTION,
    }
    assert chain.signals() == {Signal.STAKEHOLDER_MISSING, Signal.STAKES_UNMET}
    message = next(f.message for f in chain.findings if f.stakeholder == "entreprises")
    assert "Financement" in message
    assert "Ancrage territorial, RSE, Nouveaux marchés" in message


def test_registry_count_makes_a_stakeholder_present(referential: CompassReferential) -> None:
    answers = _all_active()
    answers["associations"] = StakeholderAnswer("associations", False, False)
    facts = CompassFacts(organisations=(("associations", 12),))
    chain = assess_value_chain(referential, tuple(answers.values()), facts)
    status = next(s for s in chain.stakeholders if s.id == "associations")
    assert status.present
    assert not status.active
    assert status.organisations == 12
    assert "12 organisation(s) au registre" in chain.notes[0]


BODIES = (
    ExistingBody("ceser", "CESER", active=True),
    ExistingBody("conseil_quartier", "Conseils de quartier", active=True),
    ExistingBody("comue", "COMUE en sommeil", active=False, can_host=True),
)


@pytest.mark.parametrize("answer", ["non", "en_projet", "en_partie"])
def test_dispositif_waits_for_the_solution(referential: CompassReferential, answer: str) -> None:
    advice = recommend_dispositif(referential, BODIES, answer, stage=3)
    assert advice.option is DispositifOption.INFORMAL
    assert advice.postponed
    assert not advice.solution_defined
    text = " ".join(advice.reasons)
    assert "après avoir clairement défini la solution" in text
    assert "reporter le choix de structure" in text


@pytest.mark.parametrize(
    ("bodies", "stage", "expected"),
    [
        ((*BODIES, ExistingBody("ptce", "PTCE", can_host=True)), 1, DispositifOption.INTEGRATE),
        (BODIES, 1, DispositifOption.ARTICULATE),
        (BODIES[:1], 2, DispositifOption.CREATE),
        (BODIES[:1], 1, DispositifOption.INFORMAL),
        ((), 0, DispositifOption.INFORMAL),
    ],
)
def test_dispositif_once_the_solution_is_defined(
    referential: CompassReferential,
    bodies: tuple[ExistingBody, ...],
    stage: int,
    expected: DispositifOption,
) -> None:
    advice = recommend_dispositif(referential, bodies, "oui", stage)
    assert advice.option is expected
    assert not advice.postponed
    assert [a.option for a in advice.alternatives] == [
        o for o in DispositifOption if o is not expected
    ]


def _points(referential: CompassReferential, value: int) -> dict[str, int]:
    return {q.id: min(value, q.max_points) for q in referential.questions}


def test_brakes_detected_declared_or_to_check(referential: CompassReferential) -> None:
    everything = frozenset(Signal)
    top = _points(referential, 3)
    clean = check_brakes(referential, top, frozenset(), everything, {})
    assert {b.status for b in clean} == {BrakeStatus.NOT_DETECTED}
    without_budget = check_brakes(referential, top, frozenset(), everything - BUDGET_SIGNALS, {})
    statuses = {b.id: b.status for b in without_budget}
    assert statuses["hybridation_ressources"] is BrakeStatus.TO_CHECK
    assert statuses["langage_commun"] is BrakeStatus.NOT_DETECTED
    low = dict(top, roles_explicites=1)
    detected = {b.id: b for b in check_brakes(referential, low, frozenset(), everything, {})}
    assert detected["langage_commun"].status is BrakeStatus.TO_LIFT
    assert "1 point(s) sur 3" in detected["langage_commun"].reasons[0]
    declared = check_brakes(
        referential,
        low,
        frozenset({Signal.SOLUTION_UNDEFINED}),
        everything,
        {"cadre_juridique_outils": True, "langage_commun": False, "reperage_acteurs": False},
    )
    by_id = {b.id: b for b in declared}
    assert by_id["cadre_juridique_outils"].status is BrakeStatus.TO_LIFT
    assert by_id["langage_commun"].status is BrakeStatus.TO_CHECK  # declared lifted, detected
    assert by_id["reperage_acteurs"].status is BrakeStatus.LIFTED
    assert by_id["gouvernance_partagee"].status is BrakeStatus.TO_LIFT
