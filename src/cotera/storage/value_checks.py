"""Text values checked against the table definitions before any write, the same on every backend.

SQLite stores a 500-character name in a ``VARCHAR(200)`` column and keeps NUL bytes;
PostgreSQL refuses both with a driver error that quotes the statement and its values. Every
statement executed through an engine of Cotera is checked first (``install_value_checks``), and
bulk inserts check their frame column by column (``check_frame``): a value too long for its
column or holding a NUL byte is a StorageError naming the table and the column, never the value.
"""

from __future__ import annotations

from typing import Any

import polars as pl
from sqlalchemy import Engine, String, Table, event

from cotera.errors import Problem, StorageError

SKIP = "cotera_values_checked"  # execution option: the caller already checked (bulk inserts)


def install_value_checks(engine: Engine) -> None:
    """Check every text parameter of the engine's statements before it reaches the driver."""

    @event.listens_for(engine, "before_cursor_execute")
    def _check(
        _connection: Any, _cursor: Any, _sql: str, _params: Any, context: Any, _many: bool
    ) -> None:
        compiled = getattr(context, "compiled", None)
        if compiled is None or context.execution_options.get(SKIP):
            return
        table = getattr(getattr(compiled, "statement", None), "table", None)
        where = getattr(table, "name", "?")
        for parameters in context.compiled_parameters:
            for name, value in parameters.items():
                if isinstance(value, str):
                    bind = compiled.binds.get(name)
                    length = getattr(getattr(bind, "type", None), "length", None)
                    _check_text(value, length, where, name)


def _check_text(value: str, length: int | None, table: str, column: str) -> None:
    if "\x00" in value:
        raise StorageError(
            f"caractère nul (octet 0) refusé dans la colonne {column} de la table {table}"
        )
    if length is not None and len(value) > length:
        raise StorageError(
            f"valeur trop longue pour la colonne {column} de la table {table} : "
            f"{len(value)} caractères, {length} au plus"
        )


def frame_problems(
    table: Table, frame: pl.DataFrame, file: str, first_line: int = 2
) -> list[Problem]:
    """A problem per text cell of ``frame`` too long for its column of ``table`` or with a NUL.

    ``first_line`` is the file line of the frame's first row (header on line 1).
    """
    problems = []
    for name, dtype in frame.schema.items():
        if dtype != pl.String or name not in table.c:
            continue
        kind = table.c[name].type
        limit = kind.length if isinstance(kind, String) and kind.length else None
        column = frame.get_column(name)
        nul = column.str.contains("\x00", literal=True).fill_null(False)
        long = (column.str.len_chars() > limit).fill_null(False) if limit else nul & False
        for index in (nul | long).arg_true().to_list():
            value = column[index]
            message = (
                "caractère nul (octet 0)" if "\x00" in value
                else f"texte trop long ({len(value)} caractères, {limit} au plus)"
            )  # fmt: skip
            problems.append(Problem("valeur_refusee", message, file, index + first_line, name))
    return problems


def check_frame(table: Table, frame: pl.DataFrame) -> None:
    """StorageError when a text column of ``frame`` has a NUL byte or a value too long."""
    for name, dtype in frame.schema.items():
        if dtype != pl.String or name not in table.c:
            continue
        column = frame.get_column(name)
        kind = table.c[name].type
        length = kind.length if isinstance(kind, String) else None
        if column.str.contains("\x00", literal=True).any():
            _check_text("\x00", None, table.name, name)
        longest = column.str.len_chars().max()
        if length is not None and isinstance(longest, int) and longest > length:
            _check_text("x" * longest, length, table.name, name)
