"""INSEE SIRENE stock files: ``StockUniteLegale`` and ``StockEtablissement`` (comma CSV, UTF-8).

Legal units give identity, legal category, activity, headcount band, ESS flag and state
(A active, C ceased). Sole proprietors (legal category 1000) are skipped: the observatory
is about organisations. Establishments only give each unit's head office commune and SIRET.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from cotera.errors import Problem
from cotera.registry.fragility_mask import from_mask
from cotera.registry.identifiers import is_rna, is_siren, is_siret
from cotera.registry.model import Organization, OrganizationKind, OrganizationStatus, SizeBand
from cotera.registry.records import HeadOffice
from cotera.registry.sector_fragilities import sector_mapping
from cotera.sources.registers.rna import commune_of
from cotera.sources.registers.stream import (
    DEFAULT_BATCH_ROWS,
    Batch,
    Progress,
    batched,
    open_binary,
    optional_date,
    stream_rows,
)

UNIT_REQUIRED = (
    "siren", "denominationUniteLegale", "categorieJuridiqueUniteLegale",
    "activitePrincipaleUniteLegale", "trancheEffectifsUniteLegale",
    "economieSocialeSolidaireUniteLegale", "etatAdministratifUniteLegale",
)  # fmt: skip
SITE_REQUIRED = ("siren", "siret", "codeCommuneEtablissement", "etablissementSiege")
SOLE_PROPRIETOR = "1000"
MEDIA_NAF = {"58.13Z", "58.14Z", "60.10Z", "60.20A", "60.20B", "63.91Z"}
UNIVERSITY_CATEGORY = "7383"  # établissement public à caractère scientifique, culturel et prof.
_BANDS = {
    "NN": SizeBand.NONE, "00": SizeBand.NONE, "01": SizeBand.MICRO, "02": SizeBand.MICRO,
    "03": SizeBand.MICRO, "11": SizeBand.SMALL, "12": SizeBand.SMALL, "21": SizeBand.MEDIUM,
    "22": SizeBand.MEDIUM, "31": SizeBand.MEDIUM, "32": SizeBand.LARGE, "41": SizeBand.LARGE,
    "42": SizeBand.LARGE, "51": SizeBand.LARGE, "52": SizeBand.LARGE, "53": SizeBand.LARGE,
}  # fmt: skip


def kind_of(category: str, naf: str) -> OrganizationKind:
    """The kind of actor of a legal unit, from its legal category and activity."""
    if category.startswith(("92", "93")):
        return OrganizationKind.ASSOCIATION  # associations and foundations
    if category == UNIVERSITY_CATEGORY:
        return OrganizationKind.UNIVERSITY
    if category.startswith(("4", "7")):
        return OrganizationKind.PUBLIC_BODY
    if naf in MEDIA_NAF:
        return OrganizationKind.MEDIA
    return OrganizationKind.COMPANY


def _unit(number: int, row: dict[str, str], batch: Batch[Organization], file: str) -> None:
    siren, category = row["siren"], row["categorieJuridiqueUniteLegale"]
    if category == SOLE_PROPRIETOR:
        batch.skipped += 1
        return
    if not is_siren(siren):
        batch.errors.append(
            Problem("siren_invalide", "SIREN invalide", file, number, "siren", siren, "9 chiffres")
        )
        return
    state = row["etatAdministratifUniteLegale"]
    if state not in {"A", "C"}:
        batch.errors.append(
            Problem("etat_invalide", "état administratif inconnu", file, number,
                    "etatAdministratifUniteLegale", state, "A ou C")
        )  # fmt: skip
        return
    created, ok = optional_date(row.get("dateCreationUniteLegale", ""), file, number,
                                "dateCreationUniteLegale", batch)  # fmt: skip
    ceased, ok_ceased = optional_date(row.get("dateDebut", ""), file, number, "dateDebut", batch)
    if not (ok and ok_ceased):
        return
    naf = row["activitePrincipaleUniteLegale"]
    band = _BANDS.get(row["trancheEffectifsUniteLegale"], SizeBand.UNKNOWN)
    employer_flag = row.get("caractereEmployeurUniteLegale", "")
    employer = employer_flag == "O" if employer_flag in {"O", "N"} else (
        None if band is SizeBand.UNKNOWN else band is not SizeBand.NONE
    )  # fmt: skip
    name = row["denominationUniteLegale"] or " ".join(
        p for p in (row.get("prenom1UniteLegale", ""), row.get("nomUniteLegale", "")) if p
    )
    rna = row.get("identifiantAssociationUniteLegale", "").upper()
    batch.records.append(
        Organization(
            kind=kind_of(category, naf),
            name=(name or f"SIREN {siren}")[:300],
            siren=siren,
            rna=rna if is_rna(rna) else None,
            naf=naf or None,
            size_band=band,
            employer=employer,
            ess={"O": True, "N": False}.get(row["economieSocialeSolidaireUniteLegale"]),
            status=OrganizationStatus.ACTIVE if state == "A" else OrganizationStatus.DISSOLVED,
            created_on=created,
            dissolved_on=ceased if state == "C" else None,
            fragilities=from_mask(sector_mapping().naf_mask(naf)),
        )
    )


def _site(number: int, row: dict[str, str], batch: Batch[HeadOffice], file: str) -> None:
    if row["etablissementSiege"].lower() != "true":
        batch.skipped += 1
        return
    siret = row["siret"]
    if not is_siret(siret):
        batch.errors.append(
            Problem("siret_invalide", "SIRET invalide", file, number, "siret", siret, "14 chiffres")
        )
        return
    commune = commune_of(row["codeCommuneEtablissement"])
    if commune is None and row["codeCommuneEtablissement"]:
        batch.warnings.append(
            Problem("commune_invalide", "code commune ignoré", file, number,
                    "codeCommuneEtablissement", row["codeCommuneEtablissement"])
        )  # fmt: skip
    batch.records.append(HeadOffice(siret[:9], siret, commune))


def read_units(
    path: Path, batch_rows: int = DEFAULT_BATCH_ROWS, progress: Progress | None = None
) -> Iterator[Batch[Organization]]:
    """Legal units of a ``StockUniteLegale`` file, in batches."""
    rows = stream_rows(path, UNIT_REQUIRED, delimiter=",", progress=progress)
    yield from batched(
        rows, lambda n, r, b: _unit(n, r, b, path.name), batch_rows, (path.name, "siren")
    )


def read_head_offices(
    path: Path, batch_rows: int = DEFAULT_BATCH_ROWS, progress: Progress | None = None
) -> Iterator[Batch[HeadOffice]]:
    """Head offices of a ``StockEtablissement`` file, in batches."""
    rows = stream_rows(path, SITE_REQUIRED, delimiter=",", progress=progress)
    yield from batched(rows, lambda n, r, b: _site(n, r, b, path.name), batch_rows)


def sirene_file_kind(path: Path) -> str:
    """``units`` or ``establishments``, from the header of a SIRENE stock file."""
    with open_binary(path) as handle:
        header = handle.readline().decode("utf-8", errors="replace")
    return "establishments" if "codeCommuneEtablissement" in header else "units"
