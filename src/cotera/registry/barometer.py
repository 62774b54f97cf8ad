"""Partnership barometer: share of organisations with at least one partnership, by any cut.

:meth:`BarometerData.prepare` takes polars frames once and codes them as integers; queries
then run on numpy (``bincount``, bit masks), fast enough for national tables.
``organizations`` has ``id``, ``kind``, ``size_band``, ``created_year``, ``dissolved_year`` and
territory columns (``commune``, ``reg`` … or a custom one, see :func:`with_territory`);
``memberships`` has ``partnership_id``, ``organization_id``, ``form``, ``fragility_mask``,
``start_year``, ``end_year``.

For a year Y an organisation counts when created by Y and not dissolved before Y; a
partnership counts when started by Y and not ended before Y. Cuts by organisation (territory,
kind, size band) split the denominator; cuts by partnership (form, fragility) only split the
numerator: "share of the organisations of the cell having a partnership of that form".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import numpy.typing as npt
import polars as pl

from cotera.registry.fragility_mask import fragility_codes
from cotera.registry.model import PartnershipForm


class Dimension(StrEnum):
    """What a barometer can be cut by."""

    TERRITORY = "territory"
    KIND = "kind"
    SIZE_BAND = "size_band"
    FORM = "form"
    FRAGILITY = "fragility"


ORGANIZATION_DIMENSIONS = (Dimension.TERRITORY, Dimension.KIND, Dimension.SIZE_BAND)
PARTNERSHIP_DIMENSIONS = (Dimension.FORM, Dimension.FRAGILITY)


def with_territory(
    organizations: pl.DataFrame, territories: Mapping[str, str] | pl.DataFrame
) -> pl.DataFrame:
    """Add ``territory`` from ``commune``: a mapping, or a frame (``commune``, ``territory``).

    A frame may list a commune under several territories (overlapping custom sets): its
    organisations then count in each. Organisations outside every territory are dropped.
    """
    if isinstance(territories, pl.DataFrame):
        lookup = territories.select("commune", "territory")
    else:
        lookup = pl.DataFrame(
            {"commune": list(territories), "territory": list(territories.values())},
            schema={"commune": pl.String, "territory": pl.String},
        )
    return organizations.join(lookup, on="commune", how="inner")


_NEVER = np.int32(10_000)  # end year of open-ended partnerships / undissolved organisations


def _year(column: pl.Series, missing: int) -> npt.NDArray[np.int32]:
    return column.fill_null(missing).to_numpy().astype(np.int32)


@dataclass(frozen=True, slots=True, eq=False)
class BarometerData:
    """Organisations and memberships coded as integer arrays, ready for many queries."""

    organizations: pl.DataFrame
    created: npt.NDArray[np.int32]
    dissolved: npt.NDArray[np.int32]
    member_org: npt.NDArray[np.int64]  # row of the member in `organizations`
    member_partnership: npt.NDArray[np.int64]  # dense partnership index
    member_form: npt.NDArray[np.int64]  # index in PartnershipForm
    member_mask: npt.NDArray[np.uint64]  # fragility mask
    member_start: npt.NDArray[np.int32]
    member_end: npt.NDArray[np.int32]
    by_partnership: npt.NDArray[np.int64]  # permutation of members sorted by partnership
    largest: int  # most members in one partnership
    codes: dict[str, tuple[npt.NDArray[np.int64], list[str | None]]] = field(default_factory=dict)

    @classmethod
    def prepare(cls, organizations: pl.DataFrame, memberships: pl.DataFrame) -> BarometerData:
        """Code both frames (memberships of unknown organisations are dropped)."""
        rows = organizations.select(organization_id="id").with_row_index("_row")
        members = memberships.join(rows, on="organization_id", how="inner").sort("_row")
        forms = {f.value: i for i, f in enumerate(PartnershipForm)}
        partnership = members["partnership_id"].rank("dense").to_numpy().astype(np.int64) - 1
        data = cls(
            organizations=organizations,
            created=_year(organizations["created_year"], -10_000),
            dissolved=_year(organizations["dissolved_year"], int(_NEVER)),
            member_org=members["_row"].to_numpy().astype(np.int64),
            member_partnership=partnership,
            member_form=members["form"].replace_strict(forms, return_dtype=pl.Int64).to_numpy(),
            member_mask=members["fragility_mask"].fill_null(0).to_numpy().astype(np.uint64),
            member_start=_year(members["start_year"], -10_000),
            member_end=_year(members["end_year"], int(_NEVER)),
            by_partnership=np.argsort(partnership, kind="stable"),
            largest=int(np.bincount(partnership).max()) if partnership.size else 0,
        )
        for column in ("kind", "size_band"):
            data.coded(column)
        return data

    def coded(self, column: str) -> tuple[npt.NDArray[np.int64], list[str | None]]:
        """Dense codes of an organisation column and its values (null last), cached."""
        if column not in self.codes:
            series = self.organizations[column].cast(pl.String)
            values = series.unique().sort(nulls_last=True).to_list()
            codes = series.rank("dense").fill_null(len(values)).to_numpy().astype(np.int64) - 1
            self.codes[column] = (codes, values)
        return self.codes[column]


def active_counts(data: BarometerData, column: str, year: int) -> pl.DataFrame:
    """Roll-up: active organisations per value of ``column`` (e.g. ``commune``) in ``year``."""
    codes, values = data.coded(column)
    active = (data.created <= year) & (data.dissolved > year)
    counts = np.bincount(codes[active], minlength=len(values))
    return pl.DataFrame(
        {column: pl.Series(values, dtype=pl.String), "organizations": counts.astype(np.int64)}
    )


def organization_counts(organizations: pl.DataFrame, by: Sequence[str]) -> pl.DataFrame:
    """Number of organisations per value of ``by`` (a plain group-by, for small frames)."""
    return organizations.group_by(list(by)).agg(pl.len().alias("organizations")).sort(list(by))


def _cell_counts(
    cells: npt.NDArray[np.int64], bits: npt.NDArray[np.uint64], n_cells: int, n_bits: int
) -> npt.NDArray[np.int64]:
    """For rows (cell, bit mask), how many rows of each cell have each bit: (n_cells, n_bits).

    Peels the lowest set bit of every row at each pass, so the work follows the number of
    set bits rather than the mask width.
    """
    keep = bits != 0
    cells, bits = cells[keep], bits[keep]
    counts = np.zeros(n_cells * n_bits, dtype=np.int64)
    while bits.size:
        lowest = bits & (~bits + np.uint64(1))
        position = np.log2(lowest.astype(np.float64)).astype(np.int64)
        counts += np.bincount(cells * n_bits + position, minlength=n_cells * n_bits)
        bits = bits ^ lowest
        left = bits != 0
        cells, bits = cells[left], bits[left]
    return counts.reshape(n_cells, n_bits)


def _or_by_organization(
    org: npt.NDArray[np.int64], bits: npt.NDArray[np.uint64], n_orgs: int
) -> npt.NDArray[np.uint64]:
    """OR of the bits of each organisation's memberships (``org`` is sorted)."""
    out = np.zeros(n_orgs, dtype=np.uint64)
    if org.size:
        starts = np.flatnonzero(np.r_[True, org[1:] != org[:-1]])
        out[org[starts]] = np.bitwise_or.reduceat(bits, starts)
    return out


