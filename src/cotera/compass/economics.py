"""Socio-economic model of the engineering: four-thirds balance, cost structure, levers.

The analysis covers the engineering (lines ``ingenierie`` and ``mixte``); the projects are
reported apart, as the deck asks to distinguish their economic model from the engineering's.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from cotera.compass.budget import Budget, BudgetLine, LineKind
from cotera.compass.referential import CompassReferential, Phase, Scope, Signal, Third

_EPSILON = 1e-9
_THIRD_SIGNALS = {
    Third.PUBLIC: Signal.PUBLIC_LOW,
    Third.PRIVATE: Signal.PRIVATE_LOW,
    Third.SERVICES: Signal.SERVICES_LOW,
    Third.VOLUNTEERING: Signal.VOLUNTEERING_LOW,
}


class Position(StrEnum):
    """A share against its target or range."""

    BELOW = "en_dessous"
    WITHIN = "dans_la_cible"
    ABOVE = "au_dessus"
    NO_TARGET = "sans_repere"


@dataclass(frozen=True, slots=True)
class ThirdShare:
    """One third: amount, share and gap to 1/3 (volunteering: ratio to money resources)."""

    third: Third
    label: str
    amount: float
    share: float
    gap: float
    position: Position


@dataclass(frozen=True, slots=True)
class CostShare:
    """One cost category: amount, share of engineering costs, benchmark range."""

    category: str
    label: str
    amount: float
    share: float
    benchmark: tuple[float, float] | None
    position: Position


@dataclass(frozen=True, slots=True)
class LeverSuggestion:
    """A lever component worth pulling, and why."""

    lever: str
    item: str
    label: str
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EconomicModel:
    """The engineering's socio-economic model checked against the deck's rules."""

    money_resources: float
    in_kind: float
    costs: float
    balance: float
    thirds: tuple[ThirdShare, ...]
    cost_structure: tuple[CostShare, ...]
    separated: bool
    mixed_amount: float
    project_resources: float
    project_costs: float
    phase: Phase | None
    phase_label: str
    phase_note: str
    findings: tuple[str, ...]
    levers: tuple[LeverSuggestion, ...]
    signals: frozenset[Signal]
    rates: tuple[tuple[str, float], ...]


def _position(value: float, low: float, high: float) -> Position:
    if value < low - _EPSILON:
        return Position.BELOW
    if value > high + _EPSILON:
        return Position.ABOVE
    return Position.WITHIN


def _pct(value: float) -> str:
    return f"{value * 100:.0f} %"


def _sum(lines: list[BudgetLine], kind: LineKind) -> float:
    return sum(line.amount for line in lines if line.kind is kind)


def analyse_budget(referential: CompassReferential, budget: Budget) -> EconomicModel:
    """Four-thirds balance, cost structure against benchmarks, separation, phase and levers."""
    economics = referential.economics
    third_of = {c.id: c.third for c in economics.resources + economics.contributions}
    engineering = [line for line in budget.lines if line.scope is not Scope.PROJECTS]
    projects = [line for line in budget.lines if line.scope is Scope.PROJECTS]
    money = _sum(engineering, LineKind.RESOURCE)
    in_kind = _sum(engineering, LineKind.CONTRIBUTION)
    costs = _sum(engineering, LineKind.COST)
    tolerance, target = economics.tolerance, 1 / 3
    signals: set[Signal] = set()
    findings: list[str] = []
    lever_reasons: dict[str, list[str]] = {}

    thirds = []
    for spec in economics.thirds:
        amount = sum(line.amount for line in engineering if third_of.get(line.category) is spec.id)
        share = amount / money if money > 0 else 0.0
        position = _position(share, target - tolerance, target + tolerance)
        thirds.append(ThirdShare(spec.id, spec.label.fr, amount, share, share - target, position))
        if position is Position.BELOW:
            signals.add(_THIRD_SIGNALS[spec.id])
            why = f"{spec.label.fr} : {_pct(share)} (cible 33 %)"
            for ref in spec.levers:
                lever_reasons.setdefault(ref, []).append(why)
        if not spec.in_kind and share > economics.dependence_share + _EPSILON:
            signals.add(Signal.SINGLE_SOURCE)
            findings.append(f"Dépendance : {spec.label.fr.lower()} = {_pct(share)} des ressources.")
    if money <= 0:
        findings.append("Aucune ressource financière déclarée pour l'ingénierie.")

    structure = []
    for cost in economics.costs:
        amount = sum(
            line.amount
            for line in engineering
            if line.kind is LineKind.COST and line.category == cost.id
        )
        share = amount / costs if costs > 0 else 0.0
        if cost.benchmark is None or costs <= 0:
            position = Position.NO_TARGET
        else:
            position = _position(share, *cost.benchmark)
        structure.append(CostShare(cost.id, cost.label.fr, amount, share, cost.benchmark, position))
        if position in (Position.ABOVE, Position.BELOW) and cost.benchmark is not None:
            signals.add(Signal.COSTS_OFF_BENCHMARK)
            low, high = cost.benchmark
            side = "au-dessus" if position is Position.ABOVE else "en dessous"
            why = (
                f"{cost.label.fr} : {_pct(share)} des charges, "
                f"{side} du repère {_pct(low)}–{_pct(high)}"
            )
            findings.append(why + ".")
            levers = cost.levers_if_above if position is Position.ABOVE else cost.levers_if_below
            for ref in levers:
                lever_reasons.setdefault(ref, []).append(why)

    mixed = sum(line.amount for line in budget.lines if line.scope is Scope.MIXED)
    if mixed > 0:
        signals.add(Signal.ENGINEERING_NOT_SEPARATED)
        findings.append(
            "Des lignes financent à la fois l'ingénierie et les projets (périmètre « mixte ») : "
            "distinguer le modèle économique de l'ingénierie de celui des projets."
        )
    if costs > money + _EPSILON * max(1.0, money):
        signals.add(Signal.ENGINEERING_DEFICIT)
        findings.append("Les charges de l'ingénierie dépassent ses ressources financières.")

    phase_label, phase_note = "", ""
    if budget.phase is not None:
        phase_label, phase_note = next(
            (label.fr, note.fr) for p, label, note in economics.phases if p is budget.phase
        )
        if budget.phase is Phase.DEPLOYMENT and Signal.SERVICES_LOW in signals:
            findings.append("En déploiement, la part des prestations de service devrait croître.")
    suggestions = []
    for reference, why_list in lever_reasons.items():
        lever, item = referential.lever_item(reference)
        label = f"{lever.label.fr} — {item.label.fr}"
        suggestions.append(LeverSuggestion(lever.id, item.id, label, tuple(why_list)))
    return EconomicModel(
        money,
        in_kind,
        costs,
        money - costs,
        tuple(thirds),
        tuple(structure),
        mixed == 0,
        mixed,
        _sum(projects, LineKind.RESOURCE),
        _sum(projects, LineKind.COST),
        budget.phase,
        phase_label,
        phase_note,
        tuple(findings),
        tuple(suggestions),
        frozenset(signals),
        budget.rates,
    )
