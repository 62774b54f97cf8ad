"""Load territories and indicator sources into the database, transactionally and idempotently.

Each source is one transaction. Its batch is keyed by the sha256 of its declared files and by
the loader version (Cotera's version plus a digest of the loader's code and catalogue entries):
when the current batch of a source has the same key, the source is skipped ("déjà chargé, rien
à faire"); otherwise its indicators and observations are replaced atomically. A failing source
(unreadable file, validation problems) writes nothing and the load goes on with the others.
One process loads a given source at a time (import lock, docs/storage.md « Concurrent writers »).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache, partial
from importlib import resources
from pathlib import Path
from types import ModuleType

import polars as pl
from sqlalchemy import Engine

from cotera import __version__
from cotera.actor import Actor
from cotera.errors import (
    ConfigurationError,
    CoteraError,
    DataUnavailableError,
    GuardError,
    Problem,
    ValidationError,
)
from cotera.indicators import aggregation, denominator, perimeter
from cotera.indicators.catalogue import SourceSpec, catalogue
from cotera.indicators.model import AggregationMethod, IndicatorSpec, MissingReason
from cotera.indicators.perimeter import Perimeter, france_perimeters
from cotera.services.data_quality import QualityBase, quality_base, refresh_quality, store_quality
from cotera.services.database import database
from cotera.services.load_guards import (
    LoadOptions,
    check_coverage,
    check_files,
    check_territories,
    file_digests,
)
from cotera.services.load_summary import (
    FragilityCoverage,
    LoadProgress,
    LoadStatus,
    LoadSummary,
    SourceOutcome,
)
from cotera.settings import Settings
from cotera.sources import cog, observations
from cotera.sources.indicators import all_sources, dep_population, placement, rollup
from cotera.sources.indicators import context as load_context
from cotera.sources.indicators.context import IndicatorSource, LoadContext
from cotera.sources.mirror import Mirror
from cotera.storage.batch_store import current_batch, open_batch
from cotera.storage.import_lock import import_lock
from cotera.storage.indicator_store import (
    SourceRecord,
    read_coverage,
    read_source_keys,
    replace_source_data,
    save_source,
)
from cotera.storage.territory_store import read_territories, replace_territories
from cotera.storage.transactions import write_transaction
from cotera.territory.model import Territory, TerritoryCode
from cotera.types import ABSURD_MAGNITUDE, Level

TERRITORIES_SOURCE = SourceRecord(
    id="cog",
    label_fr="Territoires : Code officiel géographique 2026 (INSEE, DGCL)",
    label_en="Territories: official geographic code 2026 (INSEE, DGCL)",
    producer="INSEE (COG 2026, populations légales), DGCL (EPCI 2026), via Etalab",
    licence="Licence Ouverte / Etalab 2.0 (données) ; code MIT",
    official_url=cog.SOURCE_URL,
    repository="npm @etalab/decoupage-administratif@6.0.0",
    description_fr="Régions, départements, EPCI et communes actuelles (France métropolitaine et "
    "DROM), avec leurs rattachements et populations.",
)
TERRITORY_FILES = (cog.REGIONS_FILE, cog.DEPARTEMENTS_FILE, cog.EPCI_FILE, cog.COMMUNES_FILE)

ProgressCallback = Callable[[LoadProgress], None]
_SHARED_MODULES = (
    aggregation, denominator, perimeter, cog, observations, load_context, dep_population,
    placement, rollup,
)  # fmt: skip


def load_all(
    settings: Settings,
    only: str | None = None,
    progress: ProgressCallback | None = None,
    sources: Sequence[IndicatorSource] | None = None,
    actor: Actor | None = None,
    options: LoadOptions | None = None,
) -> LoadSummary:
    """Load territories, their outlines (``contours``), then every indicator source (or only
    ``only``; the territories are always loaded); outcomes as data.

    A source another process is loading fails at once (« déjà en cours », outcome FAILED)
    and the others go on; ``actor`` is shown to that other process. ``options`` says what the
    user explicitly allows (modified files, shrinking sources).
    """
    from cotera.services.boundary_load import BOUNDARIES_SOURCE, load_boundaries  # imports us

    options = options or LoadOptions()
    mirror = _mirror(settings)
    chosen = list(all_sources() if sources is None else sources)
    known = [TERRITORIES_SOURCE.id, BOUNDARIES_SOURCE.id, *(s.SOURCE.id for s in chosen)]
    if only is not None and only not in known:
        raise ConfigurationError(f"source inconnue : {only!r} (connues : {', '.join(known)})")
    chosen = [s for s in chosen if only in (None, TERRITORIES_SOURCE.id, s.SOURCE.id)]
    if only in (TERRITORIES_SOURCE.id, BOUNDARIES_SOURCE.id):
        chosen = []
    boundaries = only in (None, BOUNDARIES_SOURCE.id)
    total = len(chosen) + 1 + boundaries
    notify = progress or (lambda _event: None)
    outcomes = []
    with database(settings) as engine:
        notify(LoadProgress(1, total, TERRITORIES_SOURCE.id, TERRITORIES_SOURCE.label_fr))
        outcome = _load_territories(engine, mirror, actor, options)
        outcomes.append(outcome)
        notify(LoadProgress(1, total, outcome.source_id, outcome.label, outcome))
        if boundaries:
            outcomes.append(load_boundaries(engine, mirror, 2, total, notify, actor))
        context = cache(partial(_context, engine, mirror))  # built when a source needs it
        base = cache(partial(_quality_base, engine))
        for index, source in enumerate(chosen, start=2 + boundaries):
            spec = source.SOURCE
            notify(LoadProgress(index, total, spec.id, spec.label_fr))
            outcome = _load_source(engine, mirror, source, context, actor, base, options)
            outcomes.append(outcome)
            notify(LoadProgress(index, total, spec.id, spec.label_fr, outcome))
        with engine.connect() as connection:
            coverage = read_coverage(connection)
    return LoadSummary(tuple(outcomes), _fragility_coverage(coverage))


def content_digest(
    paths: Iterable[Path], root: Path, digests: Mapping[Path, str] | None = None
) -> str:
    """sha256 over the files' mirror-relative names and contents, in name order.

    ``digests`` gives files' hex sha256 already computed.
    """
    paths = list(paths)
    known = dict(digests) if digests is not None else file_digests(paths)
    digest = hashlib.sha256()
    for path in sorted(paths, key=lambda p: p.relative_to(root).as_posix()):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(bytes.fromhex(known.get(path) or file_digests([path])[path]))
    return digest.hexdigest()


def loader_version(module: ModuleType | object, *parts: object) -> str:
    """Cotera's version plus a digest of the loader module's code, its catalogue entries and
    the code and data every loader shares (placement, roll-up, aggregation, perimeters…), so
    that a change to any of them reloads the sources."""
    digest = hashlib.sha256(repr(parts).encode())
    file = getattr(module, "__file__", None)
    if file:
        digest.update(Path(file).read_bytes())
    digest.update(_shared_digest())
    return f"{__version__}+{digest.hexdigest()[:12]}"


@cache
def _shared_digest() -> bytes:
    digest = hashlib.sha256()
    for module in _SHARED_MODULES:
        digest.update(Path(str(module.__file__)).read_bytes())
    digest.update(resources.files("cotera.sources").joinpath(cog.SPLITS_FILE).read_bytes())
    return digest.digest()


def _mirror(settings: Settings) -> Mirror:
    if settings.data_mirror is None:
        raise ConfigurationError(
            "aucun miroir de données : définissez COTERA_DATA_MIRROR ou passez --mirror DOSSIER"
        )
    if not settings.data_mirror.is_dir():
        raise ConfigurationError(f"miroir de données introuvable : {settings.data_mirror}")
    return Mirror(settings.data_mirror.resolve())


def _load_territories(
    engine: Engine, mirror: Mirror, actor: Actor | None, options: LoadOptions
) -> SourceOutcome:
    record = TERRITORIES_SOURCE
    unchanged = SourceOutcome(record.id, record.label_fr, LoadStatus.UNCHANGED)
    try:
        sha = content_digest([mirror.path(f) for f in TERRITORY_FILES], mirror.root)
        version = loader_version(cog, record)
        if _is_current(engine, record.id, sha, version):
            return unchanged
        with import_lock(engine, record.id, actor):
            if _is_current(engine, record.id, sha, version):  # loaded meanwhile
                return unchanged
            with engine.connect() as connection:
                stored = [str(t.code) for t in read_territories(connection)]
            territories = cog.load_territories(mirror)
            check_territories(record.id, stored, [str(t.code) for t in territories], options)
            with write_transaction(engine) as connection:
                save_source(connection, record)
                open_batch(connection, record.id, sha, version, len(territories))
                rows = replace_territories(connection, territories)
    except CoteraError as exc:
        return _failure(record.id, record.label_fr, exc)
    return SourceOutcome(record.id, record.label_fr, LoadStatus.LOADED, rows)


def _load_source(
    engine: Engine,
    mirror: Mirror,
    source: IndicatorSource,
    context: Callable[[], LoadContext | CoteraError],
    actor: Actor | None,
    base: Callable[[], QualityBase | None],
    options: LoadOptions,
) -> SourceOutcome:
    spec = source.SOURCE
    specs = catalogue().of_source(spec.id)
    unchanged = SourceOutcome(spec.id, spec.label_fr, LoadStatus.UNCHANGED)
    try:
        paths = [mirror.path(f.path) for f in spec.files]
        digests = file_digests(paths)
        sha = content_digest(paths, mirror.root, digests)
        version = loader_version(source, spec, specs)
        if _is_current(engine, spec.id, sha, version):
            _refresh_quality(engine, spec.id, base())
            return unchanged
        with import_lock(engine, spec.id, actor):
            if _is_current(engine, spec.id, sha, version):  # loaded meanwhile
                return unchanged
            verified = check_files(spec.id, spec.files, digests, paths, options)
            built = context()
            if isinstance(built, CoteraError):
                raise built
            loaded = source.load(mirror, built)
            frame = france_perimeters(loaded.observations, built.departements())
            problems = _validate(frame, specs, spec.id)
            if problems:
                raise ValidationError(f"source {spec.id} : observations invalides", problems)
            if not verified:
                with engine.connect() as connection:
                    stored = read_source_keys(connection, spec.id)
                check_coverage(spec.id, stored, frame, options)
            with write_transaction(engine) as connection:
                save_source(connection, source_record(spec))
                batch = open_batch(connection, spec.id, sha, version, frame.height)
                rows = replace_source_data(connection, spec.id, specs, frame, batch)
                quality = base()
                if quality is not None:
                    store_quality(connection, spec.id, frame, quality, batch)
    except CoteraError as exc:
        return _failure(spec.id, spec.label_fr, exc)
    years = tuple(sorted(frame.get_column("year").unique().to_list()))
    return SourceOutcome(
        spec.id, spec.label_fr, LoadStatus.LOADED, rows, years, notes=loaded.problems
    )


def _quality_base(engine: Engine) -> QualityBase | None:
    """What the data-quality rules count, from the stored territories (None if not loaded)."""
    with engine.connect() as connection:
        territories = read_territories(connection)
    return quality_base(territories) if territories else None


def _refresh_quality(engine: Engine, source_id: str, base: QualityBase | None) -> None:
    """Assess an unchanged source again when its stored assessments are missing or stale."""
    if base is None:
        return
    with write_transaction(engine) as connection:
        batch = current_batch(connection, source_id)
        if batch is not None:
            refresh_quality(connection, source_id, batch.id, base)


def _is_current(engine: Engine, source_id: str, sha: str, version: str) -> bool:
    with engine.connect() as connection:
        batch = current_batch(connection, source_id)
    return batch is not None and (batch.content_sha256, batch.loader_version) == (sha, version)


def _failure(source_id: str, label: str, exc: CoteraError) -> SourceOutcome:
    problems = tuple(exc.problems) if isinstance(exc, ValidationError) else ()
    message = exc.summary if isinstance(exc, ValidationError) else str(exc)
    override = exc.override if isinstance(exc, GuardError) else ""
    return SourceOutcome(
        source_id, label, LoadStatus.FAILED, error=message, problems=problems, override=override
    )


def source_record(spec: SourceSpec) -> SourceRecord:
    """The stored provenance of a catalogue source."""
    return SourceRecord(
        id=spec.id,
        label_fr=spec.label_fr,
        label_en=spec.label_en,
        producer=spec.producer,
        licence=spec.licence,
        official_url=spec.official_url,
        repository=spec.repository,
        description_fr=spec.description_fr,
    )


def _validate(frame: pl.DataFrame, specs: Sequence[IndicatorSpec], source_id: str) -> list[Problem]:
    """Every problem of a loader's observations (unknown codes, duplicates, bad values)."""
    file = f"source {source_id}"
    known = {s.code for s in specs}
    problems = [
        Problem("unknown_indicator", "indicateur absent du catalogue de la source", file,
                column="indicator", value=code, expected=", ".join(sorted(known)))
        for code in sorted(set(frame.get_column("indicator").unique().to_list()) - known)
    ]  # fmt: skip
    for code in sorted(frame.get_column("territory").unique().to_list()):
        try:
            TerritoryCode.parse(code)
        except CoteraError:
            problems.append(
                Problem("bad_territory", "code de territoire mal formé", file, column="territory",
                        value=code, expected="fr, reg:11, dep:93, epci:…, com:…")
            )  # fmt: skip
    duplicates = frame.group_by("indicator", "territory", "year").len().filter(pl.col("len") > 1)
    problems += [
        Problem("duplicate", f"valeur donnée {n} fois", file, column="indicator",
                value=f"{ind} {terr} {year}", expected="une valeur par indicateur et an")
        for ind, terr, year, n in duplicates.sort("indicator", "territory", "year").iter_rows()
    ]  # fmt: skip
    value = pl.col("value")
    checks = (
        ("not_finite", "valeur non finie", "value",
         value.is_not_null() & (~value.is_finite() | (value.abs() >= ABSURD_MAGNITUDE)),
         "un nombre fini ou une valeur absente"),
        ("missing_reason", "valeur absente sans motif valide", "missing_reason",
         value.is_null() & ~pl.col("missing_reason").is_in(list(MissingReason)).fill_null(False),
         ", ".join(MissingReason)),
        ("bad_method", "méthode inconnue", "method",
         ~pl.col("method").is_in(list(AggregationMethod)).fill_null(False),
         ", ".join(AggregationMethod)),
        ("bad_perimeter", "périmètre inconnu", "perimeter",
         pl.col("perimeter").is_not_null() & ~pl.col("perimeter").is_in(list(Perimeter)),
         ", ".join(Perimeter)),
    )  # fmt: skip
    numbered = frame.with_row_index("row", offset=1)
    for code, message, column, bad, expected in checks:
        for row in numbered.filter(bad).iter_rows(named=True):
            where = f"{row['indicator']} {row['territory']} {row['year']}"
            problems.append(
                Problem(code, f"{message} ({where})", file, row["row"], column,
                        str(row[column]), expected)
            )  # fmt: skip
    return problems


