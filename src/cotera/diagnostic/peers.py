"""Which territories a territory is compared with: the same level, same part of France.

Most sources cover metropolitan France only, so a metropolitan territory is compared with the
metropolitan territories of its level (96 départements, 13 régions); an overseas one (DROM) with
every territory of its level, metropolitan and overseas, since the DROM alone are too few.
"""

from __future__ import annotations

from collections.abc import Iterable

from cotera.territory.model import Territory
from cotera.types import Level

_OVERSEAS_REGIONS = frozenset({"01", "02", "03", "04", "06"})


def is_overseas(territory: Territory) -> bool:
    """True for a DROM région or département, or a territory inside one."""
    code = territory.code
    if code.level is Level.REGION:
        return code.code in _OVERSEAS_REGIONS
    if code.level is Level.DEPARTEMENT:
        return code.code.startswith("97")
    department = territory.parent(Level.DEPARTEMENT)
    if department is not None:
        return department.code.startswith("97")
    region = territory.parent(Level.REGION)
    return region is not None and region.code in _OVERSEAS_REGIONS


def peer_group(territory: Territory, same_level: Iterable[Territory]) -> tuple[Territory, ...]:
    """The peers of ``territory`` among ``same_level`` (which should include it), by code."""
    pool = [t for t in same_level if t.level is territory.level]
    if not is_overseas(territory):
        pool = [t for t in pool if not is_overseas(t)]
    if all(t.code != territory.code for t in pool):
        pool.append(territory)
    return tuple(sorted(pool, key=lambda t: t.code))
