"""A SYNTHETIC national registry (no public partnership data exists), vectorised and seeded.

Organisations are spread over real communes in proportion to their population; partnership
presence is calibrated on the published PHARE 2015 rates (DESIGN.md §2.4: 38 % of associations,
53 % of employer associations, 37 % of companies). Shares the deck does not publish (forms,
sectors, employer share, sizes, dates) are Cotera's own assumptions, listed below. Every row
carries ``synthetic = True`` and every name says « synthétique ».
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl

from cotera.registry.fragility_mask import fragility_codes
from cotera.registry.model import (
    MemberRole,
    OrganizationKind,
    OrganizationStatus,
    PartnershipForm,
    PartnershipStatus,
    SizeBand,
)
from cotera.registry.sector_fragilities import sector_mapping

# Published PHARE 2015 figures (DESIGN.md §2.4).
ASSOCIATION_RATE = 0.38
EMPLOYER_ASSOCIATION_RATE = 0.53
COMPANY_RATE = 0.37
# Cotera's assumptions (not in the deck).
EMPLOYER_ASSOCIATION_SHARE = 0.11
DISSOLVED_SHARE = 0.03
FORM_WEIGHTS = {
    PartnershipForm.PATRONAGE: 0.40,
    PartnershipForm.RESPONSIBLE_PRACTICES: 0.20,
    PartnershipForm.ECONOMIC_COOPERATION: 0.25,
    PartnershipForm.SOCIETAL_INNOVATION: 0.15,
}
# Second fragility of a partnership: the citizens' "strong impact" shares where published
# (F01 49 %, F02 46 %, F15 42 %, F03 40 %), 25 % for the others (assumption).
PUBLISHED_IMPACT = {"F01": 0.49, "F02": 0.46, "F15": 0.42, "F03": 0.40}
WALDEC_WEIGHTS = {
    "011000": 0.20, "006000": 0.18, "007000": 0.10, "014000": 0.06, "019000": 0.06,
    "015000": 0.06, "009000": 0.05, "020000": 0.04, "024000": 0.04, "010000": 0.03,
    "017000": 0.03, "018000": 0.03, "021000": 0.03, "030000": 0.03, "003000": 0.02,
    "022000": 0.01, "034000": 0.01, "016000": 0.01, "032000": 0.005, "036000": 0.005,
}  # fmt: skip
NAF_WEIGHTS = {
    "47.11F": 0.12, "43.21A": 0.13, "56.10A": 0.09, "71.12B": 0.10, "46.90Z": 0.10,
    "10.71C": 0.06, "25.62B": 0.04, "62.01Z": 0.04, "49.41A": 0.04, "78.20Z": 0.03,
    "88.10A": 0.03, "86.21Z": 0.03, "68.20B": 0.04, "64.19Z": 0.03, "96.02A": 0.05,
    "85.59A": 0.02, "93.12Z": 0.02, "38.11Z": 0.01, "35.11Z": 0.01, "01.11Z": 0.01,
}  # fmt: skip
EMPLOYER_SIZES = {SizeBand.MICRO: 0.70, SizeBand.SMALL: 0.22, SizeBand.MEDIUM: 0.06,
                  SizeBand.LARGE: 0.02}  # fmt: skip
COMPANY_SIZES = {SizeBand.MICRO: 0.75, SizeBand.SMALL: 0.19, SizeBand.MEDIUM: 0.045,
                 SizeBand.LARGE: 0.015}  # fmt: skip


@dataclass(frozen=True, slots=True)
class SyntheticSpec:
    """How many of each, the seed and the reference year of the calibration."""

    associations: int = 1_500_000
    partnerships: int = 1_200_000
    companies: int = 600_000
    public_bodies: int = 3_000
    universities: int = 80
    media: int = 600
    citizen_collectives: int = 8_000
    seed: int = 0
    reference_year: int = 2015


@dataclass(frozen=True, slots=True)
class SyntheticRegistry:
    """Frames in the registry's bulk-load layout (see ``cotera.storage.registry_tables``)."""

    organizations: pl.DataFrame
    partnerships: pl.DataFrame
    members: pl.DataFrame


def _weighted(
    rng: np.random.Generator, weights: dict[str, float], size: int
) -> npt.NDArray[np.int64]:
    probabilities = np.array(list(weights.values()))
    return rng.choice(len(weights), size=size, p=probabilities / probabilities.sum())


def _pick_in_group(
    pool_groups: npt.NDArray[np.int64],
    wanted_groups: npt.NDArray[np.int64],
    groups: int,
    rng: np.random.Generator,
) -> npt.NDArray[np.int64]:
    """For each wanted group, a random pool position in that group (anywhere if it is empty)."""
    order = np.argsort(pool_groups, kind="stable")
    counts = np.bincount(pool_groups, minlength=groups)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    count = counts[wanted_groups]
    local = starts[wanted_groups] + (rng.random(wanted_groups.size) * count).astype(np.int64)
    anywhere = rng.integers(0, pool_groups.size, wanted_groups.size)
    return np.where(count > 0, order[np.minimum(local, pool_groups.size - 1)], anywhere)


