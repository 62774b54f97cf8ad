"""The three prisms of a territory, read from the stored survey waves.

For each prism the latest stored wave is used. Its respondents are located by the ``region``
column (2016 régions) and, when the file has it, the ``territory`` column (commune or
département code). The reading uses the finest scope — the territory itself, then its région,
then France — where every prism's figures are published under statistical secrecy: the scope is
a place of the secrecy plan of the wave (France, région, département, commune:
:mod:`cotera.survey.publication`; an EPCI is not one) and at least one question is published
there for every prism. Each figure's status comes from its question's plan, the same as in every
other output of the wave; hidden cells read « secret statistique ».
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl
from sqlalchemy import Engine

from cotera.report.prisms import PrismsView, PrismWave
from cotera.services.survey_waves import impact_plans, perceived_scores
from cotera.storage.survey_store import Wave, list_waves, read_responses
from cotera.survey.crossread import cross_read
from cotera.survey.publication import QuestionPlan, geography
from cotera.survey.questionnaire import phare_questionnaire
from cotera.territory.catalog import TerritoryCatalog
from cotera.territory.model import Territory
from cotera.types import Level

NO_WAVE = (
    "Aucune vague d'enquête n'est enregistrée : les trois prismes ne sont pas disponibles "
    "(« cotera survey import FICHIER » pour une enquête réelle, « cotera demo synth » pour des "
    "données synthétiques de démonstration)."
)
NOT_A_PLACE = "les enquêtes ne sont pas publiées à l'échelle d'un EPCI"
SECRET_HERE = (
    "chiffres couverts par le secret statistique pour au moins un prisme (moins de 11 citoyens "
    "ou 3 organisations, une organisation pesant plus de 85 % du total pondéré, ou secret "
    "secondaire : ils permettraient de retrouver par différence un territoire voisin trop petit)"
)
PLACE_LEVELS = {
    Level.REGION: "region",
    Level.DEPARTEMENT: "departement",
    Level.COMMUNE: "territory",
}


@dataclass(frozen=True, slots=True)
class Scope:
    """Where respondents are read: a territory code and name, and its place in the secrecy
    plan (``level`` ``None`` is France; ``placed`` false for an area that is not a place of the
    plan, such as an EPCI: never read)."""

    code: str
    name: str
    level: str | None
    key: str
    local: bool  # the territory itself (not a wider area)
    placed: bool = True

    def status_in(self, plan: QuestionPlan) -> bool:
        """True when the plan publishes this scope."""
        return self.placed and not plan.place(self.level, self.key).hidden


def scopes(territory: Territory, catalog: TerritoryCatalog) -> list[Scope]:
    """From the territory itself to France, the scopes a survey can be read at."""
    out: list[Scope] = []
    code = territory.code.code
    name = territory.name
    if territory.level in PLACE_LEVELS:
        out.append(Scope(str(territory.code), name, PLACE_LEVELS[territory.level], code, True))
    elif territory.level is Level.EPCI:
        out.append(Scope(str(territory.code), name, None, code, True, placed=False))
    region = territory.parent(Level.REGION)
    if region is not None and region in catalog:
        out.append(Scope(str(region), catalog.get(region).name, "region", region.code, False))
    out.append(Scope("fr", "France", None, "", territory.level is Level.COUNTRY))
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
    """The respondents of ``frame`` located in ``scope`` (the same keys as the secrecy plan)."""
    if not scope.placed:
        raise ValueError(f"{scope.code} n'est pas un lieu du plan de secret statistique")
    if scope.level is None:
        return frame
    return frame.filter(geography(frame)[scope.level] == scope.key)


WavePlans = Mapping[Wave, Mapping[str, QuestionPlan]]


def wave_plans(waves: Mapping[Wave, pl.DataFrame]) -> dict[Wave, dict[str, QuestionPlan]]:
    """The secrecy plan of every impact question of every wave (built once per run)."""
    return {wave: impact_plans(frame) for wave, frame in waves.items()}


def read_prisms(
    waves: Mapping[Wave, pl.DataFrame],
    territory: Territory,
    catalog: TerritoryCatalog,
    objective: Mapping[str, float],
    labels: Mapping[str, str],
    plans: WavePlans | None = None,
) -> PrismResult:
    """Cross-read the waves at the finest scope where every prism has published figures.

    ``objective`` holds the diagnostic's percentiles (0–100) by fragility; ``plans`` the
    waves' secrecy plans (:func:`wave_plans`, built here when not given).
    """
    if not waves:
        return PrismResult(None, NO_WAVE, False)
    plans = plans if plans is not None else wave_plans(waves)
    candidates = scopes(territory, catalog)
    chosen = candidates[-1]
    for scope in candidates:
        if all(any(scope.status_in(p) for p in plans[w].values()) for w in waves):
            chosen = scope
            break
    frames = {wave: in_scope(frame, chosen) for wave, frame in waves.items()}
    if chosen.local:
        note = f"Répondants situés dans {chosen.name}."
    else:
        why = SECRET_HERE if candidates[0].placed else NOT_A_PLACE
        note = f"{territory.name} : {why} ; lecture à l'échelle « {chosen.name} »."
    questionnaire = phare_questionnaire()
    scores = {w.prism: perceived_scores(frames[w], plans[w], chosen.level, chosen.key)
              for w in waves}  # fmt: skip
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
