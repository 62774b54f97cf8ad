"""The territorial diagnostic and its HTML portrait, for one territory or a whole level.

Reads the peers' observations from the database, ranks the peers with the index engine (default
recipe of ``cotera.diagnostic.scoring``, Monte Carlo rank intervals), builds the diagnostic and
writes the portrait to ``out_dir`` (default ``<data_dir>/reports``). The map needs the boundary
files of the data mirror (régions and départements of metropolitan France); without them the
portrait has no map.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import Connection

from cotera.diagnostic.build import ReferenceValues, build_diagnostic
from cotera.diagnostic.matrix import PeerMatrix, latest_year_matrix
from cotera.diagnostic.model import Diagnostic
from cotera.diagnostic.peers import is_overseas, peer_group
from cotera.diagnostic.ranking import Rankings
from cotera.diagnostic.scoring import rank_peers
from cotera.errors import DataUnavailableError, SourceError
from cotera.indicators.model import IndicatorSpec
from cotera.referential.fragilities import fragility_referential
from cotera.report.outputs import write_text
from cotera.report.portrait import render_portrait
from cotera.report.sections import Section
from cotera.services.database import database
from cotera.services.territories import read_catalog, resolve_in
from cotera.settings import Settings
from cotera.sources.geo import load_boundaries
from cotera.sources.mirror import Mirror
from cotera.storage.indicator_store import read_indicator_specs, read_observations, read_sources
from cotera.territory.catalog import TerritoryCatalog
from cotera.territory.model import FRANCE, Territory
from cotera.types import Level

DEFAULT_DRAWS = 1000
DEFAULT_SEED = 2016
COMPARISON_PARENT = {
    Level.DEPARTEMENT: Level.REGION,
    Level.EPCI: Level.DEPARTEMENT,
    Level.COMMUNE: Level.DEPARTEMENT,
}
Progress = Callable[[int, int, str], None]
#: Extra portrait sections of a diagnostic (survey, barometer, compass), given the map's GeoJSON.
SectionSource = Callable[[Diagnostic, Mapping[str, Any] | None], Sequence[Section]]


@dataclass(frozen=True, slots=True)
class Portrait:
    """A diagnostic, the HTML file written for it (None when not written), extra sections."""

    diagnostic: Diagnostic
    path: Path | None
    sections: tuple[Section, ...] = ()


@dataclass(frozen=True, slots=True)
class _PeerSet:
    """Everything shared by the territories of one peer group."""

    peers: tuple[Territory, ...]
    specs: tuple[IndicatorSpec, ...]
    matrix: PeerMatrix
    rankings: Rankings
    sources: dict[str, str]
    references: pl.DataFrame  # observations of France and of the comparison parents


def reports_dir(settings: Settings) -> Path:
    """Default directory of the portraits."""
    return settings.data_dir / "reports"


def diagnose(
    settings: Settings,
    text: str,
    *,
    draws: int = DEFAULT_DRAWS,
    seed: int | None = DEFAULT_SEED,
    out_dir: Path | None = None,
    write: bool = True,
    sections: SectionSource | None = None,
) -> Portrait:
    """The diagnostic of one territory (code or name) and, if ``write``, its portrait."""
    with database(settings) as engine, engine.connect() as connection:
        resolved = resolve_in(connection, text)
        if resolved.custom is not None:
            raise DataUnavailableError(
                "le diagnostic compare un territoire à ses pairs de même niveau : il n'est pas "
                "disponible pour un territoire personnalisé"
            )
        territory = resolved.territory
        peer_set = _peer_set(connection, resolved.catalog, territory, draws, seed)
    portrait = _portrait(settings, resolved.catalog, territory, peer_set, out_dir, write, sections)
    return portrait


def diagnose_level(
    settings: Settings,
    level: Level,
    *,
    draws: int = DEFAULT_DRAWS,
    seed: int | None = DEFAULT_SEED,
    out_dir: Path | None = None,
    metropolitan_only: bool = False,
    progress: Progress | None = None,
    sections: SectionSource | None = None,
) -> list[Portrait]:
    """The diagnostics and portraits of every territory of a level (peers ranked once)."""
    with database(settings) as engine, engine.connect() as connection:
        catalog = read_catalog(connection)
        territories = [
            t for t in catalog.by_level(level) if not (metropolitan_only and is_overseas(t))
        ]
        groups: dict[tuple[str, ...], _PeerSet] = {}
        plan = []
        for territory in territories:
            key = tuple(str(t.code) for t in peer_group(territory, catalog.by_level(level)))
            if key not in groups:
                groups[key] = _peer_set(connection, catalog, territory, draws, seed)
            plan.append((territory, groups[key]))
    portraits = []
    for done, (territory, peer_set) in enumerate(plan, start=1):
        portraits.append(_portrait(settings, catalog, territory, peer_set, out_dir, True, sections))
        if progress is not None:
            progress(done, len(plan), territory.name)
    return portraits


def _peer_set(
    connection: Connection,
    catalog: TerritoryCatalog,
    territory: Territory,
    draws: int,
    seed: int | None,
) -> _PeerSet:
    peers = peer_group(territory, catalog.by_level(territory.level))
    units = [str(p.code) for p in peers]
    specs = tuple(read_indicator_specs(connection))
    observations = read_observations(connection, territories=units)
    matrix = latest_year_matrix(observations, units, [s.code for s in specs])
    if not matrix.indicators:
        raise DataUnavailableError(
            f"aucun indicateur chargé au niveau {territory.level.value} pour comparer "
            f"{territory.name} à ses pairs : lancez « cotera data load »"
        )
    parents = {
        str(code)
        for p in peers
        if (level := COMPARISON_PARENT.get(p.level)) and (code := p.parent(level))
    }
    references = read_observations(
        connection, territories=[str(FRANCE), *sorted(parents)], indicators=matrix.indicators
    )
    sources = {
        s.id: f"{s.label_fr} ({s.licence})" if s.licence else s.label_fr
        for s in read_sources(connection)
    }
    rankings = rank_peers(matrix, specs, fragility_referential(), draws=draws, seed=seed)
    return _PeerSet(peers, specs, matrix, rankings, sources, references)


def _reference_values(peer_set: _PeerSet, code: str, name: str) -> ReferenceValues:
    """Each indicator's value for territory ``code``: at the matrix year, else its latest year."""
    frame = peer_set.references.filter(
        (pl.col("territory") == code) & pl.col("value").is_not_null()
    )
    values: dict[str, tuple[float | None, int | None]] = {}
    for indicator, year in zip(peer_set.matrix.indicators, peer_set.matrix.years, strict=True):
        rows = frame.filter(pl.col("indicator") == indicator).sort("year")
        same = rows.filter(pl.col("year") == year)
        chosen = same if same.height else rows.tail(1)
        if chosen.height:
            values[indicator] = (float(chosen["value"][0]), int(chosen["year"][0]))
    return ReferenceValues(code, name, values)


