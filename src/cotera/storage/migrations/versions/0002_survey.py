"""Survey waves and responses.

Revision ID: 0002_survey
Revises: 0001_foundation
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_survey"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None

TEXT_COLUMNS = (
    "respondent_id",
    "prism",
    "territory",
    "region",
    "sex",
    "age_band",
    "csp",
    "size_band",
    "sector",
    "employer",
    "association_sector",
    "institution_type",
    "partnership",
    "innovation",
    *(f"impact_f{i:02d}" for i in range(1, 17)),
)


def upgrade() -> None:
    """Create the survey tables."""
    op.create_table(
        "survey_wave",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("prism", sa.String(16), nullable=False),
        sa.Column("questionnaire_version", sa.String(32), nullable=False),
        sa.Column("file_name", sa.String(300), nullable=False),
        sa.Column("content_sha256", sa.String(64), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_survey_wave"),
        sa.UniqueConstraint("name", name="uq_survey_wave_name"),
        sa.UniqueConstraint("content_sha256", name="uq_survey_wave_content_sha256"),
    )
    op.create_index("ix_survey_wave_prism", "survey_wave", ["prism"])
    op.create_table(
        "survey_response",
        sa.Column("wave_id", sa.Integer(), nullable=False),
        sa.Column("row_number", sa.Integer(), nullable=False),
        *(
            sa.Column(name, sa.String(64), nullable=name not in ("respondent_id", "prism"))
            for name in TEXT_COLUMNS
        ),
        sa.Column("weight", sa.Double(), nullable=True),
        sa.ForeignKeyConstraint(
            ["wave_id"],
            ["survey_wave.id"],
            name="fk_survey_response_wave_id_survey_wave",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("wave_id", "row_number", name="pk_survey_response"),
    )


def downgrade() -> None:
    """Drop the survey tables."""
    op.drop_table("survey_response")
    op.drop_index("ix_survey_wave_prism", table_name="survey_wave")
    op.drop_table("survey_wave")
