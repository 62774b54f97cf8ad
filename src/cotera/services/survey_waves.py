"""Survey use cases on stored waves: import, list, compare, cross-read the prisms."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

import polars as pl

from cotera.errors import ConfigurationError
from cotera.services.database import database
from cotera.services.survey import (
    PublishedTable,
    estimate_frame,
    frame_prism,
    is_synthetic,
    stored_weights,
    wave_plan,
)
from cotera.settings import Settings
from cotera.sources.survey_files import file_sha256, read_survey_file
from cotera.sources.toml_file import read_toml
from cotera.storage.survey_store import Wave, get_wave, list_waves, read_responses, store_wave
from cotera.survey.crossread import CrossReading, PerceivedScore, cross_read
from cotera.survey.design import make_design
from cotera.survey.difference import Difference, compare
from cotera.survey.estimation import proportions
from cotera.survey.publication import QuestionPlan, crossing_of, geography
from cotera.survey.questionnaire import Prism, phare_questionnaire
from cotera.survey.responses import ColumnMapping, parse_mapping, validate_responses
from cotera.survey.secrecy import SecrecyRequest


def load_mapping(path: Path | None) -> ColumnMapping:
    """A column mapping from a TOML file (identity when ``None``)."""
    if path is None:
        return ColumnMapping()
    raw = read_toml(path, "correspondance")
    return parse_mapping(raw, phare_questionnaire())


def import_wave(
    settings: Settings,
    path: Path,
    *,
    name: str | None = None,
    prism: Prism | None = None,
    mapping: Path | None = None,
) -> tuple[Wave, bool]:
    """Validate a survey file and store it as a wave (idempotent; nothing written on error)."""
    column_mapping = load_mapping(mapping)
    frame = read_survey_file(path)
    responses = validate_responses(
        frame, phare_questionnaire(), column_mapping, prism=prism, file=path.name
    )
    key = hashlib.sha256(f"{file_sha256(path)}|{column_mapping!r}|{prism}".encode()).hexdigest()
    wave_prism = responses["prism"][0] if responses.height else (prism or Prism.CITIZENS).value
    with database(settings) as engine:
        return store_wave(
            engine,
            responses,
            name=name or path.stem,
            prism=str(wave_prism),
            questionnaire_version=phare_questionnaire().version,
            file_name=path.name,
            content_sha256=key,
            synthetic=is_synthetic(frame),
        )


def stored_waves(settings: Settings) -> tuple[Wave, ...]:
    """Every stored wave."""
    with database(settings) as engine:
        return list_waves(engine)


def wave_frame(settings: Settings, name: str) -> tuple[Wave, pl.DataFrame]:
    """A stored wave and its responses."""
    with database(settings) as engine:
        wave = get_wave(engine, name)
        return wave, read_responses(engine, wave)


def compare_waves(
    settings: Settings,
    first: str,
    second: str,
    variable: str,
    *,
    by: str | None = None,
    secrecy: SecrecyRequest | None = None,
) -> tuple[tuple[Difference, ...], PublishedTable, PublishedTable]:
    """Differences ``second - first`` between two stored waves (independent samples).

    Each table is marked synthetic when its wave was stored as synthetic; a difference is
    shown only where both cells are published.
    """
    tables = []
    for name in (first, second):
        wave, frame = wave_frame(settings, name)
        weight = "weight" if frame["weight"].is_not_null().all() else None
        table = estimate_frame(frame, variable, weight=weight, by=by, secrecy=secrecy)
        tables.append(replace(table, synthetic=table.synthetic or wave.synthetic))
    a, b = tables
    differences = tuple(
        d
        for d in compare(a.table, b.table)
        if not a.statuses[d.domain].hidden and not b.statuses[d.domain].hidden
    )
    return differences, a, b


def impact_plans(frame: pl.DataFrame) -> dict[str, QuestionPlan]:
    """The secrecy plan of each impact question of a stored wave (built once per wave; questions
    answered by the same respondents share one)."""
    plans: dict[str, QuestionPlan] = {}
    shared: dict[tuple[str | None, bytes], QuestionPlan] = {}
    prism = frame_prism(frame)
    for question in phare_questionnaire().impact_questions():
        answered = frame[question.name].is_not_null().to_numpy().tobytes()
        key = (crossing_of(prism, question.name, frame.columns), answered)
        if key not in shared:
            shared[key] = wave_plan(frame, question.name)
        plans[question.name] = replace(shared[key], variable=question.name)
    return plans


def perceived_scores(
    frame: pl.DataFrame,
    plans: Mapping[str, QuestionPlan],
    level: str | None = None,
    code: str = "",
) -> dict[str, PerceivedScore]:
    """Share of strong / very strong impact per fragility, with CI, of the respondents of
    ``frame`` (the place ``level``/``code`` of the wave, France by default): hidden where the
    question's plan hides that place."""
    questionnaire = phare_questionnaire()
    design = make_design(stored_weights(frame))
    out = {}
    for question in questionnaire.impact_questions():
        column = frame[question.name]
        scale = question.scale
        assert scale is not None
        strong = column.is_in(list(scale.strong)).cast(pl.Int8).to_numpy()
        table = proportions(design, strong, levels=("0", "1"), missing=column.is_null().to_numpy())
        row = table.get("ensemble", "1")
        hidden = plans[question.name].place(level, code).hidden
        out[str(question.fragility)] = PerceivedScore(
            row.estimate, row.se, row.ci_low, row.ci_high, row.n, hidden
        )
    return out


def cross_read_waves(
    settings: Settings,
    waves: Mapping[str, str],
    objective: Mapping[str, float] | None = None,
    *,
    region: str | None = None,
) -> tuple[CrossReading, tuple[str, ...]]:
    """Cross-reading of stored waves ``{prism: wave name}``, optionally for one region.

    Also returns the names of the synthetic waves among them (to label the output).
    """
    scores = {}
    synthetic = []
    for prism, name in waves.items():
        wave, frame = wave_frame(settings, name)
        if wave.synthetic:
            synthetic.append(wave.name)
        plans = impact_plans(frame)
        if region is None:
            scores[prism] = perceived_scores(frame, plans)
            continue
        located = frame.filter(geography(frame)["region"] == region.strip())
        scores[prism] = perceived_scores(located, plans, "region", region.strip())
    return cross_read(scores, objective), tuple(synthetic)


def read_objective(path: Path | None) -> dict[str, float] | None:
    """Objective fragility percentiles from a ``fragility,percentile`` file."""
    if path is None:
        return None
    frame = read_survey_file(path)
    if not {"fragility", "percentile"} <= set(frame.columns):
        raise ConfigurationError(f"{path.name} : colonnes fragility,percentile attendues")
    return {
        str(code).upper(): float(str(value).replace(",", "."))
        for code, value in frame.select("fragility", "percentile").iter_rows()
    }
