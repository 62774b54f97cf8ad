"""Portrait sections: a template plus its data (and its charts), so modules can add their own.

The diagnostic provides the core sections; survey cross-reading, the registry barometer and the
compass add theirs later by passing more :class:`Section` objects to ``render_portrait``. A
section's template lives in ``cotera/report/templates/sections/`` and sees ``section`` (this
object) and ``diagnostic`` in its context; it places a chart with ``chart("id")``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Section:
    """One section of a portrait page."""

    key: str  # HTML id and chart id prefix
    title: str
    template: str  # file name under templates/sections/
    data: Mapping[str, Any] = field(default_factory=dict)
    charts: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # id → Vega-Lite spec
