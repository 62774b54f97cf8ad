"""Which methodological choice drives the overall rank variance among the peers.

First-order and total Sobol indices (``cotera.index.sensitivity``) of the overall index over a
modest, seeded number of evaluations, so that a diagnostic stays quick. Each estimate is shown
clipped to [0, 1]: with 100 base draws the Monte Carlo noise is a few hundredths (a first-order
index can then exceed its total index by that much; docs/diagnostic.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from cotera.index.engine import IndexResult
from cotera.index.perturbation import UncertaintySpec
from cotera.index.sensitivity import FACTOR_LABEL_FR, reading_fr, sensitivity, share

SENSITIVITY_EVALUATIONS = 600
"""Evaluations of the overall index (4 choices: 100 base draws)."""


@dataclass(frozen=True, slots=True)
class ChoiceShare:
    """Share of the overall rank variance due to one choice: alone and with its interactions."""

    factor: str
    label: str
    first_order: float
    total: float


@dataclass(frozen=True, slots=True)
class Sensitivity:
    """The sensitivity indices of the overall rank and the choice that drives it."""

    evaluations: int
    seed: int | None
    shares: tuple[ChoiceShare, ...]
    dominant: str
    """Factor with the largest total index."""
    reading: str
    """One French sentence naming that choice."""


def overall_sensitivity(
    result: IndexResult,
    spec: UncertaintySpec,
    seed: int | None,
    evaluations: int = SENSITIVITY_EVALUATIONS,
) -> Sensitivity | None:
    """The indices of the overall rank, or None when no choice changes the peers' ranks."""
    try:
        found = sensitivity(result, evaluations, spec, seed)
    except ValueError:
        return None
    shares = tuple(
        ChoiceShare(i.factor.value, FACTOR_LABEL_FR[i.factor], share(i.first_order), share(i.total))
        for i in found.indices
    )
    return Sensitivity(
        found.n_evaluations, seed, shares, found.dominant.factor.value, reading_fr(found)
    )
