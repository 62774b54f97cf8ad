"""The referential files: content checked against the deck, broken copies give precise errors."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

import pytest

from cotera.compass import load_referential
from cotera.compass.referential import CompassReferential, DispositifOption, Third
from cotera.errors import ConfigurationError


def test_dimensions_stages_solutions_follow_the_deck(referential: CompassReferential) -> None:
    assert [d.label.fr for d in referential.dimensions] == [
        "Solutions",
        "Chaîne de valeur",
        "Modèle économique",
        "Dispositif",
    ]
    assert [s.label.fr for s in referential.stages] == [
        "Repérage de partenariats pionniers",
        "Animation du dialogue",
        "Accompagnement des organisations",
        "Expérimentations collectives",
    ]
    steps = {s.label.fr: [x.label.fr for x in s.steps] for s in referential.solutions}
    assert steps == {
        "Animer le dialogue": [
            "Partager les connaissances territoriales",
            "Sensibiliser aux partenariats",
            "Mettre en relation",
        ],
        "Accompagner les organisations": [
            "Préparer les partenaires",
            "Accompagner le partenariat",
            "Évaluer le partenariat",
        ],
        "Expérimenter collectivement": [
            "Faire émerger les besoins",
            "Co-construire des solutions",
            "Évaluer les résultats",
        ],
    }
    assert [s.next_solution for s in referential.stages[:3]] == [
        "animer_le_dialogue",
        "accompagner_les_organisations",
        "experimenter_collectivement",
    ]


def test_stakeholders_and_media_not_legible(referential: CompassReferential) -> None:
    assert [s.id for s in referential.stakeholders] == [
        "pouvoirs_publics",
        "associations",
        "entreprises",
        "citoyens",
        "universites",
        "medias",
    ]
    media = referential.stakeholder("medias")
    assert not media.brings_legible
    assert media.brings == ()
    assert media.brings_note is not None
    assert [x.label.fr for x in referential.stakeholder("entreprises").seeks] == [
        "Ancrage territorial",
        "RSE",
        "Nouveaux marchés",
    ]
    assert all(s.label.en for s in referential.stakeholders)


def test_economics_rule_benchmarks_and_levers(referential: CompassReferential) -> None:
    economics = referential.economics
    assert [t.id for t in economics.thirds] == list(Third)
    assert [t.in_kind for t in economics.thirds] == [False, False, False, True]
    benchmarks = {c.id: c.benchmark for c in economics.costs}
    assert benchmarks["masse_salariale"] == (0.60, 0.70)
    assert benchmarks["communication"] == (0.10, 0.25)
    assert benchmarks["frais_structure"] == (0.07, 0.15)
    assert [lever.id for lever in referential.levers] == [
        "ressources_humaines",
        "financement",
        "alliances",
    ]
    assert len(referential.lever_item("ressources_humaines.mecenat_competences")) == 2


def test_dispositif_options_bodies_and_twelve_brakes(referential: CompassReferential) -> None:
    assert [o for o, _ in referential.options] == list(DispositifOption)
    bodies = {b.id for b in referential.body_types}
    assert {
        "ceser",
        "conseil_quartier",
        "agence_developpement",
        "pole_competitivite",
        "ptce",
        "fondation_territoriale",
        "comue",
        "dialogue_social",
    } <= bodies
    assert len(referential.brakes) == 12
    text = resources.files("cotera.compass").joinpath("data/brakes.toml").read_text("utf-8")
    assert tomllib.loads(text)["source"] == "lecture du projet"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _error(data: Path) -> str:
    with pytest.raises(ConfigurationError) as caught:
        load_referential(data)
    return str(caught.value)


def test_copy_loads_like_the_package(data_copy: Path, referential: CompassReferential) -> None:
    assert load_referential(data_copy) == referential


def test_unknown_dimension_names_file_and_entry(data_copy: Path) -> None:
    _edit(data_copy / "questions.toml", 'dimension = "dispositif"', 'dimension = "gouvernance"')
    message = _error(data_copy)
    assert "questions.toml [question dispositifs_existants_connus]" in message
    assert "dimension inconnue 'gouvernance'" in message


def test_missing_english_label(data_copy: Path) -> None:
    _edit(data_copy / "stakeholders.toml", 'label_en = "Universities"\n', "")
    assert "stakeholders.toml [stakeholder universites] : champ 'label_en' manquant" in _error(
        data_copy
    )


def test_bad_benchmark_range(data_copy: Path) -> None:
    _edit(data_copy / "economics.toml", "benchmark = [10, 25]", "benchmark = [25, 10]")
    assert "economics.toml [cost communication] : benchmark [25, 10]" in _error(data_copy)


def test_unknown_lever_and_solution_references(data_copy: Path) -> None:
    _edit(data_copy / "economics.toml", '"alliances.moyens"]', '"alliances.argent"]')
    _edit(
        data_copy / "stages.toml",
        'next_solution = "animer_le_dialogue"',
        'next_solution = "animer"',
    )
    message = _error(data_copy)
    assert (
        "economics.toml [cost frais_structure] : levers_if_above : référence inconnue "
        "'alliances.argent'" in message
    )
    assert (
        "stages.toml [stage reperage_pionniers] : next_solution : solution inconnue 'animer'"
        in message
    )


def test_duplicate_id_and_key_points_out_of_range(data_copy: Path) -> None:
    _edit(data_copy / "questions.toml", 'id = "sensibilisation"', 'id = "diagnostic_partage"')
    _edit(data_copy / "stages.toml", "min_points = 1 }", "min_points = 9 }")
    message = _error(data_copy)
    assert "identifiant en double : 'diagnostic_partage'" in message
    assert (
        "stages.toml [stage experimentations_collectives, key n°1] : min_points = 9 hors de "
        "l'intervalle [1, 3]" in message
    )


def test_brake_with_unknown_signal_and_question(data_copy: Path) -> None:
    _edit(
        data_copy / "brakes.toml",
        'signals = ["benevolat_peu_valorise"]',
        'signals = ["benevole_absent"]',
    )
    _edit(
        data_copy / "brakes.toml",
        '{ question = "cadre_technique", below = 2 }',
        '{ question = "cadre", below = 2 }',
    )
    message = _error(data_copy)
    assert "[brake valorisation_contributions] : signal inconnu 'benevole_absent'" in message
    assert "[brake cadre_juridique_outils, questions n°1] : question inconnue 'cadre'" in message


def test_missing_file_and_invalid_toml(data_copy: Path) -> None:
    (data_copy / "levers.toml").unlink()
    (data_copy / "scales.toml").write_text("[[scale]\n", encoding="utf-8")
    message = _error(data_copy)
    assert "levers.toml : fichier absent du référentiel" in message
    assert "scales.toml : TOML invalide" in message


def test_thirds_must_be_the_four_of_the_rule(data_copy: Path) -> None:
    _edit(
        data_copy / "economics.toml",
        'id = "prestations"\nin_kind = false',
        'id = "services"\nin_kind = false',
    )
    assert "economics.toml [third services] : tiers inconnu" in _error(data_copy)
