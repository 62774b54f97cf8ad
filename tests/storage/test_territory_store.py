"""Territories and custom territories round-trip on both backends."""

from __future__ import annotations

import sqlalchemy

from cotera.storage.territory_store import (
    delete_custom_territory,
    read_custom_territories,
    read_territories,
    replace_territories,
    save_custom_territory,
    territory_count,
    territory_counts,
)
from cotera.storage.territory_tables import TerritoryRow
from cotera.territory.custom import CustomTerritory
from cotera.types import Level
from tests.storage.samples import COM93066, DEP75, DEP93, TERRITORIES

EAST = CustomTerritory("est-parisien", "Est parisien", (DEP93, COM93066))
PARIS = CustomTerritory("paris", "Paris (nouveau nom)", (DEP75, DEP93))


def test_territories_round_trip(engine: sqlalchemy.Engine) -> None:
    with engine.begin() as connection:
        assert replace_territories(connection, TERRITORIES) == len(TERRITORIES)
    with engine.connect() as connection:
        stored = {t.code: t for t in read_territories(connection)}
        key = connection.execute(
            sqlalchemy.select(TerritoryRow.name_key).where(TerritoryRow.code == "reg:11")
        ).scalar_one()
    assert stored == {t.code: t for t in TERRITORIES}
    assert key == "ile de france"


def test_replace_territories_replaces_everything(engine: sqlalchemy.Engine) -> None:
    with engine.begin() as connection:
        replace_territories(connection, TERRITORIES)
        replace_territories(connection, TERRITORIES[:3])
    with engine.connect() as connection:
        assert territory_count(connection) == 3
        assert territory_counts(connection) == {
            Level.COUNTRY: 1,
            Level.REGION: 1,
            Level.DEPARTEMENT: 1,
        }


def test_custom_territories_create_list_delete(engine: sqlalchemy.Engine) -> None:
    with engine.begin() as connection:
        save_custom_territory(connection, EAST)
        save_custom_territory(connection, CustomTerritory("paris", "Paris seul", (DEP75,)))
        save_custom_territory(connection, PARIS)
    with engine.connect() as connection:
        listed = read_custom_territories(connection)
        one = read_custom_territories(connection, "est-parisien")
        none = read_custom_territories(connection, "absent")
    assert listed == [EAST, PARIS]
    assert (one, none) == ([EAST], [])
    with engine.begin() as connection:
        assert delete_custom_territory(connection, "paris") is True
        assert delete_custom_territory(connection, "paris") is False
    with engine.connect() as connection:
        assert read_custom_territories(connection) == [EAST]
