"""The RNA "waldec" export (répertoire national des associations).

Published by the Ministry of the Interior on data.gouv.fr as one ``;``-separated file per
département (``rna_waldec_AAAAMMJJ_dpt_XX.csv``, UTF-8 in recent exports, Windows-1252 in
older ones, both accepted). Columns, in order: ``id;id_ex;siret;rup_mi;gestion;date_creat;
date_decla;date_publi;date_disso;nature;groupement;titre;titre_court;objet;objet_social1;
objet_social2;adrs_complement;adrs_numvoie;adrs_repetition;adrs_typevoie;adrs_libvoie;
adrs_distrib;adrs_codeinsee;adrs_codepostal;adrs_libcommune;adrg_declarant;adrg_complemid;
adrg_complemgeo;adrg_libvoie;adrg_distrib;adrg_codepostal;adrg_achemine;adrg_pays;
dir_civilite;siteweb;publiweb;observation;position;maj_time``. ``position``: A active,
D dissolved, S deleted.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from cotera.errors import Problem
from cotera.registry.fragility_mask import from_mask
from cotera.registry.identifiers import is_rna, is_siret
from cotera.registry.model import Organization, OrganizationKind, OrganizationStatus
from cotera.registry.sector_fragilities import sector_mapping, waldec_theme
from cotera.sources.registers.stream import (
    DEFAULT_BATCH_ROWS,
    Batch,
    Progress,
    batched,
    optional_date,
    stream_rows,
)

RNA_COLUMNS = (
    "id", "id_ex", "siret", "rup_mi", "gestion", "date_creat", "date_decla", "date_publi",
    "date_disso", "nature", "groupement", "titre", "titre_court", "objet", "objet_social1",
    "objet_social2", "adrs_complement", "adrs_numvoie", "adrs_repetition", "adrs_typevoie",
    "adrs_libvoie", "adrs_distrib", "adrs_codeinsee", "adrs_codepostal", "adrs_libcommune",
    "adrg_declarant", "adrg_complemid", "adrg_complemgeo", "adrg_libvoie", "adrg_distrib",
    "adrg_codepostal", "adrg_achemine", "adrg_pays", "dir_civilite", "siteweb", "publiweb",
    "observation", "position", "maj_time",
)  # fmt: skip
REQUIRED = ("id", "siret", "date_creat", "date_disso", "titre", "objet_social1",
            "objet_social2", "adrs_codeinsee", "position")  # fmt: skip
_COMMUNE = re.compile(r"\d{5}|2[AB]\d{3}")
# Municipal arrondissements are filed under their city in the territory catalogue.
_ARRONDISSEMENTS = (("751", 75101, 75120, "75056"), ("132", 13201, 13216, "13055"),
                    ("693", 69381, 69389, "69123"))  # fmt: skip


def commune_of(code: str) -> str | None:
    """A commune code, arrondissements folded into Paris, Marseille and Lyon; None if invalid."""
    code = code.strip().upper()
    if not _COMMUNE.fullmatch(code):
        return None
    if code.isdigit():
        for _, first, last, city in _ARRONDISSEMENTS:
            if first <= int(code) <= last:
                return city
    return code


def _parse(number: int, row: dict[str, str], batch: Batch[Organization], file: str) -> None:
    rna, name = row["id"].upper(), row["titre"]
    problems_before = len(batch.errors)
    if not is_rna(rna):
        batch.errors.append(
            Problem("rna_invalide", "numéro RNA invalide", file, number, "id", rna, "W + 9 car.")
        )
    if not name:
        batch.errors.append(Problem("titre_vide", "titre vide", file, number, "titre"))
    created, _ = optional_date(row["date_creat"], file, number, "date_creat", batch)
    dissolved_on, _ = optional_date(row["date_disso"], file, number, "date_disso", batch)
    position = row["position"].upper()
    if position not in {"A", "D", "S"}:
        batch.errors.append(
            Problem("position_invalide", "position inconnue", file, number, "position",
                    position, "A, D ou S")
        )  # fmt: skip
    if len(batch.errors) > problems_before:
        return
    commune = commune_of(row["adrs_codeinsee"])
    if commune is None and row["adrs_codeinsee"]:
        batch.warnings.append(
            Problem("commune_invalide", "code commune ignoré", file, number, "adrs_codeinsee",
                    row["adrs_codeinsee"])
        )  # fmt: skip
    siret = row["siret"] if is_siret(row["siret"]) else None
    if row["siret"] and siret is None:
        batch.warnings.append(
            Problem("siret_invalide", "SIRET ignoré", file, number, "siret", row["siret"])
        )
    waldec = tuple(
        dict.fromkeys(
            c
            for c in (row["objet_social1"], row["objet_social2"])
            if waldec_theme(c) != "000000" and waldec_theme(c)
        )
    )
    batch.records.append(
        Organization(
            kind=OrganizationKind.ASSOCIATION,
            name=name[:300],
            commune=commune,
            rna=rna,
            siren=siret[:9] if siret else None,
            siret=siret,
            waldec=waldec,
            status=OrganizationStatus.ACTIVE if position == "A" else OrganizationStatus.DISSOLVED,
            created_on=created,
            dissolved_on=dissolved_on if position != "A" else None,
            fragilities=from_mask(sector_mapping().waldec_mask(waldec)),
        )
    )


def read_rna(
    path: Path, batch_rows: int = DEFAULT_BATCH_ROWS, progress: Progress | None = None
) -> Iterator[Batch[Organization]]:
    """Associations of an RNA waldec file, in batches (fragilities from the WALDEC codes)."""
    sector_mapping()  # fail early on a broken mapping file
    rows = stream_rows(path, REQUIRED, delimiter=";", progress=progress)
    yield from batched(
        rows, lambda n, r, b: _parse(n, r, b, path.name), batch_rows, (path.name, "id")
    )
