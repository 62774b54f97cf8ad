"""Numbers the French way: decimal comma, narrow no-break space (espace fine) between thousands."""

from __future__ import annotations

import math

NARROW_NBSP = "\u202f"

# d3-format locale for the charts (same conventions as the text).
VEGA_FORMAT_LOCALE: dict[str, object] = {
    "decimal": ",",
    "thousands": NARROW_NBSP,
    "grouping": [3],
    "currency": ["", "\u00a0€"],
    "percent": NARROW_NBSP + "%",
}


def format_number(value: float | int | None, decimals: int = 1, missing: str = "–") -> str:
    """``16744.6`` → ``16 744,6`` (espace fine); ``None`` or NaN → ``missing``."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return missing
    text = f"{value:,.{decimals}f}"
    return text.replace(",", NARROW_NBSP).replace(".", ",")


def format_share(value: float | None, decimals: int = 1, missing: str = "–") -> str:
    """A share in [0, 1] as a French percentage: ``0.385`` → ``38,5 %``."""
    if value is None or not math.isfinite(value):
        return missing
    return f"{format_number(100 * value, decimals)}{NARROW_NBSP}%"


def format_value(value: float | None, unit: str, missing: str = "–") -> str:
    """A value with its unit and a sensible number of decimals (0 for large amounts)."""
    if value is None or not math.isfinite(value):
        return missing
    decimals = 0 if abs(value) >= 1000 else 1 if abs(value) >= 1 else 2
    number = format_number(value, decimals)
    if not unit:
        return number
    separator = NARROW_NBSP if unit == "%" else "\u00a0"
    return f"{number}{separator}{unit}"
