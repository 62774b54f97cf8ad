"""Priority fragilities from the diagnostic, on a hand-made database (synthétique).

In ``diagnostic_db`` dep:93 has the highest poverty rate (F04, 28 %) and the lowest median
income (F03) of the five départements, so it ranks first on both, inside the top 3 (a tenth of
5 peers, at least 3); dep:01 has the lowest poverty rate and the 4th lowest income, so it has
no priority. There are no EPCI-level indicators: an EPCI falls back to its département.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cotera.errors import ConfigurationError
from cotera.services.territory_priorities import PrioritySource, territory_priorities
from cotera.settings import Settings
from cotera.storage.engine import open_database
from cotera.storage.territory_store import replace_territories
from cotera.territory.model import FRANCE, Territory, TerritoryCode
from cotera.types import Level
from tests.services.diagnostic_db import synthetic_database
from tests.storage.samples import TERRITORIES

REG84 = TerritoryCode(Level.REGION, "84")
REG11 = TerritoryCode(Level.REGION, "11")
DEP01 = TerritoryCode(Level.DEPARTEMENT, "01")
DEP93 = TerritoryCode(Level.DEPARTEMENT, "93")


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    directory = tmp_path_factory.mktemp("priorities")
    url = f"sqlite:///{directory / 'synth.sqlite'}"
    synthetic_database(url)
    return Settings(database_url=url, data_dir=directory)


def _dep(code: TerritoryCode, region: TerritoryCode) -> Territory:
    return Territory(code, f"Dép. synthétique {code.code}", 1, (region, FRANCE))


def test_departement_priorities_come_from_its_diagnostic(settings: Settings) -> None:
    chosen = territory_priorities(settings, _dep(DEP93, REG11))
    assert chosen.source is PrioritySource.DIAGNOSTIC
    assert set(chosen.codes) == {"F03", "F04"}
    assert (chosen.diagnosed, chosen.years) == ("dep:93", (2021, 2021))
    assert chosen.describe().endswith("— diagnostic de dep:93 (2021)")
    assert chosen.as_dict()["source"] == "diagnostic"


def test_commune_uses_its_departement_and_epci_falls_back(settings: Settings) -> None:
    commune = Territory(TerritoryCode(Level.COMMUNE, "93999"), "Commune", 1, (DEP93, REG11, FRANCE))
    chosen = territory_priorities(settings, commune)
    assert set(chosen.codes) == {"F03", "F04"}
    assert chosen.origin() == "diagnostic de dep:93 (2021), département de la commune 93999"
    epci = Territory(TerritoryCode(Level.EPCI, "200000001"), "EPCI", 1, (DEP01, REG84, FRANCE))
    chosen = territory_priorities(settings, epci)
    assert (chosen.source, chosen.codes, chosen.diagnosed) == (
        PrioritySource.DIAGNOSTIC,
        (),
        "dep:01",
    )
    assert "aucune — diagnostic de dep:01 (2021), département de l'EPCI" in chosen.describe()


def test_user_priorities_override_the_diagnostic(settings: Settings) -> None:
    chosen = territory_priorities(settings, _dep(DEP01, REG84), ["f01", " F04", "F01"])
    assert (chosen.codes, chosen.source) == (("F01", "F04"), PrioritySource.USER)
    assert chosen.describe() == "Fragilités prioritaires : F01, F04 — indiquées par l'utilisateur"
    assert territory_priorities(settings, _dep(DEP01, REG84), []).codes == ()
    with pytest.raises(ConfigurationError, match="F99"):
        territory_priorities(settings, _dep(DEP01, REG84), ["F99"])


def test_no_diagnostic_says_why(settings: Settings, tmp_path: Path) -> None:
    france = territory_priorities(settings, Territory(FRANCE, "France"))
    assert (france.source, france.codes) == (PrioritySource.NONE, ())
    assert "France entière" in france.describe()
    custom = Territory(TerritoryCode(Level.CUSTOM, "est"), "Est", 1)
    assert "personnalisé" in territory_priorities(settings, custom).describe()
    assert territory_priorities(settings, None).source is PrioritySource.NONE
    url = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    engine = open_database(url)
    with engine.begin() as connection:
        replace_territories(connection, TERRITORIES)
    engine.dispose()
    empty = Settings(database_url=url, data_dir=tmp_path)
    chosen = territory_priorities(empty, TERRITORIES[2])  # dep:93, no indicator loaded
    assert (chosen.source, chosen.codes) == (PrioritySource.NONE, ())
    assert "aucun indicateur chargé" in chosen.describe()
    assert chosen.describe().endswith("suite sans priorités.")
