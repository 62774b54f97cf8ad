"""What each source is, where it comes from, and what of it is loaded."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from cotera.indicators.catalogue import catalogue
from cotera.services.boundary_load import BOUNDARIES_SOURCE, BOUNDARY_FILES
from cotera.services.data_load import TERRITORIES_SOURCE, TERRITORY_FILES, source_record
from cotera.services.database import database
from cotera.settings import Settings
from cotera.storage.batch_store import Batch, current_batches
from cotera.storage.boundary_store import boundary_counts
from cotera.storage.indicator_store import SourceRecord, read_coverage, read_source_years
from cotera.storage.territory_store import territory_counts
from cotera.types import Level


@dataclass(frozen=True, slots=True)
class SourceStatus:
    """A source's provenance and what of it the database holds."""

    source: SourceRecord
    files: tuple[str, ...]  # mirror-relative paths
    indicators: tuple[str, ...]  # indicator codes (territories: none)
    fragilities: tuple[str, ...]  # fragilities with at least one loaded value
    batch: Batch | None  # None: not loaded
    years: tuple[int, ...]
    coverage: tuple[tuple[Level, int], ...]  # territories (with a value, an outline) per level


def list_sources(settings: Settings) -> list[SourceStatus]:
    """The territories and outlines sources, then every catalogue source, loaded or not.

    The outlines' coverage counts the territories with an outline per level.
    """
    with database(settings) as engine, engine.connect() as connection:
        batches = current_batches(connection)
        coverage = read_coverage(connection)
        years = read_source_years(connection)
        counts = territory_counts(connection)
        outlines = boundary_counts(connection)
    drawn = {level: max(n for (lvl, _), n in outlines.items() if lvl is level)
             for level in {lvl for lvl, _ in outlines}}  # fmt: skip
    statuses = [
        SourceStatus(
            TERRITORIES_SOURCE,
            TERRITORY_FILES,
            (),
            (),
            batches.get(TERRITORIES_SOURCE.id),
            (),
            tuple((level, counts[level]) for level in Level if level in counts),
        ),
        SourceStatus(
            BOUNDARIES_SOURCE,
            BOUNDARY_FILES,
            (),
            (),
            batches.get(BOUNDARIES_SOURCE.id),
            (),
            tuple((level, drawn[level]) for level in Level if level in drawn),
        ),
    ]
    for spec in catalogue().sources:
        mine = coverage.filter(pl.col("source") == spec.id)
        per_level = mine.group_by("level").agg(pl.col("territories").max())
        by_level = dict(per_level.iter_rows())
        statuses.append(
            SourceStatus(
                source_record(spec),
                tuple(f.path for f in spec.files),
                tuple(i.code for i in catalogue().of_source(spec.id)),
                tuple(sorted(set(mine.get_column("fragility").to_list()))),
                batches.get(spec.id),
                years.get(spec.id, ()),
                tuple((level, by_level[level.value]) for level in Level if level.value in by_level),
            )
        )
    return statuses
