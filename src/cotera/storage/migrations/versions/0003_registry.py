"""Partnership observatory: organisations, partnerships, members, impacts, experiments, audit.

Revision ID: 0003_registry
Revises: 0002_survey
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_registry"
down_revision = "0002_survey"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    """Create the registry tables."""
    op.create_table(
        "registry_organization",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("commune", sa.String(5), nullable=True),
        sa.Column("rna", sa.String(10), nullable=True),
        sa.Column("siren", sa.String(9), nullable=True),
        sa.Column("siret", sa.String(14), nullable=True),
        sa.Column("naf", sa.String(6), nullable=True),
        sa.Column("waldec", sa.String(20), nullable=True),
        sa.Column("size_band", sa.String(8), nullable=False),
        sa.Column("employer", sa.Boolean(), nullable=True),
        sa.Column("ess", sa.Boolean(), nullable=True),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("created_on", sa.Date(), nullable=True),
        sa.Column("dissolved_on", sa.Date(), nullable=True),
        sa.Column("fragility_mask", sa.Integer(), nullable=False),
        sa.Column("fragilities_edited", sa.Boolean(), nullable=False),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_registry_organization"),
        sa.UniqueConstraint("rna", name="uq_registry_organization_rna"),
        sa.UniqueConstraint("siren", name="uq_registry_organization_siren"),
    )
    for column in ("commune", "synthetic"):
        op.create_index(f"ix_registry_organization_{column}", "registry_organization", [column])
    op.create_table(
        "registry_partnership",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("external_id", sa.String(64), nullable=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("form", sa.String(32), nullable=False),
        sa.Column("fragility_mask", sa.Integer(), nullable=False),
        sa.Column("territory", sa.String(40), nullable=True),
        sa.Column("start_on", sa.Date(), nullable=True),
        sa.Column("end_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_registry_partnership"),
        sa.UniqueConstraint("external_id", name="uq_registry_partnership_external_id"),
    )
    for column in ("territory", "synthetic"):
        op.create_index(f"ix_registry_partnership_{column}", "registry_partnership", [column])
    op.create_table(
        "registry_partnership_member",
        sa.Column("partnership_id", BIG_ID, nullable=False),
        sa.Column("organization_id", BIG_ID, nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.ForeignKeyConstraint(
            ["partnership_id"], ["registry_partnership.id"], ondelete="CASCADE",
            name="fk_registry_member_partnership",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["registry_organization.id"], ondelete="CASCADE",
            name="fk_registry_member_organization",
        ),
        sa.PrimaryKeyConstraint(
            "partnership_id", "organization_id", name="pk_registry_partnership_member"
        ),
    )  # fmt: skip
    op.create_index(
        "ix_registry_partnership_member_org", "registry_partnership_member", ["organization_id"]
    )
    op.create_table(
        "registry_partnership_impact",
        sa.Column("partnership_id", BIG_ID, nullable=False),
        sa.Column("dimension", sa.String(16), nullable=False),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["partnership_id"], ["registry_partnership.id"], ondelete="CASCADE",
            name="fk_registry_impact_partnership",
        ),
        sa.PrimaryKeyConstraint(
            "partnership_id", "dimension", name="pk_registry_partnership_impact"
        ),
    )  # fmt: skip
    op.create_table(
        "registry_experiment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("territory", sa.String(40), nullable=True),
        sa.Column("fragility_mask", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(16), nullable=False),
        sa.Column("needs", sa.JSON(), nullable=False),
        sa.Column("solutions", sa.JSON(), nullable=False),
        sa.Column("evaluation", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_registry_experiment"),
    )
    op.create_table(
        "registry_experiment_member",
        sa.Column("experiment_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", BIG_ID, nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.ForeignKeyConstraint(
            ["experiment_id"], ["registry_experiment.id"], ondelete="CASCADE",
            name="fk_registry_expmember_experiment",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["registry_organization.id"], ondelete="CASCADE",
            name="fk_registry_expmember_organization",
        ),
        sa.PrimaryKeyConstraint(
            "experiment_id", "organization_id", name="pk_registry_experiment_member"
        ),
    )  # fmt: skip
    op.create_table(
        "registry_audit",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("entity", sa.String(24), nullable=False),
        sa.Column("entity_id", sa.String(64), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_registry_audit"),
    )
    op.create_index("ix_registry_audit_at", "registry_audit", ["at"])
    op.create_index("ix_registry_audit_entity_id", "registry_audit", ["entity_id"])
    op.create_table(
        "registry_import",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("file_name", sa.String(300), nullable=False),
        sa.Column("content_sha256", sa.String(64), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_registry_import"),
    )
    op.create_index("ix_registry_import_content_sha256", "registry_import", ["content_sha256"])


def downgrade() -> None:
    """Drop the registry tables."""
    for table in (
        "registry_import", "registry_audit", "registry_experiment_member", "registry_experiment",
        "registry_partnership_impact", "registry_partnership_member", "registry_partnership",
        "registry_organization",
    ):  # fmt: skip
        op.drop_table(table)
