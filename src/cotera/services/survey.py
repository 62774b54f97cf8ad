"""Survey use cases shared by the CLI and the API: rake, estimate, synthesise, import, compare."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from cotera.errors import ConfigurationError, Problem, ValidationError
from cotera.report.outputs import write_table
from cotera.sources.survey_files import read_survey_file
from cotera.survey.design import SurveyDesign, make_design
from cotera.survey.estimation import EstimateTable, Statistic, mean, proportions
from cotera.survey.questionnaire import Prism, phare_questionnaire
from cotera.survey.raking import ConvergenceReport, Margin, RakingResult, parse_margins, rake
from cotera.survey.secrecy import CellStatus, min_respondents, suppress_vector
from cotera.survey.synthetic import SYNTHETIC_LABEL, generate
from cotera.types import ABSURD_MAGNITUDE


@dataclass(frozen=True)
class PublishedTable:
    """Estimates with the statistical-secrecy status of each domain applied."""

    table: EstimateTable
    statuses: Mapping[str, CellStatus]
    threshold: int
    synthetic: bool

    def frame(self) -> pl.DataFrame:
        """Rows ``domain, level, estimate, se, ci_low, ci_high, n, deff, status, variance``;
        figures of hidden domains are blank."""
        records = []
        for row in self.table.rows:
            status = self.statuses[row.domain]
            hidden = status.hidden
            records.append(
                {
                    "domain": row.domain,
                    "level": row.level,
                    "estimate": None if hidden else row.estimate,
                    "se": None if hidden else row.se,
                    "ci_low": None if hidden else row.ci_low,
                    "ci_high": None if hidden else row.ci_high,
                    "n": None if hidden else row.n,
                    "deff": None if hidden else row.deff,
                    "status": status.value,
                    "variance": self.table.variance.value,
                }
            )
        frame = pl.DataFrame(
            records,
            schema={
                "domain": pl.Utf8,
                "level": pl.Utf8,
                "estimate": pl.Float64,
                "se": pl.Float64,
                "ci_low": pl.Float64,
                "ci_high": pl.Float64,
                "n": pl.Int64,
                "deff": pl.Float64,
                "status": pl.Utf8,
                "variance": pl.Utf8,
            },
        )
        if self.synthetic:
            frame = frame.with_columns(pl.lit(SYNTHETIC_LABEL).alias("note"))
        return frame


def read_margins(path: Path) -> tuple[Margin, ...]:
    """Margins from a ``variable,level,total`` CSV file."""
    return parse_margins(read_survey_file(path), path.name)


def _bounds(text: str | None) -> tuple[float, float] | None:
    if not text:
        return None
    try:
        low, high = (float(part) for part in text.split(","))
    except ValueError as exc:
        raise ConfigurationError(f"bornes invalides : {text!r} (attendu BASSE,HAUTE)") from exc
    return low, high


def _weights(frame: pl.DataFrame, column: str | None, file: str) -> np.ndarray | None:
    if column is None:
        return None
    if column not in frame.columns:
        raise ValidationError(
            "colonne de poids absente",
            [Problem("missing-column", "colonne manquante", file, column=column)],
        )
    weights = frame[column].cast(pl.Utf8).str.replace(",", ".").cast(pl.Float64, strict=False)
    bad = (
        weights.is_null() | (weights <= 0) | weights.is_nan() | (weights >= ABSURD_MAGNITUDE)
    ).fill_null(True)
    if bad.any():
        rows = bad.arg_true().to_list()
        raise ValidationError(
            "poids invalides",
            [
                Problem(
                    "bad-weight",
                    "poids invalide",
                    file,
                    int(i) + 2,
                    column,
                    str(frame[column][int(i)]),
                    "nombre fini > 0",
                )
                for i in rows
            ],
        )
    return weights.to_numpy()


def rake_file(
    data: Path,
    margins: Path,
    out: Path,
    *,
    weight: str | None = None,
    tolerance: float = 1e-8,
    bounds: str | None = None,
) -> ConvergenceReport:
    """Rake the rows of ``data`` to ``margins`` and write them with a ``weight`` column.

    Nothing is written when the raking does not converge.
    """
    frame = read_survey_file(data)
    result = rake(
        frame,
        read_margins(margins),
        base_weights=_weights(frame, weight, data.name),
        tolerance=tolerance,
        bounds=_bounds(bounds),
    )
    if not result.report.converged:
        return result.report
    write_table(frame.with_columns(pl.Series("weight", result.weights)), out)
    return result.report


def is_synthetic(frame: pl.DataFrame) -> bool:
    if "synthetic" not in frame.columns:
        return False
    return bool(frame["synthetic"].cast(pl.Utf8).str.to_lowercase().is_in(["true", "1"]).all())


def secrecy_threshold(frame: pl.DataFrame, given: int | None) -> int:
    if given is not None:
        return given
    if "prism" in frame.columns:
        prisms = frame["prism"].unique().drop_nulls().to_list()
        if len(prisms) == 1 and prisms[0] in {p.value for p in Prism}:
            return min_respondents(prisms[0])
    return min_respondents(Prism.CITIZENS)


def estimate_frame(
    frame: pl.DataFrame,
    variable: str,
    *,
    weight: str | None = "weight",
    by: str | None = None,
    strata: str | None = None,
    cluster: str | None = None,
    statistic: Statistic = Statistic.PROPORTION,
    raking: RakingResult | None = None,
    threshold: int | None = None,
    file: str = "",
) -> PublishedTable:
    """Estimates of ``variable`` (overall or by ``by``) with secrecy applied by domain."""
    missing = [c for c in (variable, by, strata, cluster) if c and c not in frame.columns]
    if missing:
        raise ValidationError(
            "colonnes absentes",
            [Problem("missing-column", "colonne manquante", file, column=c) for c in missing],
        )
    if raking is not None:
        weights = raking.weights
    else:
        given = _weights(frame, weight, file)
        weights = np.ones(frame.height) if given is None else given
    design = make_design(
        weights,
        strata=None if strata is None else frame[strata].cast(pl.Utf8).to_numpy(),
        clusters=None if cluster is None else frame[cluster].cast(pl.Utf8).to_numpy(),
        calibration=None if raking is None else raking.calibration(),
    )
    return _publish(design, frame, variable, by, statistic, secrecy_threshold(frame, threshold))


def _publish(
    design: SurveyDesign,
    frame: pl.DataFrame,
    variable: str,
    by: str | None,
    statistic: Statistic,
    threshold: int,
) -> PublishedTable:
    domains = None if by is None else frame[by].cast(pl.Utf8).fill_null("").to_numpy()
    column = frame[variable]
    if statistic is Statistic.MEAN:
        values = column.cast(pl.Utf8).str.replace(",", ".").cast(pl.Float64, strict=False)
        absurd = (values.is_nan() | (values.abs() >= ABSURD_MAGNITUDE)).fill_null(False)
        if absurd.any():
            raise ValidationError(
                "valeurs non finies",
                [Problem("not-finite", "valeur non finie ou démesurée", "", int(i) + 2, variable,
                         str(column[int(i)]), "un nombre fini") for i in absurd.arg_true()],
            )  # fmt: skip
        table = mean(design, values.to_numpy(), by=domains, variable=variable, by_name=by)
    else:
        text = column.cast(pl.Utf8)
        levels = _scale_levels(variable)
        table = proportions(
            design,
            text.fill_null("").to_numpy(),
            by=domains,
            levels=levels,
            missing=text.is_null().to_numpy(),
            variable=variable,
            by_name=by,
        )
    bases: dict[str, int] = {}
    for row in table.rows:
        bases[row.domain] = row.n
    keys = list(bases)
    statuses, _ = suppress_vector([bases[k] for k in keys], threshold, keys)
    return PublishedTable(
        table, dict(zip(keys, statuses, strict=True)), threshold, is_synthetic(frame)
    )


def _scale_levels(variable: str) -> tuple[str, ...] | None:
    try:
        scale = phare_questionnaire().variable(variable).scale
    except ConfigurationError:
        return None
    return None if scale is None else scale.codes()


def estimate_file(
    data: Path,
    variable: str,
    *,
    weight: str | None = None,
    by: str | None = None,
    strata: str | None = None,
    cluster: str | None = None,
    statistic: Statistic = Statistic.PROPORTION,
    margins: Path | None = None,
    threshold: int | None = None,
) -> PublishedTable:
    """:func:`estimate_frame` on a file; with ``margins``, rake first (SE account for it)."""
    frame = read_survey_file(data)
    raking = None
    if margins is not None:
        raking = rake(frame, read_margins(margins), base_weights=_weights(frame, weight, data.name))
    return estimate_frame(
        frame,
        variable,
        weight=weight,
        by=by,
        strata=strata,
        cluster=cluster,
        statistic=statistic,
        raking=raking,
        threshold=threshold,
        file=data.name,
    )


def synthesize(
    prism: Prism,
    n: int,
    seed: int,
    out: Path,
    percentiles: Mapping[str, Mapping[str, float]] | None = None,
) -> pl.DataFrame:
    """Write a synthetic sample (CSV, Excel by extension) and return it.

    ``percentiles[region][fragility]`` (objective, 0..1; ``cotera.services.survey_regions``)
    give the regional variation of perceived impacts; without them there is none.
    """
    frame = generate(prism, n, seed, percentiles=percentiles)
    write_table(frame, out)
    return frame
