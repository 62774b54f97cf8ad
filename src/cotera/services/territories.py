"""Territories as users address them: resolve, show, and manage custom territories."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection

from cotera.errors import (
    AmbiguousError,
    DataUnavailableError,
    NotFoundError,
    Problem,
    ValidationError,
)
from cotera.services.database import database
from cotera.settings import Settings
from cotera.storage.territory_store import (
    delete_custom_territory as delete_stored_custom,
)
from cotera.storage.territory_store import (
    read_custom_territories,
    read_territories,
    save_custom_territory,
)
from cotera.storage.transactions import write_transaction
from cotera.territory.catalog import TerritoryCatalog
from cotera.territory.custom import CustomTerritory
from cotera.territory.model import Territory
from cotera.types import Level

_LEVELS_BELOW = {
    Level.COUNTRY: (Level.REGION, Level.DEPARTEMENT, Level.EPCI, Level.COMMUNE),
    Level.REGION: (Level.DEPARTEMENT, Level.EPCI, Level.COMMUNE),
    Level.DEPARTEMENT: (Level.EPCI, Level.COMMUNE),
    Level.EPCI: (Level.COMMUNE,),
    Level.COMMUNE: (),
}
CUSTOM_PREFIX = f"{Level.CUSTOM.value}:"


@dataclass(frozen=True, slots=True)
class TerritoryView:
    """A territory with its ancestors, how many territories it contains, and (custom) members."""

    territory: Territory
    parents: tuple[Territory, ...]  # nearest first
    children: tuple[tuple[Level, int], ...]  # count per lower level
    members: tuple[Territory, ...] = ()  # custom territories: the members as defined


@dataclass(frozen=True, slots=True)
class Resolved:
    """A resolved territory, the catalogue it was resolved in and, if custom, its definition."""

    territory: Territory
    catalog: TerritoryCatalog
    custom: CustomTerritory | None = None


def read_catalog(connection: Connection) -> TerritoryCatalog:
    """The catalogue of every stored territory; DataUnavailableError if none is loaded."""
    territories = read_territories(connection)
    if not territories:
        raise DataUnavailableError("aucun territoire chargé : lancez d'abord « cotera data load »")
    return TerritoryCatalog(territories)


def resolve_in(connection: Connection, text: str) -> Resolved:
    """Resolve ``text`` (code, name or ``custom:slug``) against the stored territories."""
    catalog = read_catalog(connection)
    if text.strip().lower().startswith(CUSTOM_PREFIX):
        slug = text.strip()[len(CUSTOM_PREFIX) :].strip().lower()
        found = read_custom_territories(connection, slug)
        if not found:
            raise NotFoundError(f"territoire personnalisé inconnu : {CUSTOM_PREFIX}{slug}")
        return Resolved(found[0].to_territory(catalog), catalog, found[0])
    return Resolved(catalog.resolve(text), catalog)


def show_territory(settings: Settings, text: str) -> TerritoryView:
    """A territory (code, name or ``custom:slug``) with parents, children counts, members."""
    with database(settings) as engine, engine.connect() as connection:
        resolved = resolve_in(connection, text)
    return _view(resolved)


def create_custom_territory(
    settings: Settings, slug: str, name: str, members: Sequence[str]
) -> TerritoryView:
    """Create (or replace) a custom territory from member codes or names; ValidationError
    lists every problem (bad slug, unknown or overlapping members) and nothing is stored."""
    with database(settings) as engine, write_transaction(engine) as connection:
        catalog = read_catalog(connection)
        codes, problems = [], []
        for member in (m.strip() for m in members if m.strip()):
            try:
                codes.append(catalog.resolve(member).code)
            except (NotFoundError, AmbiguousError) as exc:
                problems.append(Problem("unknown_member", str(exc), column="members", value=member))
        if problems:
            raise ValidationError(f"territoire personnalisé {slug!r} invalide", problems)
        custom = CustomTerritory(slug.strip().lower(), name.strip(), tuple(codes))
        territory = custom.to_territory(catalog)
        save_custom_territory(connection, custom)
    return _view(Resolved(territory, catalog, custom))


def list_custom_territories(settings: Settings) -> list[TerritoryView]:
    """Every custom territory, by slug."""
    with database(settings) as engine, engine.connect() as connection:
        catalog = read_catalog(connection)
        customs = read_custom_territories(connection)
    return [_view(Resolved(c.to_territory(catalog), catalog, c)) for c in customs]


def delete_custom_territory(settings: Settings, slug: str) -> None:
    """Delete a custom territory; NotFoundError if there is none with this slug."""
    slug = slug.strip().lower().removeprefix(CUSTOM_PREFIX)
    with database(settings) as engine, write_transaction(engine) as connection:
        if not delete_stored_custom(connection, slug):
            raise NotFoundError(f"territoire personnalisé inconnu : {CUSTOM_PREFIX}{slug}")


def _view(resolved: Resolved) -> TerritoryView:
    territory, catalog, custom = resolved.territory, resolved.catalog, resolved.custom
    parents = tuple(catalog.get(code) for code in territory.parents if code in catalog)
    if custom is not None:
        communes = custom.resolve_members(catalog)
        members = tuple(catalog.get(code) for code in custom.members)
        return TerritoryView(territory, parents, ((Level.COMMUNE, len(communes)),), members)
    counts = tuple(
        (level, len(catalog.overlapping(territory.code, level)))
        for level in _LEVELS_BELOW[territory.level]
    )
    return TerritoryView(territory, parents, counts)
