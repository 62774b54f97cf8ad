"""Indicator weights resolved from a framework and a weighting choice."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from cotera.index.framework import Framework
from cotera.index.recipe import Weighting

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Weights:
    """Weights of each indicator, normalised to 1 within its family and overall."""

    within_family: FloatArray
    """Weight of each indicator in its family score; each family sums to 1."""
    overall: FloatArray
    """Weight of each indicator in the overall score; sums to 1."""


def resolve_weights(framework: Framework, weighting: Weighting) -> Weights:
    """Turn the weighting choice into normalised weight vectors."""
    family = framework.family_index()
    n_families = len(framework.families)
    sizes = np.bincount(family, minlength=n_families).astype(np.float64)
    if weighting is Weighting.USER:
        raw = np.array([i.weight for i in framework.indicators])
        family_weight = np.array([f.weight for f in framework.families])
    else:
        raw = np.ones(len(framework.indicators))
        family_weight = np.ones(n_families) if weighting is Weighting.PER_FAMILY else sizes
    within = raw / np.bincount(family, weights=raw, minlength=n_families)[family]
    present = sizes > 0
    shares = np.where(present, family_weight, 0.0)
    overall = within * (shares / shares.sum())[family]
    return Weights(within_family=within, overall=overall / overall.sum())
