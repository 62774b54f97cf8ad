"""The budget of a territory's co-construction engineering: lines checked, in-kind work valued.

The sources layer turns a CSV / Excel file into :class:`BudgetEntry` rows (syntax); this module
checks their meaning against the referential and reports every problem at once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from cotera.compass.referential import CompassReferential, Phase, Scope
from cotera.errors import Problem, ValidationError

#: Totals may differ from the sum of the lines by rounding only.
_TOTAL_TOLERANCE = 0.01


class LineKind(StrEnum):
    """Kinds of budget rows (column ``type``)."""

    RESOURCE = "ressource"
    CONTRIBUTION = "contribution"
    COST = "charge"
    TOTAL = "total"


#: What a ``total`` row may total (column ``categorie``).
TOTAL_OF = {
    "ressources": LineKind.RESOURCE,
    "contributions": LineKind.CONTRIBUTION,
    "charges": LineKind.COST,
}


@dataclass(frozen=True, slots=True)
class BudgetEntry:
    """A budget row as read from a file (values typed, meaning not yet checked)."""

    kind: str
    category: str
    label: str = ""
    amount: float | None = None
    hours: float | None = None
    scope: str = ""
    row: int | None = None


@dataclass(frozen=True, slots=True)
class BudgetLine:
    """A checked budget line; ``amount`` is in euros (valued for in-kind contributions)."""

    kind: LineKind
    category: str
    label: str
    amount: float
    hours: float | None
    scope: Scope
    row: int | None


@dataclass(frozen=True, slots=True)
class Budget:
    """A checked budget, the phase of its economic model and the hourly rates used."""

    lines: tuple[BudgetLine, ...]
    phase: Phase | None
    rates: tuple[tuple[str, float], ...]
    source: str = ""


def _problem(
    entry: BudgetEntry,
    file: str,
    code: str,
    column: str,
    message: str,
    value: object = None,
    expected: str | None = None,
) -> Problem:
    return Problem(
        code,
        message,
        file=file,
        row=entry.row,
        column=column,
        value=None if value is None else str(value),
        expected=expected,
    )


def _category_ids(referential: CompassReferential, kind: LineKind) -> tuple[str, ...]:
    economics = referential.economics
    if kind is LineKind.RESOURCE:
        return tuple(c.id for c in economics.resources)
    if kind is LineKind.CONTRIBUTION:
        return tuple(c.id for c in economics.contributions)
    if kind is LineKind.COST:
        return tuple(c.id for c in economics.costs)
    return tuple(TOTAL_OF)


def build_budget(
    entries: Sequence[BudgetEntry],
    referential: CompassReferential,
    rates: Mapping[str, float] | None = None,
    phase: Phase | None = None,
    file: str = "budget",
) -> Budget:
    """Check the rows and value in-kind hours; raise ValidationError listing every problem."""
    economics = referential.economics
    used_rates = dict(economics.rates) | dict(rates or {})
    rate_of = {c.id: c.rate for c in economics.contributions}
    problems: list[Problem] = []
    lines: list[BudgetLine] = []
    totals: list[tuple[BudgetEntry, LineKind, Scope | None]] = []
    if not entries:
        problems.append(Problem("budget_vide", "aucune ligne de budget", file=file))
    for entry in entries:
        found = len(problems)
        try:
            kind = LineKind(entry.kind)
        except ValueError:
            problems.append(
                _problem(
                    entry,
                    file,
                    "type_inconnu",
                    "type",
                    "type de ligne inconnu",
                    entry.kind,
                    " | ".join(k.value for k in LineKind),
                )
            )
            continue
        known = _category_ids(referential, kind)
        if entry.category not in known:
            problems.append(
                _problem(
                    entry,
                    file,
                    "categorie_inconnue",
                    "categorie",
                    f"catégorie inconnue pour le type {kind.value}",
                    entry.category,
                    ", ".join(known),
                )
            )
        scope: Scope | None = None
        if entry.scope:
            try:
                scope = Scope(entry.scope)
            except ValueError:
                problems.append(
                    _problem(
                        entry,
                        file,
                        "perimetre_inconnu",
                        "perimetre",
                        "périmètre inconnu",
                        entry.scope,
                        " | ".join(s.value for s in Scope),
                    )
                )
        for column, value in (("montant", entry.amount), ("heures", entry.hours)):
            if value is not None and value < 0:
                problems.append(
                    _problem(
                        entry,
                        file,
                        "montant_negatif",
                        column,
                        "valeur négative",
                        value,
                        "un nombre >= 0",
                    )
                )
        amount = entry.amount
        if kind is LineKind.CONTRIBUTION:
            if (entry.amount is None) == (entry.hours is None):
                problems.append(
                    _problem(
                        entry,
                        file,
                        "heures_ou_montant",
                        "heures",
                        "une contribution a des heures OU un montant valorisé",
                        expected="heures (valorisées au taux) ou montant",
                    )
                )
            elif entry.hours is not None:
                amount = entry.hours * used_rates.get(rate_of.get(entry.category) or "", 0.0)
        else:
            if entry.amount is None:
                problems.append(
                    _problem(
                        entry,
                        file,
                        "montant_manquant",
                        "montant",
                        "montant manquant",
                        expected="un nombre >= 0 (euros)",
                    )
                )
            if entry.hours is not None:
                problems.append(
                    _problem(
                        entry,
                        file,
                        "heures_inattendues",
                        "heures",
                        f"heures sur une ligne de type {kind.value}",
                        entry.hours,
                        "vide (réservé aux contributions)",
                    )
                )
        if len(problems) > found:
            continue
        if kind is LineKind.TOTAL:
            totals.append((entry, TOTAL_OF[entry.category], scope))
            continue
        lines.append(
            BudgetLine(
                kind,
                entry.category,
                entry.label,
                float(amount or 0.0),
                entry.hours,
                scope or Scope.ENGINEERING,
                entry.row,
            )
        )
    if not problems:
        problems += _total_problems(totals, lines, file)
    if problems:
        raise ValidationError(f"budget invalide : {file}", problems)
    return Budget(tuple(lines), phase, tuple(sorted(used_rates.items())), file)


def _total_problems(
    totals: list[tuple[BudgetEntry, LineKind, Scope | None]],
    lines: list[BudgetLine],
    file: str,
) -> list[Problem]:
    problems = []
    for entry, kind, scope in totals:
        total = sum(
            line.amount
            for line in lines
            if line.kind is kind and (scope is None or line.scope is scope)
        )
        declared = float(entry.amount or 0.0)
        if abs(total - declared) > max(_TOTAL_TOLERANCE, 1e-9 * abs(declared)):
            where = f" ({scope.value})" if scope else ""
            problems.append(
                _problem(
                    entry,
                    file,
                    "total_incoherent",
                    "montant",
                    f"le total déclaré des {entry.category}{where} ne correspond pas à la somme "
                    f"des lignes ({total:.2f})",
                    f"{declared:.2f}",
                    f"{total:.2f}",
                )
            )
    return problems
