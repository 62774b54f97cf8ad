"""Portrait sections: a template plus its data (and its charts), so modules can add their own.

The diagnostic provides the core sections; survey cross-reading, the registry barometer and the
compass add theirs later by passing more :class:`Section` objects to ``render_portrait``. A
section's template lives in ``cotera/report/templates/sections/`` and sees ``section`` (this
object) and ``diagnostic`` in its context; it places a chart with ``chart("id")``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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


def unavailable_section(key: str, title: str, reason: str) -> Section:
    """A section that has nothing to show: its title and the sentence saying why."""
    return Section(key, title, "unavailable.html.j2", {"available": False, "reason": reason})


def sections_to_data(sections: Sequence[Section]) -> list[dict[str, Any]]:
    """The sections' data as JSON-ready records (the portrait's JSON twin)."""
    return [{"key": s.key, "title": s.title, "available": True, **dict(s.data)} for s in sections]
