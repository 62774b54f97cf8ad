"""Guards of a data load: mirror files checked against the catalogue, shrinking sources refused.

A mirror file whose sha256 differs from the one its catalogue entry gives (a copy cut in half,
an edited file) is loaded only when the user accepts modified files; the candidate batch of
such a source — or of a source whose files the catalogue cannot verify — is then compared with
the stored one, and a batch that would lose values (rows, territories or years) is refused
unless the user allows a shrink.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from cotera.errors import ModifiedSourceError, Problem, ShrinkError, ValidationError
from cotera.indicators.catalogue import SourceFile
from cotera.sources.download import sha256_of

KEY = ("indicator", "territory", "year")


@dataclass(frozen=True, slots=True)
class LoadOptions:
    """What the user explicitly allows a load to do."""

    accept_modified: bool = False  # load mirror files that differ from the catalogued sha256
    allow_shrink: bool = False  # replace a batch by one covering fewer rows/territories/years


def file_digests(paths: Sequence[Path]) -> dict[Path, str]:
    """The hex sha256 of each file."""
    return {path: sha256_of(path) for path in paths}


def check_files(
    source_id: str,
    files: Sequence[SourceFile],
    digests: Mapping[Path, str],
    paths: Sequence[Path],
    options: LoadOptions,
) -> bool:
    """Whether every file is the catalogued version; ModifiedSourceError when one differs.

    A file without a catalogued sha256 is unverified (False), never refused; an unverified CSV
    whose last line has no line end (a file cut short) is a ValidationError.
    """
    modified = [
        (item.path, item.sha256, digests[path])
        for item, path in zip(files, paths, strict=True)
        if item.sha256 and digests[path] != item.sha256
    ]
    if modified and not options.accept_modified:
        raise ModifiedSourceError(source_id, modified)
    unverified = [path for item, path in zip(files, paths, strict=True)
                  if item.sha256 != digests[path]]  # fmt: skip
    cut = [path for path in unverified if path.suffix.lower() == ".csv" and _cut_short(path)]
    if cut:
        raise ValidationError(
            f"source {source_id} : fichier coupé",
            [Problem("truncated_file", "dernière ligne sans fin de ligne : fichier coupé ?",
                     path.name) for path in cut],
        )  # fmt: skip
    return not modified and all(item.sha256 for item in files)


def _cut_short(path: Path) -> bool:
    """Whether a text file is non-empty and does not end with a line end."""
    with path.open("rb") as handle:
        if handle.seek(0, 2) == 0:
            return False
        handle.seek(-1, 2)
        return handle.read(1) not in (b"\n", b"\r")


def check_coverage(
    source_id: str, stored: pl.DataFrame, candidate: pl.DataFrame, options: LoadOptions
) -> None:
    """ShrinkError when ``candidate`` loses values ``stored`` has (rows, territories, years).

    Both frames hold (indicator, territory, year) keys of observations that have a value.
    """
    if options.allow_shrink or stored.is_empty():
        return
    keys = candidate.filter(pl.col("value").is_not_null()).select(
        pl.col("indicator"), pl.col("territory"), pl.col("year").cast(pl.Int64)
    )
    lost = stored.join(keys, on=list(KEY), how="anti")
    if lost.is_empty():
        return
    territories = set(stored.get_column("territory")) - set(keys.get_column("territory"))
    years = set(stored.get_column("year")) - set(keys.get_column("year"))
    raise ShrinkError(source_id, lost.height, stored.height, len(territories), tuple(sorted(years)))


def check_territories(
    source_id: str, stored: Sequence[str], candidate: Sequence[str], options: LoadOptions
) -> None:
    """ShrinkError when the new territory catalogue drops stored territories."""
    lost = set(stored) - set(candidate)
    if lost and not options.allow_shrink:
        raise ShrinkError(source_id, len(lost), len(stored), len(lost), ())
