"""Territories of France from the COG 2026 files of ``@etalab/decoupage-administratif`` 6.0.0.

Reads ``cog/regions_cog2026.json``, ``cog/departements_cog2026.json``,
``cog/epci_cog2026.csv`` and ``cog/communes_cog2026.csv`` from a mirror.

Scope and choices (see docs/territories.md):

- France here is metropolitan France plus the five DROM (zones ``metro`` and ``drom``):
  18 régions, 101 départements, 1,255 EPCI, 34,875 communes. The overseas collectivities
  (zone ``com``: Saint-Pierre-et-Miquelon, Saint-Barthélemy, Saint-Martin, TAAF,
  Wallis-et-Futuna, Polynésie française, Nouvelle-Calédonie, Clipperton) are left out: they are
  neither régions nor départements, the indicator sources do not cover them, and six of their
  94 communes have no population. The file's 34,969 current communes are these 34,875 plus 94.
- Only ``commune-actuelle`` rows are communes. The 45 ``arrondissement-municipal`` rows of
  Paris, Lyon and Marseille are not territories here (their population is already in their
  commune); their codes, like those of the ``commune-deleguee``/``commune-associee`` rows, are
  mapped to the current commune by ``former_commune_codes``.
- Populations: communes from the file (population municipale); EPCI, départements, régions
  and France are the sums of their communes, so every level has the same vintage and children
  add up to their parent. (The JSON files carry no population; the EPCI file's
  ``population_municipale`` comes from the DGCL list, an earlier vintage that differs from the
  sum of the member communes by -2.3 % to +5.0 %, so it is not used.)
- An EPCI may span départements: its département and région parents are those holding the
  largest share of its population (ties: smallest code).
"""

from __future__ import annotations

import json
import tomllib
from collections import defaultdict
from dataclasses import dataclass
from importlib import resources
from typing import Any

import polars as pl

from cotera.errors import Problem, ValidationError
from cotera.sources.mirror import Mirror
from cotera.territory.model import FRANCE, Territory, TerritoryCode
from cotera.types import Level

REGIONS_FILE = "cog/regions_cog2026.json"
DEPARTEMENTS_FILE = "cog/departements_cog2026.json"
EPCI_FILE = "cog/epci_cog2026.csv"
COMMUNES_FILE = "cog/communes_cog2026.csv"
FORMER_CODES_FILE = "cog/communes_anciens_codes_cog2026.csv"
POPULATION_YEAR = 2026  # vintage of the COG 2026 populations (communes, and their sums)
SOURCE_URL = "https://www.npmjs.com/package/@etalab/decoupage-administratif/v/6.0.0"
KEPT_ZONES = ("metro", "drom")
FRANCE_NAME = "France"

_COMMUNE_COLUMNS = ("code_insee", "nom", "type", "departement", "region", "zone", "epci")
_COMMUNE_COLUMNS_ALL = (*_COMMUNE_COLUMNS, "population", "chef_lieu")
_EPCI_COLUMNS = ("code", "nom")


