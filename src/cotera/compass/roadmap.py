"""The compass of a territory: every part of the diagnosis and the ordered actions to take."""

from __future__ import annotations

from dataclasses import dataclass

from cotera.compass.brakes import BrakeCheck, BrakeStatus, check_brakes
from cotera.compass.budget import Budget
from cotera.compass.dispositif import DispositifAdvice, recommend_dispositif
from cotera.compass.economics import EconomicModel, analyse_budget
from cotera.compass.facts import ORIGIN_LABELS, CompassFacts, FactOrigin, FactValue
from cotera.compass.maturity import Maturity, assess_maturity
from cotera.compass.referential import (
    BUDGET_SIGNALS,
    SOLUTION_DEFINED_QUESTION,
    CompassReferential,
    FactName,
    Signal,
)
from cotera.compass.sheet import AnswerSheet
from cotera.compass.value_chain import ValueChain, assess_value_chain


@dataclass(frozen=True, slots=True)
class Action:
    """One step of the roadmap, in the order to act."""

    order: int
    section: str
    dimension: str
    title: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Compass:
    """The co-construction compass of a territory."""

    territory: str
    territory_name: str
    referential_version: str
    facts_sources: tuple[str, ...]
    maturity: Maturity
    value_chain: ValueChain
    economics: EconomicModel | None
    dispositif: DispositifAdvice
    brakes: tuple[BrakeCheck, ...]
    roadmap: tuple[Action, ...]


def _fact_sources(facts: CompassFacts) -> list[str]:
    lines = []
    for name in (FactName.PARTNERSHIPS, FactName.MULTI_ACTOR_PARTNERSHIPS, FactName.SURVEY_PRESENT):
        fact = facts.get(name)
        if fact is not None:
            value = ("oui" if fact.value else "non") if isinstance(fact.value, bool) else fact.value
            lines.append(f"{name.value} = {value} ({ORIGIN_LABELS[fact.origin]})")
    return lines + list(facts.notes)


def build_compass(
    referential: CompassReferential,
    sheet: AnswerSheet,
    facts: CompassFacts,
    budget: Budget | None,
    territory: str,
    territory_name: str,
) -> Compass:
    """Run every part of the method on a territory's answers, facts and budget."""
    value_chain = assess_value_chain(referential, sheet.stakeholders, facts)
    fact_values: dict[FactName, FactValue] = {
        name: value for name in FactName if (value := facts.get(name)) is not None
    }
    fact_values[FactName.ACTIVE_STAKEHOLDERS] = FactValue(
        value_chain.active_count, FactOrigin.VALUE_CHAIN
    )
    answers = {a.question: a for a in sheet.answers}
    maturity = assess_maturity(referential, answers, fact_values)
    economics = analyse_budget(referential, budget) if budget is not None else None
    solution_answer = str(answers[SOLUTION_DEFINED_QUESTION].value)
    dispositif = recommend_dispositif(referential, sheet.bodies, solution_answer, maturity.stage)
    signals = set(value_chain.signals())
    if not dispositif.solution_defined:
        signals.add(Signal.SOLUTION_UNDEFINED)
    known = frozenset(Signal) - (BUDGET_SIGNALS if economics is None else frozenset())
    if economics is not None:
        signals |= economics.signals
    points = {e.question: e.points for e in maturity.evidence}
    brakes = check_brakes(
        referential, points, frozenset(signals), known, dict(sheet.declared_brakes)
    )
    sources = _fact_sources(facts)
    if not any(
        f is not None and f.origin in (FactOrigin.REGISTRY, FactOrigin.SURVEY)
        for f in (facts.partnerships, facts.multi_actor_partnerships, facts.survey_present)
    ):
        sources.insert(
            0,
            "Faits issus du fichier de réponses (déclaratifs) : registre et enquêtes non "
            "disponibles pour ce territoire.",
        )
    roadmap = plan(referential, maturity, value_chain, economics, dispositif, brakes)
    return Compass(
        territory,
        territory_name,
        referential.version,
        tuple(sources),
        maturity,
        value_chain,
        economics,
        dispositif,
        brakes,
        roadmap,
    )


