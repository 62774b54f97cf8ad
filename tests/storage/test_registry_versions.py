"""Row versions of registry records (both backends): every change bumps them, a stale one is a
ConflictError and nothing is written; the 0008 migration matches the tables."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
import sqlalchemy
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from cotera.actor import Actor, ActorKind
from cotera.errors import ConflictError
from cotera.storage.base import Base
from cotera.storage.import_lock import ImportLockRow
from cotera.storage.registry_imports import (
    ImportCounts,
    dissolve_missing_associations,
    upsert_organizations,
)
from cotera.storage.registry_store import (
    add_organization,
    audit_entries,
    get_organization,
    update_organization,
)
from cotera.storage.registry_tables import OrganizationRow, PartnershipRow
from cotera.storage.registry_versions import current_version, versioned_update
from tests.storage.test_registry_store import ASSOCIATION

ALICE, IMPORT = Actor(ActorKind.CLI, "alice"), Actor.system("import")


def get_organization_id(connection: sqlalchemy.Connection) -> int:
    return int(connection.execute(sqlalchemy.select(OrganizationRow.id)).scalar_one())


def test_migration_0008_matches_the_models(engine: sqlalchemy.Engine) -> None:
    names = {"registry_organization", "registry_partnership", "registry_experiment",
             ImportLockRow.__tablename__}  # fmt: skip
    with engine.connect() as connection:
        diffs = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert [d for d in diffs if any(n in repr(d) for n in names)] == []


def test_every_change_bumps_the_version(engine: sqlalchemy.Engine) -> None:
    with engine.begin() as connection:
        upsert_organizations(connection, [ASSOCIATION], "rna", IMPORT, ImportCounts())
        org = get_organization_id(connection)
        assert current_version(connection, OrganizationRow, org) == 1
        update_organization(connection, org, {"name": "Emploi 93"}, ALICE, expected_version=1)
        update_organization(connection, org, {"name": "Emploi 93"}, ALICE)  # no change
        assert current_version(connection, OrganizationRow, org) == 2
        upsert_organizations(connection, [replace(ASSOCIATION, name="E")], "rna", IMPORT,
                             ImportCounts())  # fmt: skip
        assert current_version(connection, OrganizationRow, org) == 3
        dissolve_missing_associations(connection, set(), {"93"}, IMPORT, ImportCounts(),
                                      date(2024, 1, 1))  # fmt: skip
        assert current_version(connection, OrganizationRow, org) == 4


def test_a_stale_version_is_a_conflict_and_nothing_is_written(engine: sqlalchemy.Engine) -> None:
    with engine.begin() as connection:
        org = add_organization(connection, ASSOCIATION, ALICE)
        update_organization(connection, org, {"name": "Emploi 93"}, ALICE)
    stale = r"l'organisation n°1 a été modifiée .*\(version 1\)"
    with pytest.raises(ConflictError, match=stale), engine.begin() as connection:
        update_organization(connection, org, {"name": "Autre"}, ALICE, expected_version=1)
    with (
        pytest.raises(ConflictError, match="le partenariat n°7 a été modifié"),
        engine.begin() as connection,
    ):
        versioned_update(connection, PartnershipRow, 7, 1, {"name": "x"})
    with engine.connect() as connection:
        assert get_organization(connection, org).name == "Emploi 93"
        assert len(audit_entries(connection, "organization", org)) == 2