def _random_bit(masks: npt.NDArray[np.int64], rng: np.random.Generator) -> npt.NDArray[np.int64]:
    """One set bit drawn uniformly from each mask (0 stays 0)."""
    counts = np.bitwise_count(masks.astype(np.uint16)).astype(np.int64)
    target = (rng.random(masks.size) * counts).astype(np.int64)
    chosen = np.zeros(masks.size, dtype=np.int64)
    seen = np.zeros(masks.size, dtype=np.int64)
    for bit in range(len(fragility_codes())):
        has = (masks >> bit) & 1 == 1
        hit = has & (seen == target) & (chosen == 0)
        chosen[hit] = 1 << bit
        seen += has
    return chosen


def _random_masks(rng: np.random.Generator, size: int, share: float) -> npt.NDArray[np.int64]:
    bits = rng.random((size, len(fragility_codes()))) < share
    values: npt.NDArray[np.int64] = bits @ (1 << np.arange(len(fragility_codes())))
    return values.astype(np.int64)


def _labels(values: list[str], index: npt.NDArray[np.int64]) -> pl.Series:
    """Strings from codes; index -1 gives null."""
    lookup = pl.Series([*values, None], dtype=pl.String)
    return lookup.gather(np.where(index < 0, len(values), index))


def _draw_sizes(
    rng: np.random.Generator, bands: dict[SizeBand, float], size: int
) -> npt.NDArray[np.int64]:
    order = [b.value for b in SizeBand]
    chosen = _weighted(rng, {b.value: w for b, w in bands.items()}, size)
    return np.array([order.index(b.value) for b in bands])[chosen]


