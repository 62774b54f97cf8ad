"""The compass as plain data (JSON-ready): dicts, lists, strings, numbers."""

from __future__ import annotations

import dataclasses
from enum import Enum
from typing import Any

from cotera.compass.roadmap import Compass

#: Floats are rounded so that the output is stable across platforms.
_DIGITS = 6


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, float):
        return round(value, _DIGITS)
    if isinstance(value, frozenset | set):
        return sorted(_plain(v) for v in value)
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def compass_to_data(compass: Compass) -> dict[str, Any]:
    """Every field of the compass as JSON-ready data, with the schema name and version."""
    data: dict[str, Any] = {"schema": "cotera.compass/1"}
    data.update(_plain(compass))
    return data