def load_territories(mirror: Mirror) -> list[Territory]:
    """France, its régions, départements, EPCI and communes, parents and populations set.

    Ordered from the largest level down, by code within a level. ValidationError lists
    every inconsistency found (unknown parent codes, missing columns or populations).
    """
    problems: list[Problem] = []
    regions = _read_json(mirror, REGIONS_FILE, ("code", "nom", "zone"), problems)
    departements = _read_json(
        mirror, DEPARTEMENTS_FILE, ("code", "nom", "zone", "region"), problems
    )
    communes = _current_communes(mirror, problems)
    epcis = _read_csv(mirror, EPCI_FILE, _EPCI_COLUMNS, problems)
    if problems:
        raise ValidationError("fichiers COG illisibles", problems)

    region_names = {r["code"]: r["nom"] for r in regions if r.get("zone") in KEPT_ZONES}
    dep_rows = [d for d in departements if d.get("zone") in KEPT_ZONES]
    dep_region = {d["code"]: d["region"] for d in dep_rows}
    for d in dep_rows:
        if d["region"] not in region_names:
            problems.append(_problem(DEPARTEMENTS_FILE, "region", d["region"], "code de région"))

    epci_dep = _epci_main_departement(communes)
    epci_pop: dict[str | None, int] = defaultdict(int)
    for code, pop in zip(communes["epci"], communes["population"], strict=True):
        epci_pop[code] += pop or 0
    commune_records: list[Territory] = []
    for row in communes.iter_rows(named=True):
        parents: list[TerritoryCode] = []
        if row["epci"] is not None:
            parents.append(TerritoryCode(Level.EPCI, row["epci"]))
        if row["departement"] not in dep_region:
            problems.append(
                _problem(COMMUNES_FILE, "departement", row["departement"], "un département")
            )
            continue
        parents += [
            TerritoryCode(Level.DEPARTEMENT, row["departement"]),
            TerritoryCode(Level.REGION, dep_region[row["departement"]]),
            FRANCE,
        ]
        if row["population"] is None:
            problems.append(_problem(COMMUNES_FILE, "population", None, "un entier", row["row"]))
        commune_records.append(
            Territory(
                TerritoryCode(Level.COMMUNE, row["code_insee"]),
                row["nom"],
                row["population"],
                tuple(parents),
            )
        )

    epci_records: list[Territory] = []
    for row in epcis.iter_rows(named=True):
        dep = epci_dep.get(row["code"], "")
        if not dep:
            problems.append(_problem(EPCI_FILE, "code", row["code"], "un EPCI ayant des communes"))
        if dep not in dep_region:  # no commune, or in an unknown département (reported)
            continue
        epci_records.append(
            Territory(
                TerritoryCode(Level.EPCI, row["code"]),
                row["nom"],
                epci_pop[row["code"]],
                (
                    TerritoryCode(Level.DEPARTEMENT, dep),
                    TerritoryCode(Level.REGION, dep_region[dep]),
                    FRANCE,
                ),
            )
        )
    known_epci = {t.code for t in epci_records}
    problems += [
        _problem(COMMUNES_FILE, "epci", p.code, "un EPCI de epci_cog2026.csv")
        for t in commune_records
        for p in t.parents
        if p.level is Level.EPCI and p not in known_epci
    ]
    if problems:
        raise ValidationError("fichiers COG incohérents", problems)

    dep_pop: dict[str, int] = defaultdict(int)
    for t in commune_records:
        dep_code = t.parent(Level.DEPARTEMENT)
        if dep_code is not None:
            dep_pop[dep_code.code] += t.population or 0
    reg_pop: dict[str, int] = defaultdict(int)
    for dep, pop in dep_pop.items():
        reg_pop[dep_region[dep]] += pop
    france = Territory(FRANCE, FRANCE_NAME, sum(reg_pop.values()), ())
    region_records = [
        Territory(TerritoryCode(Level.REGION, code), name, reg_pop[code], (FRANCE,))
        for code, name in sorted(region_names.items())
    ]
    dep_records = [
        Territory(
            TerritoryCode(Level.DEPARTEMENT, d["code"]),
            d["nom"],
            dep_pop[d["code"]],
            (TerritoryCode(Level.REGION, d["region"]), FRANCE),
        )
        for d in sorted(dep_rows, key=lambda d: str(d["code"]))
    ]
    epci_records.sort(key=lambda t: t.code)
    commune_records.sort(key=lambda t: t.code)
    return [france, *region_records, *dep_records, *epci_records, *commune_records]


def former_commune_codes(mirror: Mirror) -> dict[str, str]:
    """Codes that are not current communes → the current commune that contains them.

    From the communes file: former communes merged into a commune nouvelle
    (``commune-deleguee``) or associated with another one (``commune-associee``), whose current
    commune is the ``chef_lieu`` column, and the municipal arrondissements of Paris, Lyon and
    Marseille (``751xx`` → ``75056``, ``6938x`` → ``69123``, ``132xx`` → ``13055``). Then every
    other former code the COG attaches to a current commune (``communes_anciens_codes``: plain
    mergers, code changes). Where the two files disagree (2 codes: a former commune that moved
    from one commune nouvelle to another), the current delegated or associated status wins.
    Codes that are also a current commune are not included.
    """
    problems: list[Problem] = []
    frame = _read_csv(mirror, COMMUNES_FILE, _COMMUNE_COLUMNS_ALL, problems)
    history = _read_csv(mirror, FORMER_CODES_FILE, ("code_insee", "ancien_code"), problems)
    if problems:
        raise ValidationError("fichiers des communes illisibles", problems)
    current = set(frame.filter(pl.col("type") == "commune-actuelle")["code_insee"].to_list())
    former = frame.filter(
        pl.col("type").is_in(["commune-deleguee", "commune-associee"])
        & ~pl.col("code_insee").is_in(list(current))
    )
    mapping = dict(
        zip(history["ancien_code"].to_list(), history["code_insee"].to_list(), strict=True)
    )
    problems += [
        _problem(FORMER_CODES_FILE, "code_insee", target, "une commune actuelle")
        for target in sorted(set(mapping.values()) - current)
    ]
    mapping = {code: target for code, target in mapping.items() if code not in current}
    mapping.update(zip(former["code_insee"].to_list(), former["chef_lieu"].to_list(), strict=True))
    arrondissements = frame.filter(pl.col("type") == "arrondissement-municipal")["code_insee"]
    mapping.update({code: _ARRONDISSEMENT_CITY[code[:3]] for code in arrondissements})
    problems += [
        _problem(COMMUNES_FILE, "chef_lieu", target, "une commune actuelle")
        for target in sorted(set(mapping.values()) - current)
        if target is not None
    ]
    if problems:
        raise ValidationError("fichiers des communes incohérents", problems)
    return mapping


