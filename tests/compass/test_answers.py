"""The answer sheet: the example parses; every problem of a bad sheet is reported at once."""

from __future__ import annotations

import tomllib
from importlib import resources
from typing import Any

import pytest

from cotera.compass import parse_answer_sheet
from cotera.compass.facts import FactOrigin
from cotera.compass.referential import CompassReferential, Phase
from cotera.errors import ValidationError


def _example() -> dict[str, Any]:
    text = (
        resources.files("cotera.compass")
        .joinpath("examples/answers_example.toml")
        .read_text("utf-8")
    )
    return tomllib.loads(text)


def test_example_sheet_parses(referential: CompassReferential) -> None:
    sheet = parse_answer_sheet(_example(), referential)
    assert sheet.territory_code == "custom:exemple"
    assert len(sheet.answers) == sum(1 for q in referential.questions if q.fact is None)
    assert sheet.answer("mise_en_relation") is not None
    assert sheet.answer("mise_en_relation").evidence.startswith("Quatre petits-déjeuners")
    assert sheet.facts.partnerships is not None
    assert sheet.facts.partnerships.value == 14
    assert sheet.facts.partnerships.origin is FactOrigin.ANSWERS_FILE
    assert [s.stakeholder for s in sheet.stakeholders][-1] == "medias"
    assert [b.type for b in sheet.bodies] == ["ptce", "conseil_quartier", "ceser"]
    assert sheet.phase is Phase.EXPERIMENTAL
    assert dict(sheet.rates) == {"benevolat": 20.0, "mecenat_competences": 50.0}
    assert sheet.declared_brakes == (("cadre_juridique_outils", True),)


def _problems(raw: dict[str, Any], referential: CompassReferential) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as caught:
        parse_answer_sheet(raw, referential, "reponses.toml")
    assert all(p.file == "reponses.toml" for p in caught.value.problems)
    return [(p.code, p.column or "") for p in caught.value.problems]


def test_missing_and_invalid_answers_name_question_and_expected_values(
    referential: CompassReferential,
) -> None:
    raw = _example()
    del raw["reponses"]["sensibilisation"]
    raw["reponses"]["mise_en_relation"] = "souvent"
    raw["reponses"]["hybridation_ressources"] = -2
    raw["reponses"]["ingenierie_distincte_projets"] = "non"
    with pytest.raises(ValidationError) as caught:
        parse_answer_sheet(raw, referential, "reponses.toml")
    problems = {p.column: p for p in caught.value.problems}
    assert len(caught.value.problems) == 4
    missing = problems["reponses.sensibilisation"]
    assert missing.code == "reponse_manquante"
    assert missing.expected == "jamais | ponctuellement | regulierement | en_continu"
    invalid = problems["reponses.mise_en_relation"]
    assert (invalid.code, invalid.value) == ("reponse_invalide", "souvent")
    assert problems["reponses.hybridation_ressources"].expected == "un nombre entier >= 0"
    assert problems["reponses.ingenierie_distincte_projets"].expected == "true | false"
    assert "reponses.sensibilisation" in str(caught.value)


def test_unknown_entries_everywhere_are_all_reported(referential: CompassReferential) -> None:
    raw = _example()
    raw["reponses"]["question_inventee"] = "oui"
    raw["reponses"]["partenariats_connus"] = 3
    raw["faits"]["nombre_de_reunions"] = 4
    raw["faits"]["enquete_presente"] = "oui"
    raw["parties_prenantes"]["entreprises"]["apports"] = ["financement", "sourires"]
    raw["parties_prenantes"]["syndicats"] = {"present": True, "actif": True}
    del raw["parties_prenantes"]["citoyens"]
    raw["dispositifs"].append({"type": "club", "nom": ""})
    raw["freins"]["frein_invente"] = True
    raw["budget"]["phase"] = "croisiere"
    raw["budget"]["taux_benevolat"] = 0
    raw["annexe"] = {}
    found = _problems(raw, referential)
    assert sorted(found) == sorted(
        [
            ("section_inconnue", "annexe"),
            ("question_inconnue", "reponses.question_inventee"),
            ("reponse_sur_un_fait", "reponses.partenariats_connus"),
            ("fait_inconnu", "faits.nombre_de_reunions"),
            ("fait_invalide", "faits.enquete_presente"),
            ("partie_prenante_inconnue", "parties_prenantes.syndicats"),
            ("identifiant_inconnu", "parties_prenantes.entreprises.apports"),
            ("partie_prenante_manquante", "parties_prenantes.citoyens"),
            ("type_inconnu", "dispositifs[4].type"),
            ("nom_manquant", "dispositifs[4].nom"),
            ("frein_inconnu", "freins.frein_invente"),
            ("phase_inconnue", "budget.phase"),
            ("taux_invalide", "budget.taux_benevolat"),
        ]
    )


def test_active_stakeholder_must_be_present(referential: CompassReferential) -> None:
    raw = _example()
    raw["parties_prenantes"]["medias"] = {"present": False, "actif": True}
    assert _problems(raw, referential) == [("incoherence", "parties_prenantes.medias")]


def test_answer_with_evidence_table_needs_a_value(referential: CompassReferential) -> None:
    raw = _example()
    raw["reponses"]["sensibilisation"] = {"preuve": "forum"}
    assert _problems(raw, referential) == [("reponse_manquante", "reponses.sensibilisation")]
