"""The compass as French plain text (a roadmap a facilitator can read to a steering committee)."""

from __future__ import annotations

from cotera.compass.brakes import BrakeStatus
from cotera.compass.economics import EconomicModel, Position
from cotera.compass.roadmap import Compass
from cotera.compass.value_chain import ValueChain

_NNBSP = "\u202f"
_POSITION = {
    Position.BELOW: "en dessous",
    Position.WITHIN: "dans la cible",
    Position.ABOVE: "au-dessus",
    Position.NO_TARGET: "—",
}
_BRAKE = {
    BrakeStatus.TO_LIFT: "à lever",
    BrakeStatus.TO_CHECK: "à vérifier",
    BrakeStatus.NOT_DETECTED: "non détecté",
    BrakeStatus.LIFTED: "levé",
}


def euros(value: float) -> str:
    """``12 345 €`` with a narrow no-break space between thousands."""
    return f"{value:,.0f}".replace(",", _NNBSP) + f"{_NNBSP}€"


def percent(value: float) -> str:
    """``33 %`` (French spacing)."""
    return f"{value * 100:.0f}{_NNBSP}%"


def _yes(flag: bool) -> str:
    return "oui" if flag else "non"


def _value_chain(chain: ValueChain) -> list[str]:
    lines = [
        f"{chain.present_count} partie(s) prenante(s) présente(s), "
        f"{chain.active_count} active(s) sur {len(chain.stakeholders)}.",
        "",
    ]
    for s in chain.stakeholders:
        given = {b.id: b.label.fr for b in s.brings} | {"autre": "autre apport"}
        met = {x.id: x.label.fr for x in s.seeks}
        lines.append(f"  {s.label} — présente : {_yes(s.present)}, active : {_yes(s.active)}")
        if s.organisations is not None:
            lines.append(f"      organisations au registre : {s.organisations}")
        if s.brings:
            lines.append(f"      apports attendus : {', '.join(b.label.fr for b in s.brings)}")
        elif s.brings_note is not None:
            lines.append(f"      apports attendus : {s.brings_note.fr}")
        lines.append(f"      enjeux : {', '.join(x.label.fr for x in s.seeks)}")
        lines.append(
            "      apports constatés : " + (", ".join(given[i] for i in s.brings_given) or "aucun")
        )
        lines.append(
            "      enjeux satisfaits : " + (", ".join(met[i] for i in s.stakes_met) or "aucun")
        )
    lines.append("")
    if chain.balanced:
        lines.append("Chaîne de valeur équilibrée.")
    lines += [f"  ! {f.message}" for f in chain.findings]
    lines += [f"  note : {n}" for n in chain.notes]
    return lines


def _economics(model: EconomicModel | None) -> list[str]:
    if model is None:
        return ["Aucun budget fourni : règle des 4 tiers et structure des coûts non vérifiées."]
    lines = [
        f"Ingénierie : ressources financières {euros(model.money_resources)}, "
        f"charges {euros(model.costs)}, solde {euros(model.balance)} ; "
        f"bénévolat et mécénat de compétences valorisés {euros(model.in_kind)}.",
        f"Projets (financés à part) : ressources {euros(model.project_resources)}, "
        f"charges {euros(model.project_costs)}.",
        f"Ingénierie et projets distingués : {_yes(model.separated)}.",
    ]
    if model.phase is not None:
        lines.append(f"Phase : {model.phase_label} — {model.phase_note}")
    else:
        lines.append("Phase (expérimentation ou déploiement) non précisée.")
    lines += ["", "Règle des 4 tiers (cible 1/3 chacun, le bénévolat valorisé en plus) :"]
    for third in model.thirds:
        lines.append(
            f"  {third.label:<28} {euros(third.amount):>14} {percent(third.share):>6}"
            f"  écart {third.gap * 100:+.0f} pts  {_POSITION[third.position]}"
        )
    lines += ["", "Structure des coûts de l'ingénierie (repères du support) :"]
    for cost in model.cost_structure:
        bench = (
            f"repère {percent(cost.benchmark[0])}–{percent(cost.benchmark[1])}"
            if cost.benchmark
            else "sans repère"
        )
        lines.append(
            f"  {cost.label:<28} {euros(cost.amount):>14} {percent(cost.share):>6}"
            f"  {bench}  {_POSITION[cost.position]}"
        )
    if model.findings:
        lines.append("")
        lines += [f"  ! {f}" for f in model.findings]
    if model.levers:
        lines += ["", "Leviers suggérés :"]
        lines += [f"  - {lever.label} ({'; '.join(lever.reasons)})" for lever in model.levers]
    rates = ", ".join(f"{k} {euros(v)}/h" for k, v in model.rates)
    lines.append(f"Taux de valorisation horaire : {rates}.")
    return lines


def render_text(compass: Compass) -> str:
    """The whole compass in French: maturity, value chain, money, dispositif, brakes, roadmap."""
    m = compass.maturity
    out = [
        f"Boussole de la co-construction — {compass.territory_name} ({compass.territory})",
        f"Référentiel {compass.referential_version} : méthode Le RAMEAU (2016) ; règles de score "
        "et liste des 12 freins : lecture du projet.",
        "",
        "Sources des faits :",
        *[f"  - {s}" for s in compass.facts_sources],
        "",
        f"1. MATURITÉ — étape {m.stage} : {m.stage_label}",
        *[f"  - {r}" for r in m.reasons],
        "",
        "  Score par dimension :",
        *[
            f"    {d.label:<20} {percent(d.score):>6}  (étape {d.stage} pour cette dimension)"
            for d in m.dimensions
        ],
        "",
        f"  Prochaine solution d'ingénierie : {m.next_solution_label}",
        *[f"    {i}. {step.label.fr}" for i, step in enumerate(m.next_steps, start=1)],
    ]
    if m.moves:
        out += ["", "  Pour passer à l'étape suivante :"]
        out += [
            f"    - {mv.label}{' [clé]' if mv.key else ''} : {mv.current} → {mv.target}"
            for mv in m.moves
        ]
    out += ["", "2. CHAÎNE DE VALEUR", *_value_chain(compass.value_chain)]
    out += ["", "3. MODÈLE SOCIO-ÉCONOMIQUE", *_economics(compass.economics)]
    d = compass.dispositif
    out += ["", f"4. DISPOSITIF — {d.label}", *[f"  - {r}" for r in d.reasons]]
    out += [f"  (écarté : {a.label} — {a.why_not})" for a in d.alternatives]
    out += ["", "5. FREINS TECHNIQUES (liste : lecture du projet)"]
    for brake in compass.brakes:
        detail = f" — {'; '.join(brake.reasons)}" if brake.reasons else ""
        out.append(f"  [{_BRAKE[brake.status]}] {brake.label}{detail}")
    out += ["", "6. FEUILLE DE ROUTE (dans l'ordre)"]
    for action in compass.roadmap:
        out.append(f"  {action.order:>2}. {action.title}")
        if action.detail:
            out.append(f"      {action.detail}")
    out += ["", "Annexe — réponses et preuves :"]
    for e in m.evidence:
        note = f" — preuve : {e.note}" if e.note else ""
        out.append(
            f"  [{e.question}] {e.value_label} ({e.points}/{e.max_points} pt, {e.origin}){note}"
        )
    return "\n".join(out) + "\n"
