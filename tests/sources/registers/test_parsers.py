"""RNA, SIRENE and partnerships readers on files written in the published layouts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from cotera.errors import ValidationError
from cotera.registry.model import (
    ImpactDimension,
    MemberRole,
    OrganizationKind,
    OrganizationStatus,
    PartnershipForm,
    SizeBand,
)
from cotera.sources.registers.partnerships import read_partnerships
from cotera.sources.registers.rna import read_rna
from cotera.sources.registers.sirene import read_head_offices, read_units, sirene_file_kind
from tests.sources.registers.layouts import (
    SITE_COLUMNS,
    UNIT_COLUMNS,
    rna_row,
    siret_of,
    unit_row,
    with_key,
    write_csv,
    write_rna,
)

SIREN_A = with_key("12345678")
SIREN_B = with_key("87654321")


def test_rna_rows_problems_and_encodings(tmp_path: Path) -> None:
    path = write_rna(
        tmp_path / "rna_waldec_20240101_dpt_75.csv",
        [
            rna_row("W751000001", "Emploi Solidaire", "75112",
                    objet="Accompagner\nvers l'emploi", siret=siret_of(SIREN_A)),
            rna_row("W751000002", "Club dissous", "93066", position="D",
                    date_disso="2019-06-30", objet_social1="011000"),
            rna_row("751000003", "Sans W", "75056"),  # bad RNA number
            rna_row("W751000004", "Date folle", "75056", date_creat="2001-13-45"),
            rna_row("W751000005", "Commune inconnue", "ABCDE", siret="123"),
        ],
    )  # fmt: skip
    batches = list(read_rna(path, batch_rows=2))
    assert [b.rows_read for b in batches] == [2, 2, 1]
    records = [r for b in batches for r in b.records]
    errors = [p for b in batches for p in b.errors]
    warnings = [p for b in batches for p in b.warnings]
    assert [r.rna for r in records] == ["W751000001", "W751000002", "W751000005"]
    first, dissolved, unknown = records
    assert first.commune == "75056"  # 12th arrondissement folded into Paris
    assert first.siren == SIREN_A
    assert first.fragilities == {"F01", "F02"}  # WALDEC 030000, DESIGN.md §3
    assert dissolved.status is OrganizationStatus.DISSOLVED
    assert dissolved.dissolved_on == date(2019, 6, 30)
    assert (unknown.commune, unknown.siret) == (None, None)
    assert sorted((p.code, p.row) for p in errors) == [("date_invalide", 5), ("rna_invalide", 4)]
    assert sorted(p.code for p in warnings) == ["commune_invalide", "siret_invalide"]


def test_rna_latin_1_export_is_read(tmp_path: Path) -> None:
    path = write_rna(
        tmp_path / "old.csv", [rna_row("W931000001", "Société d'entraide", "93066")], "cp1252"
    )
    (record,) = next(iter(read_rna(path))).records
    assert record.name == "Société d'entraide"


def test_rna_missing_columns_reported_at_once(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("id;titre\nW751000001;X\n", encoding="utf-8")
    with pytest.raises(ValidationError) as error:
        list(read_rna(path))
    assert {p.column for p in error.value.problems} >= {"position", "adrs_codeinsee"}


def test_sirene_units(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "StockUniteLegale_utf8.csv",
        UNIT_COLUMNS,
        [
            unit_row(SIREN_A, "INSERTION SA", "5710", "78.20Z", trancheEffectifsUniteLegale="21"),
            unit_row(SIREN_B, "LES AMIS", "9220", "94.99Z",
                     identifiantAssociationUniteLegale="W751000001",
                     economieSocialeSolidaireUniteLegale="O"),
            unit_row(with_key("11111111"), "", "1000", "47.11F"),  # sole proprietor: skipped
            unit_row(with_key("22222222"), "FAC", "7383", "85.42Z",
                     etatAdministratifUniteLegale="C", dateDebut="2020-01-01"),
            unit_row("123456789", "CLE FAUSSE", "5710", "47.11F"),
        ],
    )  # fmt: skip
    assert sirene_file_kind(path) == "units"
    (batch,) = list(read_units(path))
    company, association, university = batch.records
    assert (company.kind, company.size_band, company.employer) == (
        OrganizationKind.COMPANY, SizeBand.MEDIUM, True)  # fmt: skip
    assert company.fragilities == {"F01"}  # NAF division 78, Cotera's reading
    assert (association.kind, association.rna, association.ess) == (
        OrganizationKind.ASSOCIATION, "W751000001", True)  # fmt: skip
    assert university.kind is OrganizationKind.UNIVERSITY
    assert (university.status, university.dissolved_on) == (
        OrganizationStatus.DISSOLVED, date(2020, 1, 1))  # fmt: skip
    assert batch.skipped == 1
    assert [(p.code, p.row) for p in batch.errors] == [("siren_invalide", 6)]


def test_sirene_head_offices(tmp_path: Path) -> None:
    head = siret_of(SIREN_A, "0001")
    path = write_csv(
        tmp_path / "StockEtablissement_utf8.csv",
        SITE_COLUMNS,
        [
            {"siren": SIREN_A, "nic": "00019", "siret": head, "etablissementSiege": "true",
             "codeCommuneEtablissement": "93066"},
            {"siren": SIREN_A, "siret": siret_of(SIREN_A, "0002"), "etablissementSiege": "false",
             "codeCommuneEtablissement": "75056"},
        ],
    )  # fmt: skip
    assert sirene_file_kind(path) == "establishments"
    (batch,) = list(read_head_offices(path))
    assert [(h.siren, h.siret, h.commune) for h in batch.records] == [(SIREN_A, head, "93066")]
    assert batch.skipped == 1


def test_partnerships_file(tmp_path: Path) -> None:
    path = tmp_path / "partenariats.csv"
    # The members column holds ';' too: such files must quote it, like any CSV.
    path.write_text(
        "partnership_id;name;form;members;fragilities;territory;start_on;end_on;"
        "impact_innovation;impact_evidence\n"
        f'P1;Tremplin emploi;Innovation sociétale;"W751000001=porteur;{SIREN_A}=financeur";'
        '"F01;F04";dep:93;2014-01-01;;très fort;12 embauches\n'
        'P2;Mauvais;sponsoring;"W751000001";F99;dep:XX;2015-01-01;2014-01-01;;\n',
        encoding="utf-8",
    )
    (batch,) = list(read_partnerships(path))
    (record,) = batch.records
    assert record.form is PartnershipForm.SOCIETAL_INNOVATION
    assert [(m.scheme, m.role) for m in record.members] == [
        ("rna", MemberRole.LEAD), ("siren", MemberRole.FUNDER)]  # fmt: skip
    assert record.territory == "dep:93"
    assert record.impacts[0].dimension is ImpactDimension.INNOVATION
    assert record.impacts[0].evidence == "12 embauches"
    assert {p.code for p in batch.errors} == {
        "forme_inconnue", "membres_insuffisants", "fragilite_inconnue", "territoire_invalide",
        "dates_incoherentes"}  # fmt: skip
