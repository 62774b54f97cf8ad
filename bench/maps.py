"""National EPCI map, end to end: stored outlines → Vega-Lite spec → drawn in headless Chromium.

Run: ``.venv/bin/python -m bench.maps`` (mirror from COTERA_DATA_MIRROR or ../shared/data;
Debian's Chromium). Loads the ``contours`` source into a temporary SQLite file, reads the
national EPCI map back from the database, builds the portrait's choropleth spec (values are a
made-up hash of the code, only to colour the map) and draws it with the offline Vega bundle,
SVG renderer as in the portraits. Draw time = from navigation start to the rendered view
(bundle and data parsing included), best of ``--repeat`` page loads.

Baseline, same run: the same EPCI unions **without simplification** (coverage simplification
skipped, coordinates kept to 4 decimals of km), built from the same stored inputs.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from tests.browser import CHROMIUM, CHROMIUM_ARGS

from cotera.report.bundle import json_for_script, offline_bundle
from cotera.report.charts import choropleth_spec
from cotera.services.boundary_load import commune_parents
from cotera.services.data_load import load_all
from cotera.services.database import database
from cotera.settings import Settings
from cotera.sources import cog
from cotera.sources.boundary_maps import LevelPlan, build_boundaries
from cotera.sources.commune_outlines import outline_history, place_outlines, read_outlines
from cotera.sources.mirror import Mirror
from cotera.storage.boundary_store import read_boundaries
from cotera.types import Level, MapDetail

TARGET_S = 2.0  # issue 12: a national EPCI map draws in a real browser in ≤ 2 s
PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><div id="map"></div>
<script>{bundle}</script>
<script id="spec" type="application/json">{spec}</script>
<script>
vegaEmbed("#map", JSON.parse(document.getElementById("spec").textContent),
          {{actions: false, renderer: "svg"}})
  .then(function () {{ window.drawnAt = performance.now(); }})
  .catch(function (error) {{ window.drawError = String(error); }});
</script></body></html>"""


def _spec(collection: dict[str, Any]) -> dict[str, Any]:
    values = {
        f["properties"]["code"]: {
            "nom": f["properties"]["nom"],
            "v": int(f["properties"]["code"][5:]) % 100,
        }
        for f in collection["features"]
    }
    return choropleth_spec(collection, values, "v", "epci:200054781", "EPCI", ["valeur"], [])


def _draw(spec: dict[str, Any], directory: Path, repeat: int) -> tuple[float, int, int]:
    """Best draw time (s), SVG paths drawn, page size (bytes)."""
    from playwright.sync_api import sync_playwright

    page_file = directory / "map.html"
    page_file.write_text(PAGE.format(bundle=offline_bundle(), spec=json_for_script(spec)), "utf-8")
    times, paths = [], 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for _ in range(repeat):
            page = browser.new_page(viewport={"width": 900, "height": 800})
            errors: list[str] = []
            page.on("console", lambda m, e=errors: e.append(m.text) if m.type == "error" else None)
            page.goto(page_file.as_uri())
            page.wait_for_function("window.drawnAt || window.drawError", timeout=120_000)
            failed = page.evaluate("window.drawError || null")
            if failed or errors:
                raise RuntimeError(f"the map did not draw: {failed or errors}")
            times.append(page.evaluate("window.drawnAt") / 1000)
            paths = page.locator("#map svg path").count()
            page.close()
        browser.close()
    return min(times), paths, page_file.stat().st_size


def _unsimplified(mirror: Mirror) -> dict[str, Any]:
    territories = cog.load_territories(mirror)
    names = {t.code.code: t.name for t in territories if t.level is Level.COMMUNE}
    codes, geometries = read_outlines(mirror)
    placed = place_outlines(codes, geometries, names, cog.former_commune_codes(mirror),
                            outline_history(mirror))  # fmt: skip
    plan = LevelPlan(Level.EPCI, MapDetail.NATIONAL, 0.0, 4, 1 << 40)
    built = build_boundaries(placed, commune_parents(territories), plans=[plan])
    named = {str(t.code): t.name for t in territories}
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": json.loads(geometry),
             "properties": {"code": code, "nom": named[code]}}
            for code, geometry in built.frame.select("code", "geometry").iter_rows()
        ],
        "cotera": {"detail": "national", "insets": []},
    }  # fmt: skip


def main() -> None:
    """Print the timings, sizes and PASS/MISS against the 2 s target."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    root = Path(os.environ.get("COTERA_DATA_MIRROR", Path(__file__).parents[2] / "shared" / "data"))
    with tempfile.TemporaryDirectory() as temporary:
        directory = Path(temporary)
        settings = Settings(data_dir=directory, data_mirror=root)
        start = time.perf_counter()
        load_all(settings, only="contours")
        load_s = time.perf_counter() - start
        with database(settings) as engine, engine.connect() as connection:
            start = time.perf_counter()
            collection = read_boundaries(connection, Level.EPCI)
            read_s = time.perf_counter() - start
        start = time.perf_counter()
        spec = _spec(collection)
        spec_s = time.perf_counter() - start
        geojson_bytes = len(json.dumps(collection, separators=(",", ":")))
        draw_s, paths, page_bytes = _draw(spec, directory, args.repeat)
        if paths < len(collection["features"]):
            raise RuntimeError(f"only {paths} paths drawn for {len(collection['features'])} EPCI")
        raw = _unsimplified(Mirror(root))
        raw_bytes = len(json.dumps(raw, separators=(",", ":")))
        raw_s, raw_paths, raw_page = _draw(_spec(raw), directory, args.repeat)
    vertices = sum(len(np.array(r).reshape(-1, 2)) for f in collection["features"]
                   for r in _rings(f["geometry"]))  # fmt: skip
    print(f"load of the contours source (cog + contours): {load_s:.1f} s")
    print(f"national EPCI map: {len(collection['features'])} EPCI, {vertices:,} vertices, "
          f"GeoJSON {geojson_bytes / 1e6:.2f} MB, page {page_bytes / 1e6:.2f} MB")  # fmt: skip
    print(f"read from the database: {read_s * 1000:.0f} ms; spec: {spec_s * 1000:.0f} ms")
    print(f"drawn in Chromium: {draw_s:.2f} s ({paths} paths)  target ≤ {TARGET_S:.0f} s: "
          f"{'PASS' if draw_s <= TARGET_S else 'MISS'}")  # fmt: skip
    print(f"baseline, unsimplified unions: GeoJSON {raw_bytes / 1e6:.2f} MB, page "
          f"{raw_page / 1e6:.2f} MB, drawn in {raw_s:.2f} s ({raw_paths} paths); "
          f"simplified is ×{raw_s / draw_s:.1f} faster")  # fmt: skip


def _rings(geometry: dict[str, Any]) -> list[Any]:
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    return [ring for polygon in polygons for ring in polygon]


if __name__ == "__main__":
    main()
