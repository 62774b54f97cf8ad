"""Survey responses: column mapping from a user's file to the questionnaire, and validation.

A mapping says which file column holds each questionnaire variable and how file values
translate to answer codes (``[values.<variable or scale>]``). Validation checks every row and
reports every problem (row, column, value, expected) in one :class:`ValidationError`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from cotera.errors import Problem, ValidationError
from cotera.survey.questionnaire import Prism, Questionnaire, Variable, VariableKind
from cotera.types import ABSURD_MAGNITUDE

MAX_PROBLEMS_PER_COLUMN = 10_000
FIRST_DATA_ROW = 2  # row 1 holds the column names


@dataclass(frozen=True)
class ColumnMapping:
    """File column of each variable (identity by default), value recoding, constant prism."""

    columns: Mapping[str, str] = field(default_factory=dict)
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    prism: Prism | None = None

    def column(self, variable: str) -> str:
        """The file column holding ``variable``."""
        return self.columns.get(variable, variable)

    def recode(self, variable: Variable) -> dict[str, str]:
        """File value → answer code for ``variable`` (its scale's table, then its own)."""
        table: dict[str, str] = {}
        if variable.scale is not None:
            table.update(self.values.get(variable.scale.code, {}))
        table.update(self.values.get(variable.name, {}))
        return table


def parse_mapping(raw: Mapping[str, Any], questionnaire: Questionnaire) -> ColumnMapping:
    """A mapping from parsed TOML (``prism``, ``[columns]``, ``[values.X]``); checked."""
    problems: list[Problem] = []
    names = {v.name for v in questionnaire.variables}
    scales = {s.code for s in questionnaire.scales}
    columns = {str(k): str(v) for k, v in raw.get("columns", {}).items()}
    for name in columns:
        if name not in names:
            problems.append(
                Problem("unknown-variable", "variable inconnue", "correspondance", column=name)
            )
    values = {
        str(k): {str(a): str(b) for a, b in v.items()} for k, v in raw.get("values", {}).items()
    }
    for name in values:
        if name not in names and name not in scales:
            problems.append(
                Problem(
                    "unknown-variable",
                    "variable ou échelle inconnue",
                    "correspondance",
                    column=name,
                )
            )
    prism = None
    if "prism" in raw:
        try:
            prism = Prism(str(raw["prism"]))
        except ValueError:
            problems.append(
                Problem(
                    "bad-prism",
                    "prisme inconnu",
                    "correspondance",
                    value=str(raw["prism"]),
                    expected=", ".join(p.value for p in Prism),
                )
            )
    if problems:
        raise ValidationError("correspondance de colonnes invalide", problems)
    return ColumnMapping(columns, values, prism)


def _problems_for(
    column: str,
    values: pl.Series,
    bad: pl.Series,
    code: str,
    message: str,
    file: str,
    expected: str,
) -> list[Problem]:
    rows = bad.arg_true()
    out = [
        Problem(
            code,
            message,
            file,
            int(i) + FIRST_DATA_ROW,
            column,
            None if values[int(i)] is None else str(values[int(i)]),
            expected,
        )
        for i in rows[:MAX_PROBLEMS_PER_COLUMN]
    ]
    if rows.len() > MAX_PROBLEMS_PER_COLUMN:
        out.append(
            Problem(
                code,
                f"… et {rows.len() - MAX_PROBLEMS_PER_COLUMN} autres lignes",
                file,
                column=column,
            )
        )
    return out


def validate_responses(
    frame: pl.DataFrame,
    questionnaire: Questionnaire,
    mapping: ColumnMapping | None = None,
    *,
    prism: Prism | None = None,
    file: str = "",
) -> pl.DataFrame:
    """Canonical responses (answer codes as text, ``weight`` as float) or every problem."""
    mapping = mapping or ColumnMapping()
    problems: list[Problem] = []
    prism = prism or mapping.prism
    prism_column = mapping.column("prism")
    if prism is None:
        if prism_column not in frame.columns:
            raise ValidationError(
                "réponses invalides",
                [
                    Problem(
                        "missing-prism",
                        "prisme inconnu : ni colonne « prism » ni option",
                        file,
                        expected=", ".join(p.value for p in Prism),
                    )
                ],
            )
        found = frame[prism_column].cast(pl.Utf8).unique().drop_nulls().to_list()
        if len(found) != 1 or found[0] not in {p.value for p in Prism}:
            raise ValidationError(
                "réponses invalides",
                [
                    Problem(
                        "bad-prism",
                        "un fichier = un prisme",
                        file,
                        column=prism_column,
                        value=", ".join(map(str, found)),
                        expected=", ".join(p.value for p in Prism),
                    )
                ],
            )
        prism = Prism(found[0])
    out: dict[str, pl.Series] = {}
    n = frame.height
    for variable in questionnaire.columns_for(prism):
        source = mapping.column(variable.name)
        if variable.kind is VariableKind.PRISM:
            out["prism"] = pl.Series("prism", [prism.value] * n, dtype=pl.Utf8)
            continue
        if source not in frame.columns:
            mandatory = variable.kind in (VariableKind.ID, VariableKind.DESIGN)
            if mandatory and variable.required:
                problems.append(
                    Problem(
                        "missing-column",
                        "colonne manquante",
                        file,
                        column=source,
                        expected=variable.label_fr,
                    )
                )
            dtype = pl.Float64 if variable.kind is VariableKind.WEIGHT else pl.Utf8
            out[variable.name] = pl.Series(variable.name, [None] * n, dtype=dtype)
            continue
        raw = frame[source]
        if variable.kind is VariableKind.WEIGHT:
            weight = (
                raw.cast(pl.Utf8)
                .str.strip_chars()
                .str.replace(",", ".")
                .cast(pl.Float64, strict=False)
            )
            bad = (
                weight.is_null() | (weight <= 0) | weight.is_nan() | (weight >= ABSURD_MAGNITUDE)
            ).fill_null(True)
            problems += _problems_for(
                source, raw, bad, "bad-weight", "poids invalide", file, "nombre fini > 0"
            )
            out["weight"] = weight.alias("weight")
            continue
        text = _as_text(raw)
        if variable.scale is not None:
            text = text.replace(mapping.recode(variable)) if mapping.recode(variable) else text
            codes = list(variable.scale.codes())
            bad = text.is_not_null() & ~text.is_in(codes)
            if variable.kind is VariableKind.DESIGN:
                bad = bad | text.is_null()
            problems += _problems_for(
                source, raw, bad, "bad-value", "valeur hors échelle", file, ", ".join(codes)
            )
        if variable.kind is VariableKind.ID:
            bad = text.is_null() | text.is_duplicated()
            problems += _problems_for(
                source, raw, bad, "bad-id", "identifiant vide ou en double", file, "unique"
            )
        out[variable.name] = text.alias(variable.name)
    if problems:
        raise ValidationError(f"réponses invalides ({prism.value})", problems)
    return pl.DataFrame(list(out.values()))


def _as_text(series: pl.Series) -> pl.Series:
    """Values as trimmed text; floats that are whole numbers lose their ``.0``; '' is null."""
    if series.dtype.is_float():
        whole = series.is_not_null() & (series == series.round(0))
        text = pl.select(
            pl.when(whole)
            .then(series.cast(pl.Int64, strict=False).cast(pl.Utf8))
            .otherwise(series.cast(pl.Utf8))
        ).to_series()
    else:
        text = series.cast(pl.Utf8)
    text = text.str.strip_chars()
    return pl.select(pl.when(text == "").then(None).otherwise(text)).to_series().alias(series.name)
