"""Tables of sources, indicators, observations and load batches (migrations 0001_foundation,
0005_perimeter)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import DateTime, Double, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from cotera.storage.base import Base
from cotera.storage.territory_tables import CODE_LENGTH


class SourceRow(Base):
    """A data source with its provenance (Licence Ouverte requires attribution)."""

    __tablename__ = "source"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    label_fr: Mapped[str] = mapped_column(String(300))
    label_en: Mapped[str] = mapped_column(String(300))
    producer: Mapped[str] = mapped_column(String(300))
    licence: Mapped[str] = mapped_column(String(200))
    official_url: Mapped[str] = mapped_column(Text)
    repository: Mapped[str] = mapped_column(Text)  # where the mirrored copy comes from
    description_fr: Mapped[str] = mapped_column(Text)


class BatchStatus(StrEnum):
    """State of a load batch: the current one of its source, or replaced by a later load."""

    CURRENT = "current"
    SUPERSEDED = "superseded"


class LoadBatchRow(Base):
    """One committed load of a source, keyed by the sha256 of its files and the loader version."""

    __tablename__ = "load_batch"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("source.id"), index=True)
    content_sha256: Mapped[str] = mapped_column(String(64))
    loader_version: Mapped[str] = mapped_column(String(32))
    loaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    rows: Mapped[int] = mapped_column()
    status: Mapped[str] = mapped_column(String(16))  # BatchStatus


class IndicatorRow(Base):
    """A catalogue entry as loaded (the catalogue itself is versioned data in the package)."""

    __tablename__ = "indicator"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("source.id"), index=True)
    label_fr: Mapped[str] = mapped_column(String(300))
    label_en: Mapped[str] = mapped_column(String(300))
    fragility: Mapped[str] = mapped_column(String(8), index=True)
    direction: Mapped[str] = mapped_column(String(1))
    unit: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(32))
    levels: Mapped[str] = mapped_column(String(60))  # comma-separated Level values
    years: Mapped[str] = mapped_column(Text)  # comma-separated
    description_fr: Mapped[str] = mapped_column(Text)


class ObservationRow(Base):
    """One value of an indicator for a territory and a year (null value: see missing_reason)."""

    __tablename__ = "observation"
    __table_args__ = (Index("ix_observation_indicator_year", "indicator", "year"),)

    indicator: Mapped[str] = mapped_column(ForeignKey("indicator.code"), primary_key=True)
    territory: Mapped[str] = mapped_column(String(CODE_LENGTH), primary_key=True, index=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[float | None] = mapped_column(Double)
    missing_reason: Mapped[str | None] = mapped_column(String(32))
    numerator: Mapped[float | None] = mapped_column(Double)
    denominator: Mapped[float | None] = mapped_column(Double)
    method: Mapped[str] = mapped_column(String(32))
    batch_id: Mapped[int] = mapped_column(ForeignKey("load_batch.id"), index=True)
    # vintages of the populations behind the value (cotera.indicators.denominator)
    population_year_min: Mapped[int | None] = mapped_column()
    population_year_max: Mapped[int | None] = mapped_column()
    # France rows: cotera.indicators.perimeter.Perimeter and its départements without a value
    perimeter: Mapped[str | None] = mapped_column(String(24))
    perimeter_missing: Mapped[str | None] = mapped_column(String(400))


class IndicatorQualityRow(Base):
    """The data-quality status of an indicator at a level and year (migration 0004_quality),
    computed from the observations of the batch it came from (``cotera.indicators.quality``)."""

    __tablename__ = "indicator_quality"

    indicator: Mapped[str] = mapped_column(ForeignKey("indicator.code"), primary_key=True)
    level: Mapped[str] = mapped_column(String(8), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(24))  # DataQuality
    reasons: Mapped[str] = mapped_column(String(100))  # comma-separated QualityReason values
    observed: Mapped[int] = mapped_column()
    metropolitan: Mapped[int] = mapped_column()
    expected: Mapped[int] = mapped_column()
    zeros: Mapped[int] = mapped_column()
    region: Mapped[str | None] = mapped_column(String(CODE_LENGTH))
    region_name: Mapped[str | None] = mapped_column(String(200))
    region_share: Mapped[float | None] = mapped_column(Double)
    region_base_share: Mapped[float | None] = mapped_column(Double)
    basis: Mapped[str | None] = mapped_column(String(8))  # France: the level it takes after
    rules: Mapped[str] = mapped_column(String(16))  # cotera.indicators.quality.RULES_VERSION
    batch_id: Mapped[int] = mapped_column(ForeignKey("load_batch.id"), index=True)
