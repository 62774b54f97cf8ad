"""Tables of the partnership observatory (migrations 0003_registry, 0008_concurrency)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from cotera.storage.base import Base


class OrganizationRow(Base):
    """An organisation; ``fragility_mask`` has bit i set for fragility F(i+1)."""

    __tablename__ = "registry_organization"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(24))
    name: Mapped[str] = mapped_column(String(300))
    commune: Mapped[str | None] = mapped_column(String(5), index=True)
    rna: Mapped[str | None] = mapped_column(String(10), unique=True)
    siren: Mapped[str | None] = mapped_column(String(9), unique=True)
    siret: Mapped[str | None] = mapped_column(String(14))
    naf: Mapped[str | None] = mapped_column(String(6))
    waldec: Mapped[str | None] = mapped_column(String(20))  # comma-separated codes
    size_band: Mapped[str] = mapped_column(String(8))
    employer: Mapped[bool | None] = mapped_column(Boolean)
    ess: Mapped[bool | None] = mapped_column(Boolean)
    status: Mapped[str] = mapped_column(String(12))
    created_on: Mapped[date | None] = mapped_column(Date)
    dissolved_on: Mapped[date | None] = mapped_column(Date)
    fragility_mask: Mapped[int] = mapped_column(Integer)
    fragilities_edited: Mapped[bool] = mapped_column(Boolean)
    synthetic: Mapped[bool] = mapped_column(Boolean, index=True)
    source: Mapped[str] = mapped_column(String(16))  # manual, rna, sirene, synthetic
    version: Mapped[int] = mapped_column(Integer, server_default="1")  # optimistic concurrency


class PartnershipRow(Base):
    """A partnership between two or more organisations."""

    __tablename__ = "registry_partnership"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    external_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    form: Mapped[str] = mapped_column(String(32))
    fragility_mask: Mapped[int] = mapped_column(Integer)
    territory: Mapped[str | None] = mapped_column(String(40), index=True)
    start_on: Mapped[date | None] = mapped_column(Date)
    end_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12))
    synthetic: Mapped[bool] = mapped_column(Boolean, index=True)
    version: Mapped[int] = mapped_column(Integer, server_default="1")  # optimistic concurrency


class PartnershipMemberRow(Base):
    """An organisation taking part in a partnership, with its role."""

    __tablename__ = "registry_partnership_member"
    __table_args__ = (Index("ix_registry_partnership_member_org", "organization_id"),)

    partnership_id: Mapped[int] = mapped_column(
        ForeignKey(
            "registry_partnership.id", ondelete="CASCADE", name="fk_registry_member_partnership"
        ),
        primary_key=True,
    )
    organization_id: Mapped[int] = mapped_column(
        ForeignKey(
            "registry_organization.id", ondelete="CASCADE", name="fk_registry_member_organization"
        ),
        primary_key=True,
    )
    role: Mapped[str] = mapped_column(String(16))


class PartnershipImpactRow(Base):
    """An impact declared for a partnership, with its evidence."""

    __tablename__ = "registry_partnership_impact"

    partnership_id: Mapped[int] = mapped_column(
        ForeignKey(
            "registry_partnership.id", ondelete="CASCADE", name="fk_registry_impact_partnership"
        ),
        primary_key=True,
    )
    dimension: Mapped[str] = mapped_column(String(16), primary_key=True)
    level: Mapped[str] = mapped_column(String(16))
    evidence: Mapped[str] = mapped_column(Text)


class ExperimentRow(Base):
    """A collective experiment: needs surfaced, solutions, evaluation."""

    __tablename__ = "registry_experiment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    territory: Mapped[str | None] = mapped_column(String(40))
    fragility_mask: Mapped[int] = mapped_column(Integer)
    stage: Mapped[str] = mapped_column(String(16))
    needs: Mapped[list[str]] = mapped_column(JSON)
    solutions: Mapped[list[str]] = mapped_column(JSON)
    evaluation: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, server_default="1")  # optimistic concurrency


class ExperimentMemberRow(Base):
    """An organisation taking part in a collective experiment."""

    __tablename__ = "registry_experiment_member"

    experiment_id: Mapped[int] = mapped_column(
        ForeignKey(
            "registry_experiment.id", ondelete="CASCADE", name="fk_registry_expmember_experiment"
        ),
        primary_key=True,
    )
    organization_id: Mapped[int] = mapped_column(
        ForeignKey(
            "registry_organization.id",
            ondelete="CASCADE",
            name="fk_registry_expmember_organization",
        ),
        primary_key=True,
    )
    role: Mapped[str] = mapped_column(String(16))


class AuditRow(Base):
    """Who changed what, when, with the values before and after."""

    __tablename__ = "registry_audit"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor: Mapped[str] = mapped_column(String(100))
    entity: Mapped[str] = mapped_column(String(24))  # organization, partnership, experiment, batch
    entity_id: Mapped[str] = mapped_column(String(64), index=True)
    action: Mapped[str] = mapped_column(String(16))  # create, update, dissolve, load
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class ImportRow(Base):
    """One imported register file, keyed by kind and content hash (idempotent imports)."""

    __tablename__ = "registry_import"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(24))
    file_name: Mapped[str] = mapped_column(String(300))
    content_sha256: Mapped[str] = mapped_column(String(64), index=True)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(100))
    counts: Mapped[dict[str, int]] = mapped_column(JSON)


REGISTRY_TABLES = [
    table.__table__
    for table in (
        OrganizationRow, PartnershipRow, PartnershipMemberRow, PartnershipImpactRow,
        ExperimentRow, ExperimentMemberRow, AuditRow, ImportRow,
    )
]  # fmt: skip
