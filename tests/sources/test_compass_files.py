"""Compass input files: budgets from CSV (either separator, French numbers) and Excel."""

from __future__ import annotations

from pathlib import Path

import pytest
import xlsxwriter

from cotera.compass import compass_referential
from cotera.compass.budget import LineKind
from cotera.errors import ValidationError
from cotera.sources.compass_files import example_file, read_answers, read_budget

HEADER = "type;categorie;libelle;montant;heures;perimetre\n"


def test_example_budget_reads(tmp_path: Path) -> None:
    budget = read_budget(example_file("budget_example.csv"), compass_referential())
    kinds = [line.kind for line in budget.lines]
    assert kinds.count(LineKind.RESOURCE) == 7
    assert kinds.count(LineKind.COST) == 5
    assert sum(line.amount for line in budget.lines if line.kind is LineKind.CONTRIBUTION) == (
        600 * 20 + 80 * 50
    )


def test_semicolon_csv_with_french_numbers(tmp_path: Path) -> None:
    path = tmp_path / "budget.csv"
    path.write_text(
        HEADER
        + "ressource;mecenat;Mécénat;12 500,50;;\n"
        + "contribution;benevolat;Bénévoles;;10,5;ingenierie\n"
        + "charge;masse_salariale;Salaires;12\u202f000;;INGENIERIE\n",
        encoding="utf-8",
    )
    budget = read_budget(path, compass_referential(), rates={"benevolat": 10.0})
    assert [line.amount for line in budget.lines] == [12500.5, 105.0, 12000.0]
    assert [line.row for line in budget.lines] == [2, 3, 4]


def test_every_problem_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "budget.csv"
    path.write_text(
        HEADER
        + "ressource;mecenat;;douze;;\n"
        + "ressource;loto;;100;;\n"
        + "charge;communication;;-4;;\n"
        + "total;ressources;;999;;\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as caught:
        read_budget(path, compass_referential())
    found = [(p.row, p.code, p.column) for p in caught.value.problems]
    assert found == [
        (2, "nombre_invalide", "montant"),
        (3, "categorie_inconnue", "categorie"),
        (4, "montant_negatif", "montant"),
    ]
    assert all(p.file == "budget.csv" for p in caught.value.problems)


def test_missing_and_unknown_columns(tmp_path: Path) -> None:
    path = tmp_path / "budget.csv"
    path.write_text("type,categorie,somme\nressource,mecenat,10\n", encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        read_budget(path, compass_referential())
    assert [(p.code, p.column) for p in caught.value.problems] == [
        ("missing_column", "montant"),
        ("colonne_inconnue", "somme"),
    ]


def test_excel_budget(tmp_path: Path) -> None:
    path = tmp_path / "budget.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Budget")
    rows = [
        ["type", "categorie", "libelle", "montant", "heures", "perimetre"],
        ["ressource", "subvention_publique", "Subvention", 30000, None, "ingenierie"],
        ["contribution", "mecenat_competences", "Mécénat de compétences", None, 12, "ingenierie"],
        ["charge", "communication", "Lettre", 2500.5, None, "projets"],
    ]
    for index, row in enumerate(rows):
        for column, value in enumerate(row):
            if value is not None:
                sheet.write(index, column, value)
    workbook.close()
    budget = read_budget(path, compass_referential())
    assert [(line.category, line.amount, line.row) for line in budget.lines] == [
        ("subvention_publique", 30000.0, 2),
        ("mecenat_competences", 600.0, 3),
        ("communication", 2500.5, 4),
    ]


def test_answers_toml_syntax_error(tmp_path: Path) -> None:
    path = tmp_path / "reponses.toml"
    path.write_text("[reponses\nsolution_definie = 'oui'\n", encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        read_answers(path, compass_referential())
    assert caught.value.problems[0].code == "toml_invalide"
    assert caught.value.problems[0].file == "reponses.toml"
