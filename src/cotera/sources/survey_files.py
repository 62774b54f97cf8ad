"""Read a survey file (CSV, Excel, SPSS, Stata) into a polars frame, with its content hash."""

from __future__ import annotations

import hashlib
from enum import StrEnum
from pathlib import Path

import polars as pl
import pyreadstat

from cotera.errors import Problem, SourceError, ValidationError
from cotera.sources.french_csv import check_header, header_of, short_reason
from cotera.sources.workbook import read_sheet


class SurveyFileFormat(StrEnum):
    """Formats a survey wave can come in."""

    CSV = "csv"
    EXCEL = "excel"
    SPSS = "spss"
    STATA = "stata"

    @classmethod
    def of(cls, path: Path) -> SurveyFileFormat:
        """The format of ``path`` from its extension."""
        suffix = path.suffix.lower()
        table = {
            ".csv": cls.CSV,
            ".txt": cls.CSV,
            ".xls": cls.EXCEL,
            ".xlsx": cls.EXCEL,
            ".sav": cls.SPSS,
            ".zsav": cls.SPSS,
            ".dta": cls.STATA,
        }
        if suffix not in table:
            raise ValidationError(
                f"format de fichier non reconnu : {path.name}",
                [
                    Problem(
                        "bad-format",
                        "extension inconnue",
                        path.name,
                        value=suffix,
                        expected=".csv, .xls, .xlsx, .sav, .dta",
                    )
                ],
            )
        return table[suffix]


def file_sha256(path: Path) -> str:
    """SHA-256 of the file's bytes (the key of an idempotent import)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_survey_file(path: Path) -> pl.DataFrame:
    """The file's rows; CSV and Excel cells as text, SPSS / Stata values as stored (codes)."""
    if not path.is_file():
        raise SourceError(f"fichier absent : {path}")
    kind = SurveyFileFormat.of(path)
    if kind is SurveyFileFormat.EXCEL:
        return read_sheet(path, header_row=1).frame
    if kind is SurveyFileFormat.CSV:
        with path.open(encoding="utf-8-sig", errors="replace") as handle:
            header = handle.readline()
        separator = ";" if header.count(";") > header.count(",") else ","
        check_header(header_of(header, separator), path.name)
    try:
        if kind is SurveyFileFormat.CSV:
            return pl.read_csv(path, separator=separator, infer_schema=False, encoding="utf8-lossy")
        reader = pyreadstat.read_sav if kind is SurveyFileFormat.SPSS else pyreadstat.read_dta
        frame, _meta = reader(str(path), output_format="polars")
        return frame
    except (pl.exceptions.PolarsError, pyreadstat.ReadstatError, OSError, ValueError) as exc:
        raise ValidationError(
            f"fichier illisible : {path.name}",
            [Problem("unreadable", f"lecture impossible ({short_reason(exc)})", path.name)],
        ) from exc
