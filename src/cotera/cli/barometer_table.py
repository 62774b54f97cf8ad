"""The barometer with its survey columns, as a terminal table (``--with-survey``)."""

from __future__ import annotations

from typing import Any

import polars as pl

from cotera.registry.barometer import Dimension
from cotera.report.numbers import format_share

SURVEY_HEADERS = {
    "has": "enq. partenariat",
    "intends": "enq. intention",
    "none": "enq. aucun des deux",
}


def _share(row: dict[str, Any], status: str) -> str:
    value = row[f"survey_{status}"]
    if value is None:
        return row["survey_status"] or "—" if status == "has" else ""
    low, high = row[f"survey_{status}_ci_low"], row[f"survey_{status}_ci_high"]
    return f"{format_share(value)} [{format_share(low)}–{format_share(high)}]"


def survey_table(frame: pl.DataFrame) -> pl.DataFrame:
    """Registry columns, then each survey share with its 95 % interval, base and area (with why
    the territory itself is not read, when it is not)."""
    keys = [c for c in frame.columns if c in {d.value for d in Dimension}]
    rows = []
    for row in frame.iter_rows(named=True):
        shown: dict[str, Any] = {c: row[c] for c in ("year", *keys, "organizations",
                                                     "partnering", "rate")}  # fmt: skip
        shown |= {header: _share(row, status) for status, header in SURVEY_HEADERS.items()}
        synthetic = " (synth.)" if row["survey_wave_synthetic"] else ""
        shown["répondants"] = "" if row["survey_n"] is None else str(row["survey_n"])
        local = row["survey_local_status"]
        why = f" — territoire : {local}" if local and local != "publié" else ""
        shown["lecture"] = (row["survey_area_name"] or "") + synthetic + why
        rows.append(shown)
    return pl.DataFrame(rows, infer_schema_length=None) if rows else frame.drop("synthetic")
