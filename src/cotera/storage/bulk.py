"""Fast bulk inserts: COPY on PostgreSQL, executemany (insertmanyvalues) elsewhere."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import psycopg
from sqlalchemy import Connection, Table, insert
from sqlalchemy.exc import IntegrityError


def bulk_insert(
    connection: Connection, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """Insert ``rows`` (tuples in ``columns`` order) into ``table`` in the current transaction."""
    if not rows:
        return
    if connection.dialect.name == "postgresql":
        quoted = ", ".join(connection.dialect.identifier_preparer.quote(c) for c in columns)
        name = connection.dialect.identifier_preparer.format_table(table)
        dbapi = connection.connection.dbapi_connection
        assert isinstance(dbapi, psycopg.Connection)
        statement = f"COPY {name} ({quoted}) FROM STDIN"
        try:
            with dbapi.cursor() as cursor, cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row(row)
        except psycopg.IntegrityError as exc:  # same exception as the executemany path
            raise IntegrityError(statement, None, exc) from exc
        return
    connection.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])
