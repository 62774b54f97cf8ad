"""The three prisms of a territory, read from the stored survey waves.

For each prism the latest stored wave is used. Its respondents are located by the ``region``
column (2016 régions) and, when the file has it, the ``territory`` column (commune or
département code). The reading uses the finest scope — the territory itself, then its région,
then France — at which every prism has at least its secrecy threshold of respondents (11
citizens, 3 organisations); cells below the threshold stay hidden (« secret statistique »).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl
from sqlalchemy import Engine

from cotera.report.prisms import PrismsView, PrismWave
from cotera.services.survey_waves import perceived_scores
from cotera.storage.survey_store import Wave, list_waves, read_responses
from cotera.survey.crossread import cross_read
from cotera.survey.questionnaire import phare_questionnaire
from cotera.survey.secrecy import min_respondents
from cotera.territory.catalog import TerritoryCatalog
from cotera.territory.model import Territory
from cotera.types import Level

NO_WAVE = (
    "Aucune vague d'enquête n'est enregistrée : les trois prismes ne sont pas disponibles "
    "(« cotera survey import FICHIER » pour une enquête réelle, « cotera demo synth » pour des "
    "données synthétiques de démonstration)."
)


@dataclass(frozen=True, slots=True)
class Scope:
    """Where respondents are read: a territory code and name, and the rows it keeps."""

    code: str
    name: str
    rows: pl.Expr
    local: bool  # the territory itself (not a wider area)


def _departement_of_territory() -> pl.Expr:
    """Département code of the ``territory`` column (a commune or a département code)."""
    code = pl.col("territory").cast(pl.Utf8).str.strip_chars().str.to_uppercase()
    return (
        pl.when(code.str.len_chars() == 5)
        .then(
            pl.when(code.str.starts_with("97"))
            .then(code.str.slice(0, 3))
            .otherwise(code.str.slice(0, 2))
        )
        .otherwise(code)
    )


def scopes(territory: Territory, catalog: TerritoryCatalog) -> list[Scope]:
    """From the territory itself to France, the scopes a survey can be read at."""
    out: list[Scope] = []
    code = territory.code.code
    located = pl.col("territory").is_not_null()
    if territory.level is Level.REGION:
        out.append(Scope(str(territory.code), territory.name, pl.col("region") == code, True))
    elif territory.level is Level.DEPARTEMENT:
        rows = located & (_departement_of_territory() == code)
        out.append(Scope(str(territory.code), territory.name, rows, True))
    elif territory.level in (Level.EPCI, Level.COMMUNE):
        communes = [c.code.code for c in catalog.communes_of(territory.code)] or [code]
        rows = located & pl.col("territory").cast(pl.Utf8).is_in(communes)
        out.append(Scope(str(territory.code), territory.name, rows, True))
    region = territory.parent(Level.REGION)
    if region is not None and region in catalog:
        name = catalog.get(region).name
        out.append(Scope(str(region), name, pl.col("region") == region.code, False))
    out.append(Scope("fr", "France", pl.lit(True), territory.level is Level.COUNTRY))
    return out


def latest_waves(engine: Engine) -> list[Wave]:
    """The latest stored wave of each prism, in the questionnaire's prism order."""
    latest: dict[str, Wave] = {}
    for wave in list_waves(engine):
        latest[wave.prism] = wave
    order = [p.prism.value for p in phare_questionnaire().prisms]
    return [latest[p] for p in order if p in latest]


@dataclass(frozen=True, slots=True)
class PrismResult:
    """The section's view, or why there is none."""

    view: PrismsView | None
    reason: str
    local: bool  # respondents located in the territory itself (the compass's survey fact)


def in_scope(frame: pl.DataFrame, scope: Scope) -> pl.DataFrame:
    """The respondents of ``frame`` located in ``scope``."""
    if "territory" not in frame.columns:
        frame = frame.with_columns(pl.lit(None, dtype=pl.Utf8).alias("territory"))
    return frame.filter(scope.rows)


def read_prisms(
    waves: Mapping[Wave, pl.DataFrame],
    territory: Territory,
    catalog: TerritoryCatalog,
    objective: Mapping[str, float],
    labels: Mapping[str, str],
) -> PrismResult:
    """Cross-read the waves at the finest scope where every prism passes its threshold.

    ``objective`` holds the diagnostic's percentiles (0–100) by fragility.
    """
    if not waves:
        return PrismResult(None, NO_WAVE, False)
    candidates = scopes(territory, catalog)
    chosen, frames = candidates[-1], {}
    for scope in candidates:
        frames = {wave: in_scope(frame, scope) for wave, frame in waves.items()}
        if all(f.height >= min_respondents(w.prism) for w, f in frames.items()):
            chosen = scope
            break
    if chosen.local:
        note = f"Répondants situés dans {chosen.name}."
    else:
        note = (
            f"Trop peu de répondants situés dans {territory.name} (moins de 11 citoyens ou "
            f"3 organisations pour un prisme) : lecture à l'échelle « {chosen.name} »."
        )
    questionnaire = phare_questionnaire()
    scores = {w.prism: perceived_scores(frames[w]) for w in waves}
    reading = cross_read(scores, {code: value / 100 for code, value in objective.items()})
    view = PrismsView(
        scope=chosen.code,
        scope_name=chosen.name,
        scope_note=note,
        waves=tuple(
            PrismWave(
                w.prism,
                questionnaire.prism(w.prism).label_fr,
                w.name,
                frames[w].height,
                w.synthetic,
            )
            for w in waves
        ),
        reading=reading,
        labels=labels,
    )
    return PrismResult(view, "", chosen.local)


def stored_prism_frames(engine: Engine) -> dict[Wave, pl.DataFrame]:
    """The responses of the latest wave of each prism."""
    return {wave: read_responses(engine, wave) for wave in latest_waves(engine)}
