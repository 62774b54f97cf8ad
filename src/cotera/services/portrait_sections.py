"""The portrait's extra sections: the three prisms, the partnership barometer, the compass.

:class:`PortraitSections` is the ``sections`` hook of ``cotera.services.diagnostic``: it reads
the stored survey waves and the registry once per run, then builds each territory's sections.
A section without data is kept, reduced to the sentence saying why. The same facts feed the
compass (:func:`stored_facts`), so ``cotera compass T`` uses them too.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from cotera.compass import CompassFacts, FactOrigin, FactValue
from cotera.diagnostic.model import Diagnostic
from cotera.diagnostic.wording import level_noun
from cotera.errors import ConfigurationError, DataUnavailableError, NotFoundError
from cotera.report.barometer import KEY as BAROMETER_KEY
from cotera.report.barometer import TITLE as BAROMETER_TITLE
from cotera.report.barometer import barometer_section
from cotera.report.basemap import BaseMap
from cotera.report.compass import KEY as COMPASS_KEY
from cotera.report.compass import TITLE as COMPASS_TITLE
from cotera.report.compass import compass_section
from cotera.report.prisms import KEY as PRISMS_KEY
from cotera.report.prisms import TITLE as PRISMS_TITLE
from cotera.report.prisms import prisms_section
from cotera.report.sections import Section, unavailable_section
from cotera.services.barometer_survey import organization_waves
from cotera.services.compass import CompassRequest, run_compass
from cotera.services.database import database
from cotera.services.demo import is_demo_answers
from cotera.services.diagnostic import (
    DEFAULT_DRAWS,
    DEFAULT_SEED,
    Portrait,
    Progress,
    diagnose,
    diagnose_level,
)
from cotera.services.prism_reading import read_prisms, stored_prism_frames, wave_plans
from cotera.services.registry_portrait import RegistrySnapshot, barometer_view, registry_facts
from cotera.services.territories import read_catalog, resolve_in
from cotera.settings import Settings
from cotera.storage.survey_store import Wave
from cotera.territory.catalog import TerritoryCatalog
from cotera.territory.model import Territory
from cotera.types import Level

NO_ANSWERS = (
    "Boussole non calculée : ajoutez « --answers FICHIER » (réponses du territoire, voir "
    "docs/compass.md) et, si possible, « --budget FICHIER »."
)


@dataclass(frozen=True, slots=True)
class CompassInputs:
    """The answers file (and budget) of the territory whose portrait gets the compass."""

    answers: Path
    budget: Path | None = None
    synthetic: bool = False  # the example's (or the demo's) synthetic answers

    @classmethod
    def of(cls, settings: Settings, answers: Path, budget: Path | None) -> CompassInputs:
        """Inputs from the command line, labelled synthetic for the example answers."""
        return cls(answers, budget, is_demo_answers(settings, answers))


def _combined(registry: CompassFacts | None, survey_local: bool, waves: int) -> CompassFacts:
    """Registry facts and survey presence, each only when storage knows it."""
    survey = FactValue(True, FactOrigin.SURVEY) if survey_local else None
    notes: tuple[str, ...] = ()
    if survey_local:
        notes = (f"enquêtes : {waves} vague(s) avec des répondants situés sur le territoire",)
    if registry is None:
        return CompassFacts(survey_present=survey, notes=notes)
    return CompassFacts(
        partnerships=registry.partnerships,
        multi_actor_partnerships=registry.multi_actor_partnerships,
        survey_present=survey,
        organisations=registry.organisations,
        notes=registry.notes + notes,
    )


class PortraitSections:
    """Builds the extra sections of every portrait of one run (storage read once)."""

    def __init__(self, settings: Settings, compass: CompassInputs | None = None) -> None:
        self.settings = settings
        self.compass = compass
        with database(settings) as engine:
            self.waves: dict[Wave, pl.DataFrame] = stored_prism_frames(engine)
            self.plans = wave_plans(self.waves)
            self.registry = RegistrySnapshot.read(engine)
            self.organization_waves = organization_waves(self.waves)
            with engine.connect() as connection:
                self.catalog: TerritoryCatalog = read_catalog(connection)

    def __call__(self, diagnostic: Diagnostic, base_map: BaseMap) -> list[Section]:
        """The three sections of ``diagnostic``'s territory, in reading order."""
        territory = self.catalog.get(diagnostic.territory)
        labels = {f.code: f.label for f in diagnostic.fragilities}
        objective = {
            f.code: f.position.percentile for f in diagnostic.fragilities if f.position is not None
        }
        prisms = read_prisms(self.waves, territory, self.catalog, objective, labels, self.plans)
        sections = [
            prisms_section(prisms.view)
            if prisms.view is not None
            else unavailable_section(PRISMS_KEY, PRISMS_TITLE, prisms.reason)
        ]
        peers = {p.code: p.name for p in diagnostic.peers}
        view = barometer_view(
            self.registry,
            territory,
            self.catalog,
            peers,
            level_noun(diagnostic.level, plural=True),
            labels,
            self.organization_waves,
        )
        sections.append(
            barometer_section(view, base_map)
            if not isinstance(view, str)
            else unavailable_section(BAROMETER_KEY, BAROMETER_TITLE, view)
        )
        if self.compass is None:
            sections.append(unavailable_section(COMPASS_KEY, COMPASS_TITLE, NO_ANSWERS))
            return sections
        facts = _combined(
            None
            if self.registry.empty
            else registry_facts(self.registry, self.registry.of(territory, self.catalog)),
            prisms.local,
            len(self.waves),
        )
        request = CompassRequest(diagnostic.territory, self.compass.answers, self.compass.budget)
        result = run_compass(request, self.settings, stored_facts=facts)
        sections.append(compass_section(result, self.compass.synthetic))
        return sections

    def facts(self, territory: Territory) -> CompassFacts:
        """The stored facts of ``territory`` for the compass."""
        own = self.registry.of(territory, self.catalog)
        registry = None if self.registry.empty else registry_facts(self.registry, own)
        prisms = read_prisms(self.waves, territory, self.catalog, {}, {}, self.plans)
        return _combined(registry, prisms.local, len(self.waves))


