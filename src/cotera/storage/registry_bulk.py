"""Bulk load of a synthetic registry: SQLite ``executemany``, PostgreSQL ``COPY`` (psycopg 3).

Loading replaces the previous synthetic rows and writes one audit entry for the whole load. It
only ever inserts and deletes synthetic rows: a synthetic organisation that a real partnership
or an experiment has as a member is kept (counted in ``kept``), so no real record changes. On
PostgreSQL the registry tables are locked against other writers (not readers) for the load.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl
from sqlalchemy import Connection, delete, func, select

from cotera.actor import Actor
from cotera.registry.synthetic import SyntheticRegistry
from cotera.storage.registry_store import audit
from cotera.storage.registry_tables import (
    ExperimentMemberRow,
    OrganizationRow,
    PartnershipImpactRow,
    PartnershipMemberRow,
    PartnershipRow,
)

SLICE = 200_000
ORGANIZATION_COLUMNS = (
    "id", "kind", "name", "commune", "rna", "siren", "siret", "naf", "waldec", "size_band",
    "employer", "ess", "status", "created_on", "dissolved_on", "fragility_mask",
    "fragilities_edited", "synthetic", "source",
)  # fmt: skip
PARTNERSHIP_COLUMNS = (
    "id", "external_id", "name", "form", "fragility_mask", "territory", "start_on", "end_on",
    "status", "synthetic",
)  # fmt: skip
MEMBER_COLUMNS = ("partnership_id", "organization_id", "role")
Progress = Callable[[int, int], None]


def _complete(frame: pl.DataFrame, columns: tuple[str, ...], extra: dict[str, Any]) -> pl.DataFrame:
    added = [pl.lit(value).alias(name) for name, value in extra.items()]
    missing = [pl.lit(None).alias(c) for c in columns if c not in frame.columns and c not in extra]
    return frame.with_columns(*added, *missing).select(columns)


LOCKED = (OrganizationRow, PartnershipRow, PartnershipMemberRow, PartnershipImpactRow,
          ExperimentMemberRow)  # fmt: skip


def delete_synthetic(connection: Connection) -> int:
    """Remove the synthetic partnerships and the synthetic organisations no real record has as
    a member; how many synthetic organisations were kept for that reason."""
    synthetic_parts = select(PartnershipRow.id).where(PartnershipRow.synthetic)
    for rows in (PartnershipMemberRow, PartnershipImpactRow):
        connection.execute(delete(rows).where(rows.partnership_id.in_(synthetic_parts)))
    connection.execute(delete(PartnershipRow).where(PartnershipRow.synthetic))
    used = select(PartnershipMemberRow.organization_id).union(
        select(ExperimentMemberRow.organization_id)
    )  # only real partnerships are left
    kept = connection.execute(
        select(func.count())
        .select_from(OrganizationRow)
        .where(OrganizationRow.synthetic, OrganizationRow.id.in_(used))
    ).scalar_one()
    connection.execute(
        delete(OrganizationRow).where(OrganizationRow.synthetic, OrganizationRow.id.not_in(used))
    )
    return int(kept)


def _write(connection: Connection, table: str, frame: pl.DataFrame, progress: Progress) -> None:
    columns = ", ".join(frame.columns)
    raw = connection.connection.driver_connection
    total = frame.height
    if connection.dialect.name == "postgresql":
        statement = f"COPY {table} ({columns}) FROM STDIN (FORMAT csv)"
        with raw.cursor() as cursor, cursor.copy(statement) as copy:  # type: ignore[union-attr]
            for start in range(0, total, SLICE):
                chunk = frame.slice(start, SLICE)
                copy.write(chunk.write_csv(include_header=False, null_value=""))
                progress(min(start + SLICE, total), total)
        return
    marks = ", ".join("?" * len(frame.columns))
    text = frame.with_columns(pl.col(pl.Date).dt.to_string("%Y-%m-%d"))
    cursor = raw.cursor()  # type: ignore[union-attr]
    for start in range(0, total, SLICE):
        chunk = text.slice(start, SLICE)
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", chunk.iter_rows())
        progress(min(start + SLICE, total), total)
    cursor.close()


def bulk_load(
    connection: Connection,
    registry: SyntheticRegistry,
    actor: Actor,
    details: dict[str, Any],
    progress: Progress | None = None,
) -> dict[str, int]:
    """Replace the synthetic rows by ``registry`` (ids shifted past the real ones); counts."""
    report = progress or (lambda done, total: None)
    if connection.dialect.name == "postgresql":  # other writers wait; ids below stay ours
        tables = ", ".join(t.__tablename__ for t in LOCKED)
        connection.exec_driver_sql(f"LOCK TABLE {tables} IN SHARE ROW EXCLUSIVE MODE")
    kept = delete_synthetic(connection)
    org_offset = connection.execute(select(func.coalesce(func.max(OrganizationRow.id), 0)))
    part_offset = connection.execute(select(func.coalesce(func.max(PartnershipRow.id), 0)))
    shift_org, shift_part = int(org_offset.scalar_one()), int(part_offset.scalar_one())
    organizations = _complete(
        registry.organizations.with_columns(pl.col("id") + shift_org),
        ORGANIZATION_COLUMNS,
        {"fragilities_edited": False, "source": "synthetic"},
    )
    partnerships = _complete(
        registry.partnerships.with_columns(pl.col("id") + shift_part), PARTNERSHIP_COLUMNS, {}
    )
    members = registry.members.with_columns(
        pl.col("partnership_id") + shift_part, pl.col("organization_id") + shift_org
    ).select(MEMBER_COLUMNS)
    # Secondary indexes are rebuilt once after the load (a sort) instead of row by row.
    indexes = [
        index
        for table in (OrganizationRow, PartnershipRow, PartnershipMemberRow)
        for index in table.__table__.indexes  # type: ignore[attr-defined]
        if not index.unique
    ]
    for index in indexes:
        index.drop(connection)
    _write(connection, OrganizationRow.__tablename__, organizations, report)
    _write(connection, PartnershipRow.__tablename__, partnerships, report)
    _write(connection, PartnershipMemberRow.__tablename__, members, report)
    for index in indexes:
        index.create(connection)
    if connection.dialect.name == "postgresql":
        for table in (OrganizationRow.__tablename__, PartnershipRow.__tablename__):
            connection.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )
    counts = {
        "organizations": organizations.height,
        "partnerships": partnerships.height,
        "members": members.height,
        "kept": kept,
    }
    audit(connection, actor, "batch", "synthetic", "load", None, counts | details)
    return counts
