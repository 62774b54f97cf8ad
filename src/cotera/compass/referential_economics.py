"""Parser of ``economics.toml``: the four thirds, budget categories, benchmarks and rates."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cotera.compass.referential import (
    BudgetCategory,
    CostCategory,
    Economics,
    Phase,
    Scope,
    Third,
    ThirdSpec,
)
from cotera.compass.referential_reader import Reader


def parse_economics(reader: Reader, document: Mapping[str, Any], lever_refs: set[str]) -> Economics:
    """The socio-economic model's data, with every reference checked."""
    rule_raw = document.get("four_thirds", {})
    rule = reader.label(rule_raw, "four_thirds", "rule")
    tolerance = reader.number(rule_raw, "tolerance", "four_thirds", 0.0, 1 / 3)
    dependence = reader.number(rule_raw, "dependence_share", "four_thirds", 1 / 3, 1.0)
    rates_raw = document.get("rates", {})
    rates = tuple(
        (key, reader.number(rates_raw, key, "rates", 0.01, 10_000.0))
        for key, value in rates_raw.items()
        if key != "source" and not isinstance(value, str)
    )
    rate_ids = {key for key, _ in rates}

    thirds = []
    for name, raw in reader.entries(document, "third"):
        try:
            third = Third(str(raw.get("id")))
        except ValueError:
            reader.fail(name, f"tiers inconnu (attendus : {[t.value for t in Third]})")
            continue
        in_kind = raw.get("in_kind")
        if in_kind is not (third is Third.VOLUNTEERING):
            reader.fail(name, "in_kind doit valoir true pour le bénévolat seulement")
        levers = reader.references(raw, "levers", name, lever_refs)
        thirds.append(ThirdSpec(third, reader.label(raw, name), bool(in_kind), levers))
    if sorted(t.id for t in thirds) != sorted(Third):
        expected = [t.value for t in Third]
        reader.fail("third", f"les quatre tiers sont attendus exactement : {expected}")

    resources = _categories(reader, document, "resource", in_kind=False, rate_ids=rate_ids)
    contributions = _categories(reader, document, "contribution", in_kind=True, rate_ids=rate_ids)
    costs = _costs(reader, document, lever_refs)
    ids = [c.id for c in resources] + [c.id for c in contributions] + [c.id for c in costs]
    for ident in {i for i in ids if ids.count(i) > 1}:
        reader.fail(
            ident, "catégorie de budget définie deux fois (ressource, contribution ou charge)"
        )

    phases = tuple(
        (Phase(raw["id"]), reader.label(raw, name), reader.label(raw, name, "note"))
        for name, raw in _exact(reader, document, "phase", {p.value for p in Phase})
    )
    scopes = tuple(
        (Scope(raw["id"]), reader.label(raw, name))
        for name, raw in _exact(reader, document, "scope", {s.value for s in Scope})
    )
    return Economics(
        rule,
        tolerance,
        dependence,
        rates,
        tuple(thirds),
        resources,
        contributions,
        costs,
        phases,
        scopes,
    )


def _exact(
    reader: Reader, document: Mapping[str, Any], key: str, expected: set[str]
) -> list[tuple[str, dict[str, Any]]]:
    entries = reader.entries(document, key)
    if {str(raw.get("id")) for _, raw in entries} != expected:
        reader.fail(key, f"identifiants attendus exactement : {sorted(expected)}")
        return []
    return entries


def _categories(
    reader: Reader, document: Mapping[str, Any], key: str, in_kind: bool, rate_ids: set[str]
) -> tuple[BudgetCategory, ...]:
    found = []
    for name, raw in reader.entries(document, key):
        try:
            third = Third(str(raw.get("third")))
        except ValueError:
            reader.fail(name, f"tiers inconnu {raw.get('third')!r}")
            continue
        if (third is Third.VOLUNTEERING) is not in_kind:
            kind = "contribution en nature" if in_kind else "ressource financière"
            reader.fail(name, f"une {kind} ne peut pas relever du tiers {third.value!r}")
        rate = raw.get("rate") if in_kind else None
        if in_kind and rate not in rate_ids:
            reader.fail(name, f"taux de valorisation inconnu {rate!r} (section [rates])")
        found.append(BudgetCategory(str(raw.get("id", "")), reader.label(raw, name), third, rate))
    return tuple(found)


def _costs(
    reader: Reader, document: Mapping[str, Any], lever_refs: set[str]
) -> tuple[CostCategory, ...]:
    found = []
    for name, raw in reader.entries(document, "cost"):
        benchmark = None
        if "benchmark" in raw:
            bounds = raw["benchmark"]
            if (
                not isinstance(bounds, list)
                or len(bounds) != 2
                or not all(isinstance(b, int | float) for b in bounds)
                or not 0 <= bounds[0] <= bounds[1] <= 100
            ):
                reader.fail(name, f"benchmark {bounds!r} : [min, max] en %, 0 <= min <= max <= 100")
            else:
                benchmark = (bounds[0] / 100, bounds[1] / 100)
        found.append(
            CostCategory(
                str(raw.get("id", "")),
                reader.label(raw, name),
                benchmark,
                reader.references(raw, "levers_if_above", name, lever_refs),
                reader.references(raw, "levers_if_below", name, lever_refs),
            )
        )
    return tuple(found)
