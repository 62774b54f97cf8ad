"""The vintage of the populations behind a value, said in words."""

from __future__ import annotations

from cotera.indicators.denominator import PopulationVintage, is_approximation, population_note


def test_notes() -> None:
    assert population_note(2013, 2013, 2013) == "population 2013"
    assert population_note(2013, 2026, 2026) == "population 2026 (approximation)"
    assert population_note(2013, 2013, 2026) == "populations 2013 à 2026 (approximation)"
    assert population_note(2013, None, None) == ""


def test_approximation_flag() -> None:
    assert is_approximation(2009, 2026, 2026)
    assert is_approximation(2013, 2013, 2026)
    assert not is_approximation(2013, 2013, 2013)
    assert not is_approximation(2013, None, None)
    assert PopulationVintage.of(2026, None) == PopulationVintage(2026, 2026)
    assert PopulationVintage.of(None, None) is None
