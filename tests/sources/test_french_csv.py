"""French CSV reading: property round trip from random frames, and every problem reported."""

from __future__ import annotations

import csv
import gzip
import io
import math
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cotera.errors import ValidationError
from cotera.indicators.model import MissingReason
from cotera.sources.french_csv import decode_bytes, read_text_table, sniff_separator
from cotera.sources.french_values import MISSING_MARKERS, normalize_code, parse_numbers
from cotera.sources.keyed_table import REASON_SUFFIX, parse_keyed
from cotera.types import Level

_DEP_CODES = st.sampled_from(["01", "05", "2A", "2B", "93", "971", "976"])
_TEXT = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéèêàçôîùÉÈ ;,'\"-", min_size=1, max_size=12)
_MARKERS = st.sampled_from(["", "s", "secret", "nd", "n.d.", "-999", "NC"])
_VALUE = st.one_of(
    st.none(), st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12)
)
_ROW = st.tuples(_DEP_CODES, _TEXT.map(str.strip).filter(bool), _VALUE, _MARKERS)


def _write(
    rows: list[tuple[str, str, float | None, str]],
    separator: str,
    encoding: str,
    decimal_comma: bool,
    compress: bool,
) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\n")
    writer.writerow(["code", "libellé", "valeur"])
    for code, label, value, marker in rows:
        text = marker if value is None else repr(value)
        if decimal_comma and value is not None:
            text = text.replace(".", ",")
        writer.writerow([code, label, text])
    data = buffer.getvalue().encode(encoding)
    return gzip.compress(data) if compress else data


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(_ROW, min_size=1, max_size=12),
    separator=st.sampled_from([";", ",", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "latin-1"]),
    decimal_comma=st.booleans(),
    compress=st.booleans(),
)
def test_french_csv_round_trip(
    tmp_path: Path,
    rows: list[tuple[str, str, float | None, str]],
    separator: str,
    encoding: str,
    decimal_comma: bool,
    compress: bool,
) -> None:
    path = tmp_path / "fichier.csv"
    path.write_bytes(_write(rows, separator, encoding, decimal_comma, compress))
    table = read_text_table(path)
    assert table.separator == separator
    parsed = parse_keyed(table, "code", Level.DEPARTEMENT, ["valeur"])
    assert parsed.problems == ()
    assert parsed.frame.get_column("territory").to_list() == [f"dep:{r[0]}" for r in rows]
    assert table.frame.get_column("libellé").to_list() == [r[1] for r in rows]
    for (_, _, value, marker), got, reason in zip(
        rows,
        parsed.frame.get_column("valeur"),
        parsed.frame.get_column("valeur" + REASON_SUFFIX),
        strict=True,
    ):
        if value is None:
            assert got is None
            expected = MISSING_MARKERS.get(marker.lower(), MissingReason.NOT_PUBLISHED)
            assert reason == expected.value
        else:
            assert got == value or (math.isclose(got, value) and value == 0)
            assert reason is None


def test_decode_falls_back_to_cp1252_and_strips_bom() -> None:
    assert decode_bytes("Orléans".encode("cp1252")) == ("Orléans", "cp1252")
    assert decode_bytes(b"\xef\xbb\xbfcode") == ("code", "utf-8-sig")
    assert decode_bytes(gzip.compress("été".encode())) == ("été", "utf-8")


def test_sniff_prefers_the_separator_giving_stable_columns() -> None:
    assert sniff_separator('a;b;c\n"1,5";2;3\n') == ";"
    assert sniff_separator('a,b,c\n"1,5",2,3\n') == ","


@pytest.mark.parametrize(
    ("raw", "level", "expected"),
    [
        ("1", Level.DEPARTEMENT, "01"),
        ("2a", Level.DEPARTEMENT, "2A"),
        ("976", Level.DEPARTEMENT, "976"),
        ("1001", Level.COMMUNE, "01001"),
        ("2A004", Level.COMMUNE, "2A004"),
        ("1001.0", Level.COMMUNE, "01001"),
        ("20", Level.DEPARTEMENT, "20"),
        ("2C", Level.DEPARTEMENT, None),
        ("123", Level.REGION, None),
    ],
)
def test_codes_stay_text(raw: str, level: Level, expected: str | None) -> None:
    assert normalize_code(raw, level) == expected


def test_numbers_with_french_thousands_and_markers(tmp_path: Path) -> None:
    path = tmp_path / "n.csv"
    path.write_text("code;v\n01;1 234,5\n02;1.234,5\n03;s\n04;n.d.\n05;-999\n06;0\n", "utf-8")
    parsed = parse_numbers(read_text_table(path), "v")
    assert parsed.values.to_list() == [1234.5, 1234.5, None, None, None, 0.0]
    assert parsed.reasons.to_list() == [
        None,
        None,
        "secret",
        "not_published",
        "not_published",
        None,
    ]


def test_every_problem_of_a_bad_file_is_listed(tmp_path: Path) -> None:
    path = tmp_path / "mauvais.csv"
    path.write_text(
        "dep_code;year;unemployment_rate\n"
        "01;2012;6,8\n"
        "XX;2012;7\n"  # line 3: bad code
        "02;20x2;7\n"  # line 4: bad year
        "03;2012;beaucoup\n"  # line 5: not a number
        "04;;5\n",  # line 6: missing year
        encoding="utf-8",
    )
    table = parse_keyed(
        read_text_table(path),
        "dep_code",
        Level.DEPARTEMENT,
        ["unemployment_rate"],
        year_column="year",
    )
    found = {(p.code, p.row, p.column) for p in table.problems}
    assert found == {
        ("bad_code", 3, "dep_code"),
        ("not_a_number", 4, "year"),  # reported once, not again as a bad year
        ("not_a_number", 5, "unemployment_rate"),
        ("bad_year", 6, "year"),
    }
    assert all(p.file == "mauvais.csv" for p in table.problems)
    with pytest.raises(ValidationError) as info:
        table.raise_problems("fichier invalide")
    assert "mauvais.csv, ligne 5, colonne 'unemployment_rate'" in str(info.value)


def test_missing_columns_are_all_reported(tmp_path: Path) -> None:
    path = tmp_path / "colonnes.csv"
    path.write_text("code;autre\n01;1\n", encoding="utf-8")
    table = parse_keyed(read_text_table(path), "dep", Level.DEPARTEMENT, ["a", "b"])
    assert {p.column for p in table.problems} == {"dep", "a", "b"}
    assert {p.code for p in table.problems} == {"missing_column"}
