"""Load and validate the compass referential (``cotera/compass/data/*.toml``).

Every problem of every file is collected, then one :class:`ConfigurationError` names each
file and entry at fault (unknown references, missing labels, bad ranges, duplicates).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from cotera.compass.referential import (
    SOLUTION_DEFINED_QUESTION,
    CompassReferential,
    DispositifOption,
    FactName,
    QuestionKind,
)
from cotera.compass.referential_economics import parse_economics
from cotera.compass.referential_reader import Reader
from cotera.compass.referential_sections import (
    parse_body_types,
    parse_brakes,
    parse_dimensions,
    parse_levers,
    parse_options,
    parse_questions,
    parse_scales,
    parse_solutions,
    parse_stages,
    parse_stakeholders,
)
from cotera.errors import ConfigurationError

FILES = (
    "dimensions.toml",
    "stages.toml",
    "solutions.toml",
    "scales.toml",
    "questions.toml",
    "stakeholders.toml",
    "levers.toml",
    "economics.toml",
    "dispositif.toml",
    "brakes.toml",
)


def _read_files(source: Traversable | Path, problems: list[str]) -> dict[str, dict[str, Any]]:
    documents: dict[str, dict[str, Any]] = {}
    for name in FILES:
        try:
            text = source.joinpath(name).read_text(encoding="utf-8")
        except OSError:
            problems.append(f"{name} : fichier absent du référentiel")
            documents[name] = {}
            continue
        try:
            documents[name] = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            problems.append(f"{name} : TOML invalide ({exc})")
            documents[name] = {}
    return documents


def parse_referential(
    documents: Mapping[str, Mapping[str, Any]], problems: list[str] | None = None
) -> CompassReferential:
    """Build the referential from parsed TOML documents keyed by file name."""
    found = [] if problems is None else problems
    reader = Reader(found)

    def doc(name: str) -> Mapping[str, Any]:
        reader.file = name
        return documents.get(name, {})

    dimensions = parse_dimensions(reader, doc("dimensions.toml"))
    version = str(documents.get("dimensions.toml", {}).get("version", ""))
    if not version:
        reader.file = "dimensions.toml"
        reader.fail("version", "version du référentiel manquante")
    stakeholders = parse_stakeholders(reader, doc("stakeholders.toml"))
    stakeholder_ids = {s.id for s in stakeholders}
    solutions = parse_solutions(reader, doc("solutions.toml"), stakeholder_ids)
    scales = parse_scales(reader, doc("scales.toml"))
    stage_levels = _stage_levels(documents.get("stages.toml", {}))
    questions = parse_questions(
        reader, doc("questions.toml"), {d.id for d in dimensions}, scales, stage_levels
    )
    by_id = {q.id: q for q in questions}
    stages = parse_stages(reader, doc("stages.toml"), {s.id for s in solutions}, by_id)
    levers = parse_levers(reader, doc("levers.toml"))
    lever_refs = {f"{lever.id}.{item.id}" for lever in levers for item in lever.items}
    economics = parse_economics(reader, doc("economics.toml"), lever_refs)
    body_types = parse_body_types(reader, doc("dispositif.toml"))
    options = parse_options(reader, doc("dispositif.toml"))
    brakes = parse_brakes(reader, doc("brakes.toml"), {d.id for d in dimensions}, by_id)

    reader.file = "questions.toml"
    defined = by_id.get(SOLUTION_DEFINED_QUESTION)
    if defined is None or defined.kind is not QuestionKind.CHOICE:
        reader.fail(
            f"question {SOLUTION_DEFINED_QUESTION}",
            "question de type choice requise par la règle du dispositif",
        )
    for fact in FactName:
        if not any(q.fact is fact for q in questions):
            reader.fail(f"fait {fact.value}", "aucune question ne lit ce fait")
    if found:
        raise ConfigurationError(
            "référentiel de la boussole invalide :\n" + "\n".join(f"  - {p}" for p in found)
        )
    return CompassReferential(
        version=version,
        dimensions=dimensions,
        stages=stages,
        solutions=solutions,
        questions=questions,
        stakeholders=stakeholders,
        levers=levers,
        economics=economics,
        body_types=body_types,
        options=tuple((DispositifOption(k), v) for k, v in options),
        brakes=brakes,
    )


def _stage_levels(document: Mapping[str, Any]) -> set[int]:
    entries = document.get("stage", [])
    if not isinstance(entries, list):
        return set()
    return {e["level"] for e in entries if isinstance(e, dict) and isinstance(e.get("level"), int)}


def load_referential(source: Traversable | Path) -> CompassReferential:
    """Read and validate the referential files from a directory (or package resource)."""
    problems: list[str] = []
    documents = _read_files(source, problems)
    return parse_referential(documents, problems)


@cache
def compass_referential() -> CompassReferential:
    """The packaged referential (cached)."""
    return load_referential(resources.files("cotera.compass").joinpath("data"))
