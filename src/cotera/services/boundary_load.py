"""The ``contours`` step of ``cotera data load``: territory outlines for maps, stored.

Same batch mechanism as the other sources (``cotera.services.data_load``): keyed by the sha256
of its files (the 2018 commune outlines and the COG 2026 files that place them) and by the
loader version; one transaction; a failure writes nothing. Each stage is reported through the
load's progress callback.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine

from cotera.actor import Actor
from cotera.errors import CoteraError
from cotera.services.data_load import _failure, _is_current, content_digest, loader_version
from cotera.services.load_summary import LoadProgress, LoadStatus, SourceOutcome
from cotera.sources import boundary_maps, cog, commune_outlines
from cotera.sources.boundary_maps import PLANS, CommuneParents, build_boundaries
from cotera.sources.commune_outlines import (
    HISTORY_FILE,
    OUTLINES_FILE,
    outline_history,
    place_outlines,
    read_outlines,
)
from cotera.sources.mirror import Mirror
from cotera.storage.batch_store import open_batch
from cotera.storage.boundary_store import replace_boundaries
from cotera.storage.import_lock import import_lock
from cotera.storage.indicator_store import SourceRecord, save_source
from cotera.storage.transactions import write_transaction
from cotera.territory import map_layout
from cotera.territory.model import Territory
from cotera.types import Level

BOUNDARIES_SOURCE = SourceRecord(
    id="contours",
    label_fr="Contours des territoires (IGN Admin Express COG 2018, rapportés au COG 2026)",
    label_en="Territory outlines (IGN Admin Express COG 2018, mapped onto COG 2026)",
    producer="IGN (Admin Express COG 2018) via france-geojson ; rattachements INSEE COG 2026",
    licence="Licence Ouverte / Etalab 2.0",
    official_url=commune_outlines.SOURCE_URL,
    repository="gregoiredavid/france-geojson@5d34ee6d (communes de 2018 réunies en un fichier)",
    description_fr="Contours pour les cartes : communes de 2018 réunies dans les communes de "
    "2026, EPCI, départements et régions comme unions de leurs communes, simplifiés par niveau "
    "sans trou ni chevauchement entre voisins ; DROM en encarts sur les cartes nationales.",
)
BOUNDARY_FILES = (
    OUTLINES_FILE,
    HISTORY_FILE,
    cog.REGIONS_FILE,
    cog.DEPARTEMENTS_FILE,
    cog.EPCI_FILE,
    cog.COMMUNES_FILE,
)


def load_boundaries(
    engine: Engine,
    mirror: Mirror,
    index: int,
    total: int,
    notify: Callable[[LoadProgress], None],
    actor: Actor | None = None,
) -> SourceOutcome:
    """Build and store every outline, unless the same files and loader are already loaded.

    Reports the step's start, each stage and its outcome to ``notify``.
    """
    record = BOUNDARIES_SOURCE
    notify(LoadProgress(index, total, record.id, record.label_fr))
    outcome = _load(engine, mirror, actor, lambda label: notify(
        LoadProgress(index, total, record.id, f"Contours : {label}")
    ))  # fmt: skip
    notify(LoadProgress(index, total, record.id, record.label_fr, outcome))
    return outcome


def _load(
    engine: Engine, mirror: Mirror, actor: Actor | None, stage: Callable[[str], None]
) -> SourceOutcome:
    record = BOUNDARIES_SOURCE
    unchanged = SourceOutcome(record.id, record.label_fr, LoadStatus.UNCHANGED)
    try:
        sha = content_digest([mirror.path(f) for f in BOUNDARY_FILES], mirror.root)
        version = loader_version(
            boundary_maps, record, PLANS, _code(commune_outlines), _code(map_layout)
        )
        if _is_current(engine, record.id, sha, version):
            return unchanged
        with import_lock(engine, record.id, actor):
            if _is_current(engine, record.id, sha, version):  # loaded meanwhile
                return unchanged
            stage("lecture des communes de 2018")
            territories = cog.load_territories(mirror)
            codes, geometries = read_outlines(mirror)
            stage("communes de 2018 réunies dans les communes de 2026")
            names = {t.code.code: t.name for t in territories if t.level is Level.COMMUNE}
            former = cog.former_commune_codes(mirror)
            outlines = place_outlines(codes, geometries, names, former, outline_history(mirror))
            built = build_boundaries(outlines, commune_parents(territories), stage)
            stage("écriture dans la base")
            with write_transaction(engine) as connection:
                save_source(connection, record)
                batch = open_batch(connection, record.id, sha, version, built.frame.height)
                rows = replace_boundaries(connection, built.frame, batch)
    except CoteraError as exc:
        return _failure(record.id, record.label_fr, exc)
    notes = outlines.notes + built.notes
    return SourceOutcome(record.id, record.label_fr, LoadStatus.LOADED, rows, notes=notes)


def commune_parents(territories: list[Territory]) -> dict[str, CommuneParents]:
    """Each commune's EPCI, département and région codes, from the COG territories."""
    parents = {}
    for territory in territories:
        if territory.level is not Level.COMMUNE:
            continue
        epci, dep, reg = (territory.parent(lvl) for lvl in _LEVELS)
        if dep is not None and reg is not None:
            parents[territory.code.code] = CommuneParents(
                None if epci is None else epci.code, dep.code, reg.code
            )
    return parents


_LEVELS = (Level.EPCI, Level.DEPARTEMENT, Level.REGION)


def _code(module: object) -> bytes:
    return Path(str(getattr(module, "__file__", ""))).read_bytes()
