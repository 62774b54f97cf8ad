"""Orientation towards fragility: the two conventions for a ``direction = "-"`` indicator.

NEGATE normalises ``−x``. COMPLEMENT normalises ``x`` and reflects the result: ``1 − p`` for a
percentile rank, ``N + 1 − r`` for a rank (N = units observed on the indicator). The two differ
only at ties: tied values share the *lowest* rank of ``−x`` under NEGATE, and the complement of
the lowest rank of ``x`` — i.e. the *highest* rank of ``−x`` — under COMPLEMENT (SVI: 1 −
PERCENTRANK.INC of per-capita income). Min–max, z-score and distance to a reference are affine,
so the reflection of their scale is the negation: both conventions give ``−x`` there.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from cotera.index.framework import Framework
from cotera.index.normalise import normalise
from cotera.index.recipe import Inversion, Normalisation, TieRule

FloatArray = npt.NDArray[np.float64]

REFLECTED = (Normalisation.PERCENT_RANK, Normalisation.RANK)
"""Normalisations on which COMPLEMENT differs from NEGATE."""


def normalise_oriented(
    prepared: FloatArray,
    framework: Framework,
    inversion: Inversion,
    method: Normalisation,
    references: FloatArray | None = None,
    ties: TieRule = TieRule.LOWEST,
) -> FloatArray:
    """Normalise every column of ``prepared`` (raw directions) so that higher = more fragile.

    ``inversion`` is the default convention of ``-`` indicators that do not set their own;
    ``references`` are raw (unoriented) reference values, for DISTANCE_TO_REFERENCE; ``ties``
    is the rank tied values share.
    """
    signs = framework.signs()
    if method in REFLECTED:
        reflected = framework.complemented(inversion)
    else:
        reflected = np.zeros(len(signs), dtype=np.bool_)
    factors = np.where(reflected, 1.0, signs)
    oriented_references = None if references is None else references * factors
    out = normalise(prepared * factors, method, oriented_references, ties)
    if reflected.any():
        values = out[:, reflected]
        if method is Normalisation.PERCENT_RANK:
            out[:, reflected] = 1.0 - values
        else:
            out[:, reflected] = (~np.isnan(values)).sum(axis=0) + 1.0 - values
    return out
