"""Parsers of the referential sections other than the economic model (see loader)."""

from __future__ import annotations

from collections.abc import Mapping
from itertools import pairwise
from typing import Any

from cotera.compass.referential import (
    BodyType,
    Brake,
    BrakeTrigger,
    Dimension,
    DispositifOption,
    FactName,
    Item,
    KeyQuestion,
    Label,
    Lever,
    Question,
    QuestionKind,
    Scale,
    ScaleOption,
    Signal,
    Solution,
    Stage,
    Stakeholder,
)
from cotera.compass.referential_reader import Reader

Document = Mapping[str, Any]


def parse_dimensions(reader: Reader, document: Document) -> tuple[Dimension, ...]:
    """The four dimensions."""
    return tuple(
        Dimension(
            str(raw.get("id", "")), reader.label(raw, name), reader.label(raw, name, "question")
        )
        for name, raw in reader.entries(document, "dimension")
    )


def parse_stakeholders(reader: Reader, document: Document) -> tuple[Stakeholder, ...]:
    """The six stakeholders with their contributions and stakes."""
    found = []
    for name, raw in reader.entries(document, "stakeholder"):
        legible = raw.get("brings_legible", True)
        if not isinstance(legible, bool):
            reader.fail(name, "brings_legible doit valoir true ou false")
            legible = True
        brings = reader.items(raw, "brings", name)
        note = reader.label(raw, name, "brings_note") if not legible else None
        if legible and not brings:
            reader.fail(name, "aucun apport (brings) : marquez brings_legible = false si illisible")
        seeks = reader.items(raw, "seeks", name)
        if not seeks:
            reader.fail(name, "aucun enjeu (seeks)")
        found.append(
            Stakeholder(
                str(raw.get("id", "")), reader.label(raw, name), brings, seeks, legible, note
            )
        )
    return tuple(found)


def parse_solutions(
    reader: Reader, document: Document, stakeholders: set[str]
) -> tuple[Solution, ...]:
    """The engineering solutions and their steps."""
    found = []
    for name, raw in reader.entries(document, "solution"):
        steps = reader.items(raw, "steps", name)
        if not steps:
            reader.fail(name, "aucune étape (steps)")
        found.append(
            Solution(
                str(raw.get("id", "")),
                reader.label(raw, name),
                reader.label(raw, name, "outcome"),
                reader.references(raw, "leaders", name, stakeholders),
                steps,
            )
        )
    return tuple(found)


def parse_scales(reader: Reader, document: Document) -> dict[str, Scale]:
    """The answer scales by id."""
    scales: dict[str, Scale] = {}
    for name, raw in reader.entries(document, "scale"):
        options = []
        for item in reader.items(raw, "options", name):
            points = next((o.get("points") for o in raw["options"] if o.get("id") == item.id), None)
            if isinstance(points, bool) or not isinstance(points, int) or points < 0:
                reader.fail(f"{name}, option {item.id}", "points : entier >= 0 attendu")
                points = 0
            options.append(ScaleOption(item.id, item.label, points))
        if not options or max(o.points for o in options) == 0:
            reader.fail(name, "l'échelle doit avoir au moins une option à plus de 0 point")
            continue
        ident = str(raw.get("id", ""))
        scales[ident] = Scale(ident, reader.label(raw, name), tuple(options))
    return scales


def parse_questions(
    reader: Reader,
    document: Document,
    dimensions: set[str],
    scales: Mapping[str, Scale],
    stage_levels: set[int],
) -> tuple[Question, ...]:
    """The questionnaire and its scoring rules."""
    found = []
    for name, raw in reader.entries(document, "question"):
        dimension = reader.text(raw, "dimension", name)
        if dimension and dimension not in dimensions:
            reader.fail(name, f"dimension inconnue {dimension!r}")
        stage = raw.get("stage")
        if stage not in stage_levels:
            reader.fail(name, f"étape inconnue {stage!r} (étapes : {sorted(stage_levels)})")
        try:
            kind = QuestionKind(str(raw.get("kind")))
        except ValueError:
            reader.fail(name, f"kind {raw.get('kind')!r} inconnu (choice, count, boolean)")
            continue
        scale = None
        thresholds: tuple[float, ...] = ()
        if kind is QuestionKind.CHOICE:
            scale = scales.get(str(raw.get("scale")))
            if scale is None:
                reader.fail(name, f"échelle inconnue {raw.get('scale')!r}")
        elif kind is QuestionKind.COUNT:
            thresholds = _thresholds(reader, raw, name)
        fact = None
        if "fact" in raw:
            try:
                fact = FactName(raw["fact"])
            except ValueError:
                known = ", ".join(f.value for f in FactName)
                reader.fail(name, f"fait inconnu {raw['fact']!r} (connus : {known})")
        weight = reader.number(raw, "weight", name, 0.01, 100.0, default=1.0)
        found.append(
            Question(
                str(raw.get("id", "")),
                dimension,
                stage if isinstance(stage, int) else 0,
                kind,
                reader.label(raw, name),
                scale,
                thresholds,
                fact,
                weight,
            )
        )
    return tuple(found)


