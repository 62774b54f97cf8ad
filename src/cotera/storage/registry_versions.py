"""Row versions of organisations, partnerships and experiments (optimistic concurrency).

Every update is ``UPDATE … SET …, version = version + 1 WHERE id = ? AND version = ?`` with
the version read in the same transaction, together with the audit's "before" values. An
update that matches no row lost a race (on PostgreSQL the other writer committed first; the
row was re-read and no longer has that version): :class:`~cotera.errors.ConflictError`, and
the whole transaction is rolled back, so no change is lost and no "before" is stale.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, bindparam, select, update

from cotera.errors import ConflictError, NotFoundError
from cotera.storage.registry_tables import ExperimentRow, OrganizationRow, PartnershipRow

Versioned = type[OrganizationRow] | type[PartnershipRow] | type[ExperimentRow]
_NAMES = {
    OrganizationRow: ("l'organisation", "modifiée"),
    PartnershipRow: ("le partenariat", "modifié"),
    ExperimentRow: ("l'expérimentation", "modifiée"),
}


def conflict(row: Versioned, row_id: object, version: int) -> ConflictError:
    """The French error for a lost race on ``row_id`` read at ``version``."""
    name, changed = _NAMES[row]
    return ConflictError(
        f"{name} n°{row_id} a été {changed} par une autre écriture depuis sa lecture "
        f"(version {version}) ; rien n'a été écrit : relisez et recommencez"
    )


def current_version(connection: Connection, row: Versioned, row_id: int) -> int:
    """The stored version of a row (NotFoundError when there is none)."""
    found = connection.execute(select(row.version).where(row.id == row_id)).scalar()
    if found is None:
        name, _ = _NAMES[row]
        raise NotFoundError(f"{name} n°{row_id} est inconnu(e)")
    return int(found)


def versioned_update(
    connection: Connection, row: Versioned, row_id: int, version: int, values: Mapping[str, Any]
) -> None:
    """Apply ``values`` to the row if it still has ``version``, and bump it."""
    result = connection.execute(
        update(row)
        .where(row.id == row_id, row.version == version)
        .values({**values, "version": version + 1})
    )
    if result.rowcount != 1:
        raise conflict(row, row_id, version)


def versioned_updates(
    connection: Connection,
    row: Versioned,
    versions: Sequence[tuple[int, int]],
    values: Mapping[str, Any],
) -> None:
    """Apply the same ``values`` to every ``(id, version)`` (one executemany), bumping each."""
    if not versions:
        return
    statement = (
        update(row)
        .where(row.id == bindparam("_id"), row.version == bindparam("_version"))
        .values({**values, "version": row.version + 1})
    )
    result = connection.execute(statement, [{"_id": i, "_version": v} for i, v in versions])
    if result.rowcount != len(versions):
        stored = dict(
            connection.execute(
                select(row.id, row.version).where(row.id.in_([i for i, _ in versions]))
            ).tuples()
        )
        lost = next(((i, v) for i, v in versions if stored.get(i) != v + 1), versions[0])
        raise conflict(row, *lost)
