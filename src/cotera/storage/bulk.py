"""Fast bulk inserts of a polars frame: CSV ``COPY`` on PostgreSQL, executemany elsewhere."""

from __future__ import annotations

import polars as pl
import psycopg
from sqlalchemy import Connection, Table, insert
from sqlalchemy.exc import IntegrityError

from cotera.storage.value_checks import SKIP, check_frame

_NULL = r"\N"


def bulk_insert(connection: Connection, table: Table, frame: pl.DataFrame) -> None:
    """Insert the rows of ``frame`` (columns named as the table's) in the current transaction."""
    if frame.is_empty():
        return
    check_frame(table, frame)
    if connection.dialect.name != "postgresql":
        connection.execute(insert(table), frame.to_dicts(), execution_options={SKIP: True})
        return
    preparer = connection.dialect.identifier_preparer
    columns = ", ".join(preparer.quote(c) for c in frame.columns)
    statement = (
        f"COPY {preparer.format_table(table)} ({columns}) "
        f"FROM STDIN WITH (FORMAT csv, NULL '{_NULL}')"
    )
    data = frame.write_csv(include_header=False, null_value=_NULL, float_precision=None)
    dbapi = connection.connection.dbapi_connection
    assert isinstance(dbapi, psycopg.Connection)
    try:
        with dbapi.cursor() as cursor, cursor.copy(statement) as copy:
            copy.write(data.encode())
    except psycopg.IntegrityError as exc:  # same exception as the executemany path
        raise IntegrityError(statement, None, exc) from exc
