"""Assess the data quality of a source's indicators and store it with the source's batch.

Assessed at ``cotera data load`` from the observations just loaded (``cotera.indicators.
quality``): the rules need every territory of a level at once (coverage, share of zeros, the
national total by région), which the diagnostic and ``cotera indicators`` read for one
territory only, so the status is computed once per batch and stored beside it (table
``indicator_quality``). A source already loaded is assessed again from its stored observations
when its assessments are missing or were made under other rules (``RULES_VERSION``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl
from sqlalchemy import Connection

from cotera.diagnostic.peers import is_overseas
from cotera.indicators.catalogue import catalogue
from cotera.indicators.quality import DataQuality, QualityAssessment, assess
from cotera.storage.indicator_quality import quality_is_current, replace_quality
from cotera.storage.indicator_store import read_observations
from cotera.territory.model import Territory
from cotera.types import Level


@dataclass(frozen=True, slots=True)
class QualityBase:
    """The territories the rules count: level, overseas or not, région (and région names)."""

    territories: pl.DataFrame
    region_names: dict[str, str]


def quality_base(territories: Sequence[Territory]) -> QualityBase:
    """The rules' view of the stored territories."""
    rows = []
    for territory in territories:
        region = territory.parent(Level.REGION)
        own = territory.code if territory.level is Level.REGION else region
        rows.append(
            (
                str(territory.code),
                territory.level.value,
                is_overseas(territory),
                None if own is None else str(own),
            )
        )
    frame = pl.DataFrame(
        rows,
        schema={
            "territory": pl.String,
            "level": pl.String,
            "overseas": pl.Boolean,
            "region": pl.String,
        },
        orient="row",
    )
    names = {str(t.code): t.name for t in territories if t.level is Level.REGION}
    return QualityBase(frame, names)


def store_quality(
    connection: Connection,
    source_id: str,
    observations: pl.DataFrame,
    base: QualityBase,
    batch_id: int,
) -> int:
    """Assess ``observations`` (a source's) and replace its stored assessments; rows."""
    assessments = assess(observations, base.territories, base.region_names)
    return replace_quality(connection, source_id, assessments, batch_id)


def refresh_quality(
    connection: Connection, source_id: str, batch_id: int, base: QualityBase
) -> bool:
    """Assess a loaded source again from its stored observations if its assessments are
    missing or stale; whether it did."""
    if quality_is_current(connection, source_id, batch_id):
        return False
    codes = [spec.code for spec in catalogue().of_source(source_id)]
    observations = read_observations(connection, indicators=codes)
    store_quality(connection, source_id, observations, base, batch_id)
    return True


_TABLE_LEVELS = (Level.REGION, Level.DEPARTEMENT, Level.EPCI, Level.COMMUNE)


def quality_table(assessments: Sequence[QualityAssessment]) -> str:
    """The Markdown table of docs/indicators.md: per indicator and level, each status with its
    years (``scripts/quality_table.py`` prints it from a loaded database)."""
    years: dict[tuple[str, Level, DataQuality], list[int]] = {}
    for item in assessments:
        years.setdefault((item.indicator, item.level, item.status), []).append(item.year)
    lines = [
        "| indicator | régions | départements | EPCI | communes |",
        "|---|---|---|---|---|",
    ]
    for code in sorted({item.indicator for item in assessments}):
        cells = []
        for level in _TABLE_LEVELS:
            found = [
                (min(ys), status, ys)
                for (ind, lvl, status), ys in years.items()
                if ind == code and lvl is level
            ]
            parts = [f"{status.short_fr} ({_spans(ys)})" for _, status, ys in sorted(found)]
            cells.append(" ; ".join(parts) or "–")
        lines.append(f"| `{code}` | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _spans(years: Sequence[int]) -> str:
    """``2012–2015, 2018``: consecutive years as ranges."""
    ordered = sorted(set(years))
    runs: list[list[int]] = []
    for year in ordered:
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)