def _stage_action(referential: CompassReferential, maturity: Maturity) -> tuple[str, str]:
    if not maturity.pioneers_spotted:
        return (
            "Repérer et documenter les partenariats pionniers",
            "Point de départ du cheminement (étape 0) : s'appuyer sur ce qui existe déjà.",
        )
    title = f"Situer le territoire : étape {maturity.stage} « {maturity.stage_label} »"
    if maturity.stage + 1 >= len(referential.stages):
        return title, (
            "Étape la plus avancée : consolider et évaluer les expérimentations collectives, "
            "préparer leur modèle de déploiement."
        )
    check = maturity.checks[maturity.stage + 1]
    detail = (
        f"Viser l'étape {check.level} « {check.label} » : {check.share * 100:.0f} % des points "
        f"aujourd'hui pour un seuil de {check.threshold * 100:.0f} %"
    )
    if check.missing_keys:
        keys = (f"« {referential.question(k).label.fr} »" for k in check.missing_keys)
        detail += " ; question(s) clé(s) à faire progresser : " + ", ".join(keys)
    return title, detail + "."


def plan(
    referential: CompassReferential,
    maturity: Maturity,
    value_chain: ValueChain,
    economics: EconomicModel | None,
    dispositif: DispositifAdvice,
    brakes: tuple[BrakeCheck, ...],
) -> tuple[Action, ...]:
    """Actions in the order to act: stage, solution, value chain, money, dispositif, brakes."""
    items: list[tuple[str, str, str, str]] = [
        ("maturite", "solutions", *_stage_action(referential, maturity))
    ]
    solution = referential.solution(maturity.next_solution)
    for index, step in enumerate(maturity.next_steps, start=1):
        title = f"{solution.label.fr}, étape {index}/{len(maturity.next_steps)} : {step.label.fr}"
        items.append(("solution", "solutions", title, f"Objectif : {solution.outcome.fr}."))
    for move in maturity.moves:
        key = " (question clé)" if move.key else ""
        dimension = referential.question(move.question).dimension
        detail = f"Aujourd'hui : {move.current} ; visé : {move.target}."
        items.append(("maturite", dimension, f"Faire progresser : {move.label}{key}", detail))
    items += [("chaine_de_valeur", "chaine_de_valeur", f.message, "") for f in value_chain.findings]
    if economics is None:
        items.append(
            (
                "modele_economique",
                "modele_economique",
                "Établir le budget de l'ingénierie (ressources, bénévolat valorisé, charges)",
                "Sans budget, ni la règle des 4 tiers ni la structure des coûts ne sont vérifiées.",
            )
        )
    else:
        items += [("modele_economique", "modele_economique", t, "") for t in economics.findings]
        for lever in referential.levers:
            chosen = [s for s in economics.levers if s.lever == lever.id]
            if chosen:
                names = {i.id: i.label.fr for i in lever.items}
                reasons = dict.fromkeys(r for s in chosen for r in s.reasons)
                title = f"Levier {lever.label.fr.lower()} : " + " ; ".join(
                    names[s.item] for s in chosen
                )
                items.append(("modele_economique", "modele_economique", title, " ; ".join(reasons)))
    why = dispositif.reasons[-2:] if dispositif.postponed else dispositif.reasons[1:]
    items.append(("dispositif", "dispositif", f"Dispositif : {dispositif.label}", " ".join(why)))
    for spec in referential.dimensions:
        to_lift = [
            b.label for b in brakes if b.status is BrakeStatus.TO_LIFT and b.dimension == spec.id
        ]
        if to_lift:
            title = f"Lever les freins — {spec.label.fr} : " + " ; ".join(to_lift)
            items.append(("freins", spec.id, title, ""))
    to_check = [b.label for b in brakes if b.status is BrakeStatus.TO_CHECK]
    if to_check:
        items.append(("freins", "", "Vérifier les freins : " + " ; ".join(to_check), ""))
    return tuple(
        Action(order, section, dimension, title, detail)
        for order, (section, dimension, title, detail) in enumerate(items, start=1)
    )
