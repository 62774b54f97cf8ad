"""Placing the commune codes of a past year on today's territories (synthetic, hand-made COG)."""

from __future__ import annotations

import polars as pl

from cotera.sources.cog import CommuneSplit
from cotera.sources.indicators import LoadContext
from cotera.sources.indicators.placement import departement_of_code, place

# today: A (01001) and B (01002) in EPCI E1; C (01003) in E2; D (02001) in E2 too, other
# département; B was merged into A from 2012 to 2014; 01900 is a former code of A; 01950 of C
CONTEXT = LoadContext(
    commune_parent={"01001": "01", "01002": "01", "01003": "01", "02001": "02"},
    dep_region={"01": "84", "02": "32"},
    population={},
    former_commune_codes={"01900": "01001", "01950": "01003"},
    commune_epci={"01001": "E1", "01002": "E1", "01003": "E2", "02001": "E2"},
    commune_splits=(CommuneSplit("01002", "01001", "A-B", 2012, 2014),),
)


def _placed(codes: list[str], year: int) -> set[tuple[str, str, str]]:
    placement = place(pl.Series(codes), CONTEXT, year)
    return set(placement.placed.iter_rows())


def test_former_codes_add_up_in_todays_commune() -> None:
    placement = place(pl.Series(["01001", "01900", "01950"]), CONTEXT, 2009)
    assert set(placement.remapped.iter_rows()) == {("01900", "01001"), ("01950", "01003")}
    assert ("01900", "com", "com:01001") in set(placement.placed.iter_rows())
    assert placement.straddled.is_empty()


def test_merged_perimeter_straddles_both_communes_but_not_their_epci() -> None:
    placement = place(pl.Series(["01001", "01900"]), CONTEXT, 2013)
    assert set(placement.straddled.iter_rows()) == {("com", "com:01001"), ("com", "com:01002")}
    placed = set(placement.placed.iter_rows())
    assert {("01001", "epci", "epci:E1"), ("01900", "dep", "dep:01")} <= placed
    assert not {row for row in placed if row[1] == "com"}
    assert placement.merged == (("A-B", "01001", "01002"),)
    # outside the merger, each commune is itself
    assert ("01001", "com", "com:01001") in _placed(["01001"], 2014)
    assert ("01001", "com", "com:01001") in _placed(["01001"], 2011)


def test_a_split_across_epci_leaves_both_epci_without_value() -> None:
    across = LoadContext(
        **{
            **{f: getattr(CONTEXT, f) for f in ("commune_parent", "dep_region", "population")},
            "former_commune_codes": {},
            "commune_epci": CONTEXT.commune_epci,
            "commune_splits": (CommuneSplit("02001", "01003", "C-D", 2012, 2014),),
        }
    )
    placement = place(pl.Series(["01003"]), across, 2013)
    assert set(placement.straddled.iter_rows()) == {
        ("com", "com:01003"), ("com", "com:02001"), ("dep", "dep:01"), ("dep", "dep:02"),
    }  # fmt: skip
    assert set(placement.placed.iter_rows()) == {("01003", "epci", "epci:E2")}


def test_unknown_codes_go_to_their_departement_or_nowhere() -> None:
    placement = place(pl.Series(["01777", "99123", "01001"]), CONTEXT, 2013)
    assert set(placement.departement_only.iter_rows()) == {("01777", "01")}
    assert placement.unplaced == ("99123",)
    assert ("01777", "dep", "dep:01") in set(placement.placed.iter_rows())
    assert not placement.placed.filter(pl.col("code") == "99123").height


def test_departement_of_a_code() -> None:
    assert departement_of_code("97411") == "974"
    assert departement_of_code("2A004") == "2A"
    assert departement_of_code("93066") == "93"
