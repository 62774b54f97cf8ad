"""Where one value stands among the peers' values of an indicator, oriented towards fragility.

Ties share their mid-rank (``TieRule.AVERAGE`` of the index engine), so that rank and percentile
say the same thing from either end:

* rank: 1 + the number of peers strictly more fragile + half the number of *other* peers with the
  same value (three peers tied after 10 more fragile ones span ranks 11 to 13: rank 12);
* percentile: the inclusive percent rank of the value among the peers, ``100 × (strictly less
  fragile + half the others tied) / (n − 1)`` for a peer, 100 = most fragile; so
  ``percentile = 100 × (n − rank) / (n − 1)``. A value from outside the peers (France, the parent
  territory) is placed as if inserted among them: ``100 × (strictly less fragile + half the
  tied) / n``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from cotera.types import Direction


@dataclass(frozen=True, slots=True)
class ValuePosition:
    """Rank (1 = most fragile) and percentile (100 = most fragile) among ``peers`` values."""

    rank: float
    peers: int
    percentile: float
    ties: int = 0
    """Peers with the same value (other than the territory itself for a member)."""


def _fragility(values: NDArray[np.float64], direction: Direction) -> NDArray[np.float64]:
    return values if direction is Direction.HIGHER_IS_MORE_FRAGILE else -values


def position_of(
    value: float, peer_values: NDArray[np.float64], direction: Direction, *, member: bool
) -> ValuePosition | None:
    """Position of ``value`` among the non-missing ``peer_values``; None if it cannot be placed.

    ``member`` says whether ``value`` is one of ``peer_values`` (the territory itself) or an
    outside reference (France, the parent territory).
    """
    known = peer_values[np.isfinite(peer_values)]
    if not np.isfinite(value) or known.size == 0 or (member and known.size < 2):
        return None
    oriented = _fragility(known, direction)
    mine = value if direction is Direction.HIGHER_IS_MORE_FRAGILE else -value
    more = int(np.count_nonzero(oriented > mine))
    less = int(np.count_nonzero(oriented < mine))
    ties = int(known.size) - more - less - (1 if member else 0)
    denominator = known.size - 1 if member else known.size
    return ValuePosition(
        rank=more + 1 + ties / 2,
        peers=int(known.size),
        percentile=100.0 * (less + ties / 2) / denominator,
        ties=ties,
    )
