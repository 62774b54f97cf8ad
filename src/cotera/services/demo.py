"""``cotera demo synth``: SYNTHETIC survey waves and registry so every portrait section shows.

Stores one seeded synthetic wave per prism (citizens, companies, associations; calibrated on
PHARE 2015, ``cotera.survey.synthetic``; perceived impacts vary by région with the objective
fragility percentiles of the diagnostic when indicators are loaded, see
``cotera.services.survey_regions``), each respondent placed in a département of its région in
proportion to population, and a small synthetic registry over the loaded communes
(``cotera.registry.synthetic``; replaces the previous synthetic registry, real rows stay).
Everything is labelled synthetic wherever it shows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from cotera.actor import Actor
from cotera.registry.synthetic import SyntheticSpec
from cotera.services.compass import EXAMPLE_ANSWERS, EXAMPLE_BUDGET
from cotera.services.database import database
from cotera.services.registry import synthesize as synthesize_registry
from cotera.services.survey_regions import regional_variation
from cotera.services.territories import read_catalog
from cotera.settings import Settings
from cotera.sources.compass_files import example_file
from cotera.storage.survey_store import Wave, store_wave
from cotera.survey.questionnaire import Prism, phare_questionnaire
from cotera.survey.responses import validate_responses
from cotera.survey.synthetic import generate
from cotera.territory.catalog import TerritoryCatalog
from cotera.types import Level

DEMO_PRISMS = (Prism.CITIZENS, Prism.COMPANIES, Prism.ASSOCIATIONS)
DEMO_ACTOR = Actor.system("cotera-demo")  # library use; the CLI passes the OS account
DEMO_ANSWERS = "reponses-exemple-synthetiques.toml"
DEMO_BUDGET = "budget-exemple-synthetique.csv"
Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class DemoSizes:
    """Respondents per prism and size of the synthetic registry."""

    citizens: int = 20_000
    companies: int = 6_000
    associations: int = 6_000
    registry_associations: int = 30_000
    registry_companies: int = 12_000
    registry_partnerships: int = 24_000

    def respondents(self, prism: Prism) -> int:
        """Sample size of ``prism``."""
        return {
            Prism.CITIZENS: self.citizens,
            Prism.COMPANIES: self.companies,
            Prism.ASSOCIATIONS: self.associations,
        }[prism]

    def registry(self, seed: int) -> SyntheticSpec:
        """The synthetic registry's specification (other kinds scaled on the national one)."""
        scale = self.registry_associations / SyntheticSpec().associations
        return SyntheticSpec(
            associations=self.registry_associations,
            partnerships=self.registry_partnerships,
            companies=self.registry_companies,
            public_bodies=max(1, round(SyntheticSpec().public_bodies * scale)),
            universities=max(1, round(SyntheticSpec().universities * scale)),
            media=max(1, round(SyntheticSpec().media * scale)),
            citizen_collectives=max(1, round(SyntheticSpec().citizen_collectives * scale)),
            seed=seed,
        )


@dataclass(frozen=True, slots=True)
class DemoReport:
    """What the demo stored: the waves (and whether each was new) and the registry counts."""

    seed: int
    waves: tuple[tuple[Wave, bool], ...]
    registry: dict[str, int]
    answers: Path
    budget: Path
    regional: str = ""  # French: the regional model of the new waves (diagnostic or none)


def demo_dir(settings: Settings) -> Path:
    """Where the demo writes its synthetic compass answers and budget."""
    return settings.data_dir / "demo"


def demo_compass_files(settings: Settings) -> tuple[Path, Path]:
    """The demo's synthetic compass answers and budget (written by :func:`write_demo_answers`)."""
    return demo_dir(settings) / DEMO_ANSWERS, demo_dir(settings) / DEMO_BUDGET


