"""The answer sheet of a territory, validated against the referential (every problem at once).

Input is the parsed TOML of an answers file (see docs/compass.md): sections ``[territoire]``,
``[reponses]``, ``[faits]``, ``[parties_prenantes.<id>]``, ``[[dispositifs]]``, ``[budget]``,
``[freins]``. Reading the file itself is the job of ``cotera.sources.compass_files``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cotera.compass.facts import CompassFacts, FactOrigin, FactValue
from cotera.compass.referential import (
    CompassReferential,
    FactName,
    Phase,
    Question,
    QuestionKind,
)
from cotera.compass.sheet import Answer, AnswerSheet, ExistingBody, StakeholderAnswer
from cotera.errors import Problem, ValidationError
from cotera.types import sane_number

#: A contribution id every stakeholder may declare (the deck's list is not exhaustive).
OTHER_CONTRIBUTION = "autre"
BUDGET_KEYS = ("phase", "taux_benevolat", "taux_mecenat_competences")
SECTIONS = (
    "territoire",
    "reponses",
    "faits",
    "parties_prenantes",
    "dispositifs",
    "budget",
    "freins",
)


class _Collector:
    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def add(
        self, code: str, column: str, message: str, value: object = None, expected: str = ""
    ) -> None:
        self.problems.append(
            Problem(
                code,
                message,
                file=self.file,
                column=column,
                value=None if value is None else str(value),
                expected=expected or None,
            )
        )


def _table(raw: Mapping[str, Any], key: str, out: _Collector) -> Mapping[str, Any]:
    value = raw.get(key, {})
    if not isinstance(value, dict):
        out.add("section_invalide", key, f"la section [{key}] doit être une table")
        return {}
    return value


def _check_value(question: Question, value: object, out: _Collector, where: str) -> bool:
    if question.kind is QuestionKind.CHOICE:
        ok = (
            isinstance(value, str)
            and question.scale is not None
            and bool(question.scale.option(value))
        )
    elif question.kind is QuestionKind.COUNT:
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
    else:
        ok = isinstance(value, bool)
    if not ok:
        out.add("reponse_invalide", where, "réponse invalide", value, question.expected())
    return ok


def _answers(
    referential: CompassReferential, raw: Mapping[str, Any], out: _Collector
) -> tuple[Answer, ...]:
    section = _table(raw, "reponses", out)
    known = {q.id: q for q in referential.questions}
    for key in section:
        if key not in known:
            out.add(
                "question_inconnue",
                f"reponses.{key}",
                "question inconnue",
                key,
                ", ".join(q.id for q in referential.questions if q.fact is None),
            )
        elif known[key].fact is not None:
            out.add(
                "reponse_sur_un_fait",
                f"reponses.{key}",
                f"cette question se lit dans les faits : renseignez [faits] {known[key].fact}",
            )
    answers = []
    for question in referential.questions:
        if question.fact is not None:
            continue
        where = f"reponses.{question.id}"
        if question.id not in section:
            out.add(
                "reponse_manquante",
                where,
                f"réponse manquante : {question.label.fr}",
                expected=question.expected(),
            )
            continue
        entry = section[question.id]
        evidence = ""
        if isinstance(entry, dict):
            evidence = str(entry.get("preuve", ""))
            if "valeur" not in entry:
                out.add(
                    "reponse_manquante",
                    where,
                    "table sans clé « valeur »",
                    expected=question.expected(),
                )
                continue
            entry = entry["valeur"]
        if _check_value(question, entry, out, where):
            answers.append(Answer(question.id, entry, evidence))
    return tuple(answers)


def _facts(raw: Mapping[str, Any], out: _Collector) -> CompassFacts:
    section = _table(raw, "faits", out)
    values: dict[FactName, FactValue] = {}
    declared = {f.value for f in FactName if f is not FactName.ACTIVE_STAKEHOLDERS}
    for key, value in section.items():
        if key not in declared:
            out.add(
                "fait_inconnu", f"faits.{key}", "fait inconnu", key, ", ".join(sorted(declared))
            )
            continue
        name = FactName(key)
        boolean = name is FactName.SURVEY_PRESENT
        valid = (
            isinstance(value, bool)
            if boolean
            else (isinstance(value, int) and not isinstance(value, bool) and value >= 0)
        )
        if not valid:
            out.add(
                "fait_invalide",
                f"faits.{key}",
                "valeur invalide",
                value,
                "true | false" if boolean else "un nombre entier >= 0",
            )
            continue
        values[name] = FactValue(value, FactOrigin.ANSWERS_FILE)
    return CompassFacts(
        partnerships=values.get(FactName.PARTNERSHIPS),
        multi_actor_partnerships=values.get(FactName.MULTI_ACTOR_PARTNERSHIPS),
        survey_present=values.get(FactName.SURVEY_PRESENT),
    )


def _ids(
    entry: Mapping[str, Any], key: str, known: set[str], out: _Collector, where: str
) -> tuple[str, ...]:
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        out.add("liste_invalide", f"{where}.{key}", "liste d'identifiants attendue", value)
        return ()
    for item in value:
        if item not in known:
            out.add(
                "identifiant_inconnu",
                f"{where}.{key}",
                "identifiant inconnu",
                item,
                ", ".join(sorted(known)),
            )
    return tuple(v for v in value if v in known)


def _flag(
    entry: Mapping[str, Any], key: str, out: _Collector, where: str, default: bool | None = None
) -> bool:
    value = entry.get(key, default)
    if not isinstance(value, bool):
        out.add(
            "booleen_attendu",
            f"{where}.{key}",
            "valeur manquante ou invalide",
            value,
            "true | false",
        )
        return False
    return value


def _stakeholders(
    referential: CompassReferential, raw: Mapping[str, Any], out: _Collector
) -> tuple[StakeholderAnswer, ...]:
    section = _table(raw, "parties_prenantes", out)
    known = {s.id for s in referential.stakeholders}
    for key in section:
        if key not in known:
            out.add(
                "partie_prenante_inconnue",
                f"parties_prenantes.{key}",
                "partie prenante inconnue",
                key,
                ", ".join(sorted(known)),
            )
    found = []
    for stakeholder in referential.stakeholders:
        where = f"parties_prenantes.{stakeholder.id}"
        entry = section.get(stakeholder.id)
        if not isinstance(entry, dict):
            out.add(
                "partie_prenante_manquante",
                where,
                f"section manquante pour {stakeholder.label.fr}",
                expected="present, actif",
            )
            continue
        present = _flag(entry, "present", out, where)
        active = _flag(entry, "actif", out, where)
        if active and not present:
            out.add("incoherence", where, "une partie prenante active doit être présente")
        brings = _ids(
            entry, "apports", {b.id for b in stakeholder.brings} | {OTHER_CONTRIBUTION}, out, where
        )
        stakes = _ids(entry, "enjeux_satisfaits", {s.id for s in stakeholder.seeks}, out, where)
        found.append(
            StakeholderAnswer(
                stakeholder.id, present, active, brings, stakes, str(entry.get("note", ""))
            )
        )
    return tuple(found)


def _bodies(
    referential: CompassReferential, raw: Mapping[str, Any], out: _Collector
) -> tuple[ExistingBody, ...]:
    entries = raw.get("dispositifs", [])
    if not isinstance(entries, list):
        out.add("section_invalide", "dispositifs", "[[dispositifs]] : liste de tables attendue")
        return ()
    known = {b.id for b in referential.body_types}
    found = []
    for index, entry in enumerate(entries, start=1):
        where = f"dispositifs[{index}]"
        if not isinstance(entry, dict):
            out.add("section_invalide", where, "table attendue")
            continue
        kind, name = entry.get("type"), entry.get("nom")
        if kind not in known:
            out.add(
                "type_inconnu",
                f"{where}.type",
                "type de dispositif inconnu",
                kind,
                ", ".join(sorted(known)),
            )
        if not isinstance(name, str) or not name.strip():
            out.add("nom_manquant", f"{where}.nom", "nom du dispositif manquant")
        active = _flag(entry, "actif", out, where, default=True)
        can_host = _flag(entry, "peut_porter", out, where, default=False)
        if kind in known and isinstance(name, str) and name.strip():
            found.append(
                ExistingBody(str(kind), name, active, can_host, str(entry.get("note", "")))
            )
    return tuple(found)


def parse_answer_sheet(
    raw: Mapping[str, Any], referential: CompassReferential, file: str = "reponses.toml"
) -> AnswerSheet:
    """Validate a parsed answers file; raise ValidationError listing every problem."""
    out = _Collector(file)
    for key in raw:
        if key not in SECTIONS:
            out.add("section_inconnue", key, "section inconnue", key, ", ".join(SECTIONS))
    territory = _table(raw, "territoire", out)
    answers = _answers(referential, raw, out)
    facts = _facts(raw, out)
    stakeholders = _stakeholders(referential, raw, out)
    bodies = _bodies(referential, raw, out)
    brakes = _table(raw, "freins", out)
    brake_ids = {b.id for b in referential.brakes}
    declared = []
    for key, value in brakes.items():
        if key not in brake_ids:
            out.add(
                "frein_inconnu", f"freins.{key}", "frein inconnu", key, ", ".join(sorted(brake_ids))
            )
        elif not isinstance(value, bool):
            out.add(
                "booleen_attendu",
                f"freins.{key}",
                "valeur invalide",
                value,
                "true (présent) | false (levé)",
            )
        else:
            declared.append((key, value))
    budget = _table(raw, "budget", out)
    for key in budget:
        if key not in BUDGET_KEYS:
            out.add("cle_inconnue", f"budget.{key}", "clé inconnue", key, ", ".join(BUDGET_KEYS))
    phase = None
    if "phase" in budget:
        try:
            phase = Phase(str(budget["phase"]))
        except ValueError:
            out.add(
                "phase_inconnue",
                "budget.phase",
                "phase inconnue",
                budget["phase"],
                " | ".join(p.value for p in Phase),
            )
    rates = []
    for key, rate_id in (
        ("taux_benevolat", "benevolat"),
        ("taux_mecenat_competences", "mecenat_competences"),
    ):
        if key in budget:
            value = budget[key]
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not sane_number(value)
                or value <= 0
            ):
                out.add(
                    "taux_invalide",
                    f"budget.{key}",
                    "taux horaire invalide",
                    value,
                    "un nombre > 0 (euros)",
                )
            else:
                rates.append((rate_id, float(value)))
    if out.problems:
        raise ValidationError(f"fichier de réponses invalide : {file}", out.problems)
    code, name = territory.get("code"), territory.get("nom")
    return AnswerSheet(
        str(code) if code else None,
        str(name) if name else None,
        answers,
        facts,
        stakeholders,
        bodies,
        tuple(declared),
        phase,
        tuple(rates),
    )
