"""Stream a large CSV in bounded batches: per-line encoding fallback, progress, problems."""

from __future__ import annotations

import csv
import gzip
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Generic, TypeVar, cast

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


def _decoded_lines(raw: IO[bytes]) -> Iterator[str]:
    """UTF-8 lines, falling back to Windows-1252 line by line (older RNA exports are Latin)."""
    first = True
    for line in raw:
        if first and line.startswith(b"\xef\xbb\xbf"):
            line = line[3:]
        first = False
        try:
            yield line.decode("utf-8")
        except UnicodeDecodeError:
            yield line.decode("cp1252", errors="replace")


def open_binary(path: Path) -> IO[bytes]:
    with path.open("rb") as probe:
        gzipped = probe.read(2) == b"\x1f\x8b"
    return cast(IO[bytes], gzip.open(path, "rb")) if gzipped else path.open("rb")


def stream_rows(
    path: Path,
    required: tuple[str, ...],
    delimiter: str | None = None,
    progress: Progress | None = None,
) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) pairs; the header must hold every ``required`` column."""
    total = path.stat().st_size
    with open_binary(path) as raw:
        lines = _decoded_lines(raw)
        header_line = next(lines, "")
        separator = delimiter or (";" if header_line.count(";") > header_line.count(",") else ",")
        header = [
            h.strip().strip('"') for h in next(csv.reader([header_line], delimiter=separator))
        ]
        missing = [c for c in required if c not in header]
        if missing:
            raise ValidationError(
                f"{path.name} : colonnes manquantes",
                [Problem("colonne_manquante", f"colonne {c!r} absente", path.name, 1, c)
                 for c in missing],
            )  # fmt: skip
        reader = csv.DictReader(lines, fieldnames=header, delimiter=separator)
        for number, row in enumerate(reader, start=2):
            if progress is not None and number % 10_000 == 0:
                progress(_position(raw), total)
            yield number, {k: (v or "").strip() for k, v in row.items() if k is not None}
        if progress is not None:
            progress(total, total)


def _position(raw: IO[bytes]) -> int:
    """Bytes consumed so far (compressed bytes for gzip files)."""
    inner = getattr(raw, "fileobj", None)
    try:
        return int((inner or raw).tell())
    except (OSError, ValueError):
        return 0


def batched(
    rows: Iterator[tuple[int, dict[str, str]]],
    parse: Callable[[int, dict[str, str], Batch[T]], None],
    size: int = DEFAULT_BATCH_ROWS,
) -> Iterator[Batch[T]]:
    """Group parsed rows into batches of at most ``size`` rows read."""
    batch: Batch[T] = Batch()
    for number, row in rows:
        batch.rows_read += 1
        parse(number, row, batch)
        if batch.rows_read >= size:
            yield batch
            batch = Batch()
    if batch.rows_read:
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
