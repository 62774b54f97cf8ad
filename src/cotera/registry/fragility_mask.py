"""Sets of fragilities as 16-bit masks (F01 is bit 0), the compact form used at scale."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from cotera.errors import ConfigurationError
from cotera.referential.fragilities import fragility_referential


@cache
def _bits() -> dict[str, int]:
    return {code: 1 << index for index, code in enumerate(fragility_referential().codes())}


def fragility_codes() -> tuple[str, ...]:
    """All fragility codes, in bit order."""
    return tuple(_bits())


def fragility_bit(code: str) -> int:
    """The bit of one fragility code (``F01`` → 1, ``F02`` → 2, ``F03`` → 4 …)."""
    try:
        return _bits()[code.strip().upper()]
    except KeyError:
        raise ConfigurationError(f"fragilité inconnue : {code!r} (attendu : F01…F16)") from None


def to_mask(codes: Iterable[str]) -> int:
    """The mask of a set of fragility codes."""
    mask = 0
    for code in codes:
        mask |= fragility_bit(code)
    return mask


def from_mask(mask: int) -> frozenset[str]:
    """The fragility codes set in a mask."""
    return frozenset(code for code, bit in _bits().items() if mask & bit)


def sorted_codes(mask: int) -> tuple[str, ...]:
    """The fragility codes of a mask, in referential order."""
    return tuple(code for code, bit in _bits().items() if mask & bit)
