"""What a France value covers, said plainly: « France métropolitaine » is not « France entière ».

The perimeter is computed, never declared per source: it is the smallest named perimeter
(96 metropolitan départements, 100 without Mayotte, all 101) that contains the départements
having a value for the same indicator and year, whether the France value is published by the
source or aggregated from those départements. When the source has no département value, its
régions stand for their départements. The départements of that perimeter without a value are
kept (``missing``) so that « France métropolitaine hors Lot-et-Garonne (47) » can be said.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

import polars as pl

MAYOTTE = "976"
_NAMED_MISSING = 3  # beyond this, missing départements are counted, not named


class Perimeter(StrEnum):
    """The named perimeters of a France value, from the smallest."""

    METROPOLITAN = "metropolitan"  # the 96 départements of metropolitan France
    EXCLUDING_MAYOTTE = "excluding_mayotte"  # metropolitan France and four DROM (100)
    WHOLE = "whole"  # the 101 départements

    @property
    def label_fr(self) -> str:
        """« France métropolitaine », « France hors Mayotte », « France entière »."""
        return _LABELS[self]


_LABELS = {
    Perimeter.METROPOLITAN: "France métropolitaine",
    Perimeter.EXCLUDING_MAYOTTE: "France hors Mayotte",
    Perimeter.WHOLE: "France entière",
}


def _members(perimeter: Perimeter, departements: Collection[str]) -> frozenset[str]:
    if perimeter is Perimeter.METROPOLITAN:
        return frozenset(d for d in departements if not d.startswith("97"))
    if perimeter is Perimeter.EXCLUDING_MAYOTTE:
        return frozenset(d for d in departements if d != MAYOTTE)
    return frozenset(departements)


@dataclass(frozen=True, slots=True)
class FrancePerimeter:
    """The perimeter of one France value: a named perimeter minus some of its départements."""

    perimeter: Perimeter
    missing: tuple[str, ...] = ()  # départements of ``perimeter`` without a value, by code

    @classmethod
    def of(cls, covered: Iterable[str], departements: Collection[str]) -> FrancePerimeter | None:
        """From the départements with a value (bare codes) among all ``departements``."""
        present = set(covered) & set(departements)
        if not present:
            return None
        for perimeter in Perimeter:
            members = _members(perimeter, departements)
            if present <= members:
                return cls(perimeter, tuple(sorted(members - present)))
        raise AssertionError("WHOLE contains every département")  # pragma: no cover

    @classmethod
    def stored(cls, perimeter: str | None, missing: str | None) -> FrancePerimeter | None:
        """Back from the two stored columns (``perimeter``, ``perimeter_missing``)."""
        if perimeter is None:
            return None
        return cls(Perimeter(perimeter), tuple(c for c in (missing or "").split(",") if c))

    def label(self, names: Mapping[str, str] | None = None) -> str:
        """« France métropolitaine hors Lot-et-Garonne (47) », « France hors Mayotte, Guadeloupe
        (971) et Guyane (973) » (département names by code, when given)."""
        if not self.missing:
            return self.perimeter.label_fr
        known = names or {}
        if len(self.missing) > _NAMED_MISSING:
            codes = ", ".join(self.missing)
            parts = [f"{len(self.missing)} départements ({codes})"]
        else:
            parts = [
                f"{known[c]} ({c})" if c in known else f"département {c}" for c in self.missing
            ]
        if self.perimeter is Perimeter.METROPOLITAN:
            return f"France métropolitaine hors {_enumerate(parts)}"
        if self.perimeter is Perimeter.EXCLUDING_MAYOTTE:
            return f"France hors {_enumerate(['Mayotte', *parts])}"
        return f"France hors {_enumerate(parts)}"


def _enumerate(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} et {parts[-1]}"


def france_perimeters(observations: pl.DataFrame, dep_region: Mapping[str, str]) -> pl.DataFrame:
    """``observations`` with ``perimeter`` and ``perimeter_missing`` set on France rows with a
    value, computed from the département (else région) rows of the same indicator and year.

    ``dep_region`` maps every département (bare code) to its région.
    """
    present = observations.filter(
        pl.col("value").is_not_null() & pl.col("territory").str.contains("^(dep|reg):")
    )
    deps: dict[tuple[str, int], set[str]] = defaultdict(set)
    regions: dict[tuple[str, int], set[str]] = defaultdict(set)
    for indicator, territory, year in present.select("indicator", "territory", "year").iter_rows():
        level, code = territory.split(":", 1)
        (deps if level == "dep" else regions)[(indicator, year)].add(code)
    departements = list(dep_region)
    by_region: dict[str, set[str]] = defaultdict(set)
    for dep, region in dep_region.items():
        by_region[region].add(dep)
    rows: list[tuple[str, int, str, str | None]] = []
    france = observations.filter((pl.col("territory") == "fr") & pl.col("value").is_not_null())
    for indicator, year in france.select("indicator", "year").iter_rows():
        covered = deps.get((indicator, year)) or {
            d for r in regions.get((indicator, year), ()) for d in by_region.get(r, ())
        }
        found = FrancePerimeter.of(covered, departements)
        if found is not None:
            rows.append((indicator, year, found.perimeter.value, ",".join(found.missing) or None))
    computed = pl.DataFrame(
        rows,
        schema={
            "indicator": pl.String,
            "year": observations.schema["year"],
            "_perimeter": pl.String,
            "_missing": pl.String,
        },
        orient="row",
    ).with_columns(territory=pl.lit("fr"))
    return (
        observations.join(computed, on=["indicator", "territory", "year"], how="left")
        .with_columns(perimeter=pl.col("_perimeter"), perimeter_missing=pl.col("_missing"))
        .drop("_perimeter", "_missing")
    )
