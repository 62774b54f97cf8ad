"""A straightforward barometer with polars group-bys (distinct counts), to check the fast path."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from cotera.registry.barometer import ORGANIZATION_DIMENSIONS, PARTNERSHIP_DIMENSIONS, Dimension
from cotera.registry.fragility_mask import fragility_codes
from cotera.registry.model import PartnershipForm

NEVER = 10_000


def reference_rates(
    orgs: pl.DataFrame, members: pl.DataFrame, years: Sequence[int], by: Sequence[Dimension]
) -> pl.DataFrame:
    """Same columns as ``partnership_rates``: one plain filter / join / group-by per year."""
    org_keys = [d.value for d in ORGANIZATION_DIMENSIONS if d in by]
    value_keys = [d.value for d in PARTNERSHIP_DIMENSIONS if d in by]
    orgs = orgs.with_columns(pl.col(k).cast(pl.String) for k in org_keys)
    values = pl.DataFrame({"_": [0]})
    if Dimension.FORM in by:
        values = values.join(
            pl.DataFrame({"form": [f.value for f in PartnershipForm]}), how="cross"
        )
    if Dimension.FRAGILITY in by:
        values = values.join(pl.DataFrame({"fragility": list(fragility_codes())}), how="cross")
    bits = [(code, 1 << i) for i, code in enumerate(fragility_codes())]
    frames = []
    for year in years:
        active = orgs.filter(
            (pl.col("created_year").fill_null(-NEVER) <= year)
            & (pl.col("dissolved_year").fill_null(NEVER) > year)
        )
        if active.height == 0:
            continue
        totals = active.group_by(org_keys).agg(organizations=pl.len()) if org_keys else (
            pl.DataFrame({"organizations": [active.height]})
        )  # fmt: skip
        live = members.filter(
            (pl.col("start_year").fill_null(-NEVER) <= year)
            & (pl.col("end_year").fill_null(NEVER) >= year)
        ).join(active.select("id", *org_keys), left_on="organization_id", right_on="id")
        if Dimension.FRAGILITY in by:
            live = (
                live.with_columns(
                    fragility=pl.concat_list(
                        pl.when((pl.col("fragility_mask") & bit) != 0).then(pl.lit(code))
                        for code, bit in bits
                    ).list.drop_nulls()
                )
                .explode("fragility", empty_as_null=True)
                .drop_nulls("fragility")
            )
        counted = live.group_by(*org_keys, *value_keys).agg(
            partnering=pl.col("organization_id").n_unique(),
            partnerships=pl.col("partnership_id").n_unique(),
        )
        grid = totals.join(values, how="cross").drop("_")
        keys = [*org_keys, *value_keys]
        if keys:
            grid = grid.join(counted, on=keys, how="left", nulls_equal=True)
        else:
            grid = grid.hstack(counted) if counted.height else grid.with_columns(
                partnering=pl.lit(None, pl.UInt32), partnerships=pl.lit(None, pl.UInt32)
            )  # fmt: skip
        frames.append(
            grid.with_columns(
                year=pl.lit(year, dtype=pl.Int32),
                organizations=pl.col("organizations").cast(pl.Int64),
                partnering=pl.col("partnering").fill_null(0).cast(pl.Int64),
                partnerships=pl.col("partnerships").fill_null(0).cast(pl.Int64),
            ).with_columns(rate=pl.col("partnering") / pl.col("organizations"))
        )
    ordered = [d.value for d in (*ORGANIZATION_DIMENSIONS, *PARTNERSHIP_DIMENSIONS) if d in by]
    columns = ["year", *ordered, "organizations", "partnering", "partnerships", "rate"]
    if not frames:
        return pl.DataFrame()
    return pl.concat([f.select(columns) for f in frames]).sort(["year", *ordered])
