"""The territorial diagnostic and its HTML portrait, for one territory or a whole level.

Reads the peers' observations and the data-quality assessments of their indicators (at the
peers' level and the year the matrix uses) from the database, ranks the peers with the index
engine (default recipe of ``cotera.diagnostic.scoring``, Monte Carlo rank intervals), builds the
diagnostic and writes the portrait to ``out_dir`` (default ``<data_dir>/reports``). The map
draws the peers from the outlines stored by ``cotera data load`` (source ``contours``):
national maps for régions, départements and EPCI (DROM as insets when they are peers), the
communes of the département for a commune. Without stored outlines the map section says so.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from sqlalchemy import Connection

from cotera.diagnostic.build import PeerPopulations, ReferenceValues, build_diagnostic
from cotera.diagnostic.matrix import PeerMatrix, latest_year_matrix
from cotera.diagnostic.model import Diagnostic
from cotera.diagnostic.peers import is_overseas, peer_group
from cotera.diagnostic.ranking import Rankings
from cotera.diagnostic.scoring import rank_peers
from cotera.errors import DataUnavailableError
from cotera.indicators.denominator import PopulationVintage
from cotera.indicators.model import IndicatorSpec
from cotera.indicators.perimeter import FrancePerimeter
from cotera.indicators.quality import QualityAssessment
from cotera.referential.fragilities import fragility_referential
from cotera.report.basemap import NO_MAP, BaseMap
from cotera.report.outputs import write_text
from cotera.report.portrait import render_portrait
from cotera.report.sections import Section
from cotera.services.base_maps import BaseMaps
from cotera.services.database import database
from cotera.services.territories import read_catalog, resolve_in
from cotera.settings import Settings
from cotera.storage.indicator_quality import read_quality
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
#: Extra portrait sections of a diagnostic (survey, barometer, compass), given the peers' map.
SectionSource = Callable[[Diagnostic, BaseMap], Sequence[Section]]


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
    populations: PeerPopulations  # populations behind the peers' values at the years used
    names: dict[str, str]  # département names (France perimeters said with names)
    quality: dict[str, QualityAssessment]  # indicator code → assessment at the matrix year


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
        maps = BaseMaps(connection, resolved.catalog)
        base_map = maps.of(territory, peer_set.peers) if write or sections else NO_MAP
    return _portrait(
        settings, resolved.catalog, territory, peer_set, base_map, out_dir, write, sections
    )


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
        maps = BaseMaps(connection, catalog)
        plan = []
        for territory in territories:
            key = tuple(str(t.code) for t in peer_group(territory, catalog.by_level(level)))
            if key not in groups:
                groups[key] = _peer_set(connection, catalog, territory, draws, seed)
            plan.append((territory, groups[key], maps.of(territory, groups[key].peers)))
    portraits = []
    for done, (territory, peer_set, base_map) in enumerate(plan, start=1):
        portraits.append(
            _portrait(settings, catalog, territory, peer_set, base_map, out_dir, True, sections)
        )
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
    years = dict(zip(matrix.indicators, matrix.years, strict=True))
    quality = {
        q.indicator: q
        for q in read_quality(connection, matrix.indicators, [territory.level])
        if years[q.indicator] == q.year
    }
    rankings = rank_peers(
        matrix, specs, fragility_referential(), draws=draws, seed=seed, quality=quality
    )
    names = {t.code.code: t.name for t in catalog.by_level(Level.DEPARTEMENT)}
    populations = _populations(observations, matrix)
    return _PeerSet(
        peers, specs, matrix, rankings, sources, references, populations, names, quality
    )


def _populations(observations: pl.DataFrame, matrix: PeerMatrix) -> PeerPopulations:
    """For each indicator of the matrix, the populations behind each peer's value that year."""
    years = pl.DataFrame(
        {"indicator": list(matrix.indicators), "year": list(matrix.years)},
        schema={"indicator": pl.String, "year": observations.schema["year"]},
    )
    used = observations.join(years, on=["indicator", "year"]).filter(pl.col("value").is_not_null())
    found: dict[str, dict[str, PopulationVintage]] = {}
    for indicator, territory, first, last in used.select(
        "indicator", "territory", "population_year_min", "population_year_max"
    ).iter_rows():
        vintage = PopulationVintage.of(first, last)
        if vintage is not None:
            found.setdefault(indicator, {})[territory] = vintage
    return found


def _reference_values(peer_set: _PeerSet, code: str, name: str) -> ReferenceValues:
    """Each indicator's value for territory ``code``: at the matrix year, else its latest year,
    with its perimeter (France) and the populations behind it."""
    frame = peer_set.references.filter(
        (pl.col("territory") == code) & pl.col("value").is_not_null()
    )
    values: dict[str, tuple[float | None, int | None]] = {}
    perimeters: dict[str, FrancePerimeter] = {}
    populations: dict[str, PopulationVintage] = {}
    for indicator, year in zip(peer_set.matrix.indicators, peer_set.matrix.years, strict=True):
        rows = frame.filter(pl.col("indicator") == indicator).sort("year")
        same = rows.filter(pl.col("year") == year)
        chosen = same if same.height else rows.tail(1)
        if not chosen.height:
            continue
        row = chosen.row(0, named=True)
        values[indicator] = (float(row["value"]), int(row["year"]))
        perimeter = FrancePerimeter.stored(row["perimeter"], row["perimeter_missing"])
        if perimeter is not None:
            perimeters[indicator] = perimeter
        vintage = PopulationVintage.of(row["population_year_min"], row["population_year_max"])
        if vintage is not None:
            populations[indicator] = vintage
    return ReferenceValues(code, name, values, perimeters, populations, peer_set.names)


def _portrait(
    settings: Settings,
    catalog: TerritoryCatalog,
    territory: Territory,
    peer_set: _PeerSet,
    base_map: BaseMap,
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
        populations=peer_set.populations,
        quality=peer_set.quality,
    )
    extra = tuple(sections(diagnostic, base_map)) if sections is not None else ()
    if not write:
        return Portrait(diagnostic, None, extra)
    html = render_portrait(diagnostic, base_map, extra)
    directory = out_dir or reports_dir(settings)
    path = write_text(directory / f"portrait-{diagnostic.territory.replace(':', '-')}.html", html)
    return Portrait(diagnostic, path, extra)
