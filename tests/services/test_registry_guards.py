"""Issue 10 §2: a truncated or duplicated register file never dissolves, blanks or renames."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from cotera.errors import MassChangeError, ValidationError
from cotera.services.registry import RegisterKind, import_register
from cotera.settings import Settings
from cotera.storage.engine import open_database
from cotera.storage.territory_store import replace_territories
from tests.services.test_registry import SIREN, _count
from tests.sources.registers.layouts import (
    UNIT_COLUMNS,
    rna_row,
    unit_row,
    write_csv,
    write_rna,
)
from tests.storage.samples import TERRITORIES

ROWS = [rna_row(f"W93100{i:04d}", f"Association {i}", "93066") for i in range(40)]
TABLES = ("registry_organization", "registry_partnership", "registry_audit", "registry_import")


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    engine = open_database(database_url)
    with engine.begin() as connection:
        replace_territories(connection, TERRITORIES)
    engine.dispose()
    return Settings(database_url=database_url, data_dir=tmp_path / "data")


def _state(settings: Settings) -> dict[str, int]:
    return {t: _count(settings, f"select count(*) from {t}") for t in TABLES}


def test_a_truncated_rna_file_dissolves_nothing_unless_allowed(
    settings: Settings, tmp_path: Path
) -> None:
    import_register(settings, RegisterKind.RNA, write_rna(tmp_path / "full.csv", ROWS), "t")
    before = _state(settings)
    cut = write_rna(tmp_path / "cut.csv", ROWS[:20])
    with pytest.raises(MassChangeError) as error:
        import_register(settings, RegisterKind.RNA, cut, "t")
    assert (error.value.count, error.value.stored, error.value.override) == (
        20, 40, "allow_mass_change",
    )  # fmt: skip
    assert "dissoudrait 20 organisation(s) sur 40" in str(error.value)
    assert _state(settings) == before
    report = import_register(settings, RegisterKind.RNA, cut, "t", allow_mass_change=True)
    assert report.counts["dissolved"] == 20
    small = write_rna(tmp_path / "one.csv", ROWS[:19] + ROWS[20:])  # 1 of 20 active: 5 %
    assert import_register(settings, RegisterKind.RNA, small, "t").counts["dissolved"] == 1


def test_a_partnerships_file_that_blanks_values_is_refused(
    settings: Settings, tmp_path: Path
) -> None:
    import_register(settings, RegisterKind.RNA, write_rna(tmp_path / "r.csv", ROWS), "t")
    units = write_csv(tmp_path / "StockUniteLegale.csv", UNIT_COLUMNS,
                      [unit_row(SIREN, "INSERTION SA", "5710", "78.20Z")])  # fmt: skip
    import_register(settings, RegisterKind.SIRENE, units, "t")
    header = "partnership_id,name,form,members,fragilities,start_on,territory\n"
    line = '{i},Projet {i},mécénat,"W93100{i:04d};{s}",F01,2010-01-01,{t}\n'
    full = tmp_path / "p1.csv"
    full.write_text(header + "".join(line.format(i=i, s=SIREN, t="dep:93") for i in range(10)))
    import_register(settings, RegisterKind.PARTNERSHIPS, full, "t")
    before = _state(settings)
    blank = tmp_path / "p2.csv"
    blank.write_text(header + "".join(line.format(i=i, s=SIREN, t="") for i in range(10)))
    with pytest.raises(MassChangeError, match="effacerait des champs de 10"):
        import_register(settings, RegisterKind.PARTNERSHIPS, blank, "t")
    assert _state(settings) == before


def test_a_row_cut_in_its_last_column_is_an_error(settings: Settings, tmp_path: Path) -> None:
    path = write_rna(tmp_path / "cut.csv", ROWS[:3])
    path.write_bytes(path.read_bytes()[:-12])  # the file ends inside maj_time
    with pytest.raises(ValidationError) as error:
        import_register(settings, RegisterKind.RNA, path, "t")
    [problem] = error.value.problems
    assert (problem.code, problem.row, problem.column) == ("ligne_tronquee", 4, "maj_time")
    assert _count(settings, "select count(*) from registry_organization") == 0


def test_truncated_gzip_says_what_is_wrong(settings: Settings, tmp_path: Path) -> None:
    plain = write_rna(tmp_path / "r.csv", ROWS).read_bytes()
    path = tmp_path / "r.csv.gz"
    path.write_bytes(gzip.compress(plain)[:-200])
    with pytest.raises(ValidationError, match="fichier compressé tronqué ou illisible") as error:
        import_register(settings, RegisterKind.RNA, path, "t")
    assert error.value.problems[0].file == "r.csv.gz"
    assert _count(settings, "select count(*) from registry_organization") == 0


def test_duplicate_columns_and_identifiers_are_errors(settings: Settings, tmp_path: Path) -> None:
    path = write_rna(tmp_path / "twice.csv", ROWS[:3])
    lines = path.read_text().splitlines()
    lines[0] += ';"titre"'
    lines[1:] = [f'{line};"Autre nom"' for line in lines[1:]]
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(ValidationError) as error:
        import_register(settings, RegisterKind.RNA, path, "t")
    assert [(p.code, p.column) for p in error.value.problems] == [("colonne_en_double", "titre")]
    same = write_rna(tmp_path / "same.csv", [*ROWS[:3], rna_row("W931000001", "Autre", "93066")])
    with pytest.raises(ValidationError) as error:
        import_register(settings, RegisterKind.RNA, same, "t")
    [problem] = error.value.problems
    assert (problem.code, problem.row, problem.column) == ("identifiant_en_double", 5, "id")
    assert "ligne 3" in problem.message
    assert _count(settings, "select count(*) from registry_organization") == 0


def test_a_field_over_the_csv_limit_names_the_line(settings: Settings, tmp_path: Path) -> None:
    path = write_rna(tmp_path / "bad.csv", ROWS[:2])
    path.write_bytes(path.read_bytes() + b'"' + b"x" * 200_000 + b'"\n')
    with pytest.raises(ValidationError, match="structure CSV invalide") as error:
        import_register(settings, RegisterKind.RNA, path, "t")
    assert "champ de plus de 131" in error.value.problems[0].message
    assert error.value.problems[0].row == 4


def test_a_nul_byte_is_refused_on_both_backends(settings: Settings, tmp_path: Path) -> None:
    path = write_rna(tmp_path / "nul.csv", [*ROWS[:2], rna_row("W931009999", "a\x00b", "93066")])
    with pytest.raises(ValidationError) as error:
        import_register(settings, RegisterKind.RNA, path, "t")
    [problem] = error.value.problems
    assert (problem.code, problem.row, problem.column) == ("caractere_nul", 4, "titre")
    assert _count(settings, "select count(*) from registry_organization") == 0
