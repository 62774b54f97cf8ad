"""Budget checks: bad rows are all reported; the 4-thirds and cost checks on hand-made budgets."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cotera.compass import BudgetEntry, build_budget
from cotera.compass.economics import EconomicModel, Position, analyse_budget
from cotera.compass.referential import CompassReferential, Signal, Third
from cotera.errors import ValidationError


def _entry(
    kind: str,
    category: str,
    amount: float | None = None,
    hours: float | None = None,
    scope: str = "",
    row: int | None = None,
) -> BudgetEntry:
    return BudgetEntry(kind, category, amount=amount, hours=hours, scope=scope, row=row)


BALANCED = [
    _entry("ressource", "subvention_publique", 30_000),
    _entry("ressource", "mecenat", 30_000),
    _entry("ressource", "formation", 30_000),
    _entry("contribution", "benevolat", hours=1_500),  # 1 500 h x 20 EUR = 30 000
    _entry("charge", "masse_salariale", 60_000),
    _entry("charge", "communication", 18_000),
    _entry("charge", "frais_structure", 12_000),
]


def test_balanced_budget_meets_every_rule(referential: CompassReferential) -> None:
    model = analyse_budget(referential, build_budget(BALANCED, referential))
    shares = {t.third: t.share for t in model.thirds}
    assert shares == pytest.approx(dict.fromkeys(Third, 1 / 3))
    assert all(t.position is Position.WITHIN for t in model.thirds)
    costs = {c.category: (c.share, c.position) for c in model.cost_structure}
    assert costs["masse_salariale"] == (pytest.approx(60 / 90), Position.WITHIN)
    assert costs["communication"] == (pytest.approx(18 / 90), Position.WITHIN)
    assert costs["frais_structure"] == (pytest.approx(12 / 90), Position.WITHIN)
    assert costs["autres_charges"] == (0.0, Position.NO_TARGET)
    assert model.money_resources == 90_000
    assert model.in_kind == 30_000
    assert model.balance == 0
    assert model.separated
    assert model.signals == frozenset()
    assert model.levers == ()


def test_unbalanced_budget_signals_and_levers(referential: CompassReferential) -> None:
    entries = [
        _entry("ressource", "subvention_publique", 80_000),
        _entry("ressource", "mecenat", 20_000, scope="mixte"),
        _entry("contribution", "mecenat_competences", 5_000),
        _entry("charge", "masse_salariale", 110_000),
        _entry("ressource", "subvention_publique", 50_000, scope="projets"),
        _entry("charge", "autres_charges", 50_000, scope="projets"),
    ]
    model = analyse_budget(referential, build_budget(entries, referential))
    assert model.money_resources == 100_000
    assert model.project_resources == 50_000
    assert model.project_costs == 50_000
    assert model.mixed_amount == 20_000
    assert not model.separated
    assert model.signals == {
        Signal.SINGLE_SOURCE,
        Signal.PRIVATE_LOW,
        Signal.SERVICES_LOW,
        Signal.VOLUNTEERING_LOW,
        Signal.ENGINEERING_NOT_SEPARATED,
        Signal.ENGINEERING_DEFICIT,
        Signal.COSTS_OFF_BENCHMARK,
    }
    levers = {(s.lever, s.item) for s in model.levers}
    assert ("financement", "revenus_activite") in levers
    assert ("ressources_humaines", "benevoles") in levers
    assert ("alliances", "moyens") in levers  # payroll above its benchmark


def test_hours_are_valued_at_the_configured_rate(referential: CompassReferential) -> None:
    entries = [_entry("ressource", "mecenat", 1_000), _entry("contribution", "benevolat", hours=10)]
    default = build_budget(entries, referential)
    custom = build_budget(entries, referential, rates={"benevolat": 35.0})
    assert default.lines[1].amount == 200.0
    assert custom.lines[1].amount == 350.0


def test_every_bad_row_is_reported_at_once(referential: CompassReferential) -> None:
    entries = [
        _entry("ressource", "subvention_publique", -5, row=2),
        _entry("ressource", "loterie", 100, row=3),
        _entry("depense", "communication", 100, row=4),
        _entry("charge", "communication", None, row=5),
        _entry("charge", "communication", 10, hours=3, row=6),
        _entry("contribution", "benevolat", 100, hours=3, row=7),
        _entry("contribution", "benevolat", row=8),
        _entry("charge", "communication", 10, scope="ailleurs", row=9),
    ]
    with pytest.raises(ValidationError) as caught:
        build_budget(entries, referential, file="budget.csv")
    found = [(p.row, p.code, p.column) for p in caught.value.problems]
    assert found == [
        (2, "montant_negatif", "montant"),
        (3, "categorie_inconnue", "categorie"),
        (4, "type_inconnu", "type"),
        (5, "montant_manquant", "montant"),
        (6, "heures_inattendues", "heures"),
        (7, "heures_ou_montant", "heures"),
        (8, "heures_ou_montant", "heures"),
        (9, "perimetre_inconnu", "perimetre"),
    ]
    assert caught.value.problems[1].expected is not None
    assert "subvention_publique" in caught.value.problems[1].expected


def test_declared_totals_must_add_up(referential: CompassReferential) -> None:
    entries = [
        *BALANCED,
        _entry("total", "ressources", 90_000, row=10),
        _entry("total", "charges", 91_000, row=11),
        _entry("total", "contributions", 30_000, scope="ingenierie", row=12),
    ]
    with pytest.raises(ValidationError) as caught:
        build_budget(entries, referential)
    assert [(p.row, p.code, p.value, p.expected) for p in caught.value.problems] == [
        (11, "total_incoherent", "91000.00", "90000.00")
    ]


def test_empty_budget_is_an_error(referential: CompassReferential) -> None:
    with pytest.raises(ValidationError, match="budget invalide"):
        build_budget([], referential)


_CATEGORIES = [
    "subvention_publique",
    "commande_publique",
    "mecenat",
    "partenariat",
    "grands_donateurs",
    "financement_participatif",
    "formation",
    "conseil",
]
_amounts = st.integers(min_value=0, max_value=10**9)
_budgets = st.tuples(
    st.lists(st.tuples(st.sampled_from(_CATEGORIES), _amounts), min_size=1, max_size=12).filter(
        lambda rows: sum(a for _, a in rows) > 0
    ),
    st.integers(min_value=0, max_value=10**5),
    st.lists(
        st.tuples(
            st.sampled_from(
                ["masse_salariale", "communication", "frais_structure", "autres_charges"]
            ),
            _amounts,
        ),
        max_size=8,
    ),
)


Rows = list[tuple[str, int]]


def _model(
    referential: CompassReferential, data: tuple[Rows, int, Rows], scale: float
) -> EconomicModel:
    resources, hours, costs = data
    entries = [_entry("ressource", c, a * scale) for c, a in resources]
    entries.append(_entry("contribution", "benevolat", hours=hours))
    entries += [_entry("charge", c, a * scale) for c, a in costs]
    rates = {"benevolat": 20.0 * scale, "mecenat_competences": 50.0 * scale}
    return analyse_budget(referential, build_budget(entries, referential, rates=rates))


@settings(max_examples=150, deadline=None)
@given(_budgets)
def test_money_thirds_shares_sum_to_one(
    referential: CompassReferential, data: tuple[Rows, int, Rows]
) -> None:
    model = _model(referential, data, 1.0)
    money = [t.share for t in model.thirds if t.third is not Third.VOLUNTEERING]
    assert sum(money) == pytest.approx(1.0)
    assert all(t.gap == pytest.approx(t.share - 1 / 3) for t in model.thirds)
    if model.costs > 0:
        assert sum(c.share for c in model.cost_structure) == pytest.approx(1.0)


@settings(max_examples=150, deadline=None)
@given(_budgets, st.sampled_from([0.01, 0.5, 3.0, 1000.0, 6.55957]))
def test_invariance_to_currency_scaling(
    referential: CompassReferential, data: tuple[Rows, int, Rows], scale: float
) -> None:
    base, scaled = _model(referential, data, 1.0), _model(referential, data, scale)
    assert [t.share for t in scaled.thirds] == pytest.approx([t.share for t in base.thirds])
    assert [t.position for t in scaled.thirds] == [t.position for t in base.thirds]
    assert [c.share for c in scaled.cost_structure] == pytest.approx(
        [c.share for c in base.cost_structure]
    )
    assert [c.position for c in scaled.cost_structure] == [c.position for c in base.cost_structure]
    assert scaled.signals == base.signals
    assert scaled.money_resources == pytest.approx(base.money_resources * scale)