def is_demo_answers(settings: Settings, path: Path) -> bool:
    """True for the packaged example answers or the demo's copy (synthetic answers)."""
    known = {example_file(EXAMPLE_ANSWERS).resolve(), (demo_dir(settings) / DEMO_ANSWERS).resolve()}
    return path.resolve() in known


def write_demo_answers(settings: Settings) -> tuple[Path, Path]:
    """The example answers (without their territory code, so any territory can use them) and
    budget, copied to :func:`demo_dir`."""
    directory = demo_dir(settings)
    directory.mkdir(parents=True, exist_ok=True)
    text = example_file(EXAMPLE_ANSWERS).read_text(encoding="utf-8")
    text = text.replace(
        'code = "custom:exemple"\n',
        "# pas de code : réponses synthétiques pour tout territoire de la démonstration\n",
    )
    answers, budget = demo_compass_files(settings)
    answers.write_text(text, encoding="utf-8")
    budget.write_bytes(example_file(EXAMPLE_BUDGET).read_bytes())
    return answers, budget


def place_in_departements(
    frame: pl.DataFrame, catalog: TerritoryCatalog, rng: np.random.Generator
) -> pl.DataFrame:
    """Add a ``territory`` column: a département of the respondent's région, by population.

    Respondents of a région without loaded départements keep a blank territory.
    """
    departements: dict[str, tuple[list[str], np.ndarray]] = {}
    for dep in catalog.by_level(Level.DEPARTEMENT):
        parent = dep.parent(Level.REGION)
        if parent is None:
            continue
        codes, weights = departements.setdefault(parent.code, ([], np.zeros(0)))
        codes.append(dep.code.code)
        departements[parent.code] = (codes, np.append(weights, float(dep.population or 1)))
    regions = frame["region"].to_numpy()
    placed = np.full(frame.height, None, dtype=object)
    for region, (codes, weights) in sorted(departements.items()):
        rows = np.flatnonzero(regions == region)
        if rows.size:
            placed[rows] = np.array(codes)[
                rng.choice(len(codes), rows.size, p=weights / weights.sum())
            ]
    return frame.with_columns(pl.Series("territory", placed.tolist(), dtype=pl.Utf8))


def synthesize_demo(
    settings: Settings,
    seed: int = 2016,
    sizes: DemoSizes = DemoSizes(),
    progress: Progress | None = None,
    actor: Actor = DEMO_ACTOR,
) -> DemoReport:
    """Store the synthetic waves and registry of the demo (same seed twice: waves unchanged)."""
    say = progress or (lambda message: None)
    questionnaire = phare_questionnaire()
    stored = []
    say("Percentiles de fragilité des régions (diagnostic)")
    variation = regional_variation(settings)
    with database(settings) as engine:
        with engine.connect() as connection:
            catalog = read_catalog(connection)
        for index, prism in enumerate(DEMO_PRISMS):
            say(f"Enquête synthétique : {questionnaire.prism(prism).label_fr}")
            n = sizes.respondents(prism)
            frame = generate(prism, n, seed + index, percentiles=variation.percentiles)
            frame = place_in_departements(frame, catalog, np.random.default_rng(seed + 100 + index))
            name = f"demo-synthetique-{prism.value}-s{seed}-n{n}"
            responses = validate_responses(frame, questionnaire, prism=prism, file=name)
            key = hashlib.sha256(f"cotera-demo|{prism.value}|{n}|{seed}".encode()).hexdigest()
            stored.append(
                store_wave(
                    engine,
                    responses,
                    name=name,
                    prism=prism.value,
                    questionnaire_version=questionnaire.version,
                    file_name=f"{name} (généré par cotera demo synth)",
                    content_sha256=key,
                    synthetic=True,
                )
            )
    say("Registre synthétique des partenariats")
    counts = synthesize_registry(settings, sizes.registry(seed), actor)
    answers, budget = write_demo_answers(settings)
    return DemoReport(seed, tuple(stored), counts, answers, budget, variation.note)
