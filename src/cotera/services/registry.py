"""Partnership observatory use cases: imports, synthetic registry, barometer, pioneers, matching.

One path for the CLI and the API. Territories come from the loaded catalogue
(``cotera data load``); the registry lives in the same database.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path

import polars as pl
from sqlalchemy import Connection

from cotera.actor import Actor
from cotera.errors import (
    ConfigurationError,
    DataUnavailableError,
    NotFoundError,
    Problem,
    ValidationError,
)
from cotera.registry.barometer import BarometerData, Dimension, partnership_rates
from cotera.registry.fragility_mask import to_mask
from cotera.registry.matching import CandidatePool, Geography, MatchRequest, Suggestion
from cotera.registry.pioneers import PioneerCandidate, score_pioneers
from cotera.registry.synthetic import SyntheticSpec, generate
from cotera.services.database import database
from cotera.services.registry_guards import check_mass_change
from cotera.services.territories import Resolved, read_catalog, resolve_in
from cotera.services.territory_priorities import TerritoryPriorities, territory_priorities
from cotera.settings import Settings
from cotera.sources.download import sha256_of
from cotera.sources.registers.partnerships import read_partnerships
from cotera.sources.registers.rna import read_rna
from cotera.sources.registers.sirene import read_head_offices, read_units, sirene_file_kind
from cotera.storage.import_lock import import_lock
from cotera.storage.registry_bulk import bulk_load
from cotera.storage.registry_imports import (
    ImportCounts,
    apply_head_offices,
    dissolve_missing_associations,
    previous_import,
    record_import,
    stored_partnerships,
    upsert_organizations,
    upsert_partnerships,
)
from cotera.storage.registry_store import (
    get_organization,
    memberships_frame,
    organizations_frame,
    partners_of,
    partnerships_frame,
)
from cotera.storage.territory_store import read_territories
from cotera.storage.transactions import write_transaction
from cotera.territory.model import FRANCE, Territory
from cotera.types import Level

Progress = Callable[[int, int], None]


SYNTHETIC_SOURCE = "synthetic"  # the import lock of synthetic registry loads


class RegisterKind(StrEnum):
    """The files ``cotera registry import`` reads."""

    RNA = "rna"
    SIRENE = "sirene"
    PARTNERSHIPS = "partnerships"


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did, and the values it had to drop (warnings)."""

    kind: str
    file: str
    already_imported: bool
    counts: dict[str, int]
    warnings: list[Problem] = field(default_factory=list)
    rejected: list[Problem] = field(default_factory=list)  # rows skipped (skip_invalid)


def _departement_of(commune: str) -> str:
    return commune[:3] if commune.startswith("97") else commune[:2]


def import_register(
    settings: Settings,
    kind: RegisterKind,
    path: Path,
    actor: Actor,
    progress: Progress | None = None,
    skip_invalid: bool = False,
    allow_mass_change: bool = False,
) -> ImportReport:
    """Import a register file in one transaction; the same file twice changes nothing.

    Every invalid row is reported at once (ValidationError, nothing written) unless
    ``skip_invalid``, which imports the valid rows and lists the others. One import per kind
    of file at a time: a second one fails at once (ImportRunningError); a row changed by
    another writer during the import is a ConflictError (nothing written). An import that
    would dissolve or blank more than the shares of ``registry_guards`` is refused
    (MassChangeError) unless ``allow_mass_change``.
    """
    sha = sha256_of(path)
    label = f"sirene_{sirene_file_kind(path)}" if kind is RegisterKind.SIRENE else kind.value
    counts = ImportCounts()
    errors: list[Problem] = []
    warnings: list[Problem] = []
    with (
        database(settings) as engine,
        import_lock(engine, label, actor),
        write_transaction(engine) as connection,
    ):
        if previous_import(connection, label, sha) is not None:
            return ImportReport(label, path.name, True, {}, [], [])
        if label == "rna":
            seen: set[str] = set()
            departements: set[str] = set()
            for batch in read_rna(path, progress=progress):
                errors += batch.errors
                warnings += batch.warnings
                if errors and not skip_invalid:
                    continue
                seen |= upsert_organizations(connection, batch.records, "rna", actor, counts)
                departements |= {_departement_of(r.commune) for r in batch.records if r.commune}
            if not errors or skip_invalid:
                dissolve_missing_associations(
                    connection, seen, departements, actor, counts, date.today()
                )
        elif label == "sirene_units":
            for batch in read_units(path, progress=progress):
                errors += batch.errors
                counts.skipped += batch.skipped
                if not errors or skip_invalid:
                    upsert_organizations(connection, batch.records, "sirene", actor, counts)
        elif label == "sirene_establishments":
            for office_batch in read_head_offices(path, progress=progress):
                errors += office_batch.errors
                warnings += office_batch.warnings
                if not errors or skip_invalid:
                    apply_head_offices(connection, office_batch.records, actor, counts)
        else:
            counts.stored = stored_partnerships(connection)
            for part_batch in read_partnerships(path, progress=progress):
                errors += part_batch.errors
                if not errors or skip_invalid:
                    upsert_partnerships(connection, part_batch.records, path.name, actor, counts)
        errors += counts.problems
        if errors and not skip_invalid:
            raise ValidationError(f"{path.name} : import refusé, rien n'a été écrit", errors)
        counts.rejected = len(errors)
        check_mass_change(path.name, counts, allow_mass_change)
        record_import(connection, label, path.name, sha, actor, counts)
    return ImportReport(label, path.name, False, counts.as_dict(), warnings, errors)


