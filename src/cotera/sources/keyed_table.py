"""Parse a text table keyed by territory code (and year) into typed columns, all problems."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from cotera.errors import Problem, ValidationError
from cotera.sources.french_csv import TextTable
from cotera.sources.french_values import parse_codes, parse_numbers
from cotera.types import Level

REASON_SUFFIX = "__reason"


@dataclass(frozen=True, slots=True)
class KeyedTable:
    """Typed rows: ``territory`` (canonical code), ``year`` (when asked), value columns
    (Float64, null when missing) each with a ``<column>__reason`` (MissingReason or null)."""

    frame: pl.DataFrame
    problems: tuple[Problem, ...]

    def raise_problems(self, summary: str) -> None:
        """Raise ValidationError listing every problem, if any."""
        if self.problems:
            raise ValidationError(summary, list(self.problems))


def parse_keyed(
    table: TextTable,
    code_column: str,
    level: Level,
    value_columns: Sequence[str],
    *,
    year_column: str | None = None,
    keep: pl.Expr | None = None,
) -> KeyedTable:
    """Parse ``table`` rows (optionally only those matching ``keep``) into a :class:`KeyedTable`.

    Rows whose code is invalid are reported and left out; every problem of the file is
    collected (missing columns, bad codes, non-numeric values, bad years).
    """
    required = [code_column, *value_columns] + ([year_column] if year_column else [])
    problems = table.require(required)
    if problems:
        return KeyedTable(pl.DataFrame(), tuple(problems))
    frame = table.frame.with_row_index("__index")
    if keep is not None:
        frame = frame.filter(keep)
    rows = (frame.get_column("__index") + table.first_line).cast(pl.Int64).alias("row")
    if level is Level.COUNTRY:  # the rows kept are the national ones
        territory = pl.Series("territory", ["fr"] * frame.height, dtype=pl.String)
    else:
        codes, code_problems = parse_codes(table, code_column, level, frame=frame, rows=rows)
        problems.extend(code_problems)
        territory = (level.value + ":" + codes).alias("territory")
    columns: dict[str, pl.Series] = {"row": rows, "territory": territory}
    if year_column:
        years = parse_numbers(table, year_column, frame=frame, rows=rows)
        problems.extend(years.problems)
        check = pl.DataFrame(
            {
                "text": frame.get_column(year_column),
                "row": rows,
                "year": years.values,
                "reason": years.reasons,
            }
        )
        wrong = check.filter(
            pl.col("reason").is_not_null()
            | (
                pl.col("year").is_not_null()
                & (
                    (pl.col("year") != pl.col("year").round(0))
                    | ~pl.col("year").is_between(1900, 2100)
                )
            )
        )
        problems.extend(
            Problem(
                "bad_year",
                "année absente ou invalide",
                file=table.file,
                row=int(row),
                column=year_column,
                value="" if text is None else str(text),
                expected="année entière (1900-2100)",
            )
            for text, row in wrong.select("text", "row").iter_rows()
        )
        columns["year"] = years.values.cast(pl.Int32, strict=False).alias("year")
    for column in value_columns:
        parsed = parse_numbers(table, column, frame=frame, rows=rows)
        problems.extend(parsed.problems)
        columns[column] = parsed.values.alias(column)
        columns[column + REASON_SUFFIX] = parsed.reasons.alias(column + REASON_SUFFIX)
    result = pl.DataFrame(columns).filter(pl.col("territory").is_not_null())
    return KeyedTable(result, tuple(problems))
