"""Concurrent writers: row versions of registry records, running-import markers.

Revision ID: 0008_concurrency
Revises: 0006_boundaries
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_concurrency"
down_revision = "0006_boundaries"
branch_labels = None
depends_on = None

VERSIONED = ("registry_organization", "registry_partnership", "registry_experiment")


def upgrade() -> None:
    """Add ``version`` (optimistic concurrency) and the ``import_lock`` table."""
    for table in VERSIONED:
        op.add_column(table, sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    op.create_table(
        "import_lock",
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("token", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(100), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("source", name="pk_import_lock"),
    )


def downgrade() -> None:
    """Drop them."""
    op.drop_table("import_lock")
    for table in VERSIONED:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("version")
