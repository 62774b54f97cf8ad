"""The perimeter of France values, computed from the départements (or régions) with a value."""

from __future__ import annotations

import polars as pl
import pytest

from cotera.indicators.perimeter import FrancePerimeter, Perimeter, france_perimeters
from cotera.sources.observations import concat, observations

METRO = [f"{n:02d}" for n in range(1, 96) if n != 20] + ["2A", "2B"]
DROM = ["971", "972", "973", "974", "976"]
ALL = METRO + DROM
REGION = {d: ("94" if d in ("2A", "2B") else "11") for d in METRO} | {
    "971": "01", "972": "02", "973": "03", "974": "04", "976": "06",
}  # fmt: skip


def test_the_101_departements() -> None:
    assert len(METRO) == 96
    assert len(ALL) == 101


@pytest.mark.parametrize(
    ("covered", "expected", "label"),
    [
        (METRO, FrancePerimeter(Perimeter.METROPOLITAN), "France métropolitaine"),
        (
            [d for d in METRO if d != "47"],
            FrancePerimeter(Perimeter.METROPOLITAN, ("47",)),
            "France métropolitaine hors Lot-et-Garonne (47)",
        ),
        (
            [d for d in ALL if d != "976"],
            FrancePerimeter(Perimeter.EXCLUDING_MAYOTTE),
            "France hors Mayotte",
        ),
        (ALL, FrancePerimeter(Perimeter.WHOLE), "France entière"),
        (
            [d for d in ALL if d not in ("971", "973", "976")],
            FrancePerimeter(Perimeter.EXCLUDING_MAYOTTE, ("971", "973")),
            "France hors Mayotte, Guadeloupe (971) et Guyane (973)",
        ),
        (
            [d for d in ALL if d != "973"],
            FrancePerimeter(Perimeter.WHOLE, ("973",)),
            "France hors Guyane (973)",
        ),
    ],
)
def test_smallest_named_perimeter_and_its_gaps(
    covered: list[str], expected: FrancePerimeter, label: str
) -> None:
    names = {"47": "Lot-et-Garonne", "971": "Guadeloupe", "973": "Guyane"}
    found = FrancePerimeter.of(covered, ALL)
    assert found == expected
    assert found is not None
    assert found.label(names) == label


def test_many_gaps_are_counted_and_codes_without_names_said() -> None:
    found = FrancePerimeter.of(METRO[5:], ALL)
    assert found is not None
    assert found.label() == "France métropolitaine hors 5 départements (01, 02, 03, 04, 05)"
    assert FrancePerimeter(Perimeter.METROPOLITAN, ("47",)).label() == (
        "France métropolitaine hors département 47"
    )
    assert FrancePerimeter.of([], ALL) is None


def test_stored_round_trip() -> None:
    perimeter = FrancePerimeter(Perimeter.METROPOLITAN, ("2A", "47"))
    assert FrancePerimeter.stored("metropolitan", "2A,47") == perimeter
    assert FrancePerimeter.stored("whole", None) == FrancePerimeter(Perimeter.WHOLE)
    assert FrancePerimeter.stored(None, None) is None


def _frame(indicator: str, territories: list[str], year: int = 2013) -> pl.DataFrame:
    return observations(indicator, territories, year, pl.Series([1.0] * len(territories)))


def test_france_rows_get_the_perimeter_of_their_departements_or_regions() -> None:
    frame = concat(
        [
            _frame("panel", [f"dep:{d}" for d in METRO if d != "47"] + ["fr"]),
            _frame("regions_only", ["reg:11", "reg:94", "reg:01", "reg:02", "reg:03", "reg:04"]),
            _frame("regions_only", ["fr"]),
            _frame("every", [f"dep:{d}" for d in ALL] + ["fr"], year=2022),
            _frame("alone", ["fr"]),
            observations("missing", ["dep:01", "fr"], 2013, pl.Series([1.0, None])),
        ]
    )
    france = france_perimeters(frame, REGION).filter(pl.col("territory") == "fr")
    found = {
        row["indicator"]: (row["perimeter"], row["perimeter_missing"])
        for row in france.iter_rows(named=True)
    }
    assert found == {
        "panel": ("metropolitan", "47"),
        "regions_only": ("excluding_mayotte", None),  # the régions stand for their départements
        "every": ("whole", None),
        "alone": (None, None),  # nothing tells what it covers
        "missing": (None, None),  # a missing value has no perimeter
    }
    assert france_perimeters(frame, REGION).height == frame.height
