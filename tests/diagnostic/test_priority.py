from __future__ import annotations

import pytest

from cotera.diagnostic.priority import (
    Certainty,
    Divergence,
    RankInterval,
    classify,
    default_top,
    describe,
    divergence_clause,
)
from cotera.types import Level


@pytest.mark.parametrize(
    ("peers", "top"), [(96, 10), (101, 11), (13, 3), (18, 3), (2, 2), (1228, 123), (30, 3)]
)
def test_top_is_a_tenth_rounded_up_at_least_three(peers: int, top: int) -> None:
    assert default_top(peers) == top


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (1.0, 10.0, Certainty.ROBUST_TOP),  # upper bound exactly at the top: robust
        (3.0, 10.05, Certainty.METHOD_DEPENDENT),  # just over: depends on the method
        (10.0, 40.0, Certainty.METHOD_DEPENDENT),  # lower bound exactly at the top
        (10.5, 12.0, Certainty.OUTSIDE_TOP),  # lower bound just over
        (11.0, 11.0, Certainty.OUTSIDE_TOP),
    ],
)
def test_interval_boundaries(low: float, high: float, expected: Certainty) -> None:
    interval = RankInterval(low, (low + high) / 2, high)
    assert classify((low + high) / 2, interval, top=10) is expected


def test_without_interval_the_point_rank_decides() -> None:
    assert classify(10, None, top=10) is Certainty.UNASSESSED_TOP
    assert classify(11, None, top=10) is Certainty.UNASSESSED_OUTSIDE
    assert Certainty.UNASSESSED_TOP.is_priority
    assert not Certainty.UNASSESSED_OUTSIDE.is_priority
    assert not Certainty.OUTSIDE_TOP.is_priority


def test_sentences_say_the_uncertainty_plainly() -> None:
    robust = RankInterval(1.0, 2.0, 4.4)
    text = describe(Certainty.ROBUST_TOP, 2, robust, 10, 96, Level.DEPARTEMENT)
    assert text == (
        "parmi les 10 départements les plus fragiles quelle que soit la méthode (rang 1 à 5 sur 96)"
    )
    mixed = RankInterval(2.6, 3.0, 5.2)
    text = describe(Certainty.METHOD_DEPENDENT, 3, mixed, 3, 13, Level.REGION)
    assert text.startswith("dépend de la méthode : parmi les 3 régions les plus fragiles")
    assert text.endswith("(rang 2 à 6 sur 13)")
    outside = describe(
        Certainty.OUTSIDE_TOP, 50, RankInterval(50, 50, 50), 10, 96, Level.DEPARTEMENT
    )
    assert outside == (
        "hors des 10 départements les plus fragiles quelle que soit la méthode (rang 50 sur 96)"
    )
    unassessed = describe(Certainty.UNASSESSED_TOP, 4, None, 10, 96, Level.DEPARTEMENT)
    assert "incertitude non évaluée" in unassessed


def test_diverging_components_explain_a_wide_interval() -> None:
    wide = RankInterval(2.0, 43.0, 95.0)
    split = Divergence(1.1, 98.9)
    text = describe(Certainty.METHOD_DEPENDENT, 43, wide, 10, 96, Level.DEPARTEMENT, split)
    assert text.endswith(
        "(rang 2 à 95 sur 96) ; ses indicateurs divergent (du centile 1 au centile 99)"
    )
    quartiles = Divergence(25.0, 75.0)  # quartile bounds included
    assert divergence_clause(wide, quartiles).startswith(" ; ses indicateurs divergent")
    assert divergence_clause(wide, Divergence(25.5, 99.0)) == ""
    assert divergence_clause(wide, Divergence(1.0, 74.0)) == ""
    assert divergence_clause(RankInterval(3.0, 3.0, 3.0), split) == ""  # nothing to explain
    assert divergence_clause(None, split) == ""
    plain = describe(Certainty.METHOD_DEPENDENT, 43, wide, 10, 96, Level.DEPARTEMENT)
    assert "divergent" not in plain
