"""Survey waves and their responses (migration 0002_survey).

One row per respondent, one column per variable of the PHARE-like questionnaire (version
2015.1); answer codes are stored as text, the weight as a float.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Double,
    ForeignKey,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
)
from sqlalchemy.orm import Mapped, mapped_column

from cotera.storage.base import Base

TEXT_COLUMNS: tuple[str, ...] = (
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
    *(f"impact_F{i:02d}" for i in range(1, 17)),
)
TEXT_LENGTH = 64


class SurveyWaveRow(Base):
    """One imported wave: a file of one prism, keyed by the hash of its content and mapping."""

    __tablename__ = "survey_wave"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    prism: Mapped[str] = mapped_column(String(16), index=True)
    questionnaire_version: Mapped[str] = mapped_column(String(32))
    file_name: Mapped[str] = mapped_column(String(300))
    content_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    rows: Mapped[int] = mapped_column()
    synthetic: Mapped[bool] = mapped_column(Boolean)


survey_response = Table(
    "survey_response",
    Base.metadata,
    Column("wave_id", Integer, ForeignKey("survey_wave.id", ondelete="CASCADE"), nullable=False),
    Column("row_number", Integer, nullable=False),
    *(
        Column(name.lower(), String(TEXT_LENGTH), nullable=name not in ("respondent_id", "prism"))
        for name in TEXT_COLUMNS
    ),
    Column("weight", Double, nullable=True),
    PrimaryKeyConstraint("wave_id", "row_number"),
)