def commune_frame(
    connection: Connection, territories: Sequence[Territory] | None = None
) -> pl.DataFrame:
    """Communes with their EPCI, département, région (bare codes) and population.

    ``territories`` (already read, e.g. a catalogue's) saves reading them again.
    """
    known = read_territories(connection) if territories is None else territories
    communes = [t for t in known if t.level is Level.COMMUNE]
    if not communes:
        raise DataUnavailableError("aucune commune chargée : lancez d'abord « cotera data load »")
    rows = []
    for commune in communes:
        parents = {level: commune.parent(level) for level in (Level.EPCI, Level.DEPARTEMENT,
                                                               Level.REGION)}  # fmt: skip
        rows.append(
            (commune.code.code, *(p.code if p else None for p in parents.values()),
             commune.population or 0)
        )  # fmt: skip
    return pl.DataFrame(
        rows, schema=["commune", "epci", "departement", "region", "population"], orient="row"
    )


def synthesize(
    settings: Settings, spec: SyntheticSpec, actor: Actor, progress: Progress | None = None
) -> dict[str, int]:
    """Generate a SYNTHETIC national registry over the loaded communes and store it (replaces
    the previous synthetic rows; ``kept``: synthetic organisations real records use)."""
    with (
        database(settings) as engine,
        import_lock(engine, SYNTHETIC_SOURCE, actor),
        write_transaction(engine) as connection,
    ):
        communes = commune_frame(connection).filter(pl.col("departement").is_not_null())
        registry = generate(communes, spec)
        details = {"seed": spec.seed, "label": "synthétique", "reference_year": spec.reference_year}
        return bulk_load(connection, registry, actor, details, progress)


def communes_of(resolved: Resolved) -> list[str]:
    """The commune codes of a resolved territory (of its members, for a custom one)."""
    members = resolved.custom.members if resolved.custom is not None else (resolved.territory.code,)
    return sorted({c.code.code for m in members for c in resolved.catalog.communes_of(m)})


def _territory_communes(connection: Connection, territory: str) -> tuple[Territory, list[str]]:
    resolved = resolve_in(connection, territory)
    return resolved.territory, communes_of(resolved)


LEVEL_COLUMNS = {Level.REGION: "region", Level.DEPARTEMENT: "departement", Level.EPCI: "epci",
                 Level.COMMUNE: "commune"}  # fmt: skip
_LEVEL_RANK = {level: rank for rank, level in enumerate((Level.COUNTRY, *LEVEL_COLUMNS))}


def _labels(level: Level, place: Resolved | None) -> pl.Expr:
    """The ``territory`` label of each commune for the barometer's territory cut.

    Rows are labelled by the requested territory itself unless ``level`` is finer than it
    (``dep:93`` by ``com``): a coarser level (``reg`` for ``dep:93``) would name a row
    ``reg:11`` that only holds dep:93's organisations.
    """
    if level is Level.CUSTOM and (place is None or place.custom is None):
        raise ConfigurationError(
            "--level custom demande un territoire personnalisé : --territory custom:<slug>"
        )
    if place is not None:
        own = [m.level for m in place.custom.members] if place.custom else [place.territory.level]
        if level not in LEVEL_COLUMNS or _LEVEL_RANK[level] <= max(_LEVEL_RANK[o] for o in own):
            return pl.lit(str(place.territory.code))
    if level is Level.COUNTRY:
        return pl.lit(str(FRANCE))
    return pl.lit(f"{level.value}:") + pl.col(LEVEL_COLUMNS[level])


def barometer(
    settings: Settings,
    territory: str | None,
    by: Sequence[Dimension],
    years: Sequence[int],
    level: Level = Level.REGION,
) -> pl.DataFrame:
    """Partnership rates of the whole registry or of one territory's communes.

    The ``territory`` dimension uses ``level`` (codes such as ``reg:11``, ``fr`` for France);
    with a ``territory``, levels not finer than it (and ``custom``) give one row labelled by
    that territory. The ``synthetic`` column says whether synthetic organisations are counted.
    """
    with database(settings) as engine, engine.connect() as connection:
        place = resolve_in(connection, territory) if territory else None
        communes = communes_of(place) if place is not None else None
        geography = commune_frame(connection)
        orgs = organizations_frame(connection, communes)
        members = memberships_frame(connection)
        synthetic = organization_synthetic_share(connection)
    labels = geography.select("commune", _labels(level, place).alias("territory"))
    orgs = orgs.join(labels, on="commune", how="left")
    data = BarometerData.prepare(orgs, members)
    rates = partnership_rates(data, years, by)
    return rates.with_columns(synthetic=pl.lit(synthetic > 0))


