"""Read and write territories and custom territories."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import polars as pl
from sqlalchemy import Connection, delete, func, insert, select

from cotera.storage.base import Base
from cotera.storage.bulk import bulk_insert
from cotera.storage.territory_tables import (
    CustomTerritoryMemberRow,
    CustomTerritoryRow,
    TerritoryRow,
)
from cotera.territory.custom import CustomTerritory
from cotera.territory.model import FRANCE, Territory, TerritoryCode
from cotera.territory.names import normalize_name
from cotera.types import Level

_PARENT_COLUMNS = (
    ("epci", Level.EPCI),
    ("departement", Level.DEPARTEMENT),
    ("region", Level.REGION),
)


def replace_territories(connection: Connection, territories: Sequence[Territory]) -> int:
    """Replace every territory by ``territories`` (in the caller's transaction); rows written."""
    rows = [_to_row(territory) for territory in territories]
    connection.execute(delete(TerritoryRow))
    table = Base.metadata.tables[TerritoryRow.__tablename__]
    schema = {c.name: pl.Int64 if c.name == "population" else pl.String for c in table.columns}
    bulk_insert(connection, table, pl.DataFrame(rows, schema=schema))
    return len(rows)


def read_territories(connection: Connection) -> list[Territory]:
    """Every stored territory as a record (parents nearest first, ``fr`` last)."""
    columns = TerritoryRow.__table__.c
    query = select(
        columns.code,
        columns.name,
        columns.population,
        columns.epci,
        columns.departement,
        columns.region,
    )
    territories = []
    for code, name, population, *parents in connection.execute(query):
        parsed = TerritoryCode.parse(code)
        chain = tuple(TerritoryCode.parse(p) for p in parents if p)
        if parsed != FRANCE:
            chain += (FRANCE,)
        territories.append(Territory(parsed, name, population, chain))
    return territories


def territory_count(connection: Connection) -> int:
    """How many territories are stored."""
    return connection.execute(select(func.count()).select_from(TerritoryRow)).scalar_one()


def territory_counts(connection: Connection) -> dict[Level, int]:
    """How many territories are stored per level."""
    query = select(TerritoryRow.level, func.count()).group_by(TerritoryRow.level)
    return {Level(level): count for level, count in connection.execute(query)}


def save_custom_territory(connection: Connection, custom: CustomTerritory) -> None:
    """Store a custom territory (replacing one with the same slug)."""
    delete_custom_territory(connection, custom.slug)
    connection.execute(
        insert(CustomTerritoryRow),
        [{"slug": custom.slug, "name": custom.name, "created_at": datetime.now(UTC)}],
    )
    connection.execute(
        insert(CustomTerritoryMemberRow),
        [
            {"slug": custom.slug, "member": str(member), "position": position}
            for position, member in enumerate(custom.members)
        ],
    )


def read_custom_territories(
    connection: Connection, slug: str | None = None
) -> list[CustomTerritory]:
    """Every custom territory by slug, or only ``slug`` (empty list if unknown)."""
    query = select(CustomTerritoryRow.__table__).order_by(CustomTerritoryRow.slug)
    members = select(CustomTerritoryMemberRow.__table__).order_by(
        CustomTerritoryMemberRow.slug, CustomTerritoryMemberRow.position
    )
    if slug is not None:
        query = query.where(CustomTerritoryRow.slug == slug)
        members = members.where(CustomTerritoryMemberRow.slug == slug)
    by_slug: dict[str, list[TerritoryCode]] = {}
    for row in connection.execute(members):
        by_slug.setdefault(row.slug, []).append(TerritoryCode.parse(row.member))
    return [
        CustomTerritory(row.slug, row.name, tuple(by_slug.get(row.slug, ())))
        for row in connection.execute(query)
    ]


def delete_custom_territory(connection: Connection, slug: str) -> bool:
    """Delete a custom territory and its members; whether it existed."""
    connection.execute(
        delete(CustomTerritoryMemberRow).where(CustomTerritoryMemberRow.slug == slug)
    )
    result = connection.execute(delete(CustomTerritoryRow).where(CustomTerritoryRow.slug == slug))
    return bool(result.rowcount)


def _to_row(territory: Territory) -> dict[str, object]:
    row: dict[str, object] = {
        "code": str(territory.code),
        "level": territory.level.value,
        "insee_code": territory.code.code,
        "name": territory.name,
        "name_key": normalize_name(territory.name),
        "population": territory.population,
    }
    for column, level in _PARENT_COLUMNS:
        parent = territory.parent(level)
        row[column] = None if parent is None else str(parent)
    return row