@dataclass(frozen=True, slots=True)
class CommuneSplit:
    """A commune re-established after a merger: while merged, data under ``merged_into``'s code
    covered both communes (a perimeter no current commune has)."""

    commune: str  # today's re-established commune (76095 Bihorel)
    merged_into: str  # the current commune whose code carried both (76108 Bois-Guillaume)
    merged_name: str  # Bois-Guillaume-Bihorel
    merged: int  # first year (1 January) of the merger
    restored: int  # year (1 January) the commune was re-established

    def merged_in(self, year: int) -> bool:
        """True when data of ``year`` (its 1 January geography) knows only the merged commune."""
        return self.merged <= year < self.restored


SPLITS_FILE = "data/commune_splits.toml"


def commune_splits(mirror: Mirror) -> tuple[CommuneSplit, ...]:
    """The re-established communes (versioned data, ``sources/data/commune_splits.toml``), each
    checked against the current communes of the COG file."""
    text = resources.files("cotera.sources").joinpath(SPLITS_FILE).read_text(encoding="utf-8")
    entries = tomllib.loads(text).get("split", [])
    fields = ("commune", "merged_into", "merged_name", "merged", "restored")
    problems: list[Problem] = []
    frame = _read_csv(mirror, COMMUNES_FILE, _COMMUNE_COLUMNS, problems)
    if problems:
        raise ValidationError("fichier des communes illisible", problems)
    current = set(frame.filter(pl.col("type") == "commune-actuelle")["code_insee"].to_list())
    splits = []
    for index, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not set(fields) <= entry.keys():
            problems.append(
                Problem(
                    "bad_row", "entrée incomplète", SPLITS_FILE, index, expected=", ".join(fields)
                )
            )
            continue
        split = CommuneSplit(*(entry[f] for f in fields))
        problems += [
            _problem(SPLITS_FILE, column, code, "une commune actuelle (COG 2026)", index)
            for column, code in (("commune", split.commune), ("merged_into", split.merged_into))
            if code not in current
        ]
        splits.append(split)
    if problems:
        raise ValidationError("communes rétablies incohérentes", problems)
    return tuple(splits)


_ARRONDISSEMENT_CITY = {"751": "75056", "693": "69123", "132": "13055"}


def _current_communes(mirror: Mirror, problems: list[Problem]) -> pl.DataFrame:
    frame = _read_csv(mirror, COMMUNES_FILE, _COMMUNE_COLUMNS_ALL, problems)
    if problems:
        return frame
    return (
        frame.with_row_index("row", offset=2)
        .filter((pl.col("type") == "commune-actuelle") & pl.col("zone").is_in(list(KEPT_ZONES)))
        .with_columns(pl.col("population").cast(pl.Int64, strict=False))
    )


def _epci_main_departement(communes: pl.DataFrame) -> dict[str, str]:
    """For each EPCI, the département holding the largest share of its population."""
    if communes.is_empty():
        return {}
    shares = (
        communes.filter(pl.col("epci").is_not_null())
        .group_by("epci", "departement")
        .agg(pl.col("population").sum())
        .sort(["epci", "population", "departement"], descending=[False, True, False])
        .unique("epci", keep="first", maintain_order=True)
    )
    return dict(zip(shares["epci"].to_list(), shares["departement"].to_list(), strict=True))


def _read_csv(
    mirror: Mirror, relative: str, columns: tuple[str, ...], problems: list[Problem]
) -> pl.DataFrame:
    frame = pl.read_csv(mirror.path(relative), infer_schema=False)
    missing = [c for c in columns if c not in frame.columns]
    problems += [
        Problem("missing_column", "colonne absente", file=relative, column=c) for c in missing
    ]
    return frame


def _read_json(
    mirror: Mirror, relative: str, keys: tuple[str, ...], problems: list[Problem]
) -> list[dict[str, Any]]:
    data = json.loads(mirror.path(relative).read_text(encoding="utf-8"))
    if not isinstance(data, list):
        problems.append(Problem("bad_format", "liste JSON attendue", file=relative))
        return []
    rows: list[dict[str, Any]] = []
    for index, item in enumerate(data, start=1):
        if isinstance(item, dict) and set(keys) <= item.keys():
            rows.append(item)
        else:
            expected = ", ".join(keys)
            problems.append(
                Problem("bad_row", "objet incomplet", file=relative, row=index, expected=expected)
            )
    return rows


def _problem(
    file: str, column: str, value: str | None, expected: str, row: int | None = None
) -> Problem:
    return Problem(
        "unknown_reference" if value is not None else "missing_value",
        "valeur inconnue" if value is not None else "valeur manquante",
        file=file,
        row=row,
        column=column,
        value=value,
        expected=expected,
    )
