"""Read real French CSV files: encodings, BOM, gzip, ``;`` or ``,`` separators.

Everything is read as text first (codes keep their leading zeros, ``2A``/``2B`` stay letters);
numbers and codes are then parsed column by column with :mod:`cotera.sources.french_values`,
which collects every problem instead of stopping at the first.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from cotera.errors import Problem, SourceError, ValidationError

_SEPARATORS = (";", ",", "\t", "|")
_GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True, slots=True)
class TextTable:
    """A CSV file read as text: every column is a polars ``String`` (null = empty cell)."""

    file: str  # file name used in problem reports
    frame: pl.DataFrame
    encoding: str
    separator: str
    first_line: int = 2  # line (or sheet row) number of the first data row; header = line 1

    def row_number(self, index: int) -> int:
        """The 1-based line (or sheet row) number of the data row at ``index``."""
        return index + self.first_line

    def require(self, columns: Sequence[str]) -> list[Problem]:
        """A problem per missing column."""
        return [
            Problem(
                "missing_column",
                "colonne absente",
                file=self.file,
                column=column,
                expected=f"colonnes : {', '.join(columns)}",
            )
            for column in columns
            if column not in self.frame.columns
        ]


def short_reason(exc: BaseException) -> str:
    """The gist of a reader's error: polars' "Original error" or its first line, kept short."""
    text = str(exc)
    if "Original error: ```" in text:
        text = text.split("Original error: ```", 1)[1].split("```", 1)[0]
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    first = lines[0] if lines else type(exc).__name__
    return first if len(first) <= 200 else first[:199] + "…"


def check_header(names: Sequence[str], file: str) -> None:
    """ValidationError when a column name comes twice (the last value would win silently)."""
    cleaned = [name.strip().lstrip("\ufeff").strip('"') for name in names]
    twice = sorted({name for name in cleaned if name and cleaned.count(name) > 1})
    if twice:
        raise ValidationError(
            f"{file} : colonne(s) en double",
            [Problem("duplicate_column", f"colonne présente {cleaned.count(name)} fois", file,
                     1, name) for name in twice],
        )  # fmt: skip


def header_of(text: str, separator: str) -> list[str]:
    """The column names of the first line of ``text``."""
    try:
        return next(csv.reader([text.split("\n", 1)[0].rstrip("\r")], delimiter=separator), [])
    except csv.Error:
        return []


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode a file's bytes: gunzip if needed, UTF-8 (BOM stripped), else cp1252, else latin-1.

    Returns ``(text, encoding)``.
    """
    if data[:2] == _GZIP_MAGIC:
        data = gzip.decompress(data)
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def sniff_separator(text: str) -> str:
    """The separator splitting the first lines into the most, and most stable, fields."""
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    if not lines:
        return ";"
    best, best_score = ";", (-1, -1)
    for separator in _SEPARATORS:
        try:
            widths = [len(row) for row in csv.reader(lines, delimiter=separator)]
        except csv.Error:
            continue
        header = widths[0]
        if header < 2:
            continue
        stable = sum(1 for width in widths if width == header)
        score = (stable, header)
        if score > best_score:
            best, best_score = separator, score
    return best


def parse_text_table(text: str, file: str, separator: str | None = None) -> TextTable:
    """Parse decoded CSV text into a :class:`TextTable` (all columns as text, stripped)."""
    sep = separator or sniff_separator(text)
    check_header(header_of(text, sep), file)
    try:
        frame = pl.read_csv(
            io.StringIO(text),
            separator=sep,
            infer_schema=False,
            quote_char='"',
            truncate_ragged_lines=False,
        )
    except (pl.exceptions.ComputeError, pl.exceptions.NoDataError) as exc:
        raise ValidationError(
            f"fichier CSV illisible : {file}",
            [Problem("unreadable_csv", f"structure CSV invalide ({short_reason(exc)})", file=file)],
        ) from exc
    frame = frame.rename({name: name.strip() for name in frame.columns})
    frame = frame.with_columns(
        pl.col(name).str.strip_chars().replace("", None) for name in frame.columns
    )
    return TextTable(file=file, frame=frame, encoding="utf-8", separator=sep)


def read_text_table(path: Path, separator: str | None = None) -> TextTable:
    """Read a French CSV (optionally gzip-compressed) as text."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"lecture impossible : {path} ({exc.strerror})") from exc
    try:
        text, encoding = decode_bytes(data)
    except (OSError, EOFError, zlib.error) as exc:
        raise ValidationError(
            f"fichier compressé illisible : {path.name}",
            [Problem("truncated_gzip", f"fichier compressé tronqué ou corrompu ({exc})",
                     file=path.name)],
        ) from exc  # fmt: skip
    table = parse_text_table(text, path.name, separator)
    return TextTable(table.file, table.frame, encoding, table.separator)