def stored_facts(settings: Settings, territory: str) -> CompassFacts:
    """Facts of a territory from the registry and the survey waves (empty when unknown).

    A custom or unknown territory, or a database without territories, has no stored facts.
    """
    try:
        with database(settings) as engine, engine.connect() as connection:
            resolved = resolve_in(connection, territory)
        if resolved.custom is not None:
            return CompassFacts()
        return PortraitSections(settings).facts(resolved.territory)
    except (DataUnavailableError, NotFoundError):
        return CompassFacts()


def portrait(
    settings: Settings,
    text: str,
    *,
    answers: Path | None = None,
    budget: Path | None = None,
    draws: int = DEFAULT_DRAWS,
    seed: int | None = DEFAULT_SEED,
    out_dir: Path | None = None,
) -> Portrait:
    """The diagnostic of one territory and its portrait with every extra section.

    The compass is added when ``answers`` is given (``budget`` needs ``answers``).
    """
    if budget is not None and answers is None:
        raise ConfigurationError("--budget demande aussi --answers (le fichier de réponses)")
    inputs = None if answers is None else CompassInputs.of(settings, answers, budget)
    return diagnose(
        settings, text, draws=draws, seed=seed, out_dir=out_dir,
        sections=PortraitSections(settings, inputs),
    )  # fmt: skip


def portraits(
    settings: Settings,
    level: Level,
    *,
    draws: int = DEFAULT_DRAWS,
    seed: int | None = DEFAULT_SEED,
    out_dir: Path | None = None,
    metropolitan_only: bool = False,
    progress: Progress | None = None,
) -> list[Portrait]:
    """Every portrait of a level with the survey and barometer sections (no compass)."""
    return diagnose_level(
        settings, level, draws=draws, seed=seed, out_dir=out_dir,
        metropolitan_only=metropolitan_only, progress=progress,
        sections=PortraitSections(settings),
    )  # fmt: skip
