"""Table of territory outlines for maps (migration 0006_boundaries)."""

from __future__ import annotations

from sqlalchemy import Double, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from cotera.storage.base import Base
from cotera.storage.territory_tables import CODE_LENGTH


class BoundaryRow(Base):
    """The outline of one territory at one map detail (``cotera.types.MapDetail``).

    ``geometry`` is a GeoJSON Polygon or MultiPolygon (exterior rings clockwise, as d3-geo
    expects); ``national`` coordinates are km of ``cotera.territory.map_layout``, ``local`` ones
    longitude/latitude. The bounding box is in the same coordinates.
    """

    __tablename__ = "territory_boundary"
    __table_args__ = (Index("ix_territory_boundary_level_detail", "level", "detail"),)

    code: Mapped[str] = mapped_column(String(CODE_LENGTH), primary_key=True)  # dep:93
    detail: Mapped[str] = mapped_column(String(16), primary_key=True)
    level: Mapped[str] = mapped_column(String(8))
    geometry: Mapped[str] = mapped_column(Text)
    x_min: Mapped[float] = mapped_column(Double)
    y_min: Mapped[float] = mapped_column(Double)
    x_max: Mapped[float] = mapped_column(Double)
    y_max: Mapped[float] = mapped_column(Double)
    batch_id: Mapped[int] = mapped_column(ForeignKey("load_batch.id"), index=True)
