"""COG 2026 territories read from the real files of the mirror."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from cotera.errors import AmbiguousError, NotFoundError, ValidationError
from cotera.sources.cog import COMMUNES_FILE, EPCI_FILE, former_commune_codes, load_territories
from cotera.sources.mirror import Mirror
from cotera.territory.catalog import TerritoryCatalog, UnknownNameError
from cotera.territory.model import FRANCE, Territory, TerritoryCode
from cotera.types import Level


@pytest.fixture(scope="module")
def territories(mirror: Path) -> list[Territory]:
    return load_territories(Mirror(mirror))


@pytest.fixture(scope="module")
def catalog(territories: list[Territory]) -> TerritoryCatalog:
    return TerritoryCatalog(territories)


@pytest.fixture(scope="module")
def commune_rows(mirror: Path) -> list[dict[str, str]]:
    """The communes file read with the csv module, independently of the loader."""
    with (mirror / COMMUNES_FILE).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _codes(items: tuple[Territory, ...] | list[Territory]) -> list[str]:
    return [str(t.code) for t in items]


def test_counts(territories: list[Territory], commune_rows: list[dict[str, str]]) -> None:
    counts = Counter(t.level for t in territories)
    assert counts[Level.COUNTRY] == 1
    assert counts[Level.REGION] == 18  # 13 metropolitan (2016 map) + 5 DROM
    assert counts[Level.DEPARTEMENT] == 101
    assert counts[Level.EPCI] == 1255
    current = Counter(r["zone"] for r in commune_rows if r["type"] == "commune-actuelle")
    assert sum(current.values()) == 34969  # SOURCES.md: commune-actuelle 34 969
    assert current["com"] == 94  # overseas collectivities, left out on purpose
    assert counts[Level.COMMUNE] == 34969 - 94


def test_every_parent_exists_and_chains(
    territories: list[Territory], catalog: TerritoryCatalog
) -> None:
    for t in territories:
        assert all(p in catalog for p in t.parents), t
        if t.level is not Level.COUNTRY:
            assert t.parents[-1] == FRANCE
        dep, reg = t.parent(Level.DEPARTEMENT), t.parent(Level.REGION)
        if dep is not None:
            assert catalog.get(dep).parent(Level.REGION) == reg


def test_populations_add_up(catalog: TerritoryCatalog, commune_rows: list[dict[str, str]]) -> None:
    independent = sum(
        int(r["population"])
        for r in commune_rows
        if r["type"] == "commune-actuelle" and r["zone"] in {"metro", "drom"}
    )
    assert catalog.get(FRANCE).population == independent
    assert sum(t.population or 0 for t in catalog.by_level(Level.REGION)) == independent
    assert sum(t.population or 0 for t in catalog.by_level(Level.DEPARTEMENT)) == independent
    seine_saint_denis = sum(
        int(r["population"])
        for r in commune_rows
        if r["type"] == "commune-actuelle" and r["departement"] == "93"
    )
    assert catalog.get("dep:93").population == seine_saint_denis
    saint_denis = next(r for r in commune_rows if r["code_insee"] == "93066")
    assert catalog.get("com:93066").population == int(saint_denis["population"])


def test_epci_members_match_the_epci_file(mirror: Path, catalog: TerritoryCatalog) -> None:
    with (mirror / EPCI_FILE).open(encoding="utf-8", newline="") as handle:
        expected = {row["code"]: int(row["nb_communes"]) for row in csv.DictReader(handle)}
    actual = {t.code.code: len(catalog.communes_of(t.code)) for t in catalog.by_level(Level.EPCI)}
    assert actual == expected


def test_epci_spanning_departements_gets_its_largest_one(catalog: TerritoryCatalog) -> None:
    # Métropole du Grand Paris spans 75, 92, 93, 94 (+ 7 communes of 91/95); Paris is the largest.
    grand_paris = catalog.get("epci:200054781")
    members = {t.parent(Level.DEPARTEMENT) for t in catalog.communes_of(grand_paris.code)}
    assert {TerritoryCode.parse(f"dep:{d}") for d in ("75", "92", "93", "94")} <= members
    assert str(grand_paris.parent(Level.DEPARTEMENT)) == "dep:75"
    assert str(grand_paris.parent(Level.REGION)) == "reg:11"


def test_paris(catalog: TerritoryCatalog) -> None:
    assert catalog.get("dep:75").name == "Paris"
    assert catalog.get("com:75056").name == "Paris"
    assert _codes(catalog.communes_of("dep:75")) == ["com:75056"]
    # documented rule: the commune covers the whole département, the higher level wins
    assert str(catalog.resolve("Paris").code) == "dep:75"
    assert str(catalog.resolve("paris", Level.COMMUNE).code) == "com:75056"


def test_corsica(catalog: TerritoryCatalog) -> None:
    assert catalog.get("dep:2a").name == "Corse-du-Sud"
    assert catalog.get("dep:2B").name == "Haute-Corse"
    assert str(catalog.resolve("corse-du-sud").code) == "dep:2A"
    assert str(catalog.resolve("haute corse").code) == "dep:2B"
    assert str(catalog.resolve("Corse").code) == "reg:94"
    assert str(catalog.get("com:2A004").parent(Level.DEPARTEMENT)) == "dep:2A"  # Ajaccio


def test_seine_saint_denis_and_saint_denis(catalog: TerritoryCatalog) -> None:
    assert str(catalog.resolve("seine saint denis").code) == "dep:93"
    assert str(catalog.get("dep:93").parent(Level.REGION)) == "reg:11"
    assert str(catalog.resolve("Île-de-France").code) == "reg:11"
    assert _codes([catalog.get("com:93066")]) == ["com:93066"]
    assert [str(p) for p in catalog.get("com:93066").parents] == [
        "epci:200054781",
        "dep:93",
        "reg:11",
        "fr",
    ]
    with pytest.raises(AmbiguousError) as info:
        catalog.resolve("Saint-Denis")
    assert [c.split()[0] for c in info.value.candidates] == [
        "com:11339",
        "com:30247",
        "com:93066",
        "com:97411",
    ]
    assert "com:93066 Saint-Denis (Seine-Saint-Denis)" in info.value.candidates


def test_overseas(catalog: TerritoryCatalog) -> None:
    assert str(catalog.resolve("Guadeloupe").code) == "reg:01"
    assert str(catalog.resolve("guadeloupe", Level.DEPARTEMENT).code) == "dep:971"
    assert str(catalog.get("dep:976").parent(Level.REGION)) == "reg:06"
    with pytest.raises(NotFoundError):
        catalog.get("com:98735")  # Papeete, Polynésie française: overseas collectivity


def test_unknown_name_lists_candidates(catalog: TerritoryCatalog) -> None:
    with pytest.raises(UnknownNameError) as info:
        catalog.resolve("Seine-Saint-Dnis")
    assert info.value.candidates[0] == "dep:93 Seine-Saint-Denis"
    with pytest.raises(UnknownNameError) as info:
        catalog.resolve("Marseile")
    assert "com:13055 Marseille (Bouches-du-Rhône)" in info.value.candidates


def test_former_commune_codes(mirror: Path, commune_rows: list[dict[str, str]]) -> None:
    mapping = former_commune_codes(Mirror(mirror))
    current = {r["code_insee"] for r in commune_rows if r["type"] == "commune-actuelle"}
    former = {
        r["code_insee"]: r["chef_lieu"]
        for r in commune_rows
        if r["type"] in {"commune-deleguee", "commune-associee"} and r["code_insee"] not in current
    }
    with (mirror / "cog/communes_anciens_codes_cog2026.csv").open(encoding="utf-8") as handle:
        history = {r["ancien_code"]: r["code_insee"] for r in csv.DictReader(handle)}
    arrondissements = [r for r in commune_rows if r["type"] == "arrondissement-municipal"]
    assert len(arrondissements) == 45  # 20 Paris + 9 Lyon + 16 Marseille
    assert len(history) == 4240
    assert len(mapping) == len(set(former) | set(history)) + 45 == 4285
    assert mapping["01039"] == "01138"  # Béon, commune déléguée of Culoz-Béon
    # former codes of communes nouvelles the delegated rows do not list (issue 9 §3)
    assert (mapping["85060"], mapping["85166"]) == ("85194", "85194")  # Les Sables-d'Olonne
    assert mapping["91182"] == "91228"  # Courcouronnes → Évry-Courcouronnes
    assert mapping["05175"] == "05101"  # Vallouise → Vallouise-Pelvoux
    # the two files disagree on two codes: the current delegated / associated status wins
    assert mapping["60455"] == former["60455"] == "60694" != history["60455"]
    assert mapping["55273"] == former["55273"] == "55386" != history["55273"]
    assert mapping["75113"] == "75056"
    assert mapping["69381"] == "69123"
    assert mapping["13216"] == "13055"
    assert set(mapping.values()) <= current
    assert not set(mapping) & current


def test_bad_file_reports_every_problem(tmp_path: Path, mirror: Path) -> None:
    cog = tmp_path / "cog"
    cog.mkdir()
    for name in ("regions_cog2026.json", "departements_cog2026.json", "epci_cog2026.csv"):
        (cog / name).write_bytes((mirror / "cog" / name).read_bytes())
    lines = (mirror / COMMUNES_FILE).read_text(encoding="utf-8").splitlines()
    header, first, second = lines[0], lines[1].split(","), lines[2].split(",")
    first[3] = "00"  # unknown département
    second[8] = "999999999"  # unknown EPCI
    (cog / "communes_cog2026.csv").write_text(
        "\n".join([header, ",".join(first), ",".join(second)]) + "\n", encoding="utf-8"
    )
    with pytest.raises(ValidationError) as info:
        load_territories(Mirror(tmp_path))
    columns = sorted(p.column or "" for p in info.value.problems)
    assert "departement" in columns
    assert "epci" in columns


def test_communes_without_epci_are_those_of_the_file(
    catalog: TerritoryCatalog, commune_rows: list[dict[str, str]]
) -> None:
    expected = {
        f"com:{r['code_insee']}"
        for r in commune_rows
        if r["type"] == "commune-actuelle" and r["zone"] != "com" and not r["epci"]
    }
    actual = {str(t.code) for t in catalog.by_level(Level.COMMUNE) if t.parent(Level.EPCI) is None}
    assert actual == expected
    assert "com:29155" in actual  # Ouessant
