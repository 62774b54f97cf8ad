"""Barometer: a hand-made case, and a property test against a naive set-based count."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cotera.registry.barometer import (
    BarometerData,
    Dimension,
    evolution,
    partnership_rates,
    with_survey,
    with_territory,
)
from cotera.registry.fragility_mask import from_mask, to_mask
from cotera.registry.model import PartnershipForm
from tests.registry.barometer_reference import reference_rates

ORGS = pl.DataFrame(
    {
        "id": [1, 2, 3, 4],
        "kind": ["association", "association", "company", "company"],
        "size_band": ["0", "0", "1-9", "1-9"],
        "commune": ["A1", "A1", "B1", "B1"],
        "created_year": [2000, 2000, 2000, 2000],
        "dissolved_year": [None, None, None, 2014],
    }
)
MEMBERS = pl.DataFrame(
    {  # P1 = (1, 3) mécénat on F01 since 2012; P2 = (1, 4) on F01+F04, 2010–2013
        "partnership_id": [1, 1, 2, 2],
        "organization_id": [1, 3, 1, 4],
        "form": ["patronage", "patronage", "societal_innovation", "societal_innovation"],
        "fragility_mask": [to_mask(["F01"])] * 2 + [to_mask(["F01", "F04"])] * 2,
        "start_year": [2012, 2012, 2010, 2010],
        "end_year": [None, None, 2013, 2013],
    }
)


@pytest.fixture(scope="module")
def data() -> BarometerData:
    orgs = with_territory(ORGS, {"A1": "reg:A", "B1": "reg:B"})
    return BarometerData.prepare(orgs, MEMBERS)


def cell(frame: pl.DataFrame, **keys: object) -> dict[str, object]:
    rows = frame.filter(**keys).to_dicts()
    assert len(rows) == 1, rows
    return rows[0]


def test_rates_by_kind(data: BarometerData) -> None:
    rates = partnership_rates(data, [2012, 2015], [Dimension.KIND])
    assert cell(rates, year=2015, kind="association")["rate"] == 0.5
    company_2015 = cell(rates, year=2015, kind="company")
    assert (company_2015["organizations"], company_2015["partnering"]) == (1, 1)  # 4 dissolved
    company_2012 = cell(rates, year=2012, kind="company")
    assert (company_2012["partnering"], company_2012["partnerships"]) == (2, 2)


def test_rates_by_territory_form_and_fragility(data: BarometerData) -> None:
    rates = partnership_rates(
        data, [2012], [Dimension.TERRITORY, Dimension.FORM, Dimension.FRAGILITY]
    )
    f04 = cell(rates, territory="reg:B", form="societal_innovation", fragility="F04")
    assert (f04["organizations"], f04["partnering"], f04["partnerships"]) == (2, 1, 1)
    assert cell(rates, territory="reg:A", form="patronage", fragility="F04")["partnering"] == 0


def test_national_rate_and_evolution(data: BarometerData) -> None:
    rates = partnership_rates(data, [2012, 2015])
    assert rates["rate"].to_list() == [0.75, pytest.approx(2 / 3)]
    change = evolution(rates, 2012, 2015)
    assert change["change_points"][0] == pytest.approx((2 / 3 - 0.75) * 100)


def test_survey_prism_joined_on_shared_keys(data: BarometerData) -> None:
    rates = partnership_rates(data, [2015], [Dimension.KIND])
    prism = pl.DataFrame(
        {"kind": ["company"], "has": [0.37], "intends": [0.05], "none": [0.58]}
    )  # PHARE 2015 companies, DESIGN.md §2.4
    joined = with_survey(rates, prism)
    assert cell(joined, kind="company")["survey_intends"] == 0.05
    assert cell(joined, kind="association")["survey_has"] is None


def naive(orgs: list[dict[str, object]], members: list[dict[str, object]], year: int) -> dict:
    """Independent count with Python sets: (kind, form, fragility) → (orgs, partnering)."""
    active = {
        o["id"]: o["kind"]
        for o in orgs
        if o["created_year"] <= year and (o["dissolved_year"] is None or o["dissolved_year"] > year)
    }
    totals: dict[object, int] = {}
    for kind in active.values():
        totals[kind] = totals.get(kind, 0) + 1
    seen: dict[tuple[object, ...], set[object]] = {}
    for m in members:
        if m["organization_id"] not in active or m["start_year"] > year:
            continue
        if m["end_year"] is not None and m["end_year"] < year:
            continue
        for code in from_mask(int(m["fragility_mask"])):  # type: ignore[call-overload]
            key = (active[m["organization_id"]], m["form"], code)
            seen.setdefault(key, set()).add(m["organization_id"])
    return {key: (totals[key[0]], len(ids)) for key, ids in seen.items()}


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(["association", "company"]), st.integers(2005, 2015),
                       st.one_of(st.none(), st.integers(2005, 2016))), min_size=2, max_size=12),
    st.lists(st.tuples(st.integers(0, 11), st.integers(0, 11),
                       st.sampled_from(["patronage", "societal_innovation"]),
                       st.integers(1, 2**16 - 1), st.integers(2005, 2015),
                       st.one_of(st.none(), st.integers(2005, 2016))), max_size=15),
)  # fmt: skip
def test_matches_naive_count(orgs_spec: list, parts_spec: list) -> None:
    orgs = [
        {"id": i + 10, "kind": k, "size_band": "0", "created_year": c, "dissolved_year": d}
        for i, (k, c, d) in enumerate(orgs_spec)
    ]
    members = []
    for p, (a, b, form, mask, start, end) in enumerate(parts_spec):
        for org in {a % len(orgs), b % len(orgs)}:
            members.append(
                {"partnership_id": p, "organization_id": org + 10, "form": form,
                 "fragility_mask": mask, "start_year": start, "end_year": end}
            )  # fmt: skip
    schema = {"partnership_id": pl.Int64, "organization_id": pl.Int64, "form": pl.String,
              "fragility_mask": pl.Int64, "start_year": pl.Int64, "end_year": pl.Int64}  # fmt: skip
    data = BarometerData.prepare(
        pl.DataFrame(orgs, schema_overrides={"dissolved_year": pl.Int64}),
        pl.DataFrame(members, schema=schema),
    )
    rates = partnership_rates(data, [2012], [Dimension.KIND, Dimension.FORM, Dimension.FRAGILITY])
    got = {
        (r["kind"], r["form"], r["fragility"]): (r["organizations"], r["partnering"])
        for r in rates.to_dicts()
        if r["partnering"]
    }
    assert got == naive(orgs, members, 2012)


def test_roll_up_counts_active_organizations(data: BarometerData) -> None:
    from cotera.registry.barometer import active_counts

    counts = active_counts(data, "commune", 2015)
    assert dict(counts.iter_rows()) == {"A1": 2, "B1": 1}  # organisation 4 dissolved in 2014


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(["association", "company", "media"]),
                       st.sampled_from(["0", "1-9", None]),
                       st.sampled_from(["reg:A", "reg:B", "reg:C", None]),
                       st.one_of(st.none(), st.integers(2005, 2015)),
                       st.one_of(st.none(), st.integers(2005, 2016))), min_size=1, max_size=14),
    st.lists(st.tuples(st.lists(st.integers(0, 16), min_size=1, max_size=4),
                       st.sampled_from([f.value for f in PartnershipForm]),
                       st.integers(0, 2**16 - 1), st.one_of(st.none(), st.integers(2005, 2015)),
                       st.one_of(st.none(), st.integers(2005, 2016))), max_size=14),
    st.sets(st.sampled_from(list(Dimension))),
    st.lists(st.integers(2004, 2016), min_size=1, max_size=3, unique=True),
)  # fmt: skip
def test_fast_path_equals_the_straightforward_one(
    orgs_spec: list, parts_spec: list, by: set[Dimension], years: list[int]
) -> None:
    """Random registries (synthétique): every cut and column as a plain polars group-by.

    Partnerships have 1–4 members, possibly the same organisation twice or one unknown to the
    organisation frame (id 16 is never an organisation id when there are fewer orgs).
    """
    orgs = pl.DataFrame(
        [(i, k, s, t, c, d) for i, (k, s, t, c, d) in enumerate(orgs_spec)],
        schema={"id": pl.Int64, "kind": pl.String, "size_band": pl.String,
                "territory": pl.String, "created_year": pl.Int32, "dissolved_year": pl.Int32},
        orient="row",
    )  # fmt: skip
    members = pl.DataFrame(
        [(p, org, form, mask, start, end)
         for p, (member_ids, form, mask, start, end) in enumerate(parts_spec)
         for org in member_ids],
        schema={"partnership_id": pl.Int64, "organization_id": pl.Int64, "form": pl.String,
                "fragility_mask": pl.Int32, "start_year": pl.Int32, "end_year": pl.Int32},
        orient="row",
    )  # fmt: skip
    data = BarometerData.prepare(orgs, members)
    got = partnership_rates(data, sorted(years), sorted(by))
    expected = reference_rates(orgs, members, sorted(years), sorted(by))
    assert got.to_dicts() == expected.to_dicts()
