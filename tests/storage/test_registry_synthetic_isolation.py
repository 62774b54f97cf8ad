"""A synthetic load only inserts and deletes synthetic rows (both backends).

A synthetic organisation that a real partnership or an experiment has as a member is kept, so
no real record changes; the load's single audit entry counts it.
"""

from __future__ import annotations

import polars as pl
import sqlalchemy

from cotera.actor import Actor, ActorKind
from cotera.registry.model import CollectiveExperiment, Member, Partnership, PartnershipForm
from cotera.registry.synthetic import SyntheticSpec, generate
from cotera.storage.registry_bulk import bulk_load
from cotera.storage.registry_store import add_experiment, add_organization, add_partnership
from cotera.storage.registry_tables import AuditRow, OrganizationRow
from tests.storage.test_registry_store import ASSOCIATION

ALICE, SYNTH = Actor(ActorKind.CLI, "alice"), Actor.system("synth")
COMMUNES = pl.DataFrame({"commune": ["93066"], "departement": ["93"], "population": [100]})
SPEC = SyntheticSpec(associations=40, partnerships=30, companies=20, public_bodies=2,
                     universities=1, media=1, citizen_collectives=1, seed=7)  # fmt: skip
REAL = """
SELECT 'p' || m.partnership_id || ':' || m.organization_id || ':' || m.role
FROM registry_partnership_member m JOIN registry_partnership p ON p.id = m.partnership_id
WHERE NOT p.synthetic
UNION ALL SELECT 'e' || experiment_id || ':' || organization_id || ':' || role
FROM registry_experiment_member
UNION ALL SELECT 'o' || id || ':' || name || ':' || version FROM registry_organization
WHERE NOT synthetic
UNION ALL SELECT 'a' || id || ':' || entity || ':' || entity_id FROM registry_audit
WHERE entity <> 'batch'
"""


def _real(connection: sqlalchemy.Connection) -> list[str]:
    return sorted(connection.exec_driver_sql(REAL).scalars())


def test_a_synthetic_load_never_touches_real_records(engine: sqlalchemy.Engine) -> None:
    registry = generate(COMMUNES, SPEC)
    with engine.begin() as connection:
        real = add_organization(connection, ASSOCIATION, ALICE)
        bulk_load(connection, registry, SYNTH, {"seed": 7})
        first, second = connection.exec_driver_sql(
            "SELECT id FROM registry_organization WHERE synthetic ORDER BY id LIMIT 2"
        ).scalars()
        add_partnership(
            connection,
            Partnership("Réel", PartnershipForm.PATRONAGE, (Member(real), Member(first))),
            ALICE,
        )
        add_experiment(
            connection, CollectiveExperiment("Réelle", (Member(real), Member(second))), ALICE
        )
        before = _real(connection)
        audits = connection.exec_driver_sql("SELECT COUNT(*) FROM registry_audit").scalar_one()
    with engine.begin() as connection:
        counts = bulk_load(connection, registry, SYNTH, {"seed": 7})
    with engine.connect() as connection:
        assert _real(connection) == before
        kept = connection.execute(
            sqlalchemy.select(OrganizationRow.id, OrganizationRow.synthetic)
            .where(OrganizationRow.id.in_([first, second]))
            .order_by(OrganizationRow.id)
        ).all()
        synthetic = connection.exec_driver_sql(
            "SELECT COUNT(*) FROM registry_organization WHERE synthetic"
        ).scalar_one()
        (load,) = connection.execute(
            sqlalchemy.select(AuditRow.entity, AuditRow.after).where(AuditRow.id > audits)
        ).all()
    assert [tuple(row) for row in kept] == [(first, True), (second, True)]
    assert synthetic == registry.organizations.height + 2
    assert counts["kept"] == 2
    assert (load.entity, load.after["kept"]) == ("batch", 2)  # one entry for the whole load
