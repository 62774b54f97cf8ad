"""Parse text columns of French files into numbers and territory codes, collecting problems.

- Numbers: decimal comma or point, spaces / no-break spaces as thousands separators;
  secrecy and missing markers (``s``, ``secret``, ``nd``, ``n.d.``, ``nc``, ``-``, ``-999``,
  empty…) become a null value with a :class:`MissingReason`, never 0.
- Codes: kept as text, upper-cased, zero-padded (``1`` → ``01`` for a département,
  ``1001`` → ``01001`` for a commune), ``2A``/``2B`` preserved; anything else is a problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import polars as pl

from cotera.errors import Problem
from cotera.indicators.model import MissingReason
from cotera.sources.french_csv import TextTable
from cotera.types import Level

MISSING_MARKERS: dict[str, MissingReason] = {
    "s": MissingReason.SECRET,
    "secret": MissingReason.SECRET,
    "ss": MissingReason.SECRET,
    "c": MissingReason.SECRET,  # "confidentiel"
    "nd": MissingReason.NOT_PUBLISHED,
    "n.d.": MissingReason.NOT_PUBLISHED,
    "n.d": MissingReason.NOT_PUBLISHED,
    "nc": MissingReason.NOT_PUBLISHED,
    "n.c.": MissingReason.NOT_PUBLISHED,
    "na": MissingReason.NOT_PUBLISHED,
    "n/a": MissingReason.NOT_PUBLISHED,
    "nan": MissingReason.NOT_PUBLISHED,
    "-": MissingReason.NOT_PUBLISHED,
    "–": MissingReason.NOT_PUBLISHED,
    "/": MissingReason.NOT_PUBLISHED,
    "-999": MissingReason.NOT_PUBLISHED,
    "-999.0": MissingReason.NOT_PUBLISHED,
    "-999,0": MissingReason.NOT_PUBLISHED,
}

_CODE_RULES: dict[Level, tuple[re.Pattern[str], int]] = {
    Level.REGION: (re.compile(r"\d{2}"), 2),
    Level.DEPARTEMENT: (re.compile(r"\d{2}|2[AB]|97\d"), 2),
    Level.EPCI: (re.compile(r"\d{9}"), 9),
    Level.COMMUNE: (re.compile(r"\d{5}|2[AB]\d{3}"), 5),
}
_EXPECTED_CODE = {
    Level.REGION: "code région à 2 chiffres",
    Level.DEPARTEMENT: "code département (01…95, 2A, 2B, 971…976)",
    Level.EPCI: "SIREN à 9 chiffres",
    Level.COMMUNE: "code commune INSEE à 5 caractères",
}


@dataclass(frozen=True, slots=True)
class ParsedNumbers:
    """A parsed numeric column: values (null when missing), reasons, problems."""

    values: pl.Series  # Float64
    reasons: pl.Series  # String: MissingReason value or null
    problems: tuple[Problem, ...]


def _normalize_number(text: pl.Expr) -> pl.Expr:
    compact = text.str.replace_all(r"[\s\u00a0\u202f']", "")
    has_comma = compact.str.contains(",", literal=True)
    has_point = compact.str.contains(".", literal=True)
    comma_last = compact.str.find(",", literal=True) > compact.str.find(r"\.")
    french = (
        pl.when(has_point & has_comma & comma_last)
        .then(compact.str.replace_all(".", "", literal=True))
        .when(has_point & has_comma)
        .then(compact.str.replace_all(",", "", literal=True))
        .otherwise(compact)
    )
    return french.str.replace(",", ".", literal=True)


def parse_numbers(
    table: TextTable,
    column: str,
    *,
    frame: pl.DataFrame | None = None,
    rows: pl.Series | None = None,
) -> ParsedNumbers:
    """Parse one column of ``table`` (or of ``frame``, a filtered view with ``rows`` numbers)."""
    source = table.frame if frame is None else frame
    line_numbers = (
        pl.Series("row", [table.row_number(i) for i in range(source.height)])
        if rows is None
        else rows
    )
    text = source.get_column(column)
    work = pl.DataFrame({"text": text, "row": line_numbers})
    work = work.with_columns(
        reason=pl.col("text")
        .fill_null("")
        .str.to_lowercase()
        .replace_strict(
            {"": MissingReason.NOT_PUBLISHED.value}
            | {k: v.value for k, v in MISSING_MARKERS.items()},
            default=None,
            return_dtype=pl.String,
        ),
    ).with_columns(
        value=pl.when(pl.col("reason").is_null())
        .then(_normalize_number(pl.col("text")).cast(pl.Float64, strict=False))
        .otherwise(None),
    )
    bad = work.filter(
        pl.col("reason").is_null() & (pl.col("value").is_null() | pl.col("value").is_nan())
    )
    problems = tuple(
        Problem(
            "not_a_number",
            "valeur non numérique",
            file=table.file,
            row=int(row),
            column=column,
            value=str(value),
            expected="nombre (virgule ou point décimal) ou marqueur de secret / absence",
        )
        for value, row in bad.select("text", "row").iter_rows()
    )
    values = work.get_column("value").fill_nan(None).alias(column)
    return ParsedNumbers(values, work.get_column("reason").alias(f"{column}_reason"), problems)


def normalize_code(raw: str, level: Level) -> str | None:
    """The canonical code at ``level`` for ``raw`` text, or None if it is not one."""
    pattern, width = _CODE_RULES[level]
    code = raw.strip().upper().strip('"')
    if code.endswith(".0") and code[:-2].isdigit():  # a code read as a float by a spreadsheet
        code = code[:-2]
    if code.isdigit() and len(code) < width and not (level is Level.DEPARTEMENT and len(code) > 2):
        code = code.zfill(width)
    return code if pattern.fullmatch(code) else None


def parse_codes(
    table: TextTable,
    column: str,
    level: Level,
    *,
    frame: pl.DataFrame | None = None,
    rows: pl.Series | None = None,
) -> tuple[pl.Series, tuple[Problem, ...]]:
    """Parse a code column: canonical codes (null when invalid) and a problem per invalid code."""
    source = table.frame if frame is None else frame
    raw = source.get_column(column).to_list()
    numbers = [table.row_number(i) for i in range(len(raw))] if rows is None else rows.to_list()
    codes: list[str | None] = []
    problems: list[Problem] = []
    for text, row in zip(raw, numbers, strict=True):
        code = normalize_code(text, level) if text is not None else None
        codes.append(code)
        if code is None:
            problems.append(
                Problem(
                    "bad_code",
                    "code de territoire invalide",
                    file=table.file,
                    row=int(row),
                    column=column,
                    value="" if text is None else str(text),
                    expected=_EXPECTED_CODE[level],
                )
            )
    return pl.Series(column, codes, dtype=pl.String), tuple(problems)
