"""Partnership barometer: share of organisations with at least one partnership, by any cut.

:meth:`BarometerData.prepare` takes polars frames once and codes them as integers; a query
is then a few ``bincount`` calls over combined keys (cell × value), fast enough for national
tables.
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

from cotera.errors import DataUnavailableError
from cotera.registry.fragility_mask import fragility_codes
from cotera.registry.membership_years import (
    FRAGILITY_BITS,
    ValueRows,
    first_in_cell,
    same_partnership,
    value_rows,
)
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


_NEVER = 10_000  # end year of open-ended partnerships / undissolved organisations


def _year(column: pl.Series, missing: int) -> npt.NDArray[np.int32]:
    return column.fill_null(missing).to_numpy().astype(np.int32)


@dataclass(frozen=True, slots=True, eq=False)
class BarometerData:
    """Organisations and memberships coded as integer arrays, ready for many queries.

    Memberships are sorted by partnership; each has the interval of years in which it counts
    (:mod:`cotera.registry.membership_years`). Coded columns and exploded values are cached.
    """

    organizations: pl.DataFrame
    created: npt.NDArray[np.int32]
    dissolved: npt.NDArray[np.int32]
    member_org: npt.NDArray[np.int64]  # row of the member in `organizations`
    member_form: npt.NDArray[np.int64]  # index in PartnershipForm
    member_mask: npt.NDArray[np.uint64]  # fragility mask
    member_first: npt.NDArray[np.int32]  # first year the membership counts
    member_last: npt.NDArray[np.int32]  # last year it counts
    same_partnership: tuple[npt.NDArray[np.int64], ...]  # see membership_years
    codes: dict[str, tuple[npt.NDArray[np.int64], list[str | None]]] = field(default_factory=dict)
    values: dict[tuple[bool, bool], ValueRows] = field(default_factory=dict)

    @classmethod
    def prepare(cls, organizations: pl.DataFrame, memberships: pl.DataFrame) -> BarometerData:
        """Code both frames (memberships of unknown organisations are dropped)."""
        rows = organizations.select(organization_id="id").with_row_index("_row")
        forms = {f.value: i for i, f in enumerate(PartnershipForm)}
        members = (
            memberships.join(rows, on="organization_id", how="inner")
            .with_columns(_partnership=pl.col("partnership_id").rank("dense"))
            .sort("_partnership", "_row")
        )
        created = _year(organizations["created_year"], -_NEVER)
        dissolved = _year(organizations["dissolved_year"], _NEVER)
        org = members["_row"].to_numpy().astype(np.int64)
        first = np.maximum(_year(members["start_year"], -_NEVER), created[org])
        last = np.minimum(_year(members["end_year"], _NEVER), dissolved[org] - 1)
        counts = first <= last  # the others never count
        partnership = members["_partnership"].to_numpy()[counts]
        data = cls(
            organizations=organizations,
            created=created,
            dissolved=dissolved,
            member_org=org[counts],
            member_form=members["form"]
            .replace_strict(forms, return_dtype=pl.Int64)
            .to_numpy()[counts],
            member_mask=members["fragility_mask"].fill_null(0).to_numpy().astype(np.uint64)[counts],
            member_first=first[counts],
            member_last=last[counts],
            same_partnership=same_partnership(partnership),
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

    def value_rows(self, by_form: bool, by_fragility: bool) -> ValueRows:
        """The memberships exploded to their values at a granularity, cached."""
        key = (by_form, by_fragility)
        if key not in self.values:
            n_values = _n_forms(by_form) * _n_fragilities(by_fragility)
            self.values[key] = value_rows(
                self.member_org,
                self.member_form,
                self.member_mask,
                self.member_first,
                self.member_last,
                by_form,
                by_fragility,
                n_values,
            )
        return self.values[key]


def _n_forms(by_form: bool) -> int:
    return len(PartnershipForm) if by_form else 1


def _n_fragilities(by_fragility: bool) -> int:
    return FRAGILITY_BITS if by_fragility else 1


def _count(
    keys: npt.NDArray[np.int64], selected: npt.NDArray[np.bool_], size: int
) -> npt.NDArray[np.int64]:
    """How many selected rows have each key (a weighted ``bincount``: no copy of the keys)."""
    return np.bincount(keys, weights=selected, minlength=size).astype(np.int64)


def active_counts(data: BarometerData, column: str, year: int) -> pl.DataFrame:
    """Roll-up: active organisations per value of ``column`` (e.g. ``commune``) in ``year``."""
    codes, values = data.coded(column)
    active = (data.created <= year) & (data.dissolved > year)
    counts = _count(codes, active, len(values))
    return pl.DataFrame({column: pl.Series(values, dtype=pl.String), "organizations": counts})


def organization_counts(organizations: pl.DataFrame, by: Sequence[str]) -> pl.DataFrame:
    """Number of organisations per value of ``by`` (a plain group-by, for small frames)."""
    return organizations.group_by(list(by)).agg(pl.len().alias("organizations")).sort(list(by))


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
    Each count is one ``bincount`` over a combined key (cell × value) of pre-coded rows.
    """
    if data.organizations.is_empty():
        raise DataUnavailableError(
            "aucune organisation dans le registre pour ce périmètre : importez un registre "
            "(RNA, SIRENE) ou générez le registre synthétique de démonstration"
        )
    org_dims = [d for d in ORGANIZATION_DIMENSIONS if d in by]
    coded = [data.coded(territory if d is Dimension.TERRITORY else d.value) for d in org_dims]
    sizes = [len(values) for _, values in coded]
    cell = np.zeros(data.organizations.height, dtype=np.int64)
    for (codes, _), size in zip(coded, sizes, strict=True):
        cell = cell * size + codes
    n_cells = int(np.prod(sizes)) if sizes else 1
    by_form, by_fragility = Dimension.FORM in by, Dimension.FRAGILITY in by
    n_forms, n_frags = _n_forms(by_form), _n_fragilities(by_fragility)
    n_keys = n_cells * n_forms * n_frags
    rows = data.value_rows(by_form, by_fragility)
    org_key = cell[rows.org] * (n_forms * n_frags) + rows.org_value
    member_cell = cell[data.member_org]
    member_key = member_cell[rows.member] * (n_forms * n_frags) + rows.value
    frames = []
    for year in years:
        active = (data.created <= year) & (data.dissolved > year)
        totals = _count(cell, active, n_cells)
        pairs = (rows.first <= year) & (rows.last >= year)
        partnering = _count(org_key, pairs, n_keys)
        live = (data.member_first <= year) & (data.member_last >= year)
        first = first_in_cell(live, member_cell, data.same_partnership)
        partnerships = _count(member_key, first[rows.member], n_keys)
        frames.append(
            _table(
                year,
                totals,
                partnering.reshape(n_cells, -1),
                partnerships.reshape(n_cells, -1),
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
    bit_index = np.arange(n_forms * n_frags)
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
            "form": [list(PartnershipForm)[b // n_frags].value for b in bit_index],
            "fragility": [fragility_codes()[b % n_frags] for b in bit_index],
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
