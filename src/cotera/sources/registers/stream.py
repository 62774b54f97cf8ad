"""Stream a large CSV in bounded batches: per-line encoding fallback, progress, problems.

Rows cut short, duplicate columns and identifiers given twice are errors, never rows with
empty fields or silently replaced values.
"""

from __future__ import annotations

import csv
import gzip
import zlib
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Generic, TypeVar, cast

import numpy as np

from cotera.errors import Problem, ValidationError

T = TypeVar("T")
Progress = Callable[[int, int], None]  # (bytes read, total bytes)
DEFAULT_BATCH_ROWS = 50_000
NO_DATE = {"", "0001-01-01", "0000-00-00"}


@dataclass(slots=True)
class Batch(Generic[T]):
    """Parsed records of a slice of the file, with the problems found in it."""

    records: list[T] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)  # rows rejected
    warnings: list[Problem] = field(default_factory=list)  # values dropped, row kept
    rows_read: int = 0
    skipped: int = 0  # rows left out on purpose (e.g. sole proprietors in SIRENE)


class _Lines:
    """UTF-8 lines, falling back to Windows-1252 line by line (older RNA exports are Latin).

    ``unterminated`` becomes True when the last line has no line end (a file cut short).
    """

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.unterminated = False

    def __iter__(self) -> Iterator[str]:
        first = True
        for line in self.raw:
            if first and line.startswith(b"\xef\xbb\xbf"):
                line = line[3:]
            first = False
            self.unterminated = not line.endswith(b"\n")
            try:
                yield line.decode("utf-8")
            except UnicodeDecodeError:
                yield line.decode("cp1252", errors="replace")


def open_binary(path: Path) -> IO[bytes]:
    with path.open("rb") as probe:
        gzipped = probe.read(2) == b"\x1f\x8b"
    return cast(IO[bytes], gzip.open(path, "rb")) if gzipped else path.open("rb")


Row = tuple[int, dict[str, str] | Problem]  # (line number, row or why it cannot be read)


def stream_rows(
    path: Path,
    required: tuple[str, ...],
    delimiter: str | None = None,
    progress: Progress | None = None,
) -> Iterator[Row]:
    """(line number, row) pairs; the header must hold every ``required`` column, once.

    A row with more or fewer fields than the header, or the last row of a file cut short (no
    line end), comes as a Problem; a file that cannot be read on (truncated gzip, malformed
    CSV, a field over the CSV field limit) stops with a ValidationError naming the line.
    """
    total = path.stat().st_size
    number = 1
    try:
        with open_binary(path) as raw:
            lines = _Lines(raw)
            iterator = iter(lines)
            header_line = next(iterator, "")
            separator = delimiter or (
                ";" if header_line.count(";") > header_line.count(",") else ","
            )
            header = [
                h.strip().strip('"') for h in next(csv.reader([header_line], delimiter=separator))
            ]
            _check_header(path.name, header, required)
            reader = csv.reader(iterator, delimiter=separator)
            for number, fields in enumerate(reader, start=2):
                if not fields:
                    continue  # blank line
                if progress is not None and number % 10_000 == 0:
                    progress(_position(raw), total)
                yield number, _row(path.name, number, header, fields, lines.unterminated)
    except (EOFError, OSError, zlib.error) as exc:
        raise ValidationError(
            f"{path.name} : fichier compressé tronqué ou illisible",
            [Problem("fichier_tronque", f"lecture interrompue après la ligne {number} ({exc})",
                     path.name, number + 1)],
        ) from exc  # fmt: skip
    except csv.Error as exc:
        raise ValidationError(
            f"{path.name} : structure CSV invalide",
            [Problem("csv_invalide", _csv_reason(exc), path.name, number + 1)],
        ) from exc
    if progress is not None:
        progress(total, total)


def _check_header(file: str, header: list[str], required: tuple[str, ...]) -> None:
    problems = [Problem("colonne_manquante", f"colonne {c!r} absente", file, 1, c)
                for c in required if c not in header]  # fmt: skip
    problems += [
        Problem("colonne_en_double", f"colonne présente {header.count(c)} fois", file, 1, c)
        for c in sorted({c for c in header if header.count(c) > 1})
    ]
    if problems:
        raise ValidationError(f"{file} : en-tête invalide", problems)