def generate(communes: pl.DataFrame, spec: SyntheticSpec = SyntheticSpec()) -> SyntheticRegistry:
    """Generate from real ``communes`` (columns ``commune``, ``departement``, ``population``)."""
    rng = np.random.default_rng(spec.seed)
    population = communes["population"].fill_null(0).to_numpy().astype(np.float64)
    dep_codes, dep_of_commune = np.unique(communes["departement"].to_numpy(), return_inverse=True)
    mapping = sector_mapping()
    year = spec.reference_year
    counts = {
        OrganizationKind.ASSOCIATION: spec.associations,
        OrganizationKind.COMPANY: spec.companies,
        OrganizationKind.PUBLIC_BODY: spec.public_bodies,
        OrganizationKind.UNIVERSITY: spec.universities,
        OrganizationKind.MEDIA: spec.media,
        OrganizationKind.CITIZEN_COLLECTIVE: spec.citizen_collectives,
    }
    total = sum(counts.values())
    n_a, n_c = spec.associations, spec.companies
    companies = slice(n_a, n_a + n_c)
    kind = np.repeat(np.arange(len(counts)), list(counts.values()))
    commune = rng.choice(population.size, size=total, p=population / population.sum())
    dep = dep_of_commune[commune].astype(np.int64)

    employer = np.zeros(total, dtype=bool)
    employer[:n_a] = rng.random(n_a) < EMPLOYER_ASSOCIATION_SHARE
    employer[companies] = True
    size = np.full(total, list(SizeBand).index(SizeBand.UNKNOWN), dtype=np.int64)
    size[:n_a] = np.where(
        employer[:n_a],
        _draw_sizes(rng, EMPLOYER_SIZES, n_a),
        list(SizeBand).index(SizeBand.NONE),
    )
    size[companies] = _draw_sizes(rng, COMPANY_SIZES, n_c)
    theme = np.full(total, -1, dtype=np.int64)
    theme[:n_a] = _weighted(rng, WALDEC_WEIGHTS, n_a)
    naf = np.full(total, -1, dtype=np.int64)
    naf[companies] = _weighted(rng, NAF_WEIGHTS, n_c)
    mask = _random_masks(rng, total, 0.15)
    mask[:n_a] = np.array([mapping.waldec_mask([c]) for c in WALDEC_WEIGHTS])[theme[:n_a]]
    mask[companies] = np.array([mapping.naf_mask(c) for c in NAF_WEIGHTS])[naf[companies]]
    created = rng.integers(1960, year + 1, total)
    dissolved = rng.random(total) < DISSOLVED_SHARE
    dissolved_year = np.maximum(created, year - rng.integers(0, 5, total))

    # Who partners: the PHARE 2015 rates, employer associations apart.
    other_rate = (ASSOCIATION_RATE - EMPLOYER_ASSOCIATION_SHARE * EMPLOYER_ASSOCIATION_RATE) / (
        1 - EMPLOYER_ASSOCIATION_SHARE
    )
    draw = rng.random(total)
    assoc_rate = np.where(employer, EMPLOYER_ASSOCIATION_RATE, other_rate)
    partnering_assoc = np.flatnonzero((kind == 0) & ~dissolved & (draw < assoc_rate))
    partnering_company = np.flatnonzero((kind == 1) & ~dissolved & (draw < COMPANY_RATE))
    n_p = spec.partnerships
    first = rng.permutation(partnering_assoc)[:n_p]
    assoc_side = np.concatenate([first, rng.choice(partnering_assoc, n_p - first.size)])
    rng.shuffle(assoc_side)
    groups = dep_codes.size
    company_side = partnering_company[
        _pick_in_group(dep[partnering_company], dep[assoc_side], groups, rng)
    ]
    form = _weighted(rng, {f.value: w for f, w in FORM_WEIGHTS.items()}, n_p)
    impact = {c: PUBLISHED_IMPACT.get(c, 0.25) for c in fragility_codes()}
    second = np.left_shift(1, _weighted(rng, impact, n_p))
    base = np.where(mask[assoc_side] > 0, mask[assoc_side], mask[company_side])
    part_mask = _random_bit(base, rng) | np.where(rng.random(n_p) < 0.35, second, 0)
    part_mask = np.where(part_mask == 0, second, part_mask)
    start = np.maximum(year - np.minimum(rng.geometric(0.18, n_p) - 1, 20), 1990)
    start = np.maximum(start, np.maximum(created[assoc_side], created[company_side]))
    ended = rng.random(n_p) < 0.12
    societal = np.flatnonzero(form == list(FORM_WEIGHTS).index(PartnershipForm.SOCIETAL_INNOVATION))
    third = societal[rng.random(societal.size) < 0.4]
    public_pool = np.arange(n_a + n_c, n_a + n_c + spec.public_bodies)
    third_org = public_pool[_pick_in_group(dep[public_pool], dep[assoc_side[third]], groups, rng)]

    ids = pl.Series("id", np.arange(1, total + 1, dtype=np.int64))
    kind_label = _labels([k.label() for k in counts], kind)
    organizations = pl.DataFrame(
        {
            "id": ids,
            "kind": _labels([k.value for k in counts], kind),
            "name": kind_label.str.to_titlecase() + " synthétique n°" + ids.cast(pl.String),
            "commune": communes["commune"].gather(commune),
            "naf": _labels(list(NAF_WEIGHTS), naf),
            "waldec": _labels(list(WALDEC_WEIGHTS), theme),
            "size_band": _labels([b.value for b in SizeBand], size),
            "employer": employer,
            "status": _labels(
                [OrganizationStatus.ACTIVE.value, OrganizationStatus.DISSOLVED.value],
                dissolved.astype(np.int64),
            ),
            "created_year": created.astype(np.int32),
            "dissolved_year": np.where(dissolved, dissolved_year, 0).astype(np.int32),
            "fragility_mask": mask.astype(np.int32),
        }
    ).with_columns(
        pl.col("dissolved_year").replace(0, None),
        created_on=pl.date(pl.col("created_year"), 1, 1),
        dissolved_on=pl.when(pl.col("dissolved_year") > 0).then(
            pl.date(pl.col("dissolved_year"), 6, 30)
        ),
        synthetic=pl.lit(True),
    )
    part_ids = pl.Series("id", np.arange(1, n_p + 1, dtype=np.int64))
    partnerships = pl.DataFrame(
        {
            "id": part_ids,
            "name": "Partenariat synthétique n°" + part_ids.cast(pl.String),
            "form": _labels([f.value for f in FORM_WEIGHTS], form),
            "fragility_mask": part_mask.astype(np.int32),
            "territory": _labels([f"dep:{d}" for d in dep_codes], dep[assoc_side]),
            "start_year": start.astype(np.int32),
            "start_month": rng.integers(1, 13, n_p).astype(np.int32),
            "end_year": np.where(ended, year + rng.integers(1, 4, n_p), 0).astype(np.int32),
        }
    ).with_columns(
        pl.col("end_year").replace(0, None),
        start_on=pl.date(pl.col("start_year"), pl.col("start_month"), 1),
        status=pl.lit(PartnershipStatus.ACTIVE.value),
        synthetic=pl.lit(True),
    )
    patronage = form == list(FORM_WEIGHTS).index(PartnershipForm.PATRONAGE)
    members = pl.concat(
        [
            _members(np.arange(n_p), assoc_side, MemberRole.LEAD, None),
            _members(np.arange(n_p), company_side, MemberRole.PARTNER, patronage),
            _members(third, third_org, MemberRole.FACILITATOR, None),
        ]
    )
    return SyntheticRegistry(
        organizations=organizations,
        partnerships=partnerships.with_columns(
            end_on=pl.when(pl.col("end_year").is_not_null()).then(
                pl.date(pl.col("end_year"), pl.col("start_month"), 1)
            )
        ).drop("start_month"),
        members=members,
    )


def _members(
    partnership: npt.NDArray[np.int64],
    organization: npt.NDArray[np.int64],
    role: MemberRole,
    funder: npt.NDArray[np.bool_] | None,
) -> pl.DataFrame:
    """Member rows (ids are positions + 1); ``funder`` marks rows whose role is funder."""
    roles = np.zeros(partnership.size, np.int64) if funder is None else funder.astype(np.int64)
    return pl.DataFrame(
        {
            "partnership_id": (partnership + 1).astype(np.int64),
            "organization_id": (organization + 1).astype(np.int64),
            "role": _labels([role.value, MemberRole.FUNDER.value], roles),
        }
    )
