"""The diagnostic as plain JSON-ready data (the same content as the text and the portrait)."""

from __future__ import annotations

import math
from dataclasses import asdict
from enum import Enum
from typing import Any

from cotera.diagnostic.model import Diagnostic


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def diagnostic_to_dict(diagnostic: Diagnostic) -> dict[str, Any]:
    """Every field of the diagnostic; enums as their values, NaN as null."""
    data: dict[str, Any] = _plain(asdict(diagnostic))
    data["coverage"]["years"] = dict(diagnostic.coverage.years)
    return data
