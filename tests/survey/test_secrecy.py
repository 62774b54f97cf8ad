"""Statistical secrecy rules: thresholds, the N-1 / N boundary, dominance, overrides."""

from __future__ import annotations

import pytest

from cotera.errors import ConfigurationError
from cotera.survey.protection import suppress_vector
from cotera.survey.questionnaire import Prism
from cotera.survey.secrecy import (
    CellStatus,
    DominanceRule,
    Mass,
    SecrecyRequest,
    SecrecyRule,
    dominance_rule,
    is_primary,
    min_respondents,
    override_note,
    secrecy_rule,
)
from tests.survey.derivable import small_groups


def test_default_thresholds_and_dominance() -> None:
    assert min_respondents(Prism.CITIZENS) == 11
    assert min_respondents("companies") == 3
    assert min_respondents(Prism.ASSOCIATIONS) == 3
    assert dominance_rule(Prism.CITIZENS) is None
    assert dominance_rule(Prism.COMPANIES) == DominanceRule(1, 0.85)
    assert secrecy_rule(Prism.ASSOCIATIONS) == SecrecyRule(3, 3, DominanceRule(1, 0.85))


@pytest.mark.parametrize(
    ("threshold", "count", "hidden"), [(11, 10, True), (11, 11, False), (3, 2, True), (3, 3, False)]
)
def test_fewer_than_n_is_hidden(threshold: int, count: int, hidden: bool) -> None:
    assert is_primary(count, threshold) is hidden
    statuses, _ = suppress_vector([count, 500, 500], threshold, ["a", "b", "c"])
    assert statuses[0].hidden is hidden


def test_one_hidden_domain_drags_a_second_one() -> None:
    statuses, total = suppress_vector([10, 40, 12, 300], 11, ["11", "24", "32", "84"])
    assert statuses == (
        CellStatus.PRIMARY,
        CellStatus.PUBLISHED,
        CellStatus.SECONDARY,
        CellStatus.PUBLISHED,
    )
    assert total is CellStatus.PUBLISHED


def test_a_cell_without_respondent_protects_nothing() -> None:
    """The issue's reproduction: 5 respondents in one region, none in another (the question
    unanswered there), 340 elsewhere; before, the empty region was the second hidden cell and
    345 − 340 gave the 5 back."""
    counts = [5, 0, 100, 240]
    statuses, total = suppress_vector(counts, 11, ["11", "24", "32", "84"])
    assert statuses[:2] == (CellStatus.PRIMARY, CellStatus.EMPTY)
    assert statuses[2] is CellStatus.SECONDARY  # the smallest region with respondents
    assert total is CellStatus.PUBLISHED
    published = [[0, 1, 2, 3]] + [[i] for i, s in enumerate(statuses) if not s.hidden]
    assert small_groups(counts, published, 11) == []


def test_dominance_rule() -> None:
    rule = DominanceRule(1, 0.85)
    assert rule.dominated(Mass(3, 100.0, 86.0, 10.0))
    assert not rule.dominated(Mass(3, 100.0, 85.0, 10.0))  # "more than" 85 %
    assert DominanceRule(2, 0.85).dominated(Mass(4, 100.0, 50.0, 40.0))
    both = Mass(3, 100.0, 86.0, 7.0).plus(Mass(3, 100.0, 60.0, 30.0))
    assert both == Mass(6, 200.0, 86.0, 60.0)
    assert not rule.dominated(both)
    organisations = secrecy_rule(Prism.COMPANIES)
    assert not organisations.passes(Mass(5, 100.0, 90.0))
    assert organisations.passes(Mass(5, 100.0, 40.0))
    assert organisations.passes(Mass())  # nobody: nothing to protect


@pytest.mark.parametrize("min_n", [0, -5])
def test_a_threshold_below_one_is_refused(min_n: int) -> None:
    with pytest.raises(ConfigurationError, match="seuil de secret statistique invalide"):
        secrecy_rule(Prism.CITIZENS, SecrecyRequest(min_n, "étude interne"))


@pytest.mark.parametrize(("prism", "min_n"), [(Prism.CITIZENS, 5), (Prism.COMPANIES, 2)])
def test_below_the_legal_threshold_needs_a_reason(prism: Prism, min_n: int) -> None:
    for reason in (None, "", "   "):
        with pytest.raises(ConfigurationError, match="inférieur au seuil légal") as error:
            secrecy_rule(prism, SecrecyRequest(min_n, reason))
        assert "--override-secrecy" in str(error.value)
    rule = secrecy_rule(prism, SecrecyRequest(min_n, " contrôle qualité interne "))
    assert (rule.threshold, rule.legal, rule.override) == (
        min_n, min_respondents(prism), "contrôle qualité interne",
    )  # fmt: skip
    assert rule.overridden
    note = override_note(rule)
    assert note is not None
    assert f"seuil abaissé à {min_n} répondants" in note
    assert "motif : contrôle qualité interne" in note


def test_an_override_must_lower_the_threshold() -> None:
    with pytest.raises(ConfigurationError, match="inutile"):
        secrecy_rule(Prism.CITIZENS, SecrecyRequest(20, "plus prudent"))
    with pytest.raises(ConfigurationError, match="sans seuil"):
        secrecy_rule(Prism.CITIZENS, SecrecyRequest(None, "motif"))
    stricter = secrecy_rule(Prism.CITIZENS, SecrecyRequest(20))
    assert (stricter.threshold, stricter.overridden, override_note(stricter)) == (20, False, None)
