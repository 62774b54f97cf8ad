"""RP 2018 population structure (POP_epci.csv): real file, and a synthetic bad file."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from cotera.errors import ValidationError
from cotera.sources.census_margins import (
    AGE_COLUMNS,
    ALL_SEXES_AGE_COLUMNS,
    CSP_COLUMNS,
    MEN_COLUMN,
    POP_FILE,
    read_population_structure,
)
from cotera.sources.mirror import Mirror

HEADER = ["codgeo", *ALL_SEXES_AGE_COLUMNS, MEN_COLUMN, *AGE_COLUMNS[0], *AGE_COLUMNS[1]]
HEADER += [*CSP_COLUMNS[0], *CSP_COLUMNS[1]]
AGES = ["20", "18", "20", "20", "13", "8", "1"]  # by sex; 15-29 = 18
OVERALL = ["20", "20", "20", "20", "13", "8", "1"]  # 1529 copies 0014, as in the real file
CSP = ["1", "4", "9", "16", "16", "20", "20", "14"]


def _row(code: str, **changes: str) -> list[str]:
    values = dict(zip(HEADER, [code, *OVERALL, "50", *AGES, *AGES, *CSP, *CSP], strict=True))
    values.update(changes)
    return [values[c] for c in HEADER]


def _mirror(tmp_path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Mirror:
    path = tmp_path / POP_FILE
    path.parent.mkdir(parents=True)
    path.write_text("\n".join(",".join(r) for r in [header, *rows]) + "\n", encoding="utf-8")
    return Mirror(tmp_path)


def test_synthetic_file_structure(tmp_path: Path) -> None:
    structure = read_population_structure(
        _mirror(tmp_path, [_row("200000001"), _row("75101", Men="40")])
    )
    assert structure.codes == ("200000001", "75101")
    assert structure.sex_age[0, 0, 1] == pytest.approx(0.5 * 0.18)
    assert structure.sex_age[1, 1, 2] == pytest.approx(0.6 * 0.20)
    # CSP fractions of the whole population: sex share × 15+ share × CSP share
    assert structure.sex_csp[1, 0, 7] == pytest.approx(0.4 * 0.80 * 0.14)
    assert [n.code for n in structure.notes] == ["known_bug"]


def test_every_problem_of_a_bad_file_is_reported(tmp_path: Path) -> None:
    rows = [
        _row("200000001"),
        _row("200000002", Men="abc"),
        _row("200000003", **{AGE_COLUMNS[0][2]: "150"}),
        _row("200000001"),
        _row("12"),
        _row("200000004", **{CSP_COLUMNS[1][0]: "-9"}),
        _row("200000005", **{AGE_COLUMNS[1][6]: ""}),
    ]
    with pytest.raises(ValidationError) as caught:
        read_population_structure(_mirror(tmp_path, rows))
    found = {(p.code, p.row, p.column) for p in caught.value.problems}
    assert ("not_a_number", 3, MEN_COLUMN) in found
    assert ("bad_value", 4, AGE_COLUMNS[0][2]) in found  # share above 100
    assert ("bad_value", 5, "codgeo") in found  # duplicate
    assert ("bad_value", 6, "codgeo") in found  # malformed code
    assert ("bad_value", 7, CSP_COLUMNS[1][0]) in found  # negative share
    assert ("bad_value", 8, AGE_COLUMNS[1][6]) in found  # empty value
    assert all(p.file == "POP_epci.csv" for p in caught.value.problems)


def test_shares_that_do_not_add_up_are_reported(tmp_path: Path) -> None:
    rows = [
        _row("200000001", **{CSP_COLUMNS[0][0]: "11"}),  # men CSP total 110 %
        _row("200000002", **{ALL_SEXES_AGE_COLUMNS[2]: "25"}),  # 15-29 by complement: 13 %
    ]
    with pytest.raises(ValidationError) as caught:
        read_population_structure(_mirror(tmp_path, rows))
    assert {(p.code, p.row) for p in caught.value.problems} == {
        ("bad_sum", 2),
        ("inconsistent_shares", 3),
    }


def test_missing_columns(tmp_path: Path) -> None:
    header = [c for c in HEADER if c != MEN_COLUMN]
    with pytest.raises(ValidationError) as caught:
        read_population_structure(_mirror(tmp_path, [], header))
    assert [(p.code, p.column) for p in caught.value.problems] == [("missing_column", "Men")]


def test_real_file(mirror: Path) -> None:
    structure = read_population_structure(Mirror(mirror))
    assert len(structure.codes) == 1552  # 1,228 EPCI + 324 communes (SOURCES.md)
    assert sum(len(c) == 9 for c in structure.codes) == 1228
    np.testing.assert_allclose(structure.sex_age.sum(axis=(1, 2)), 1.0, rtol=1e-12)
    np.testing.assert_allclose(
        structure.sex_csp.sum(axis=2), structure.sex_age[:, :, 1:].sum(axis=2), rtol=1e-12
    )
    (note,) = structure.notes
    assert note.code == "known_bug"
    assert "1552 lignes" in note.message
