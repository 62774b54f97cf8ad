"""Objective fragility percentiles of the regions, for the synthetic samples' regional model.

``cotera.survey.synthetic.generate(percentiles=…)`` links each region's perceived impact to its
objective fragility percentile (0 least … 1 most fragile). They are read from the diagnostic the
cheap way (point ranks among the peers, no Monte Carlo, ``draws=0``, no portrait written): each
region's own diagnostic when indicators are loaded at region level, else the mean over its
départements' diagnostics. Without indicators, no percentiles: the sample has no regional
variation, and the note says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from cotera.errors import CoteraError
from cotera.services.database import database
from cotera.services.diagnostic import diagnose
from cotera.services.territories import read_catalog
from cotera.settings import Settings
from cotera.survey.synthetic import REGION_SHARES
from cotera.types import Level


@dataclass(frozen=True, slots=True)
class RegionalVariation:
    """``percentiles[region][fragility]`` (0..1) or None, and a French note saying which."""

    percentiles: Mapping[str, Mapping[str, float]] | None
    note: str


def _percentiles(settings: Settings, code: str) -> dict[str, float]:
    """A territory's fragility percentiles (0..1) from its diagnostic (point ranks).

    A fragility ranked among fewer than two peers says nothing and is left out.
    """
    diagnostic = diagnose(settings, code, draws=0, write=False).diagnostic
    return {
        f.code: f.position.percentile / 100
        for f in diagnostic.fragilities
        if f.position is not None and f.position.peers >= 2
    }


def _mean(readings: list[dict[str, float]]) -> dict[str, float]:
    codes = sorted({code for reading in readings for code in reading})
    out = {}
    for code in codes:
        values = [r[code] for r in readings if code in r]
        out[code] = sum(values) / len(values)
    return out


def regional_variation(settings: Settings) -> RegionalVariation:
    """The regions' objective percentiles from the diagnostic, or why there are none."""
    try:
        with database(settings) as engine, engine.connect() as connection:
            catalog = read_catalog(connection)
        by_region: dict[str, dict[str, float]] = {}
        for region in REGION_SHARES:
            try:
                reading = _percentiles(settings, f"reg:{region}")
            except CoteraError:
                continue
            if reading:
                by_region[region] = reading
        source = "diagnostic des régions"
        if not by_region:
            per_region: dict[str, list[dict[str, float]]] = {}
            for dep in catalog.by_level(Level.DEPARTEMENT):
                parent = dep.parent(Level.REGION)
                if parent is None or parent.code not in REGION_SHARES:
                    continue
                try:
                    reading = _percentiles(settings, str(dep.code))
                except CoteraError:
                    continue
                if reading:
                    per_region.setdefault(parent.code, []).append(reading)
            by_region = {region: _mean(readings) for region, readings in per_region.items()}
            source = "diagnostic des départements (moyenne par région)"
    except CoteraError as error:
        return RegionalVariation(None, f"sans variation régionale : {error}")
    if not by_region:
        return RegionalVariation(
            None,
            "sans variation régionale : aucun diagnostic possible (indicateurs non chargés :"
            " « cotera data load »)",
        )
    return RegionalVariation(
        by_region,
        f"variation régionale liée aux percentiles de fragilité objectifs ({source},"
        f" {len(by_region)} régions sur {len(REGION_SHARES)} ; les autres au centre)",
    )
