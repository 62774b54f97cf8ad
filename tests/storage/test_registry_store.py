"""Registry storage on both backends: CRUD with audit, upserts, bulk load, frames."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import polars as pl
import pytest
import sqlalchemy
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from cotera.actor import Actor, ActorKind
from cotera.errors import NotFoundError
from cotera.registry.model import (
    CollectiveExperiment,
    ExperimentStage,
    Member,
    MemberRole,
    Organization,
    OrganizationKind,
    OrganizationStatus,
    Partnership,
    PartnershipForm,
)
from cotera.registry.synthetic import SyntheticSpec, generate
from cotera.storage.base import Base
from cotera.storage.registry_bulk import bulk_load
from cotera.storage.registry_imports import (
    ImportCounts,
    dissolve_missing_associations,
    upsert_organizations,
)
from cotera.storage.registry_store import (
    add_experiment,
    add_organization,
    add_partnership,
    audit_entries,
    get_organization,
    memberships_frame,
    organization_count,
    organizations_frame,
    partners_of,
    set_fragilities,
    update_organization,
)
from cotera.storage.registry_tables import REGISTRY_TABLES

ASSOCIATION = Organization(
    OrganizationKind.ASSOCIATION, "Emploi Solidaire", "93066", rna="W931000001",
    waldec=("030000",), fragilities=frozenset({"F01", "F02"}), created_on=date(2001, 3, 12),
)  # fmt: skip
COMPANY = Organization(OrganizationKind.COMPANY, "Insertion SA", "93066", siren="123456782")
ALICE, BOB, CAROL = (Actor(ActorKind.CLI, name) for name in ("alice", "bob", "carol"))
IMPORT, SYNTH = Actor.system("import"), Actor.system("synth")


def test_migration_matches_the_models(engine: sqlalchemy.Engine) -> None:
    names = {str(t.name) for t in REGISTRY_TABLES}  # type: ignore[attr-defined]
    with engine.connect() as connection:
        diffs = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        assert set(sqlalchemy.inspect(connection).get_table_names()) >= names
    mine = [d for d in diffs if any(n in repr(d) for n in names)]
    assert mine == []


def test_crud_is_audited(engine: sqlalchemy.Engine) -> None:
    with engine.begin() as connection:
        a = add_organization(connection, ASSOCIATION, ALICE)
        c = add_organization(connection, COMPANY, ALICE)
        u = add_organization(
            connection, Organization(OrganizationKind.UNIVERSITY, "Université", "93066"), BOB
        )
        p = add_partnership(
            connection,
            Partnership("Tremplin", PartnershipForm.SOCIETAL_INNOVATION,
                        (Member(a, MemberRole.LEAD), Member(c, MemberRole.FUNDER)),
                        fragilities=frozenset({"F01"}), start_on=date(2014, 1, 1)),
            ALICE,
        )  # fmt: skip
        add_experiment(
            connection,
            CollectiveExperiment("Mobilité", (Member(a), Member(c), Member(u)),
                                 stage=ExperimentStage.SOLUTIONS, needs=("transport",)),
            BOB,
        )  # fmt: skip
        update_organization(connection, a, {"name": "Emploi Solidaire 93"}, CAROL)
        set_fragilities(connection, c, ["F01", "F04"], CAROL)
    with engine.connect() as connection:
        assert partners_of(connection, a) == {c}
        assert get_organization(connection, c).fragilities == {"F01", "F04"}
        assert get_organization(connection, c).fragilities_edited
        trail = audit_entries(connection, "organization", a)
        assert [(e["actor"], e["action"]) for e in trail] == [("cli:alice", "create"),
                                                               ("cli:carol", "update")]  # fmt: skip
        assert trail[1]["before"] == {"name": "Emploi Solidaire"}
        assert trail[1]["after"] == {"name": "Emploi Solidaire 93"}
        assert audit_entries(connection, "partnership", p)[0]["after"]["members"] == [
            f"{a}:lead", f"{c}:funder"]  # fmt: skip
        with pytest.raises(NotFoundError):
            get_organization(connection, 999)


def test_upserts_are_idempotent_and_keep_edited_fragilities(engine: sqlalchemy.Engine) -> None:
    first = ImportCounts()
    with engine.begin() as connection:
        upsert_organizations(connection, [ASSOCIATION], "rna", IMPORT, first)
    again = ImportCounts()
    with engine.begin() as connection:
        upsert_organizations(connection, [ASSOCIATION], "rna", IMPORT, again)
        (org_id,) = connection.execute(sqlalchemy.text("select id from registry_organization"))
        set_fragilities(connection, org_id[0], ["F10"], ALICE)
    moved = ImportCounts()
    newer = replace(ASSOCIATION, commune="93048")
    with engine.begin() as connection:
        upsert_organizations(connection, [newer], "rna", IMPORT, moved)
    assert (first.created, again.unchanged, moved.updated) == (1, 1, 1)
    with engine.connect() as connection:
        stored = get_organization(connection, org_id[0])
        assert (stored.commune, stored.fragilities) == ("93048", {"F10"})
    gone = ImportCounts()
    with engine.begin() as connection:
        dissolve_missing_associations(connection, set(), {"93"}, IMPORT, gone, date(2024, 1, 1))
    with engine.connect() as connection:
        assert get_organization(connection, org_id[0]).status is OrganizationStatus.DISSOLVED
        assert audit_entries(connection, "organization", org_id[0])[-1]["action"] == "dissolve"
    assert gone.dissolved == 1


def test_bulk_load_replaces_synthetic_rows(engine: sqlalchemy.Engine) -> None:
    communes = pl.DataFrame(
        {"commune": ["01001", "02001"], "departement": ["01", "02"], "population": [100, 300]}
    )
    spec = SyntheticSpec(associations=300, partnerships=200, companies=150, public_bodies=5,
                         universities=1, media=1, citizen_collectives=2, seed=3)  # fmt: skip
    registry = generate(communes, spec)
    with engine.begin() as connection:
        real = add_organization(connection, ASSOCIATION, ALICE)
        counts = bulk_load(connection, registry, SYNTH, {"seed": 3})
        bulk_load(connection, registry, SYNTH, {"seed": 3})  # a second load replaces
    assert counts["organizations"] == 459
    with engine.connect() as connection:
        assert organization_count(connection) == 460
        orgs = organizations_frame(connection)
        members = memberships_frame(connection)
        assert get_organization(connection, real).name == "Emploi Solidaire"
        added = add_organization(connection, COMPANY, ALICE)  # sequences moved past the load
        assert added > orgs["id"].max()  # type: ignore[operator]
    assert members.height == registry.members.height
    assert orgs.filter(pl.col("id") != real)["created_year"].min() >= 1960  # type: ignore[operator]
    assert set(members["form"]) <= {f.value for f in PartnershipForm}
