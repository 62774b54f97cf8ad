"""Read a sheet of an ``.xls`` / ``.xlsx`` workbook as text (fastexcel / calamine engine)."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from cotera.errors import Problem, SourceError, ValidationError
from cotera.sources.french_csv import TextTable, check_header, short_reason


def read_sheet(path: Path, sheet: str | int = 0, header_row: int | None = None) -> TextTable:
    """Read one sheet with every cell as text (stripped; empty cells are null).

    Without ``header_row`` the columns are ``column_1``, ``column_2``… and the data starts at
    row 1; with ``header_row`` (1-based) that row names the columns and data starts below it.
    Numbers come back in their shortest decimal form (``3.858``), never with a thousands mark.
    """
    if not path.is_file():
        raise SourceError(f"classeur absent : {path}")
    try:
        frame = pl.read_excel(
            path,
            engine="calamine",
            infer_schema_length=0,
            **({"sheet_name": sheet} if isinstance(sheet, str) else {"sheet_id": sheet + 1}),
            has_header=False,
        )
    except Exception as exc:  # calamine raises its own error types for corrupt workbooks
        raise ValidationError(
            f"classeur illisible : {path.name}",
            [
                Problem(
                    "unreadable_workbook",
                    f"lecture impossible ({short_reason(exc)})",
                    file=path.name,
                )
            ],
        ) from exc
    frame = frame.with_columns(
        pl.col(name).cast(pl.String).str.strip_chars().replace("", None) for name in frame.columns
    )
    first_line = 1
    if header_row is not None:
        names = [str(v).strip() if v is not None else "" for v in frame.row(header_row - 1)]
        check_header(names, path.name)
        frame = frame.slice(header_row).rename(dict(zip(frame.columns, names, strict=True)))
        first_line = header_row + 1
    return TextTable(path.name, frame, "xls", "", first_line=first_line)
