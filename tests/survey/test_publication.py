"""The secrecy plan of a wave × question: every output of it together derives no small group.

Random respondents are placed in régions, départements and communes (some only in their région),
some with no answer; the outputs checked together are every table the plan publishes — France,
the table by région, each région's table by département, each département's by territory, and
with the size-band crossing the tables région × band and département × band, which share their
margins. The checker (``tests.survey.derivable``) knows only the respondents' places and what
is shown.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from cotera.survey.publication import QuestionPlan, domain_statuses, question_plan
from cotera.survey.questionnaire import Prism
from cotera.survey.secrecy import CellStatus, DominanceRule, SecrecyRule
from tests.survey.derivable import small_groups

# (region, territory) → (region, département, territory) keys of the hierarchy
PLACES = {
    ("11", None): ("11", "", ""),
    ("11", "75"): ("11", "75", "75"),
    ("11", "75056"): ("11", "75", "75056"),
    ("11", "93"): ("11", "93", "93"),
    ("24", None): ("24", "", ""),
    ("24", "18"): ("24", "18", "18"),
    ("24", "37261"): ("24", "37", "37261"),
    ("84", "01"): ("84", "01", "01"),
}
BANDS = ("0-9", "10-49", "250+")

CROSSED = [("11", None), ("11", "75"), ("11", "75056"), ("11", "93"), ("24", "18")]


def _respondents(places: list[tuple[str, str | None]]) -> st.SearchStrategy[tuple[Any, ...]]:
    return st.tuples(
        st.sampled_from(places),
        st.booleans() | st.just(True),  # answered (mostly)
        st.sampled_from(BANDS),
        st.sampled_from([1.0, 2.0, 5.0, 40.0]),
    )


respondent = _respondents(sorted(PLACES, key=str))
crossed = _respondents(CROSSED)  # 5 places × 3 bands: at most 15 atoms to enumerate


def _frame(people: list[tuple[Any, ...]], question: str) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "region": [p[0][0] for p in people],
            "territory": [p[0][1] for p in people],
            question: [("has" if i % 3 else "none") if p[1] else None
                       for i, p in enumerate(people)],
            "size_band": [p[2] for p in people],
            "weight": [p[3] for p in people],
        },
        schema_overrides={"territory": pl.Utf8},
    )  # fmt: skip


def _plan(people: list[tuple[Any, ...]], rule: SecrecyRule, prism: Prism | None) -> QuestionPlan:
    frame = _frame(people, "partnership")
    answered = frame["partnership"].is_not_null().to_numpy()
    return question_plan(frame, "partnership", answered, frame["weight"].to_numpy(), rule, prism)


def _atoms(people: list[tuple[Any, ...]], bands: bool) -> dict[tuple[str, ...], list[float]]:
    """Weights of the answering respondents by (région, département, territory[, band])."""
    atoms: dict[tuple[str, ...], list[float]] = {}
    for place, answered, band, weight in people:
        if answered:
            atoms.setdefault(PLACES[place] + ((band,) if bands else ()), []).append(weight)
    return atoms


def _published(plan: QuestionPlan, atoms: list[tuple[str, ...]]) -> list[list[int]]:
    """The atoms of every published figure: each place's total and, crossed, its band cells."""
    out = []
    places = {a[:depth] for a in atoms for depth in range(4)}
    levels = (None, "region", "departement", "territory")
    for place in places:
        depth = len(place)
        level, code = levels[depth], (place[-1] if place else "")
        if code == "" and depth:  # unlocated respondents are never shown as a place
            continue
        inside = [i for i, a in enumerate(atoms) if a[:depth] == place]
        if plan.place(level, code) is CellStatus.PUBLISHED:
            out.append(inside)
        for group in set(plan.groups.values()):
            if plan.place(level, code, group) is CellStatus.PUBLISHED:
                out.append([i for i in inside if plan.groups[atoms[i][3]] == group])
    return out


