"""Territory loading and lookup speed on the real COG 2026 files.

Run: ``.venv/bin/python -m bench.territories`` (mirror from COTERA_DATA_MIRROR or ../shared/data).
Baselines, measured in the same run: a plain ``{code: territory}`` dict for the catalog build,
a linear scan over pre-normalised names for name lookup.
"""

from __future__ import annotations

import contextlib
import os
import random
import time
from collections.abc import Callable
from pathlib import Path

from cotera.sources.cog import load_territories
from cotera.sources.mirror import Mirror
from cotera.territory.catalog import TerritoryCatalog
from cotera.territory.model import Territory
from cotera.territory.names import normalize_name
from cotera.types import Level

CATALOG_TARGET_S = 1.0  # brief: building the catalog for ~37k territories well under a second
LOOKUP_TARGET_MS = 1.0  # one name lookup


def _best(function: Callable[[], object], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def _linear_lookup(keys: list[tuple[str, Territory]], name: str) -> list[Territory]:
    key = normalize_name(name)
    return [t for k, t in keys if k == key]


def main() -> None:
    """Print absolute times, ratios to the baselines and PASS/MISS against the targets."""
    root = Path(os.environ.get("COTERA_DATA_MIRROR", Path(__file__).parents[2] / "shared" / "data"))
    mirror = Mirror(root)
    load_s = _best(lambda: load_territories(mirror), repeat=2)
    territories = load_territories(mirror)
    build_s = _best(lambda: TerritoryCatalog(territories))
    dict_s = _best(lambda: {t.code: t for t in territories})
    catalog = TerritoryCatalog(territories)

    names = [t.name for t in random.Random(0).sample(catalog.by_level(Level.COMMUNE), 200)]
    keys = [(normalize_name(t.name), t) for t in territories]

    def catalog_lookups() -> None:
        for name in names:
            with contextlib.suppress(LookupError):  # homonyms: ambiguity is part of the work
                catalog.resolve(name)

    lookup_s = _best(catalog_lookups) / len(names)
    linear_s = _best(lambda: [_linear_lookup(keys, n) for n in names[:20]]) / 20

    print(f"territories: {len(territories):,} records")
    print(f"load_territories (read + link COG files): {load_s:.3f} s")
    print(
        f"TerritoryCatalog build: {build_s:.3f} s; baseline plain dict {dict_s:.4f} s "
        f"(x{build_s / dict_s:.0f}); target < {CATALOG_TARGET_S} s: "
        + ("PASS" if build_s < CATALOG_TARGET_S else "MISS")
    )
    print(
        f"name lookup: {lookup_s * 1e3:.3f} ms; baseline linear scan {linear_s * 1e3:.2f} ms "
        f"(x{linear_s / lookup_s:.0f} faster); target < {LOOKUP_TARGET_MS} ms: "
        + ("PASS" if lookup_s * 1e3 < LOOKUP_TARGET_MS else "MISS")
    )


if __name__ == "__main__":
    main()
