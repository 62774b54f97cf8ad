from __future__ import annotations

import math

import polars as pl

from cotera.diagnostic.matrix import latest_year_matrix


def _obs(rows: list[tuple[str, str, int, float | None]]) -> pl.DataFrame:
    return pl.DataFrame(
        rows,
        schema={
            "indicator": pl.String,
            "territory": pl.String,
            "year": pl.Int32,
            "value": pl.Float64,
        },
        orient="row",
    )


def test_latest_year_covering_half_of_the_peers_and_no_year_mixing() -> None:
    units = ["dep:01", "dep:02", "dep:03", "dep:04"]
    observations = _obs(
        [
            # a: 2021 only for one peer (1/4 < 1/2) -> 2020 is used for everybody
            ("a", "dep:01", 2021, 9.0),
            ("a", "dep:01", 2020, 1.0),
            ("a", "dep:02", 2020, 2.0),
            ("a", "dep:03", 2019, 3.0),
            # b: 2 of 4 peers in 2018 (exactly half) -> kept; dep:04 missing that year
            ("b", "dep:01", 2018, 5.0),
            ("b", "dep:02", 2018, 6.0),
            ("b", "dep:04", 2018, None),
            ("b", "dep:04", 2015, 7.0),
            # c: never half -> dropped; d: not a peer -> ignored
            ("c", "dep:01", 2020, 1.0),
            ("a", "dep:99", 2022, 1.0),
        ]
    )
    matrix = latest_year_matrix(observations, units, ["b", "c", "a"])
    assert matrix.indicators == ("b", "a")
    assert matrix.years == (2018, 2020)
    assert matrix.column("a")[:2].tolist() == [1.0, 2.0]
    assert math.isnan(matrix.column("a")[2])  # 2019 value not mixed in
    assert math.isnan(matrix.column("b")[3])
    assert matrix.subset(["a"]).years == (2020,)