def _check(people: list[tuple[Any, ...]], rule: SecrecyRule, prism: Prism | None) -> None:
    plan = _plan(people, rule, prism)
    atoms = _atoms(people, plan.crossing is not None)
    keys = sorted(atoms)
    counts = [len(atoms[k]) for k in keys]
    contributions = [atoms[k] for k in keys]
    share = None if rule.dominance is None else rule.dominance.share
    found = small_groups(counts, _published(plan, keys), rule.threshold, contributions, share)
    assert found == [], [[keys[i] for i in group] for group in found]


@settings(max_examples=150, deadline=None)
@given(st.lists(respondent, max_size=70), st.integers(2, 12))
def test_geography_outputs_derive_no_small_group(people: list[Any], threshold: int) -> None:
    _check(people, SecrecyRule(threshold, threshold), None)


@settings(max_examples=100, deadline=None)
@given(st.lists(crossed, max_size=70), st.integers(2, 6))
def test_bands_and_places_derive_no_small_group(people: list[Any], threshold: int) -> None:
    """Two cross-tabulations sharing a margin: région × band (with France) and, in each
    région, département × band, plus every place's total."""
    _check(people, SecrecyRule(threshold, threshold), Prism.COMPANIES)


@settings(max_examples=100, deadline=None)
@given(st.lists(crossed, max_size=50))
def test_no_derivable_group_is_dominated(people: list[Any]) -> None:
    _check(people, SecrecyRule(3, 3, DominanceRule(1, 0.85)), Prism.COMPANIES)


@settings(max_examples=60, deadline=None)
@given(st.lists(respondent, min_size=1, max_size=60), st.integers(2, 12), st.randoms())
def test_same_pattern_whatever_the_order_of_rows(
    people: list[Any], threshold: int, random: Any
) -> None:
    rule = SecrecyRule(threshold, threshold)
    shuffled = list(people)
    random.shuffle(shuffled)
    first, second = _plan(people, rule, Prism.COMPANIES), _plan(shuffled, rule, Prism.COMPANIES)
    assert first.groups == second.groups
    for region in ("11", "24", "84"):
        assert first.place("region", region) is second.place("region", region)
        for band in BANDS:
            assert first.place("region", region, band) is second.place("region", region, band)


def test_the_estimate_by_region_reads_the_plan() -> None:
    """``--by region`` shows the plan's régions; ``--by size_band`` its France × band cells."""
    people = [(("11", "75"), True, "0-9", 1.0)] * 30 + [(("24", "18"), True, "0-9", 1.0)] * 2
    people += [(("84", "01"), True, "10-49", 1.0)] * 14
    plan = _plan(people, SecrecyRule(3, 3), Prism.COMPANIES)
    frame = _frame(people, "partnership")
    answered = np.ones(frame.height, dtype=bool)
    weights = frame["weight"].to_numpy()
    regions = domain_statuses(plan, ["11", "24", "84"], None, "region", answered, weights)
    assert regions == {
        "11": CellStatus.PUBLISHED, "24": CellStatus.PRIMARY, "84": CellStatus.SECONDARY,
    }  # fmt: skip
    bands = domain_statuses(plan, list(BANDS), None, "size_band", answered, weights)
    assert bands == {b: plan.place(None, band=b) for b in BANDS}
    assert bands["250+"] is CellStatus.EMPTY


@settings(max_examples=60, deadline=None)
@given(st.lists(crossed, max_size=70), st.integers(2, 6))
def test_the_band_crossing_hides_no_place(people: list[Any], threshold: int) -> None:
    """Bands are grouped so that publishing them costs no place its figure."""
    rule = SecrecyRule(threshold, threshold)
    crossed_plan, plain = _plan(people, rule, Prism.COMPANIES), _plan(people, rule, None)
    for path in plain.pattern.index:
        if plain.pattern.node(path) is CellStatus.PUBLISHED:
            assert crossed_plan.pattern.node(path) is CellStatus.PUBLISHED
