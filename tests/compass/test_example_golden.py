"""The example territory's golden compass, checked against figures worked out by hand.

The golden JSON (golden/example_compass.json, provenance in golden/README.md) is what
``cotera compass`` printed; the figures below were derived independently: the budget shares by
summing the example CSV with the standard ``csv`` module, the stage shares by hand from the
answers file (each answer's points / maximum, averaged over the questions of the stage).
"""

from __future__ import annotations

import csv
import json
from fractions import Fraction
from pathlib import Path

import pytest

from cotera.sources.compass_files import example_file

GOLDEN = json.loads(
    (Path(__file__).parent / "golden" / "example_compass.json").read_text(encoding="utf-8")
)
THIRD_OF = {
    "subvention_publique": "public",
    "commande_publique": "public",
    "mecenat": "prive",
    "partenariat": "prive",
    "formation": "prestations",
    "conseil": "prestations",
}
F = Fraction


def test_four_thirds_and_costs_from_the_csv_by_hand() -> None:
    with example_file("budget_example.csv").open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["perimetre"] in ("ingenierie", "mixte")]
    money: dict[str, float] = {"public": 0, "prive": 0, "prestations": 0}
    costs: dict[str, float] = {}
    for row in rows:
        if row["type"] == "ressource":
            money[THIRD_OF[row["categorie"]]] += float(row["montant"])
        elif row["type"] == "charge":
            costs[row["categorie"]] = costs.get(row["categorie"], 0) + float(row["montant"])
    in_kind = 600 * 20 + 80 * 50  # hours x rates of the answers file [budget]
    total = sum(money.values())
    golden = {t["third"]: t for t in GOLDEN["economics"]["thirds"]}
    for third, amount in money.items():
        assert golden[third]["share"] == pytest.approx(amount / total, abs=1e-6)
    assert golden["benevolat"]["share"] == pytest.approx(in_kind / total, abs=1e-6)
    structure = {c["category"]: c for c in GOLDEN["economics"]["cost_structure"]}
    for category, amount in costs.items():
        assert structure[category]["share"] == pytest.approx(amount / sum(costs.values()), abs=1e-6)
    assert structure["masse_salariale"]["position"] == "au_dessus"  # 70.8 % > 70 %
    assert structure["communication"]["position"] == "en_dessous"  # 8.3 % < 10 %
    assert structure["frais_structure"]["position"] == "dans_la_cible"  # 14.6 % in 7-15 %
    assert GOLDEN["economics"]["balance"] == total - sum(costs.values())
    assert not GOLDEN["economics"]["separated"]  # one « mixte » line


def test_stage_shares_by_hand() -> None:
    # Stage 0: pionniers « oui » 3/3, 14 partenariats -> 2/3 (seuils 1, 5, 20),
    # acteurs cartographiés « en partie » 2/3, dispositifs recensés « oui » 3/3.
    stage0 = (F(1) + F(2, 3) + F(2, 3) + F(1)) / 4
    # Stage 1: solution « oui » 1, diagnostic « en partie » 2/3, sensibilisation
    # « ponctuellement » 1/3, mise en relation « régulièrement » 2/3, enquête non 0,
    # rôles « en projet » 1/3, financement « en partie » 2/3, animateur « oui » 1.
    stage1 = (F(1) + F(2, 3) + F(1, 3) + F(2, 3) + 0 + F(1, 3) + F(2, 3) + F(1)) / 8
    # Stage 2: préparation 1/3, accompagnement 1/3 (clé : 2 points exigés), évaluation 0,
    # 4 parties prenantes actives 2/3 (seuils 2, 4, 6), distinction non 0, 4 tiers 3/3,
    # gouvernance 1/3.
    stage2 = (F(1, 3) + F(1, 3) + 0 + F(2, 3) + 0 + F(1) + F(1, 3)) / 7
    # Stage 3: besoins 0, 1 partenariat multi-acteurs 1/3, résultats 0, enjeux 2/3,
    # impact 1/3, déploiement 0, cadre technique 1/3.
    stage3 = (0 + F(1, 3) + 0 + F(2, 3) + F(1, 3) + 0 + F(1, 3)) / 7
    checks = GOLDEN["maturity"]["checks"]
    assert [c["share"] for c in checks] == pytest.approx(
        [float(s) for s in (stage0, stage1, stage2, stage3)], abs=1e-6
    )
    assert [c["met"] for c in checks] == [True, True, False, False]
    assert checks[2]["missing_keys"] == ["accompagnement_partenariats"]
    assert GOLDEN["maturity"]["stage"] == 1
    assert GOLDEN["maturity"]["next_solution"] == "accompagner_les_organisations"


def test_value_chain_dispositif_and_brakes_read_right() -> None:
    findings = {(f["stakeholder"], f["kind"]) for f in GOLDEN["value_chain"]["findings"]}
    assert findings == {
        ("entreprises", "contribue_sans_retour"),
        ("citoyens", "presente_inactive"),
        ("medias", "absente"),
    }
    assert GOLDEN["value_chain"]["active_count"] == 4
    assert GOLDEN["dispositif"]["option"] == "integrer_existant"  # the PTCE can host it
    statuses = {b["id"]: b["status"] for b in GOLDEN["brakes"]}
    assert statuses["cadre_juridique_outils"] == "a_lever"  # declared in [freins]
    assert statuses["outils_mise_en_relation"] == "non_detecte"  # matchmaking « régulièrement »
    assert len(statuses) == 12
