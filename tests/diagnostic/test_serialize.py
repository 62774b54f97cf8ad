from __future__ import annotations

import json
import math

import numpy as np

from cotera.diagnostic.model import Coverage, Diagnostic, PeerPoint, Position
from cotera.diagnostic.priority import Certainty, RankInterval
from cotera.diagnostic.serialize import diagnostic_to_dict
from cotera.types import Level


def test_plain_json_with_enums_as_values_and_nan_as_null() -> None:
    position = Position(
        0.5, 2.0, 13, 91.7, RankInterval(1.0, 2.0, 4.0), Certainty.METHOD_DEPENDENT, "phrase"
    )
    diagnostic = Diagnostic(
        territory="reg:32", name="Hauts-de-France", level=Level.REGION, parent=None,
        peers_count=13, top=3, fragilities=(), families=(), overall=position, priorities=(),
        coverage=Coverage(("F01",), ("F07",), (), (("poverty_rate", 2021),)),
        peers=(PeerPoint("reg:32", "Hauts-de-France", float(np.nan), None),),
        method=("m",), draws=10, seed=1,
    )  # fmt: skip
    data = diagnostic_to_dict(diagnostic)
    text = json.dumps(data, allow_nan=False)
    back = json.loads(text)
    assert back["level"] == "reg"
    assert back["overall"]["certainty"] == "method_dependent"
    assert back["overall"]["interval"] == {"low": 1.0, "median": 2.0, "high": 4.0}
    assert back["peers"][0]["percentile"] is None
    assert back["coverage"]["years"] == {"poverty_rate": 2021}
    assert math.isclose(back["overall"]["percentile"], 91.7)
