"""Build a composite index from any CSV table: read and validate, build, write the result.

One path for the CLI (``cotera index build``) and the API. Reading collects every problem
(missing column, duplicate or empty id, non-numeric value) with file, row and column before
anything is built; the output CSV appears atomically (temporary file, then rename).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import polars as pl

from cotera.errors import Problem, ValidationError
from cotera.index.engine import IndexResult, build
from cotera.index.framework import Framework
from cotera.index.perturbation import UncertaintySpec
from cotera.index.presets import Preset, preset_framework, preset_recipe
from cotera.index.recipe import Recipe
from cotera.index.sensitivity import FACTOR_LABEL_FR, SensitivityResult, sensitivity, share
from cotera.index.uncertainty import UncertaintyResult, uncertainty
from cotera.report.outputs import write_table
from cotera.sources.framework_file import read_framework
from cotera.sources.french_csv import check_header, header_of, short_reason
from cotera.types import ABSURD_MAGNITUDE

Progress = Callable[[int, int], None]
BOM = "\ufeff"


@dataclass(frozen=True, slots=True)
class IndexTable:
    """The indicator matrix of an input file, in framework order."""

    id_column: str
    unit_ids: tuple[str, ...]
    matrix: npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class IndexBuild:
    """What ``build_index_file`` did."""

    out: Path
    result: IndexResult
    spread: UncertaintyResult | None
    sensitivity: SensitivityResult | None = None
    sensitivity_out: Path | None = None


def resolve_method(framework_path: Path | None, preset: Preset | None) -> tuple[Framework, Recipe]:
    """The framework (file, else the preset's) and recipe (preset, else file's, else default)."""
    if framework_path is not None:
        framework = read_framework(framework_path)
    elif preset is not None:
        framework = preset_framework(preset)
    else:
        raise ValidationError(
            "cadre manquant",
            [Problem("index.no_framework", "indiquez --framework FICHIER.toml ou --preset")],
        )
    if preset is not None:
        return framework, preset_recipe(preset)
    return framework, framework.recipe or Recipe()


def read_index_table(path: Path, framework: Framework) -> IndexTable:
    """Read the id column and every indicator column of a CSV file (``,`` or ``;``)."""
    try:
        with path.open(encoding="utf-8-sig") as handle:
            header = handle.readline()
        separator = ";" if header.count(";") > header.count(",") else ","
        check_header(header_of(header, separator), str(path))
        frame = pl.read_csv(path, separator=separator, infer_schema_length=0, encoding="utf8")
    except (OSError, UnicodeDecodeError, pl.exceptions.PolarsError) as exc:
        raise ValidationError(
            "fichier illisible", [Problem("index.unreadable", short_reason(exc), str(path))]
        ) from exc
    frame = frame.rename({c: c.lstrip(BOM).strip() for c in frame.columns})
    file = str(path)
    wanted = [framework.id_column, *(i.source_column for i in framework.indicators)]
    problems = [
        Problem("index.missing_column", "colonne absente", file, column=name)
        for name in dict.fromkeys(wanted)
        if name not in frame.columns
    ]
    if problems:
        raise ValidationError("colonnes manquantes", problems)
    ids = frame[framework.id_column].fill_null("").str.strip_chars().to_list()
    seen: dict[str, int] = {}
    for row, unit in enumerate(ids, start=2):
        if not unit:
            problems.append(
                Problem("index.empty_id", "identifiant vide", file, row, framework.id_column)
            )
        elif unit in seen:
            problems.append(
                Problem(
                    "index.duplicate_id",
                    f"identifiant en double (déjà ligne {seen[unit]})",
                    file,
                    row,
                    framework.id_column,
                    unit,
                )
            )
        else:
            seen[unit] = row
    columns = []
    for indicator in framework.indicators:
        text = frame[indicator.source_column].str.strip_chars()
        if separator == ";":
            text = text.str.replace(",", ".", literal=True)
        values = text.cast(pl.Float64, strict=False)
        values = values.set(values.is_nan() | (values.abs() >= ABSURD_MAGNITUDE), None)
        bad = (text.is_not_null() & (text != "") & values.is_null()).arg_true().to_list()
        problems.extend(
            Problem(
                "index.not_a_number",
                "valeur non numérique",
                file,
                row + 2,
                indicator.source_column,
                str(text[row]),
                "un nombre fini (vide = manquant)",
            )
            for row in bad
        )
        columns.append(values.fill_null(np.nan).to_numpy())
    if problems:
        raise ValidationError("données invalides", problems)
    matrix = np.column_stack(columns) if columns else np.empty((len(ids), 0))
    return IndexTable(framework.id_column, tuple(ids), matrix.astype(np.float64))


def result_frame(
    table: IndexTable, result: IndexResult, spread: UncertaintyResult | None = None
) -> pl.DataFrame:
    """The output table: id, per indicator norm and flag, per family score and pct, overall."""
    columns: dict[str, pl.Series] = {table.id_column: pl.Series(table.unit_ids, dtype=pl.Utf8)}
    for j, code in enumerate(result.framework.indicator_codes):
        norm = result.normalised[:, j]
        flag = np.where(np.isnan(norm), np.nan, result.flags[:, j].astype(np.float64))
        columns[f"{code}__norm"] = _floats(norm)
        columns[f"{code}__flag"] = _floats(flag).cast(pl.Int8)
    for f, code in enumerate(result.framework.family_codes):
        columns[f"{code}__score"] = _floats(result.family_scores[:, f])
        columns[f"{code}__pct"] = _floats(result.family_pcts[:, f])
    columns["overall__score"] = _floats(result.overall_score)
    columns["overall__pct"] = _floats(result.overall_pct)
    columns["overall__rank"] = _floats(result.overall_rank).cast(pl.Int64)
    if spread is not None:
        columns["overall__rank_p05"] = _floats(spread.rank_p05)
        columns["overall__rank_p50"] = _floats(spread.rank_p50)
        columns["overall__rank_p95"] = _floats(spread.rank_p95)
    return pl.DataFrame(columns)


def build_index_file(
    input_path: Path,
    out: Path,
    framework_path: Path | None = None,
    preset: Preset | None = None,
    draws: int = 0,
    seed: int | None = None,
    progress: Progress | None = None,
    *,
    sensitivity_evaluations: int = 0,
    sensitivity_out: Path | None = None,
    sensitivity_progress: Progress | None = None,
) -> IndexBuild:
    """Read ``input_path``, build the index (its rank uncertainty, its sensitivity indices over
    ``sensitivity_evaluations`` evaluations when > 0), write ``out`` (and ``sensitivity_out``)."""
    framework, recipe = resolve_method(framework_path, preset)
    table = read_index_table(input_path, framework)
    result = build(framework, recipe, table.matrix, table.unit_ids)
    spread = uncertainty(result, draws, UncertaintySpec(), seed, progress) if draws > 0 else None
    indices = None
    if sensitivity_evaluations > 0:
        try:
            indices = sensitivity(
                result,
                sensitivity_evaluations,
                UncertaintySpec(),
                seed,
                sensitivity_progress,
            )
        except ValueError as exc:
            raise ValidationError(
                "analyse de sensibilité impossible",
                [
                    Problem(
                        "index.sensitivity",
                        "aucun choix de méthode ne fait varier les rangs, ou trop peu "
                        f"d'évaluations ({exc})",
                        value=str(sensitivity_evaluations),
                    )
                ],
            ) from exc
    write_table(result_frame(table, result, spread), out)
    if indices is not None and sensitivity_out is not None:
        write_table(sensitivity_frame(indices), sensitivity_out)
    return IndexBuild(out, result, spread, indices, sensitivity_out if indices else None)


def sensitivity_frame(result: SensitivityResult) -> pl.DataFrame:
    """One row per varying choice: factor, French label, first-order and total index in [0, 1]."""
    return pl.DataFrame(
        {
            "factor": [i.factor.value for i in result.indices],
            "label_fr": [FACTOR_LABEL_FR[i.factor] for i in result.indices],
            "first_order": [share(i.first_order) for i in result.indices],
            "total": [share(i.total) for i in result.indices],
        },
        schema={
            "factor": pl.Utf8,
            "label_fr": pl.Utf8,
            "first_order": pl.Float64,
            "total": pl.Float64,
        },
    )


def _floats(values: npt.NDArray[np.float64]) -> pl.Series:
    return pl.Series(values, dtype=pl.Float64, nan_to_null=True)
