"""Write small register files in the exact published layouts (all rows made up here)."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from cotera.registry.identifiers import luhn_valid
from cotera.sources.registers.rna import RNA_COLUMNS

UNIT_COLUMNS = [
    "siren",
    "statutDiffusionUniteLegale",
    "unitePurgeeUniteLegale",
    "dateCreationUniteLegale",
    "sigleUniteLegale",
    "sexeUniteLegale",
    "prenom1UniteLegale",
    "prenom2UniteLegale",
    "prenom3UniteLegale",
    "prenom4UniteLegale",
    "prenomUsuelUniteLegale",
    "pseudonymeUniteLegale",
    "identifiantAssociationUniteLegale",
    "trancheEffectifsUniteLegale",
    "anneeEffectifsUniteLegale",
    "dateDernierTraitementUniteLegale",
    "nombrePeriodesUniteLegale",
    "categorieEntrepriseUniteLegale",
    "anneeCategorieEntrepriseUniteLegale",
    "dateDebut",
    "etatAdministratifUniteLegale",
    "nomUniteLegale",
    "nomUsageUniteLegale",
    "denominationUniteLegale",
    "denominationUsuelle1UniteLegale",
    "denominationUsuelle2UniteLegale",
    "denominationUsuelle3UniteLegale",
    "categorieJuridiqueUniteLegale",
    "activitePrincipaleUniteLegale",
    "nomenclatureActivitePrincipaleUniteLegale",
    "nicSiegeUniteLegale",
    "economieSocialeSolidaireUniteLegale",
    "societeMissionUniteLegale",
    "caractereEmployeurUniteLegale",
]
SITE_COLUMNS = [
    "siren",
    "nic",
    "siret",
    "statutDiffusionEtablissement",
    "dateCreationEtablissement",
    "trancheEffectifsEtablissement",
    "anneeEffectifsEtablissement",
    "activitePrincipaleRegistreMetiersEtablissement",
    "dateDernierTraitementEtablissement",
    "etablissementSiege",
    "nombrePeriodesEtablissement",
    "complementAdresseEtablissement",
    "numeroVoieEtablissement",
    "indiceRepetitionEtablissement",
    "dernierNumeroVoieEtablissement",
    "indiceRepetitionDernierNumeroVoieEtablissement",
    "typeVoieEtablissement",
    "libelleVoieEtablissement",
    "codePostalEtablissement",
    "libelleCommuneEtablissement",
    "libelleCommuneEtrangerEtablissement",
    "distributionSpecialeEtablissement",
    "codeCommuneEtablissement",
    "codeCedexEtablissement",
    "libelleCedexEtablissement",
    "codePaysEtrangerEtablissement",
    "libellePaysEtrangerEtablissement",
    "identifiantAdresseEtablissement",
    "coordonneeLambertAbscisseEtablissement",
    "coordonneeLambertOrdonneeEtablissement",
    "dateDebut",
    "etatAdministratifEtablissement",
    "enseigne1Etablissement",
    "enseigne2Etablissement",
    "enseigne3Etablissement",
    "denominationUsuelleEtablissement",
    "activitePrincipaleEtablissement",
    "nomenclatureActivitePrincipaleEtablissement",
    "caractereEmployeurEtablissement",
]


def with_key(base: str) -> str:
    """Append the Luhn key digit to ``base`` (8 digits → SIREN, 13 → SIRET)."""
    return next(base + d for d in "0123456789" if luhn_valid(base + d))


def siret_of(siren: str, nic: str = "0001") -> str:
    """A Luhn-valid SIRET of ``siren``: ``nic`` (4 digits) plus the key digit."""
    return with_key(siren + nic)


def write_rna(path: Path, rows: Sequence[dict[str, str]], encoding: str = "utf-8") -> Path:
    """An RNA waldec file: ``;``, every published column, values quoted like the export."""
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writerow(RNA_COLUMNS)
        for row in rows:
            writer.writerow([row.get(c, "") for c in RNA_COLUMNS])
    return path


def rna_row(rna: str, title: str, commune: str, **values: str) -> dict[str, str]:
    """A typical active association row."""
    row = {"id": rna, "titre": title, "adrs_codeinsee": commune, "position": "A",
           "date_creat": "2001-03-12", "date_disso": "0001-01-01", "nature": "D",
           "groupement": "S", "objet_social1": "030000", "objet_social2": "000000",
           "maj_time": "2020-05-01 10:00:00"}  # fmt: skip
    row.update(values)
    return row


def write_csv(path: Path, columns: Sequence[str], rows: Sequence[dict[str, str]]) -> Path:
    """A comma CSV with a header, as INSEE publishes its stock files."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([row.get(c, "") for c in columns])
    return path


def unit_row(siren: str, name: str, category: str, naf: str, **values: str) -> dict[str, str]:
    """A typical active legal unit row."""
    row = {"siren": siren, "statutDiffusionUniteLegale": "O", "dateCreationUniteLegale":
           "2005-01-01", "trancheEffectifsUniteLegale": "11", "etatAdministratifUniteLegale": "A",
           "denominationUniteLegale": name, "categorieJuridiqueUniteLegale": category,
           "activitePrincipaleUniteLegale": naf, "nomenclatureActivitePrincipaleUniteLegale":
           "NAFRev2", "economieSocialeSolidaireUniteLegale": "N",
           "caractereEmployeurUniteLegale": "O", "dateDebut": "2005-01-01"}  # fmt: skip
    row.update(values)
    return row
