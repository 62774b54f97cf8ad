"""Write the outlines of a boundaries batch; read a map as a GeoJSON FeatureCollection."""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

import polars as pl
from sqlalchemy import Connection, delete, func, or_, select

from cotera.storage.base import Base
from cotera.storage.boundary_tables import BoundaryRow
from cotera.storage.bulk import bulk_insert
from cotera.storage.territory_tables import TerritoryRow
from cotera.territory.map_layout import INSETS
from cotera.territory.model import TerritoryCode
from cotera.types import Level, MapDetail

BOUNDARY_FIELDS = ("code", "level", "detail", "geometry", "x_min", "y_min", "x_max", "y_max")


def replace_boundaries(connection: Connection, frame: pl.DataFrame, batch_id: int) -> int:
    """Replace every stored outline by ``frame`` (in the caller's transaction); rows written."""
    connection.execute(delete(BoundaryRow))
    rows = frame.select(BOUNDARY_FIELDS).with_columns(pl.lit(batch_id).alias("batch_id"))
    bulk_insert(connection, Base.metadata.tables[BoundaryRow.__tablename__], rows)
    return rows.height


def boundary_counts(connection: Connection) -> dict[tuple[Level, MapDetail], int]:
    """How many outlines are stored per level and detail."""
    query = select(BoundaryRow.level, BoundaryRow.detail, func.count()).group_by(
        BoundaryRow.level, BoundaryRow.detail
    )
    return {(Level(lvl), MapDetail(det)): n for lvl, det, n in connection.execute(query)}


def read_boundaries(
    connection: Connection,
    level: Level,
    within: TerritoryCode | str | None = None,
    detail: MapDetail | None = None,
    codes: Collection[str] | None = None,
) -> dict[str, Any]:
    """The outlines of a level as a GeoJSON FeatureCollection, by code.

    ``within`` keeps the territories of a région, département or EPCI (an EPCI belongs to the
    département and région holding most of its population); ``codes`` keeps only those
    territories (``dep:93``…). ``detail`` defaults to ``local``
    for communes, ``national`` otherwise. Features carry ``bbox`` and the properties ``code``
    (``dep:93``) and ``nom`` (COG 2026 name). The member ``cotera`` says how to draw it:
    ``detail``, and for national maps the ``insets`` drawn (code, name, box in km). An empty
    collection means nothing is stored for that request.
    """
    chosen = detail or (MapDetail.LOCAL if level is Level.COMMUNE else MapDetail.NATIONAL)
    boundary, territory = BoundaryRow.__table__.c, TerritoryRow.__table__.c
    columns = (territory.name, territory.departement, territory.region, boundary.geometry)
    box = (boundary.x_min, boundary.y_min, boundary.x_max, boundary.y_max)
    query = (
        select(boundary.code, *columns, *box)
        .join(TerritoryRow, territory.code == boundary.code)
        .where(boundary.level == level.value, boundary.detail == chosen.value)
        .order_by(boundary.code)
    )
    if within is not None:
        code = str(within if isinstance(within, TerritoryCode) else TerritoryCode.parse(within))
        query = query.where(
            or_(
                territory.region == code,
                territory.departement == code,
                territory.epci == code,
                boundary.code == code,
            )
        )
    wanted = None if codes is None else set(codes)
    features, places = [], set()
    for code, name, departement, region, geometry, *bounds in connection.execute(query):
        if wanted is not None and code not in wanted:
            continue
        features.append(
            {
                "type": "Feature",
                "bbox": bounds,
                "geometry": json.loads(geometry),
                "properties": {"code": code, "nom": name},
            }
        )
        places |= {code, departement, region}
    collection: dict[str, Any] = {"type": "FeatureCollection", "features": features}
    if features:
        boxes = [f["bbox"] for f in features]
        collection["bbox"] = [
            min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes),
        ]  # fmt: skip
    insets = [
        {"code": f"dep:{slot.departement}", "nom": slot.name, "bbox": list(slot.box)}
        for slot in INSETS
        if {f"dep:{slot.departement}", f"reg:{slot.region}"} & places
    ]
    collection["cotera"] = {
        "detail": chosen.value,
        "insets": insets if chosen is MapDetail.NATIONAL else [],
    }
    return collection