def _first_in_cell(
    partnership: npt.NDArray[np.int64], cell: npt.NDArray[np.int64], largest: int
) -> npt.NDArray[np.bool_]:
    """Rows (sorted by partnership) that are the first of their (partnership, cell) pair."""
    first = np.ones(partnership.size, dtype=bool)
    for shift in range(1, largest):
        same = (partnership[shift:] == partnership[:-shift]) & (cell[shift:] == cell[:-shift])
        first[shift:] &= ~same
    return first


def partnership_rates(
    data: BarometerData,
    years: Sequence[int],
    by: Sequence[Dimension] = (),
    territory: str = "territory",
) -> pl.DataFrame:
    """Counts and rates per year and cut; ``territory`` names the territory column to use.

    Columns: ``year``, the ``by`` columns, ``organizations`` (active organisations of the
    cell), ``partnering`` (those with at least one partnership of the cell), ``partnerships``
    (distinct partnerships with a member in the cell) and ``rate`` (partnering / organizations).
    """
    org_dims = [d for d in ORGANIZATION_DIMENSIONS if d in by]
    coded = [data.coded(territory if d is Dimension.TERRITORY else d.value) for d in org_dims]
    sizes = [len(values) for _, values in coded]
    cell = np.zeros(data.organizations.height, dtype=np.int64)
    for (codes, _), size in zip(coded, sizes, strict=True):
        cell = cell * size + codes
    n_cells = int(np.prod(sizes)) if sizes else 1
    by_form, by_fragility = Dimension.FORM in by, Dimension.FRAGILITY in by
    n_forms = len(PartnershipForm) if by_form else 1
    n_frags = len(fragility_codes()) if by_fragility else 1
    if by_fragility:
        value_bits = data.member_mask & np.uint64(0xFFFF)
    else:
        value_bits = np.ones(data.member_mask.size, dtype=np.uint64)
    if by_form:
        value_bits = value_bits << (data.member_form * 16).astype(np.uint64)
    n_bits = 16 * (n_forms - 1) + n_frags
    frames = []
    for year in years:
        active = (data.created <= year) & (data.dissolved > year)
        totals = np.bincount(cell[active], minlength=n_cells)
        live = (data.member_start <= year) & (data.member_end >= year)
        live &= active[data.member_org]
        org, bits = data.member_org[live], value_bits[live]
        per_org = _or_by_organization(org, bits, data.organizations.height)
        partnering = _cell_counts(cell, per_org, n_cells, n_bits)
        order = data.by_partnership[live[data.by_partnership]]
        member_cell = cell[data.member_org[order]]
        first = _first_in_cell(data.member_partnership[order], member_cell, data.largest)
        per_partnership = _cell_counts(
            member_cell[first], value_bits[order][first], n_cells, n_bits
        )
        frames.append(
            _table(
                year,
                totals,
                partnering,
                per_partnership,
                coded,
                sizes,
                org_dims,
                by,
                n_forms,
                n_frags,
            )
        )
    return pl.concat(frames).sort(["year", *[d.value for d in _ordered(by)]])


