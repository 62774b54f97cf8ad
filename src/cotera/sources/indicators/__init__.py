"""Indicator source loaders: one module per source, each with ``SOURCE`` and ``load``.

``all_sources()`` lists them in catalogue order; the load service calls
``module.load(mirror, context)`` for each and stores the returned ``SourceLoad``.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

from cotera.errors import ConfigurationError
from cotera.sources.indicators.context import IndicatorSource, LoadContext, SourceLoad

__all__ = ["IndicatorSource", "LoadContext", "SourceLoad", "all_sources", "get_source"]

_MODULES = (
    "chomage_localise",
    "side_creations",
    "filosofi",
    "drees_medecins",
    "ssmsi",
)


def all_sources() -> tuple[ModuleType, ...]:
    """Every source loader module (each has ``SOURCE: SourceSpec`` and ``load``)."""
    return tuple(import_module(f"{__name__}.{name}") for name in _MODULES)


def get_source(source_id: str) -> ModuleType:
    """The loader of one source by its id (ConfigurationError listing the known ids)."""
    for module in all_sources():
        if module.SOURCE.id == source_id:
            return module
    known = ", ".join(m.SOURCE.id for m in all_sources())
    raise ConfigurationError(f"source inconnue : {source_id!r} (connues : {known})")
