"""Load batches: which version of each source's files is in the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, RowMapping, insert, select, update

from cotera.storage.indicator_tables import BatchStatus, LoadBatchRow


@dataclass(frozen=True, slots=True)
class Batch:
    """A committed load of one source."""

    id: int
    source_id: str
    content_sha256: str
    loader_version: str
    loaded_at: datetime
    rows: int
    status: BatchStatus


def current_batch(connection: Connection, source_id: str) -> Batch | None:
    """The batch whose rows are in the database for ``source_id``, if any."""
    query = select(LoadBatchRow.__table__).where(
        LoadBatchRow.source_id == source_id, LoadBatchRow.status == BatchStatus.CURRENT.value
    )
    row = connection.execute(query).first()
    return None if row is None else _batch(row._mapping)


def current_batches(connection: Connection) -> dict[str, Batch]:
    """The current batch of every loaded source."""
    query = select(LoadBatchRow.__table__).where(LoadBatchRow.status == BatchStatus.CURRENT.value)
    return {row.source_id: _batch(row._mapping) for row in connection.execute(query)}


def open_batch(
    connection: Connection, source_id: str, content_sha256: str, loader_version: str, rows: int
) -> int:
    """Record a new current batch of ``source_id`` (older ones become superseded); its id."""
    connection.execute(
        update(LoadBatchRow)
        .where(LoadBatchRow.source_id == source_id)
        .values(status=BatchStatus.SUPERSEDED.value)
    )
    result = connection.execute(
        insert(LoadBatchRow).returning(LoadBatchRow.id),
        {
            "source_id": source_id,
            "content_sha256": content_sha256,
            "loader_version": loader_version,
            "loaded_at": datetime.now(UTC),
            "rows": rows,
            "status": BatchStatus.CURRENT.value,
        },
    )
    return int(result.scalar_one())


def _batch(values: RowMapping) -> Batch:
    loaded_at = values["loaded_at"]
    if loaded_at.tzinfo is None:  # SQLite stores naive datetimes
        loaded_at = loaded_at.replace(tzinfo=UTC)
    return Batch(
        id=values["id"],
        source_id=values["source_id"],
        content_sha256=values["content_sha256"],
        loader_version=values["loader_version"],
        loaded_at=loaded_at,
        rows=values["rows"],
        status=BatchStatus(values["status"]),
    )