def _boundaries(settings: Settings, territory: Territory) -> dict[str, Any] | None:
    if settings.data_mirror is None or is_overseas(territory):
        return None
    if territory.level not in {Level.REGION, Level.DEPARTEMENT}:
        return None
    try:
        return load_boundaries(Mirror(settings.data_mirror), territory.level)
    except SourceError:
        return None


def _portrait(
    settings: Settings,
    catalog: TerritoryCatalog,
    territory: Territory,
    peer_set: _PeerSet,
    out_dir: Path | None,
    write: bool,
    sections: SectionSource | None = None,
) -> Portrait:
    parent_level = COMPARISON_PARENT.get(territory.level)
    parent = catalog.parent(territory.code, parent_level) if parent_level else None
    diagnostic = build_diagnostic(
        territory,
        peer_set.peers,
        peer_set.specs,
        peer_set.matrix,
        peer_set.rankings,
        fragility_referential(),
        sources=peer_set.sources,
        france=_reference_values(peer_set, str(FRANCE), "France"),
        parent=None
        if parent is None
        else _reference_values(peer_set, str(parent.code), parent.name),
    )
    geojson = _boundaries(settings, territory) if write or sections else None
    extra = tuple(sections(diagnostic, geojson)) if sections is not None else ()
    if not write:
        return Portrait(diagnostic, None, extra)
    html = render_portrait(diagnostic, geojson, extra)
    directory = out_dir or reports_dir(settings)
    path = write_text(directory / f"portrait-{diagnostic.territory.replace(':', '-')}.html", html)
    return Portrait(diagnostic, path, extra)
