"""Territory codes: parsing, canonical form and round trips."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cotera.errors import NotFoundError
from cotera.territory.model import FRANCE, Territory, TerritoryCode
from cotera.types import Level

_DIGIT = "0123456789"
_VALID = st.one_of(
    st.text(_DIGIT, min_size=2, max_size=2).map(lambda c: f"reg:{c}"),
    st.text(_DIGIT, min_size=2, max_size=2).map(lambda c: f"dep:{c}"),
    st.sampled_from(["dep:2A", "dep:2B", "dep:971", "dep:974", "dep:976"]),
    st.text(_DIGIT, min_size=9, max_size=9).map(lambda c: f"epci:{c}"),
    st.text(_DIGIT, min_size=5, max_size=5).map(lambda c: f"com:{c}"),
    st.tuples(st.sampled_from(["2A", "2B"]), st.text(_DIGIT, min_size=3, max_size=3)).map(
        lambda parts: f"com:{parts[0]}{parts[1]}"
    ),
    st.from_regex(r"[a-z0-9][a-z0-9_-]{0,20}", fullmatch=True).map(lambda c: f"custom:{c}"),
    st.just("fr"),
)


@given(_VALID)
def test_round_trip(text: str) -> None:
    code = TerritoryCode.parse(text)
    assert str(code) == text
    assert TerritoryCode.parse(str(code)) == code


@given(_VALID)
def test_case_and_spaces_do_not_matter(text: str) -> None:
    assert TerritoryCode.parse(f"  {text.upper()} ") == TerritoryCode.parse(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("dep:2a", "dep:2A"),
        ("DEP:93", "dep:93"),
        ("dep:1", "dep:01"),
        ("France", "fr"),
        ("com:2b033", "com:2B033"),
        ("Custom:Mon-Territoire", "custom:mon-territoire"),
    ],
)
def test_canonical_form(text: str, expected: str) -> None:
    assert str(TerritoryCode.parse(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "93",
        "dep:",
        "dep:2C",
        "dep:9300",
        "reg:1a",
        "com:9306",
        "com:2C001",
        "epci:20005478",
        "epci:2000547810",
        "fr:fr",
        "ville:paris",
        "custom:-x",
        "custom:a b",
        "dep:٣٣",  # Arabic-Indic digits are not INSEE codes
        "com:９３０６６",  # nor are full-width digits
    ],
)
def test_invalid_codes_are_rejected(text: str) -> None:
    with pytest.raises(NotFoundError):
        TerritoryCode.parse(text)


@given(st.text(max_size=12))
def test_parse_never_fails_otherwise(text: str) -> None:
    try:
        code = TerritoryCode.parse(text)
    except NotFoundError:
        return
    assert TerritoryCode.parse(str(code)) == code


def test_parent_lookup() -> None:
    commune = Territory(
        TerritoryCode.parse("com:93066"),
        "Saint-Denis",
        1,
        (TerritoryCode.parse("dep:93"), TerritoryCode.parse("reg:11"), FRANCE),
    )
    assert commune.level is Level.COMMUNE
    assert str(commune.parent(Level.REGION)) == "reg:11"
    assert commune.parent(Level.EPCI) is None