def _context(engine: Engine, mirror: Mirror) -> LoadContext | CoteraError:
    """The loaders' context from the stored territories, or why it cannot be built."""
    with engine.connect() as connection:
        territories = read_territories(connection)
    if not territories:
        return DataUnavailableError("territoires non chargés : la source cog doit être chargée")
    try:
        return build_context(
            territories, cog.former_commune_codes(mirror), cog.commune_splits(mirror)
        )
    except CoteraError as exc:
        return exc


def build_context(
    territories: Sequence[Territory],
    former: dict[str, str],
    splits: tuple[cog.CommuneSplit, ...] = (),
) -> LoadContext:
    """What loaders need from the territories (parents, populations, former commune codes,
    re-established communes)."""
    commune_parent: dict[str, str] = {}
    commune_epci: dict[str, str] = {}
    dep_region: dict[str, str] = {}
    population: dict[str, float] = {}
    for territory in territories:
        code = territory.code
        if territory.population is not None:
            population[str(code)] = float(territory.population)
        dep, reg, epci = (territory.parent(lvl) for lvl in _PARENT_LEVELS)
        if code.level is Level.COMMUNE and dep is not None:
            commune_parent[code.code] = dep.code
            if epci is not None:
                commune_epci[code.code] = epci.code
        elif code.level is Level.DEPARTEMENT and reg is not None:
            dep_region[code.code] = reg.code
    return LoadContext(commune_parent, dep_region, population, former, commune_epci, splits)


_PARENT_LEVELS = (Level.DEPARTEMENT, Level.REGION, Level.EPCI)


def _fragility_coverage(frame: pl.DataFrame) -> tuple[FragilityCoverage, ...]:
    grouped = (
        frame.group_by("fragility", "level")
        .agg(
            territories=pl.col("territories").max(),
            indicators=pl.col("indicator").n_unique(),
            first_year=pl.col("first_year").min(),
            last_year=pl.col("last_year").max(),
        )
        .sort("fragility", "level")
    )
    return tuple(
        FragilityCoverage(f, Level(level), int(t), int(i), int(y0), int(y1))
        for f, level, t, i, y0, y1 in grouped.iter_rows()
    )
