"""Territory outlines for maps, per territory and map detail (no PostGIS needed).

Revision ID: 0006_boundaries
Revises: 0005_perimeter
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_boundaries"
down_revision = "0005_perimeter"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the boundary table."""
    op.create_table(
        "territory_boundary",
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("detail", sa.String(16), nullable=False),
        sa.Column("level", sa.String(8), nullable=False),
        sa.Column("geometry", sa.Text(), nullable=False),
        sa.Column("x_min", sa.Double(), nullable=False),
        sa.Column("y_min", sa.Double(), nullable=False),
        sa.Column("x_max", sa.Double(), nullable=False),
        sa.Column("y_max", sa.Double(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["load_batch.id"], name="fk_territory_boundary_batch_id_load_batch"
        ),
        sa.PrimaryKeyConstraint("code", "detail", name="pk_territory_boundary"),
    )
    op.create_index("ix_territory_boundary_level_detail", "territory_boundary", ["level", "detail"])
    op.create_index("ix_territory_boundary_batch_id", "territory_boundary", ["batch_id"])


def downgrade() -> None:
    """Drop the boundary table."""
    op.drop_table("territory_boundary")