def organization_synthetic_share(connection: Connection) -> float:
    """Share of stored organisations that are synthetic (0 when none is stored)."""
    total, synthetic = connection.exec_driver_sql(
        "SELECT COUNT(*), SUM(CASE WHEN synthetic THEN 1 ELSE 0 END) FROM registry_organization"
    ).one()
    return float(synthetic or 0) / total if total else 0.0


@dataclass(frozen=True, slots=True)
class NamedPioneer:
    """A pioneer candidate with its partnership's name."""

    name: str
    synthetic: bool
    candidate: PioneerCandidate


@dataclass(frozen=True, slots=True)
class PioneerReport:
    """A territory's partnerships ranked as pioneers, and the priorities that were used."""

    territory: Territory
    priorities: TerritoryPriorities
    ranked: list[NamedPioneer]


def pioneers(
    settings: Settings, territory: str, priorities: Sequence[str] | None = None, top: int = 20,
    reference: date | None = None,
) -> PioneerReport:  # fmt: skip
    """The territory's partnerships ranked as pioneers, best first, with reasons.

    ``priorities`` overrides the territory's priority fragilities; by default they come from
    its diagnostic (:func:`territory_priorities`).
    """
    with database(settings) as engine, engine.connect() as connection:
        place, communes = _territory_communes(connection, territory)
        orgs = organizations_frame(connection, communes)
        parts = partnerships_frame(connection, orgs["id"].to_list()) if orgs.height else None
        members = (
            memberships_frame(connection, parts["id"].to_list())
            if parts is not None and parts.height
            else None
        )
    chosen = territory_priorities(settings, place, priorities)
    if parts is None or members is None:
        return PioneerReport(place, chosen, [])
    ranked = score_pioneers(
        parts, members.select("partnership_id", "kind"), to_mask(chosen.codes),
        reference or date.today(), top=top,
    )  # fmt: skip
    names = {r["id"]: (r["name"], r["synthetic"]) for r in parts.iter_rows(named=True)}
    return PioneerReport(place, chosen, [NamedPioneer(*names[c.partnership_id], c) for c in ranked])


@dataclass(frozen=True, slots=True)
class NamedSuggestion:
    """A suggestion with the suggested organisation's name."""

    name: str
    synthetic: bool
    suggestion: Suggestion


def _geography(frame: pl.DataFrame) -> Geography:
    def mapping(column: str) -> dict[str, str]:
        rows = frame.select("commune", column).drop_nulls().iter_rows()
        return dict(rows)

    return Geography(mapping("epci"), mapping("departement"), mapping("region"))


@dataclass(frozen=True, slots=True)
class MatchReport:
    """Suggestions, best first, and the territory priorities that were used."""

    priorities: TerritoryPriorities
    suggestions: list[NamedSuggestion]


def match(
    settings: Settings,
    organization_id: int | None = None,
    territory: str | None = None,
    fragility: str | None = None,
    priorities: Sequence[str] | None = None,
    top: int = 10,
) -> MatchReport:
    """Complementary partners for an organisation, or for a territory and a fragility.

    ``priorities`` overrides the territory's priority fragilities; by default they come from
    the diagnostic of the territory (of the organisation's commune for an organisation).
    """
    with database(settings) as engine, engine.connect() as connection:
        catalog = read_catalog(connection)
        geography = _geography(commune_frame(connection, catalog.by_level(Level.COMMUNE)))
        pool = CandidatePool.from_frame(organizations_frame(connection), geography)
        if organization_id is not None:
            org = get_organization(connection, organization_id)
            commune = org.commune
            place = catalog.get(f"com:{commune}") if commune else None
            chosen = territory_priorities(settings, place, priorities)
            request = MatchRequest(
                fragilities=to_mask(org.fragilities), kind=org.kind, commune=commune,
                epci=geography.epci.get(commune or ""),
                departement=geography.departement.get(commune or ""),
                region=geography.region.get(commune or ""), priorities=to_mask(chosen.codes),
                exclude=frozenset({organization_id} | partners_of(connection, organization_id)),
                top=top,
            )  # fmt: skip
        elif territory and fragility:
            place = catalog.resolve(territory)
            code = place.code.code
            within = place.level if place.level in LEVEL_COLUMNS else None
            if within is None:
                raise NotFoundError("territoire attendu : commune, EPCI, département ou région")
            chosen = territory_priorities(settings, place, priorities)
            request = MatchRequest(
                fragilities=to_mask([fragility]), priorities=to_mask(chosen.codes), within=within,
                commune=code if within is Level.COMMUNE else None,
                epci=code if within is Level.EPCI else None,
                departement=code if within is Level.DEPARTEMENT else None,
                region=code if within is Level.REGION else None, top=top,
            )  # fmt: skip
        else:
            raise NotFoundError("indiquez une organisation, ou un territoire et une fragilité")
        suggestions = pool.match(request)
        names = {
            o.id: (o.name, o.synthetic)
            for o in (get_organization(connection, s.organization_id) for s in suggestions)
        }
    return MatchReport(chosen, [NamedSuggestion(*names[s.organization_id], s) for s in suggestions])
