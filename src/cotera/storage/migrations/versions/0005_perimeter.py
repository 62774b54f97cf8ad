"""Observations keep the vintage of the populations behind them and, for France, its perimeter.

Revision ID: 0005_perimeter
Revises: 0004_quality
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_perimeter"
down_revision = "0004_quality"
branch_labels = None
depends_on = None

COLUMNS = (
    ("population_year_min", sa.Integer()),
    ("population_year_max", sa.Integer()),
    ("perimeter", sa.String(24)),
    ("perimeter_missing", sa.String(400)),
)


def upgrade() -> None:
    """Add the population vintages and the France perimeter to ``observation``."""
    for name, kind in COLUMNS:
        op.add_column("observation", sa.Column(name, kind, nullable=True))


def downgrade() -> None:
    """Drop them again."""
    with op.batch_alter_table("observation") as batch:
        for name, _ in reversed(COLUMNS):
            batch.drop_column(name)