def _thresholds(reader: Reader, raw: Mapping[str, Any], name: str) -> tuple[float, ...]:
    values = raw.get("thresholds")
    if (
        not isinstance(values, list)
        or not values
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)
    ):
        reader.fail(name, "thresholds : liste de nombres attendue pour une question count")
        return (1.0,)
    if values[0] <= 0 or any(b <= a for a, b in pairwise(values)):
        reader.fail(name, f"thresholds {values} : nombres > 0 strictement croissants attendus")
    return tuple(float(v) for v in values)


def parse_stages(
    reader: Reader, document: Document, solutions: set[str], questions: Mapping[str, Question]
) -> tuple[Stage, ...]:
    """The maturity path, levels 0, 1, 2… in order."""
    found = []
    for name, raw in reader.entries(document, "stage"):
        level = raw.get("level")
        if isinstance(level, bool) or not isinstance(level, int):
            reader.fail(name, "level : entier attendu")
            continue
        next_solution = reader.text(raw, "next_solution", name)
        if next_solution and next_solution not in solutions:
            reader.fail(name, f"next_solution : solution inconnue {next_solution!r}")
        keys = []
        for index, key in enumerate(raw.get("key", []), start=1):
            where = f"{name}, key n°{index}"
            question = questions.get(str(key.get("question")))
            if question is None:
                reader.fail(where, f"question inconnue {key.get('question')!r}")
                continue
            points = reader.integer(key, "min_points", where, 1, question.max_points)
            keys.append(KeyQuestion(question.id, points))
        found.append(
            Stage(
                level,
                str(raw.get("id", "")),
                reader.label(raw, name),
                reader.label(raw, name, "achieved"),
                reader.number(raw, "threshold", name, 0.01, 1.0),
                next_solution,
                tuple(keys),
            )
        )
    levels = [s.level for s in found]
    if levels and levels != list(range(len(levels))):
        reader.fail("stage", f"niveaux {levels} : 0, 1, 2… dans l'ordre attendus")
    for stage in found:
        if not any(q.stage == stage.level for q in questions.values()):
            reader.fail(f"stage {stage.level}", "aucune question rattachée à cette étape")
    return tuple(found)


def parse_levers(reader: Reader, document: Document) -> tuple[Lever, ...]:
    """The three levers and their components."""
    found = []
    for name, raw in reader.entries(document, "lever"):
        items = reader.items(raw, "items", name)
        if not items:
            reader.fail(name, "aucune composante (items)")
        found.append(
            Lever(
                str(raw.get("id", "")),
                reader.label(raw, name),
                reader.label(raw, name, "question"),
                items,
            )
        )
    return tuple(found)


def parse_body_types(reader: Reader, document: Document) -> tuple[BodyType, ...]:
    """Existing body types, each with its usual initiator."""
    initiators = {
        str(raw.get("id")): Item(str(raw.get("id")), reader.label(raw, name))
        for name, raw in reader.entries(document, "initiator")
    }
    found = []
    for name, raw in reader.entries(document, "body_type"):
        initiator = initiators.get(str(raw.get("initiator")))
        if initiator is None:
            reader.fail(name, f"initiateur inconnu {raw.get('initiator')!r}")
            initiator = Item("", Label("", ""))
        found.append(BodyType(str(raw.get("id", "")), reader.label(raw, name), initiator))
    return tuple(found)


def parse_options(reader: Reader, document: Document) -> tuple[tuple[str, Label], ...]:
    """The four structural options (exactly the engine's)."""
    found = [
        (str(raw.get("id")), reader.label(raw, name))
        for name, raw in reader.entries(document, "option")
    ]
    expected = {o.value for o in DispositifOption}
    if {ident for ident, _ in found} != expected:
        reader.fail("option", f"options attendues exactement : {sorted(expected)}")
        return ()
    return tuple(found)


def parse_brakes(
    reader: Reader, document: Document, dimensions: set[str], questions: Mapping[str, Question]
) -> tuple[Brake, ...]:
    """The technical brakes and what detects them."""
    found = []
    for name, raw in reader.entries(document, "brake"):
        dimension = reader.text(raw, "dimension", name)
        if dimension and dimension not in dimensions:
            reader.fail(name, f"dimension inconnue {dimension!r}")
        triggers = []
        for index, trigger in enumerate(raw.get("questions", []), start=1):
            where = f"{name}, questions n°{index}"
            question = questions.get(str(trigger.get("question")))
            if question is None:
                reader.fail(where, f"question inconnue {trigger.get('question')!r}")
                continue
            below = reader.integer(trigger, "below", where, 1, question.max_points)
            triggers.append(BrakeTrigger(question.id, below))
        signals = []
        for value in reader.strings(raw, "signals", name):
            try:
                signals.append(Signal(value))
            except ValueError:
                reader.fail(name, f"signal inconnu {value!r}")
        found.append(
            Brake(
                str(raw.get("id", "")),
                dimension,
                reader.label(raw, name),
                tuple(triggers),
                tuple(signals),
            )
        )
    return tuple(found)
