"""The secrecy plan of one wave × question: the sets Cotera publishes, protected together.

Every output about a wave × question — the estimate overall or by a variable, the portrait's
prisms, the cross-reading of a région, the barometer's survey columns — takes its statuses from
here, so that a figure has the same status whatever command shows it and two outputs cannot be
combined to subtract a small group (:mod:`cotera.survey.protection`).

- **Geography**: France → région (``region``) → département (from ``territory``, a commune's or
  a département's code) → ``territory`` (the commune; the département's own code for respondents
  located at département level only). Respondents without a location get the key ``""`` at
  that level: a node of the tree like the others, never shown as a place.
- **Crossing**: the partnership question of the companies and associations waves is also
  published by size band beside the barometer (``size_band``; ``employer``), so its hierarchy is
  crossed with that variable: the barometer's bands, its areas and the estimates by région share
  one pattern. The bands are first grouped (adjacent bands read together, the finest grouping
  that hides no place the geography alone would publish): without it, one large company in a
  département would hide the département's figure.
- **Any other domain variable**: France → its levels, protected against the total.

Tables by two different variables published separately (by ``sex``, then by ``age_band``) are
each protected against the total; their crossing is not a table of the plan.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl
from numpy.typing import NDArray

from cotera.errors import ConfigurationError
from cotera.survey.cells import compact
from cotera.survey.protection import Hierarchy, Path, Pattern, protect, status_of
from cotera.survey.questionnaire import Prism, phare_questionnaire
from cotera.survey.secrecy import CellStatus, Mass, SecrecyRule

GEOGRAPHY = ("region", "departement", "territory")  # depths 1, 2, 3 of the hierarchy
GROUPED = " + "  # joins the levels of the crossing published together
MAX_GROUPINGS = 64  # groupings of the crossing tried, finest first
CROSSINGS: Mapping[tuple[Prism, str], str] = {
    (Prism.COMPANIES, "partnership"): "size_band",
    (Prism.ASSOCIATIONS, "partnership"): "employer",
}


def departement_of(territory: pl.Expr) -> pl.Expr:
    """Département code of a ``territory`` code (a commune or a département), upper case."""
    code = territory.cast(pl.Utf8).str.strip_chars().str.to_uppercase()
    return (
        pl.when(code.str.len_chars() == 5)
        .then(
            pl.when(code.str.starts_with("97"))
            .then(code.str.slice(0, 3))
            .otherwise(code.str.slice(0, 2))
        )
        .otherwise(code)
    )


def geography(frame: pl.DataFrame) -> pl.DataFrame:
    """The ``region``, ``departement`` and ``territory`` keys of each row (``""`` when unknown)."""
    region = pl.col("region") if "region" in frame.columns else pl.lit(None, dtype=pl.Utf8)
    place = pl.col("territory") if "territory" in frame.columns else pl.lit(None, dtype=pl.Utf8)
    return frame.select(
        region.cast(pl.Utf8).str.strip_chars().fill_null("").alias("region"),
        departement_of(place).fill_null("").alias("departement"),
        place.cast(pl.Utf8).str.strip_chars().str.to_uppercase().fill_null("").alias("territory"),
    )


def crossing_of(prism: Prism | None, variable: str, columns: Sequence[str]) -> str | None:
    """The variable ``variable`` is published crossed with, for this prism (if in the file)."""
    crossing = None if prism is None else CROSSINGS.get((prism, variable))
    return crossing if crossing in columns else None


def _masses(
    key: NDArray[np.intp], weights: NDArray[np.float64]
) -> tuple[NDArray[np.intp], list[Mass]]:
    """Per group of ``key`` (compacted): a representative row and the group's mass."""
    size = len(weights)
    key, representative = compact(key, int(key.max()) + 1)
    counts = np.bincount(key)
    totals = np.bincount(key, weights=weights)
    order = np.lexsort((-weights, key))
    ordered, largest = key[order], weights[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    first = largest[starts]
    second = np.where(counts > 1, largest[np.minimum(starts + 1, size - 1)], 0.0)
    masses = [
        Mass(int(n), float(t), float(a), float(b))
        for n, t, a, b in zip(counts, totals, first, second, strict=True)
    ]
    return representative, masses


def _factorize(keys: pl.Series) -> tuple[NDArray[np.intp], tuple[str, ...]]:
    """Codes and sorted distinct values of a string column (polars: faster than numpy)."""
    labels = keys.unique().sort()
    codes = keys.rank("dense").to_numpy().astype(np.intp) - 1
    return codes, tuple(labels.to_list())


def respondent_hierarchy(
    levels: Sequence[pl.Series],
    column: pl.Series | None,
    weights: NDArray[np.float64],
) -> Hierarchy:
    """The hierarchy of the respondents given (one key per level, a column, a weight each;
    string series without nulls)."""
    size = len(weights)
    column_codes, column_labels = (
        _factorize(column) if column is not None else (np.zeros(size, dtype=np.intp), ("",))
    )
    if size == 0:
        return Hierarchy.from_leaves({}, column_labels or ("",))
    coded = [_factorize(level) for level in levels]
    nodes: dict[Path, list[Mass]] = {}
    node = np.zeros(size, dtype=np.int64)  # each row's node at the current depth, compact
    for depth in range(len(coded) + 1):
        if depth:
            codes, labels = coded[depth - 1]
            node = np.unique(node * len(labels) + codes, return_inverse=True)[1].ravel()
        cell = np.unique(node * len(column_labels) + column_codes, return_inverse=True)[1]
        representative, masses = _masses(cell.ravel().astype(np.intp), weights)
        keys = [np.asarray(labels, dtype=object)[codes[representative]] for codes, labels in
                coded[:depth]]  # fmt: skip
        paths = zip(*keys, strict=True) if keys else [()] * len(masses)
        columns = column_codes[representative]
        for path, j, mass in zip(paths, columns, masses, strict=True):
            nodes.setdefault(tuple(path), [Mass()] * len(column_labels))[j] = mass
    return Hierarchy.from_nodes(nodes, column_labels, len(coded))


@dataclass(frozen=True)
class QuestionPlan:
    """The protected geography (× crossing) of one question of one wave.

    ``groups`` maps each level of the crossing to the group of levels published in its place
    (itself, or e.g. ``10-49 + 50-249 + 250+``); ``detail`` keeps the levels before grouping.
    """

    variable: str
    crossing: str | None
    pattern: Pattern
    groups: Mapping[str, str]
    detail: Hierarchy

    def place(self, level: str | None, code: str = "", band: str | None = None) -> CellStatus:
        """Status of France (``level=None``) or of a région / département / territory, or of its
        cell in one level (or group of levels) of the crossing."""
        depth = 0 if level is None else GEOGRAPHY.index(level) + 1
        if band is None:
            return self.pattern.place(depth, code)
        if self.crossing is None:
            raise ValueError("ce plan n'est croisé avec aucune variable")
        if band in self.groups.values():
            return self.pattern.place(depth, code, band)
        paths = self.pattern.paths_at(depth, code) if depth else [()]
        if band not in self.detail.columns or not paths:
            return CellStatus.EMPTY
        if len(paths) > 1:
            return CellStatus.SECONDARY
        mass = self.detail.masses[self.pattern.index[paths[0]]][self.detail.columns.index(band)]
        return status_of(mass, self.pattern.rule, False)  # grouped: not published on its own


def _orders(levels: Sequence[str], crossing: str) -> list[str]:
    try:
        scale = phare_questionnaire().variable(crossing).scale
    except ConfigurationError:
        scale = None
    known = [] if scale is None else [c for c in scale.codes() if c in levels]
    return known + sorted(set(levels) - set(known))


def _groupings(levels: Sequence[str]) -> list[list[list[str]]]:
    """Ways to cut the ordered ``levels`` into runs, finest first (at most ``MAX_GROUPINGS``,
    then all levels in one group)."""
    cuts = [
        [i for i in range(1, len(levels)) if mask >> (i - 1) & 1]
        for mask in range(1 << max(len(levels) - 1, 0))
    ]
    cuts.sort(key=lambda c: (-len(c), c))
    cuts = [*cuts[: MAX_GROUPINGS - 1], []] if len(cuts) > MAX_GROUPINGS else cuts
    return [
        [list(levels[a:b]) for a, b in zip([0, *cut], [*cut, len(levels)], strict=True)]
        for cut in cuts
    ]


def _grouped(detail: Hierarchy, crossing: str, rule: SecrecyRule) -> tuple[Pattern, dict[str, str]]:
    """The finest grouping of the crossing's ordered levels under which every place the
    geography alone publishes stays published (global recoding before suppression; one group
    at worst, which is the geography itself)."""
    ordered = _orders(detail.columns, crossing)
    plain = protect(detail.merged([list(range(len(detail.columns)))], ["*"]), rule)
    for grouping in _groupings(ordered):
        labels = [GROUPED.join(group) for group in grouping]
        indices = [[detail.columns.index(level) for level in group] for group in grouping]
        pattern = protect(detail.merged(indices, labels), rule)
        if all(kept or not shown for kept, shown in zip(pattern.published, plain.published,
                                                         strict=True)):  # fmt: skip
            break
    groups = {level: label for group, label in zip(grouping, labels, strict=True)
              for level in group}  # fmt: skip
    return pattern, groups


def question_plan(
    frame: pl.DataFrame,
    variable: str,
    answered: NDArray[np.bool_],
    weights: NDArray[np.float64],
    rule: SecrecyRule,
    prism: Prism | None,
) -> QuestionPlan:
    """The plan of ``variable`` over the respondents who ``answered`` it."""
    crossing = crossing_of(prism, variable, frame.columns)
    keys = geography(frame).filter(pl.Series(answered))
    column = None
    if crossing is not None:
        column = frame[crossing].cast(pl.Utf8).fill_null("").filter(pl.Series(answered))
    detail = respondent_hierarchy(
        [keys[name] for name in GEOGRAPHY], column, np.asarray(weights, dtype=np.float64)[answered]
    )
    if crossing is None:
        return QuestionPlan(variable, None, protect(detail, rule), {}, detail)
    pattern, groups = _grouped(detail, crossing, rule)
    return QuestionPlan(variable, crossing, pattern, groups, detail)


def domain_statuses(
    plan: QuestionPlan,
    domains: Sequence[str],
    values: NDArray[np.str_] | None,
    by: str | None,
    answered: NDArray[np.bool_],
    weights: NDArray[np.float64],
) -> dict[str, CellStatus]:
    """Status of each domain of a table of the plan's question by ``by`` (``None``: France).

    Geographic variables and the crossing read the plan; any other variable is France → its
    levels (``values`` holds each row's level).
    """
    if by is None:
        return {domain: plan.place(None) for domain in domains}
    if by in ("region", "territory"):
        return {domain: plan.place(by, domain) for domain in domains}
    if by == plan.crossing:
        return {domain: plan.place(None, band=domain) for domain in domains}
    if values is None:
        raise ValueError("les modalités de la variable de domaine manquent")
    levels = pl.Series(values[answered], dtype=pl.Utf8)
    flat = protect(
        respondent_hierarchy([levels], None, np.asarray(weights)[answered]), plan.pattern.rule
    )
    return {domain: flat.node((domain,)) for domain in domains}
