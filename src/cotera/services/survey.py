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
from cotera.survey.publication import QuestionPlan, domain_statuses, geography, question_plan
from cotera.survey.questionnaire import Prism, phare_questionnaire
from cotera.survey.raking import ConvergenceReport, Margin, RakingResult, parse_margins, rake
from cotera.survey.secrecy import (
    CellStatus,
    SecrecyRequest,
    SecrecyRule,
    override_note,
    secrecy_rule,
)
from cotera.survey.synthetic import SYNTHETIC_LABEL, generate
from cotera.types import ABSURD_MAGNITUDE

GEOGRAPHIC_DOMAINS = ("region", "territory")


@dataclass(frozen=True)
class PublishedTable:
    """Estimates with the statistical-secrecy status of each domain applied."""

    table: EstimateTable
    statuses: Mapping[str, CellStatus]
    rule: SecrecyRule
    synthetic: bool

    @property
    def threshold(self) -> int:
        """The frequency threshold applied."""
        return self.rule.threshold

    def notes(self) -> tuple[str, ...]:
        """What every output of the table says beside it: synthetic data, secrecy override."""
        override = override_note(self.rule)
        labels = (SYNTHETIC_LABEL if self.synthetic else None, override)
        return tuple(label for label in labels if label)

    def frame(self) -> pl.DataFrame:
        """Rows ``domain, level, estimate, se, ci_low, ci_high, n, deff, status, variance``
        (then ``note`` when the data are synthetic or the threshold was lowered); figures of
        hidden domains are blank."""
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
        notes = self.notes()
        if notes:
            frame = frame.with_columns(pl.lit(" ; ".join(notes)).alias("note"))
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


def frame_prism(frame: pl.DataFrame) -> Prism | None:
    """The prism of a file with a single known prism in its ``prism`` column."""
    if "prism" not in frame.columns:
        return None
    prisms = frame["prism"].unique().drop_nulls().to_list()
    if len(prisms) == 1 and prisms[0] in {p.value for p in Prism}:
        return Prism(prisms[0])
    return None


def frame_rule(frame: pl.DataFrame, request: SecrecyRequest | None = None) -> SecrecyRule:
    """The secrecy rule of a file: its prism's (citizens' 11 when unknown), as ``request`` asks."""
    return secrecy_rule(frame_prism(frame) or Prism.CITIZENS, request)


def stored_weights(frame: pl.DataFrame) -> np.ndarray:
    """A stored wave's weights (ones when any is missing)."""
    if "weight" in frame.columns and frame["weight"].is_not_null().all():
        return frame["weight"].cast(pl.Float64).to_numpy()
    return np.ones(frame.height)


def wave_plan(frame: pl.DataFrame, variable: str, rule: SecrecyRule | None = None) -> QuestionPlan:
    """The secrecy plan of one question of a stored wave (respondents with an answer)."""
    answered = frame[variable].is_not_null().to_numpy()
    rule = rule or frame_rule(frame)
    return question_plan(frame, variable, answered, stored_weights(frame), rule, frame_prism(frame))


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
    secrecy: SecrecyRequest | None = None,
    file: str = "",
) -> PublishedTable:
    """Estimates of ``variable`` (overall or by ``by``) with secrecy applied by domain.

    The statuses come from the question's secrecy plan over the whole file
    (:mod:`cotera.survey.publication`), the same whatever output shows them; ``secrecy``
    lowers the threshold below the prism's legal one only with a reason.
    """
    rule = frame_rule(frame, secrecy)
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
    return _publish(design, frame, variable, by, statistic, rule)


def _publish(
    design: SurveyDesign,
    frame: pl.DataFrame,
    variable: str,
    by: str | None,
    statistic: Statistic,
    rule: SecrecyRule,
) -> PublishedTable:
    table, answered, domains = _estimates(design, frame, variable, by, statistic)
    plan = question_plan(frame, variable, answered, design.weights, rule, frame_prism(frame))
    keys = list(dict.fromkeys(row.domain for row in table.rows))
    statuses = domain_statuses(plan, keys, domains, by, answered, design.weights)
    return PublishedTable(table, statuses, rule, is_synthetic(frame))


def stored_estimates(frame: pl.DataFrame, variable: str, by: str | None = None) -> EstimateTable:
    """Proportions of a stored wave's respondents (its weights), without secrecy: the caller
    applies the statuses of the wave's plan (:func:`wave_plan`)."""
    design = make_design(stored_weights(frame))
    return _estimates(design, frame, variable, by, Statistic.PROPORTION)[0]


def _estimates(
    design: SurveyDesign, frame: pl.DataFrame, variable: str, by: str | None, statistic: Statistic
) -> tuple[EstimateTable, np.ndarray, np.ndarray | None]:
    """The table, which rows answered ``variable``, and each row's domain (geographic domains
    keyed as the secrecy plan keys them)."""
    domains = None
    if by in GEOGRAPHIC_DOMAINS:
        domains = geography(frame)[by].to_numpy()
    elif by is not None:
        domains = frame[by].cast(pl.Utf8).fill_null("").to_numpy()
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
        numbers = values.fill_null(float("nan")).to_numpy()
        table = mean(design, numbers, by=domains, variable=variable, by_name=by)
        return table, np.isfinite(numbers), domains
    text = column.cast(pl.Utf8)
    levels = _scale_levels(variable)
    answered = text.is_not_null().to_numpy()
    if levels is not None:
        answered &= text.is_in(list(levels)).fill_null(False).to_numpy()
    table = proportions(
        design,
        text.fill_null("").to_numpy(),
        by=domains,
        levels=levels,
        missing=text.is_null().to_numpy(),
        variable=variable,
        by_name=by,
    )
    return table, answered, domains


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
    secrecy: SecrecyRequest | None = None,
) -> PublishedTable:
    """:func:`estimate_frame` on a file; with ``margins``, rake first (SE account for it)."""
    frame = read_survey_file(data)
    frame_rule(frame, secrecy)  # refuse a bad threshold before raking
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
        secrecy=secrecy,
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
