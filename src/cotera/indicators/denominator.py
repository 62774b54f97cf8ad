"""The populations behind a value (denominator of a rate, or weights): which vintage they are.

A rate for 2013 divided by 2026 populations is an approximation and must say so. Each
observation keeps the first and last vintage of the populations Cotera used to compute it
(``population_year_min`` / ``population_year_max``; null when it used none, or only the
source's own denominators); an aggregate mixing vintages keeps both ends.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PopulationVintage:
    """The vintages (first and last year) of the populations used for one value."""

    first: int
    last: int

    @classmethod
    def of(cls, first: int | None, last: int | None) -> PopulationVintage | None:
        """From the two stored columns (None when no population was used)."""
        years = [y for y in (first, last) if y is not None]
        return cls(min(years), max(years)) if years else None

    def is_approximation(self, year: int) -> bool:
        """True when some population is not of the value's own year."""
        return not self.first == self.last == year

    def note(self, year: int) -> str:
        """« population 2013 », « population 2026 (approximation) »,
        « populations 2013 à 2026 (approximation) »."""
        text = (
            f"population {self.first}"
            if self.first == self.last
            else f"populations {self.first} à {self.last}"
        )
        return f"{text} (approximation)" if self.is_approximation(year) else text


def population_note(year: int, first: int | None, last: int | None) -> str:
    """The note of a value of ``year`` (empty when no population was used)."""
    vintage = PopulationVintage.of(first, last)
    return "" if vintage is None else vintage.note(year)


def is_approximation(year: int, first: int | None, last: int | None) -> bool:
    """True when the value of ``year`` used populations of another year."""
    vintage = PopulationVintage.of(first, last)
    return vintage is not None and vintage.is_approximation(year)
