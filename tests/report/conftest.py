"""A small synthetic diagnostic (labelled "synthétique") and square "départements" to map it."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from cotera.diagnostic.build import ReferenceValues, build_diagnostic
from cotera.diagnostic.matrix import PeerMatrix
from cotera.diagnostic.model import Diagnostic
from cotera.diagnostic.ranking import GroupRanking, Rankings
from cotera.indicators.denominator import PopulationVintage
from cotera.indicators.model import IndicatorKind, IndicatorSpec
from cotera.indicators.perimeter import FrancePerimeter, Perimeter
from cotera.referential.fragilities import fragility_referential
from cotera.territory.model import FRANCE, Territory, TerritoryCode
from cotera.types import Direction, Level

UNITS = ("dep:01", "dep:02", "dep:03", "dep:04")
REGION = TerritoryCode(Level.REGION, "84")


def _ranking(rank: list[float], spread: float) -> GroupRanking:
    r = np.array(rank, dtype=float)
    return GroupRanking(
        UNITS, -r, 100.0 * (4 - r) / 3, r, np.maximum(r - spread, 1), r, np.minimum(r + spread, 4)
    )


@pytest.fixture(scope="session")
def diagnostic() -> Diagnostic:
    peers = [
        Territory(TerritoryCode.parse(u), f"Synthétique {u[-2:]}", 1000, (REGION, FRANCE))
        for u in UNITS
    ]
    specs = [
        IndicatorSpec(
            "revenu", "Revenu médian (synthétique)", "Median income", "F03",
            Direction.HIGHER_IS_LESS_FRAGILE, "€", IndicatorKind.MEDIAN, (Level.DEPARTEMENT,),
            "synth", (2013,),
        ),
        IndicatorSpec(
            "pauvrete", "Taux de pauvreté (synthétique)", "Poverty rate", "F04",
            Direction.HIGHER_IS_MORE_FRAGILE, "%", IndicatorKind.RATE, (Level.DEPARTEMENT,),
            "synth", (2021,),
        ),
    ]  # fmt: skip
    matrix = PeerMatrix(
        UNITS,
        ("revenu", "pauvrete"),
        (2013, 2021),
        np.array([[21000.5, 12.0], [16744.6, 27.8], [19000.0, 15.0], [23000.0, 10.0]]),
    )
    rankings = Rankings(
        fragilities={"F03": _ranking([3, 1, 2, 4], 0.0), "F04": _ranking([3, 1, 2, 4], 1.5)},
        families={"economique": _ranking([3, 1, 2, 4], 1), "sociale": _ranking([3, 1, 2, 4], 2)},
        overall=_ranking([3, 1, 2, 4], 1.0),
        method=("Données synthétiques de test.",),
        draws=50,
        seed=3,
    )
    return build_diagnostic(
        peers[1], peers, specs, matrix, rankings, fragility_referential(),
        sources={"synth": "Source synthétique"},
        france=ReferenceValues(
            "fr", "France", {"revenu": (20369.0, 2013), "pauvrete": (14.5, 2020)},
            perimeters={
                "revenu": FrancePerimeter(Perimeter.METROPOLITAN),
                "pauvrete": FrancePerimeter(Perimeter.WHOLE),
            },
        ),
        parent=ReferenceValues("reg:84", "Région synthétique", {"pauvrete": (13.0, 2021)}),
        top=1,
        populations={"pauvrete": dict.fromkeys(UNITS, PopulationVintage(2026, 2026))},
    )  # fmt: skip


@pytest.fixture(scope="session")
def squares() -> dict[str, Any]:
    """Four unit squares side by side, one per synthetic département."""
    features = []
    for i, code in enumerate(UNITS):
        x = 2.0 + i
        ring = [[x, 45.0], [x + 1, 45.0], [x + 1, 46.0], [x, 46.0], [x, 45.0]]
        features.append(
            {
                "type": "Feature",
                "properties": {"code": code, "nom": code},
                "geometry": {"type": "Polygon", "coordinates": [ring[::-1]]},
            }
        )
    return {"type": "FeatureCollection", "features": features}
