"""Tables of territories (COG) and user-defined custom territories (migration 0001_foundation)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from cotera.storage.base import Base

CODE_LENGTH = 40


class TerritoryRow(Base):
    """One territory: France, a région, a département, an EPCI or a commune."""

    __tablename__ = "territory"

    code: Mapped[str] = mapped_column(String(CODE_LENGTH), primary_key=True)  # dep:93
    level: Mapped[str] = mapped_column(String(8), index=True)
    insee_code: Mapped[str] = mapped_column(String(20))  # 93
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200), index=True)  # normalised for search
    population: Mapped[int | None] = mapped_column(BigInteger)
    region: Mapped[str | None] = mapped_column(String(CODE_LENGTH), index=True)
    departement: Mapped[str | None] = mapped_column(String(CODE_LENGTH), index=True)
    epci: Mapped[str | None] = mapped_column(String(CODE_LENGTH), index=True)


class CustomTerritoryRow(Base):
    """A named set of communes, EPCIs or départements defined by a user."""

    __tablename__ = "custom_territory"

    slug: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CustomTerritoryMemberRow(Base):
    """A member (canonical territory code) of a custom territory."""

    __tablename__ = "custom_territory_member"

    slug: Mapped[str] = mapped_column(
        ForeignKey("custom_territory.slug", ondelete="CASCADE"), primary_key=True
    )
    member: Mapped[str] = mapped_column(String(CODE_LENGTH), primary_key=True)
    position: Mapped[int] = mapped_column()
