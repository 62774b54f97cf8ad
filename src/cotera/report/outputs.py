"""Every table and JSON document Cotera writes for people: CSV, Excel, JSON.

Text cells starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return are prefixed
with ``'`` so that a spreadsheet never runs them as formulas (OWASP, CSV injection); plain
numbers written as text (``-3.5``) are left as they are. JSON is always valid JSON: a NaN or
infinite number becomes ``null`` (a missing value), never the invalid ``NaN`` token.
Files appear atomically (temporary file renamed into place).
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import polars as pl

from cotera.errors import OutputError

_FORMULA = r"^[=+\-@\t\r]"
_NUMBER = r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$"
EXCEL_SUFFIXES = (".xlsx",)


def neutralise_formulas(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with every text cell that a spreadsheet would read as a formula quoted."""
    return frame.with_columns(
        pl.when(pl.col(name).str.contains(_FORMULA) & ~pl.col(name).str.contains(_NUMBER))
        .then(pl.lit("'") + pl.col(name))
        .otherwise(pl.col(name))
        .alias(name)
        for name, dtype in frame.schema.items()
        if dtype == pl.String
    )


def csv_text(frame: pl.DataFrame) -> str:
    """The CSV text of ``frame``, formulas neutralised (for the standard output)."""
    return neutralise_formulas(frame).write_csv()


def write_table(frame: pl.DataFrame, out: Path) -> Path:
    """Write ``frame`` to ``out`` (Excel for ``.xlsx``, else CSV), formulas neutralised.

    The folder is created when missing; OutputError (in French) when the file cannot be written.
    """
    safe = neutralise_formulas(frame)
    if out.suffix.lower() in EXCEL_SUFFIXES:
        return _write_atomic(out, safe.write_excel)
    return _write_atomic(out, safe.write_csv)


def write_text(out: Path, text: str) -> Path:
    """Write a UTF-8 text file (an HTML portrait…) atomically; OutputError when impossible."""
    return _write_atomic(out, lambda path: Path(path).write_text(text, encoding="utf-8"))


def _write_atomic(out: Path, write: Callable[[str], object]) -> Path:
    temporary = ""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(
            prefix=f".{out.name}.", suffix=out.suffix or ".tmp", dir=out.parent
        )
        os.close(handle)
        write(temporary)
        os.replace(temporary, out)
    except OSError as exc:
        raise OutputError(f"écriture impossible : {out} ({exc.strerror or exc})") from exc
    finally:
        if temporary and os.path.exists(temporary):
            os.unlink(temporary)
    return out


def finite(data: Any) -> Any:
    """``data`` with every NaN or infinite float replaced by None (missing)."""
    if isinstance(data, float):
        return data if math.isfinite(data) else None
    if isinstance(data, Mapping):
        return {key: finite(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [finite(value) for value in data]
    return data


def json_text(data: Any, indent: int | None = 2) -> str:
    """Valid JSON for people and programs: non-finite numbers as null, accents kept."""
    return json.dumps(finite(data), ensure_ascii=False, indent=indent, allow_nan=False)