def _row(
    file: str, number: int, header: list[str], fields: list[str], unterminated: bool
) -> dict[str, str] | Problem:
    if unterminated:
        return Problem("ligne_tronquee", "dernière ligne sans fin de ligne : fichier coupé ?",
                       file, number, header[min(len(fields), len(header)) - 1])  # fmt: skip
    if len(fields) != len(header):
        return Problem("ligne_incomplete" if len(fields) < len(header) else "champs_en_trop",
                       f"{len(fields)} champ(s) au lieu de {len(header)}", file, number,
                       header[min(len(fields), len(header)) - 1] if fields else None)  # fmt: skip
    for name, value in zip(header, fields, strict=True):
        if "\x00" in value:
            return Problem("caractere_nul", "caractère nul (octet 0) : fichier corrompu ?",
                           file, number, name)  # fmt: skip
    return {name: value.strip() for name, value in zip(header, fields, strict=True)}


def _csv_reason(exc: csv.Error) -> str:
    text = str(exc)
    if "field larger than field limit" in text:
        return f"champ de plus de {csv.field_size_limit():,} caractères : fichier mal formé ?"
    return f"ligne CSV illisible ({text})"


def _position(raw: IO[bytes]) -> int:
    """Bytes consumed so far (compressed bytes for gzip files)."""
    inner = getattr(raw, "fileobj", None)
    try:
        return int((inner or raw).tell())
    except (OSError, ValueError):
        return 0


class _Keys:
    """Identifiers seen in a file (8-byte hashes and line numbers), to report duplicates."""

    def __init__(self) -> None:
        self.hashes = array("q")
        self.lines = array("q")

    def add(self, value: str, line: int) -> None:
        self.hashes.append(hash(value))
        self.lines.append(line)

    def duplicates(self, file: str, column: str) -> list[Problem]:
        hashes = np.frombuffer(self.hashes, dtype=np.int64)
        lines = np.frombuffer(self.lines, dtype=np.int64)
        order = np.argsort(hashes, kind="stable")
        repeated = np.flatnonzero(hashes[order][1:] == hashes[order][:-1]) + 1
        first = {int(hashes[order[i]]): int(lines[order[i - 1]]) for i in repeated[::-1]}
        return [
            Problem("identifiant_en_double", f"identifiant déjà présent ligne "
                    f"{first[int(hashes[order[i]])]}", file, int(lines[order[i]]), column)
            for i in repeated
        ]  # fmt: skip


def batched(
    rows: Iterator[Row],
    parse: Callable[[int, dict[str, str], Batch[T]], None],
    size: int = DEFAULT_BATCH_ROWS,
    key: tuple[str, str] | None = None,
) -> Iterator[Batch[T]]:
    """Group parsed rows into batches of at most ``size`` rows read.

    ``key`` (file name, identifier column): identifiers of kept rows given twice are errors,
    reported in a last batch once the whole file is read (16 bytes per kept row).
    """
    seen = _Keys()
    batch: Batch[T] = Batch()
    for number, row in rows:
        batch.rows_read += 1
        if isinstance(row, Problem):
            batch.errors.append(row)
        else:
            records = len(batch.records)
            parse(number, row, batch)
            if key is not None and len(batch.records) > records:  # rows kept: bounded keys
                seen.add(row[key[1]].upper(), number)
        if batch.rows_read >= size:
            yield batch
            batch = Batch()
    if key is not None:
        batch.errors += sorted(seen.duplicates(*key), key=lambda p: p.row or 0)
    if batch.rows_read or batch.errors:
        yield batch


def parse_date(text: str) -> date:
    """``YYYY-MM-DD`` (a time part is ignored); ValueError when malformed."""
    return date.fromisoformat(text[:10])


def optional_date(
    text: str, file: str, number: int, column: str, batch: Batch[T]
) -> tuple[date | None, bool]:
    """(date or None, ok): empty and ``0001-01-01`` give None; malformed is an error."""
    if text in NO_DATE:
        return None, True
    try:
        return parse_date(text), True
    except ValueError:
        batch.errors.append(
            Problem("date_invalide", "date illisible", file, number, column, text, "AAAA-MM-JJ")
        )
        return None, False
