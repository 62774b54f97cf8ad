"""Pioneer scoring on hand-made partnerships."""

from __future__ import annotations

from datetime import date

import polars as pl

from cotera.registry.fragility_mask import to_mask
from cotera.registry.pioneers import score_pioneers


def test_pioneers_ranked_with_reasons() -> None:
    partnerships = pl.DataFrame(
        {
            "id": [1, 2, 3],
            "form": ["societal_innovation", "patronage", "societal_innovation"],
            "fragility_mask": [to_mask(["F01"]), to_mask(["F14"]), to_mask(["F01", "F04"])],
            "start_on": [date(2010, 1, 1), date(2015, 6, 1), date(2014, 1, 1)],
            "end_on": [None, None, None],
        },
        schema_overrides={"end_on": pl.Date},
    )
    members = pl.DataFrame(
        {
            "partnership_id": [1, 1, 1, 2, 2, 3, 3],
            "kind": [
                "association", "company", "public_body", "association", "company",
                "association", "company",
            ],
        }
    )  # fmt: skip
    ranked = score_pioneers(
        partnerships, members, to_mask(["F01", "F04"]), reference=date(2016, 1, 1)
    )
    assert [c.partnership_id for c in ranked] == [1, 3, 2]
    # 1: innovation sociétale 3 + two extra kinds 2 + one priority 2 + 6 years 2
    # 3: 3 + 1 + two priorities 3 + two years 1; 2: mécénat 0 + 1 + 0 + half a year 0
    assert [c.score for c in ranked] == [9, 8, 1]
    assert [c.pioneer for c in ranked] == [True, False, False]
    assert ranked[1].priorities == ("F01", "F04")
    assert any("innovation sociétale" in r for r in ranked[0].reasons)
    assert any("aucune fragilité prioritaire" in r for r in ranked[2].reasons)
