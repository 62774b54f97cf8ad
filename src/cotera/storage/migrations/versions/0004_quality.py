"""Data-quality status of each indicator per level and year, stored with its load batch.

Revision ID: 0004_quality
Revises: 0003_registry
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_quality"
down_revision = "0003_registry"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the indicator_quality table."""
    op.create_table(
        "indicator_quality",
        sa.Column("indicator", sa.String(64), nullable=False),
        sa.Column("level", sa.String(8), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(24), nullable=False),
        sa.Column("reasons", sa.String(100), nullable=False),
        sa.Column("observed", sa.Integer(), nullable=False),
        sa.Column("metropolitan", sa.Integer(), nullable=False),
        sa.Column("expected", sa.Integer(), nullable=False),
        sa.Column("zeros", sa.Integer(), nullable=False),
        sa.Column("region", sa.String(40), nullable=True),
        sa.Column("region_name", sa.String(200), nullable=True),
        sa.Column("region_share", sa.Double(), nullable=True),
        sa.Column("region_base_share", sa.Double(), nullable=True),
        sa.Column("basis", sa.String(8), nullable=True),
        sa.Column("rules", sa.String(16), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["indicator"], ["indicator.code"], name="fk_indicator_quality_indicator_indicator"
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["load_batch.id"], name="fk_indicator_quality_batch_id_load_batch"
        ),
        sa.PrimaryKeyConstraint("indicator", "level", "year", name="pk_indicator_quality"),
    )
    op.create_index("ix_indicator_quality_batch_id", "indicator_quality", ["batch_id"])


def downgrade() -> None:
    """Drop the indicator_quality table."""
    op.drop_table("indicator_quality")
