"""How many fragilities an overall or family index needs before it is ranked.

An overall index claims to summarise the 16 fragilities. Built on a few of them, its rank would
mostly say which fragilities happen to be measured at that level (the BPE equipment counts for
communes), so it is given only to a territory measured on at least ``overall`` fragilities — by
default 8, half of the 16 — each by at least one usable indicator (reliable or not assessed,
``cotera.indicators.quality``). A family index needs at least half of its fragilities, rounded
up (économique 2 of 3, sociale 3 of 5, sociétale 3 of 6, environnementale 1 of 2). The rule is
the same at every level; what each level reaches depends on the loaded data (docs/diagnostic.md).
Below the minimum the territory is not ranked on that index, its peers are ranked among those
that reach it, and the fragilities are read one by one.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from cotera.diagnostic.matrix import PeerMatrix
from cotera.indicators.model import IndicatorSpec
from cotera.indicators.quality import DataQuality, QualityAssessment


@dataclass(frozen=True, slots=True)
class CoverageRule:
    """Minimum coverage of an overall index and of a family index."""

    overall: int = 8
    """Fragilities (of 16) measured with a usable indicator."""
    family_share: float = 0.5
    """Share of a family's fragilities, rounded up."""

    def family_minimum(self, size: int) -> int:
        """Fragilities a family of ``size`` needs."""
        return math.ceil(self.family_share * size)


DEFAULT_RULE = CoverageRule()


def measured(
    matrix: PeerMatrix,
    specs: Sequence[IndicatorSpec],
    fragilities: Sequence[str],
    usable: Collection[str],
) -> NDArray[np.bool_]:
    """(units × fragilities): whether each peer has a value of a usable indicator of each
    fragility."""
    out = np.zeros((len(matrix.units), len(fragilities)), dtype=bool)
    by_code = {spec.code: spec for spec in specs}
    for j, code in enumerate(matrix.indicators):
        spec = by_code.get(code)
        if spec is None or code not in usable or spec.fragility not in fragilities:
            continue
        out[:, fragilities.index(spec.fragility)] |= np.isfinite(matrix.values[:, j])
    return out


def usable_indicators(
    indicators: Collection[str], quality: Mapping[str, QualityAssessment] | None
) -> frozenset[str]:
    """The indicators that may make a priority: reliable, or without an assessment."""
    known = quality or {}
    return frozenset(
        code
        for code in indicators
        if (known[code].status if code in known else DataQuality.UNASSESSED).usable
    )
