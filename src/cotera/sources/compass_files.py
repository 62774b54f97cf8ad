"""Compass input files: the answers file (TOML) and the budget file (CSV or Excel).

Budget columns (header row, any order; see docs/compass.md): ``type`` (ressource, contribution,
charge, total), ``categorie``, ``libelle`` (optional), ``montant`` (euros; decimal comma or
point, spaces between thousands), ``heures`` (contributions only), ``perimetre`` (ingenierie,
projets, mixte; empty = ingenierie). Every problem is reported at once, with its line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

from cotera.compass import AnswerSheet, Budget, BudgetEntry, build_budget, parse_answer_sheet
from cotera.compass.referential import CompassReferential, Phase
from cotera.errors import Problem, SourceError, ValidationError
from cotera.sources.french_csv import TextTable, read_text_table
from cotera.sources.toml_file import read_toml
from cotera.sources.workbook import read_sheet
from cotera.types import sane_number

BUDGET_COLUMNS = ("type", "categorie", "libelle", "montant", "heures", "perimetre")
REQUIRED_COLUMNS = ("type", "categorie", "montant")
EXCEL_SUFFIXES = (".xlsx", ".xls", ".xlsm", ".ods")
_SPACES = re.compile(r"[\s\u00a0\u202f€]")


def example_file(name: str) -> Path:
    """A documented example shipped with the package (``answers_example.toml``…)."""
    path = Path(str(resources.files("cotera.compass").joinpath("examples", name)))
    if not path.is_file():
        raise SourceError(f"exemple introuvable : {name}")
    return path


def read_answers(path: Path, referential: CompassReferential) -> AnswerSheet:
    """Read and validate an answers file; ValidationError lists every problem."""
    raw = read_toml(path, "fichier de réponses")
    return parse_answer_sheet(raw, referential, path.name)


def _number(text: str | None) -> float | None:
    if text is None:
        return None
    cleaned = _SPACES.sub("", text)
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    value = float(cleaned)
    if not sane_number(value):
        raise ValueError(f"nombre non fini ou démesuré : {text}")
    return value


def _table(path: Path) -> TextTable:
    if path.suffix.lower() in EXCEL_SUFFIXES:
        return read_sheet(path, header_row=1)
    return read_text_table(path)


def budget_entries(table: TextTable) -> tuple[list[BudgetEntry], list[Problem]]:
    """Typed rows of a budget table and the syntax problems found (missing columns, numbers)."""
    problems = table.require(REQUIRED_COLUMNS)
    for column in table.frame.columns:
        if column not in BUDGET_COLUMNS:
            problems.append(
                Problem(
                    "colonne_inconnue",
                    "colonne inconnue",
                    file=table.file,
                    column=column,
                    expected=", ".join(BUDGET_COLUMNS),
                )
            )
    if problems:
        return [], problems
    entries = []
    for index, row in enumerate(table.frame.iter_rows(named=True)):
        if all(value is None for value in row.values()):
            continue
        line = table.row_number(index)
        found = len(problems)
        numbers: dict[str, float | None] = {}
        for column in ("montant", "heures"):
            text = row.get(column)
            try:
                numbers[column] = _number(text)
            except ValueError:
                problems.append(
                    Problem(
                        "nombre_invalide",
                        "nombre illisible",
                        file=table.file,
                        row=line,
                        column=column,
                        value=text,
                        expected="un nombre fini, ex. 12500 ou 12 500,50",
                    )
                )
                numbers[column] = None
        if len(problems) > found:
            continue
        entries.append(
            BudgetEntry(
                kind=(row.get("type") or "").lower(),
                category=(row.get("categorie") or "").lower(),
                label=row.get("libelle") or "",
                amount=numbers["montant"],
                hours=numbers["heures"],
                scope=(row.get("perimetre") or "").lower(),
                row=line,
            )
        )
    return entries, problems


def read_budget(
    path: Path,
    referential: CompassReferential,
    rates: Mapping[str, float] | None = None,
    phase: Phase | None = None,
) -> Budget:
    """Read and check a budget file (CSV or Excel); ValidationError lists every problem."""
    table = _table(path)
    entries, problems = budget_entries(table)
    if problems and not entries:
        raise ValidationError(f"budget invalide : {table.file}", problems)
    try:
        budget = build_budget(entries, referential, rates, phase, table.file)
    except ValidationError as exc:
        # Rows with unreadable numbers were left out, so declared totals cannot be checked.
        found = [p for p in exc.problems if not (problems and p.code == "total_incoherent")]
        raise ValidationError(exc.summary, problems + found) from exc
    if problems:
        raise ValidationError(f"budget invalide : {table.file}", problems)
    return budget