def _ordered(by: Sequence[Dimension]) -> list[Dimension]:
    return [d for d in (*ORGANIZATION_DIMENSIONS, *PARTNERSHIP_DIMENSIONS) if d in by]


def _table(
    year: int,
    totals: npt.NDArray[np.int64],
    partnering: npt.NDArray[np.int64],
    partnerships: npt.NDArray[np.int64],
    coded: list[tuple[npt.NDArray[np.int64], list[str | None]]],
    sizes: list[int],
    org_dims: list[Dimension],
    by: Sequence[Dimension],
    n_forms: int,
    n_frags: int,
) -> pl.DataFrame:
    """The long table of one year: one row per organisation cell × partnership value."""
    cells = np.flatnonzero(totals)
    bit_index = np.array([16 * f + g for f in range(n_forms) for g in range(n_frags)])
    columns: dict[str, object] = {}
    remainder = cells.copy()
    for dim, (_, values), size in reversed(list(zip(org_dims, coded, sizes, strict=True))):
        columns[dim.value] = pl.Series([values[i] for i in remainder % size], dtype=pl.String)
        remainder //= size
    frame = (
        pl.DataFrame(columns).with_columns(
            organizations=pl.Series(totals[cells]), _cell=pl.Series(cells)
        )
        if columns
        else pl.DataFrame({"organizations": totals[cells], "_cell": cells})
    )
    part_values = pl.DataFrame(
        {
            "form": [list(PartnershipForm)[b // 16].value for b in bit_index],
            "fragility": [fragility_codes()[b % 16] for b in bit_index],
            "_bit": bit_index,
        }
    )
    grid = frame.join(part_values, how="cross")
    cell_of, bit_of = grid["_cell"].to_numpy(), grid["_bit"].to_numpy()
    grid = grid.with_columns(
        year=pl.lit(year, dtype=pl.Int32),
        partnering=pl.Series(partnering[cell_of, bit_of], dtype=pl.Int64),
        partnerships=pl.Series(partnerships[cell_of, bit_of], dtype=pl.Int64),
        organizations=pl.col("organizations").cast(pl.Int64),
    ).with_columns(rate=pl.col("partnering") / pl.col("organizations"))
    keys = [d.value for d in _ordered(by)]
    return grid.select("year", *keys, "organizations", "partnering", "partnerships", "rate")


def evolution(rates: pl.DataFrame, start: int, end: int) -> pl.DataFrame:
    """Rates of two years side by side, with the change in points (``change_points``)."""
    keys = [c for c in rates.columns if c in {d.value for d in Dimension}]
    first = rates.filter(pl.col("year") == start).drop("year")
    last = rates.filter(pl.col("year") == end).drop("year")
    if keys:
        joined = first.join(last, on=keys, how="full", coalesce=True, suffix="_end")
    else:
        joined = first.hstack(last.rename(lambda c: f"{c}_end"))
    return joined.select(
        *keys,
        pl.col("rate").alias(f"rate_{start}"),
        pl.col("rate_end").alias(f"rate_{end}"),
        ((pl.col("rate_end") - pl.col("rate")) * 100).alias("change_points"),
        pl.col("partnering").alias(f"partnering_{start}"),
        pl.col("partnering_end").alias(f"partnering_{end}"),
    ).sort(keys or pl.lit(0))


def with_survey(rates: pl.DataFrame, prism: pl.DataFrame) -> pl.DataFrame:
    """Add survey prism shares (``has``, ``intends``, ``none``) on the keys both frames share.

    The registry counts who *has* a partnership; a survey wave also tells who *intends* to.
    The survey columns come out as ``survey_has``, ``survey_intends``, ``survey_none``.
    """
    keys = [c for c in prism.columns if c in rates.columns]
    renamed = prism.rename({c: f"survey_{c}" for c in prism.columns if c not in keys})
    return rates.join(renamed, on=keys, how="left") if keys else rates.join(renamed, how="cross")
