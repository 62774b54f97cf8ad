"""Partnership observatory at national scale, on a SYNTHETIC registry ("synthétique").

Run: ``.venv/bin/python -m bench.registry [--associations N] [--partnerships M]
[--companies C] [--postgres URL] [--queries Q]``. Communes and populations come from the data
mirror (``COTERA_DATA_MIRROR``, default ``../shared/data``). Each measure runs Cotera's code
and a plain baseline in the same run, printing both times and the ratio:

- import: ``registry_bulk.bulk_load`` (SQLite executemany / PostgreSQL COPY) vs SQLAlchemy Core
  ``insert`` with a list of dicts on the first ``--baseline-rows`` organisations (rows/s);
- national barometer région × form × fragility: ``partnership_rates`` on prepared data vs a
  plain polars join / explode / ``n_unique`` group-by;
- roll-up to communes: ``active_counts`` (bincount on coded communes) vs polars
  ``group_by().len()``;
- matching top-10: ``CandidatePool.match`` p95 (near candidates, then far profiles that can
  still enter the top) vs the full vectorised scan of every candidate (checked to give the
  same top-10) and a pure-Python scan.

Targets (issue 5 §6) are printed with PASS / MISS.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import sqlalchemy

from cotera.actor import Actor
from cotera.registry.barometer import (
    BarometerData,
    Dimension,
    active_counts,
    partnership_rates,
)
from cotera.registry.match_scoring import RequestScoring
from cotera.registry.matching import CandidatePool, Geography, MatchRequest, MatchWeights
from cotera.registry.model import OrganizationKind
from cotera.registry.synthetic import SyntheticRegistry, SyntheticSpec, generate
from cotera.registry.value_chain import value_chain
from cotera.sources.cog import load_territories
from cotera.sources.mirror import Mirror
from cotera.storage.engine import open_database
from cotera.storage.registry_bulk import ORGANIZATION_COLUMNS, bulk_load
from cotera.storage.registry_tables import OrganizationRow
from cotera.types import Level


def _timed(function: Callable[[], Any], repeat: int = 5) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def _verdict(seconds: float, target: float) -> str:
    return "PASS" if seconds <= target else "MISS"


def _communes(mirror: Path) -> pl.DataFrame:
    rows = []
    for territory in load_territories(Mirror(mirror)):
        if territory.level is not Level.COMMUNE:
            continue
        parents = [territory.parent(lv) for lv in (Level.EPCI, Level.DEPARTEMENT, Level.REGION)]
        rows.append((territory.code.code, *(p.code if p else None for p in parents),
                     territory.population or 0))  # fmt: skip
    frame = pl.DataFrame(
        rows, schema=["commune", "epci", "departement", "region", "population"], orient="row"
    )
    return frame.filter(pl.col("departement").is_not_null())


def _import(url: str, registry: SyntheticRegistry, baseline_rows: int) -> None:
    engine = open_database(url)
    start = time.perf_counter()
    with engine.begin() as connection:
        counts = bulk_load(connection, registry, Actor.system("bench"), {"label": "synthétique"})
    ours = time.perf_counter() - start
    rows = sum(counts.values())
    sample = (
        registry.organizations.head(baseline_rows)
        .with_columns(pl.col("id") + 10_000_000, fragilities_edited=pl.lit(False),
                      source=pl.lit("bench"))
        .select([c for c in ORGANIZATION_COLUMNS if c in registry.organizations.columns]
                + ["fragilities_edited", "source"])
        .with_columns(pl.lit(None, pl.String).alias("rna"), pl.lit(None, pl.String).alias("siren"))
    )  # fmt: skip
    dicts = sample.to_dicts()
    start = time.perf_counter()
    with engine.begin() as connection:
        connection.execute(sqlalchemy.insert(OrganizationRow), dicts)
    plain = time.perf_counter() - start
    engine.dispose()
    ours_rate, plain_rate = rows / ours, len(dicts) / plain
    print(f"  import {rows:,} rows: {ours:.1f} s ({ours_rate:,.0f} rows/s); SQLAlchemy Core "
          f"insert baseline {plain_rate:,.0f} rows/s → ×{ours_rate / plain_rate:.1f}; "
          f"target ≤ 90 s: {_verdict(ours, 90)}")  # fmt: skip


def _postgres_url(base: str) -> tuple[str, Callable[[], None]]:
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = sqlalchemy.create_engine(base)
    with admin.begin() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    url = sqlalchemy.make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})

    def drop() -> None:
        with admin.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()

    return url.render_as_string(hide_password=False), drop


def _baseline_barometer(orgs: pl.DataFrame, members: pl.DataFrame) -> pl.DataFrame:
    active = orgs.filter(pl.col("dissolved_year").is_null() | (pl.col("dissolved_year") > 2015))
    ongoing = pl.col("end_year").is_null() | (pl.col("end_year") >= 2015)
    live = members.filter((pl.col("start_year") <= 2015) & ongoing)
    joined = live.join(active.select("id", "territory"), left_on="organization_id", right_on="id")
    codes = [f"F{i:02d}" for i in range(1, 17)]
    exploded = (
        joined.with_columns(
            fragility=pl.concat_list(
                [
                    pl.when((pl.col("fragility_mask") & (1 << i)) != 0).then(pl.lit(c))
                    for i, c in enumerate(codes)
                ]
            )
        )
        .explode("fragility", empty_as_null=True)
        .drop_nulls("fragility")
    )
    return exploded.group_by("territory", "form", "fragility").agg(
        pl.col("organization_id").n_unique(), pl.col("partnership_id").n_unique()
    )


def _python_match(rows: list[tuple[Any, ...]], request: MatchRequest,
                  geo: Geography) -> list[int]:  # fmt: skip
    """Plain Python scoring of every candidate (same criteria), for the baseline."""
    chain = value_chain()
    scored = []
    for org_id, kind, commune, mask, status in rows:
        if status != "active" or not mask & request.fragilities or org_id in request.exclude:
            continue
        score = (
            40 * bin(mask & request.fragilities).count("1") / bin(request.fragilities).count("1")
        )
        if request.kind is not None:
            score += 25 * chain.complementarity(request.kind, OrganizationKind(kind))
        if commune == request.commune:
            score += 20
        elif geo.epci.get(commune) == request.epci:
            score += 15
        elif geo.departement.get(commune) == request.departement:
            score += 8
        scored.append((-score, org_id))
    return [i for _, i in sorted(scored)[: request.top]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--associations", type=int, default=1_500_000)
    parser.add_argument("--partnerships", type=int, default=1_200_000)
    parser.add_argument("--companies", type=int, default=600_000)
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--baseline-rows", type=int, default=50_000)
    parser.add_argument("--postgres", default=os.environ.get("COTERA_TEST_POSTGRES_URL", ""))
    parser.add_argument("--skip-import", action="store_true")
    args = parser.parse_args()
    mirror = Path(os.environ.get("COTERA_DATA_MIRROR", Path(__file__).parents[2] / "shared/data"))
    communes = _communes(mirror)
    spec = SyntheticSpec(associations=args.associations, partnerships=args.partnerships,
                         companies=args.companies, seed=0)  # fmt: skip
    start = time.perf_counter()
    registry = generate(communes, spec)
    print(f"Registre synthétique : {registry.organizations.height:,} organisations, "
          f"{registry.partnerships.height:,} partenariats, {communes.height:,} communes "
          f"(génération {time.perf_counter() - start:.1f} s)")  # fmt: skip

    if not args.skip_import:
        with tempfile.TemporaryDirectory() as folder:
            print("SQLite:")
            _import(f"sqlite:///{folder}/bench.sqlite", registry, args.baseline_rows)
        if args.postgres:
            url, drop = _postgres_url(args.postgres)
            print("PostgreSQL:")
            try:
                _import(url, registry, args.baseline_rows)
            finally:
                drop()

    orgs = registry.organizations.join(
        communes.select("commune", territory="region"), on="commune", how="left"
    )
    members = registry.members.join(
        registry.partnerships.select(partnership_id="id", form="form",
                                     fragility_mask="fragility_mask", start_year="start_year",
                                     end_year="end_year"), on="partnership_id",
    )  # fmt: skip
    start = time.perf_counter()
    data = BarometerData.prepare(orgs, members)
    data.coded("territory")
    data.coded("commune")
    data.value_rows(by_form=True, by_fragility=True)
    print(f"Barometer data prepared once in {time.perf_counter() - start:.2f} s")
    cut = [Dimension.TERRITORY, Dimension.FORM, Dimension.FRAGILITY]
    ours, table = _timed(lambda: partnership_rates(data, [2015], cut))
    plain, _ = _timed(lambda: _baseline_barometer(orgs, members), repeat=3)
    print(f"  barometer région × form × fragility ({table.height} cells): {ours * 1e3:.0f} ms; "
          f"polars baseline {plain * 1e3:.0f} ms → ×{plain / ours:.1f}; "
          f"target ≤ 200 ms: {_verdict(ours, 0.2)}")  # fmt: skip
    rollup, counts = _timed(lambda: active_counts(data, "commune", 2015))
    plain, _ = _timed(lambda: orgs.group_by("commune").len())
    print(f"  roll-up of {orgs.height:,} organisations to {counts.height:,} communes: "
          f"{rollup * 1e3:.0f} ms; polars group_by baseline {plain * 1e3:.0f} ms → "
          f"×{plain / rollup:.1f}; target ≤ 50 ms: {_verdict(rollup, 0.05)}")  # fmt: skip

    geo = Geography(*(dict(communes.select("commune", c).drop_nulls().iter_rows())
                      for c in ("epci", "departement", "region")))  # fmt: skip
    start = time.perf_counter()
    pool = CandidatePool.from_frame(registry.organizations, geo)
    print(f"Candidate pool of {len(pool):,} built once in {time.perf_counter() - start:.2f} s")
    rng = np.random.default_rng(1)
    sample = registry.organizations.filter(pl.col("fragility_mask") > 0).sample(
        args.queries, seed=1
    )
    requests = [
        MatchRequest(fragilities=r["fragility_mask"], kind=OrganizationKind(r["kind"]),
                     commune=r["commune"], epci=geo.epci.get(r["commune"]),
                     departement=geo.departement.get(r["commune"]),
                     region=geo.region.get(r["commune"]), exclude=frozenset({r["id"]}))
        for r in sample.iter_rows(named=True)
    ]  # fmt: skip
    times, scans, chain = [], [], value_chain()
    for request in requests:
        start = time.perf_counter()
        found = pool.match(request)
        times.append(time.perf_counter() - start)
        start = time.perf_counter()
        every = RequestScoring(pool, request, MatchWeights(), chain).best(np.arange(len(pool)))
        scans.append(time.perf_counter() - start)
        assert [s.organization_id for s in found] == pool.ids[every].tolist()
    p95, scan95 = float(np.percentile(times, 95)), float(np.percentile(scans, 95))
    print(f"  matching: same top-10 as scoring every candidate ({len(requests)} queries); "
          f"full vectorised scan p95 {scan95 * 1e3:.1f} ms → ×{scan95 / p95:.1f}")  # fmt: skip
    rows = registry.organizations.select("id", "kind", "commune", "fragility_mask",
                                         "status").rows()  # fmt: skip
    chosen = requests[int(rng.integers(len(requests)))]
    plain, _ = _timed(lambda: _python_match(rows, chosen, geo), repeat=1)
    print(f"  matching top-10 over {len(pool):,}: p95 {p95 * 1e3:.1f} ms "
          f"(median {statistics.median(times) * 1e3:.1f} ms, {len(times)} queries); "
          f"pure-Python scan {plain * 1e3:.0f} ms → ×{plain / p95:.0f}; "
          f"target ≤ 50 ms p95: {_verdict(p95, 0.05)}")  # fmt: skip


if __name__ == "__main__":
    main()
