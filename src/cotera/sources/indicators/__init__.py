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

_MODULES = (  # one per fragility at least at département level (F01…F16)
    "chomage_localise",  # F01
    "side_creations",  # F02
    "filosofi",  # F03, F04, F06
    "vieillissement",  # F05, F06, F11
    "rp2018_epci",  # F07, F05, F10 (EPCI, communes)
    "bpe",  # F08, F12, F13, F14 (communes)
    "ssmsi",  # F09
    "itdd",  # F01, F10, F11, F12, F15, F16
    "drees_medecins",  # F12
    "barometre",  # F13, F08
    "sdes_electricite",  # F16
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
