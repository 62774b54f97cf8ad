"""Foundation: territories, custom territories, sources, indicators, observations, load batches.

Revision ID: 0001_foundation
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_foundation"
down_revision = None
branch_labels = None
depends_on = None

CODE = sa.String(40)


def upgrade() -> None:
    """Create the foundation tables."""
    op.create_table(
        "territory",
        sa.Column("code", CODE, nullable=False),
        sa.Column("level", sa.String(8), nullable=False),
        sa.Column("insee_code", sa.String(20), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("name_key", sa.String(200), nullable=False),
        sa.Column("population", sa.BigInteger(), nullable=True),
        sa.Column("region", CODE, nullable=True),
        sa.Column("departement", CODE, nullable=True),
        sa.Column("epci", CODE, nullable=True),
        sa.PrimaryKeyConstraint("code", name="pk_territory"),
    )
    for column in ("level", "name_key", "region", "departement", "epci"):
        op.create_index(f"ix_territory_{column}", "territory", [column])

    op.create_table(
        "custom_territory",
        sa.Column("slug", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("slug", name="pk_custom_territory"),
    )
    op.create_table(
        "custom_territory_member",
        sa.Column("slug", sa.String(64), nullable=False),
        sa.Column("member", CODE, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["slug"],
            ["custom_territory.slug"],
            name="fk_custom_territory_member_slug_custom_territory",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("slug", "member", name="pk_custom_territory_member"),
    )

    op.create_table(
        "source",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("label_fr", sa.String(300), nullable=False),
        sa.Column("label_en", sa.String(300), nullable=False),
        sa.Column("producer", sa.String(300), nullable=False),
        sa.Column("licence", sa.String(200), nullable=False),
        sa.Column("official_url", sa.Text(), nullable=False),
        sa.Column("repository", sa.Text(), nullable=False),
        sa.Column("description_fr", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_source"),
    )
    op.create_table(
        "load_batch",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("source_id", sa.String(64), nullable=False),
        sa.Column("content_sha256", sa.String(64), nullable=False),
        sa.Column("loader_version", sa.String(32), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"], ["source.id"], name="fk_load_batch_source_id_source"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_load_batch"),
    )
    op.create_index("ix_load_batch_source_id", "load_batch", ["source_id"])

    op.create_table(
        "indicator",
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("source_id", sa.String(64), nullable=False),
        sa.Column("label_fr", sa.String(300), nullable=False),
        sa.Column("label_en", sa.String(300), nullable=False),
        sa.Column("fragility", sa.String(8), nullable=False),
        sa.Column("direction", sa.String(1), nullable=False),
        sa.Column("unit", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("levels", sa.String(60), nullable=False),
        sa.Column("years", sa.Text(), nullable=False),
        sa.Column("description_fr", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["source_id"], ["source.id"], name="fk_indicator_source_id_source"),
        sa.PrimaryKeyConstraint("code", name="pk_indicator"),
    )
    op.create_index("ix_indicator_source_id", "indicator", ["source_id"])
    op.create_index("ix_indicator_fragility", "indicator", ["fragility"])

    op.create_table(
        "observation",
        sa.Column("indicator", sa.String(64), nullable=False),
        sa.Column("territory", CODE, nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("value", sa.Double(), nullable=True),
        sa.Column("missing_reason", sa.String(32), nullable=True),
        sa.Column("numerator", sa.Double(), nullable=True),
        sa.Column("denominator", sa.Double(), nullable=True),
        sa.Column("method", sa.String(32), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["indicator"], ["indicator.code"], name="fk_observation_indicator_indicator"
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["load_batch.id"], name="fk_observation_batch_id_load_batch"
        ),
        sa.PrimaryKeyConstraint("indicator", "territory", "year", name="pk_observation"),
    )
    op.create_index("ix_observation_territory", "observation", ["territory"])
    op.create_index("ix_observation_batch_id", "observation", ["batch_id"])
    op.create_index("ix_observation_indicator_year", "observation", ["indicator", "year"])


def downgrade() -> None:
    """Drop the foundation tables."""
    for table in (
        "observation",
        "indicator",
        "load_batch",
        "source",
        "custom_territory_member",
        "custom_territory",
        "territory",
    ):
        op.drop_table(table)
