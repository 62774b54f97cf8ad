"""The synthetic registry: seeded, labelled, calibrated on PHARE 2015 (DESIGN.md §2.4)."""

from __future__ import annotations

import polars as pl
import pytest

from cotera.registry.synthetic import SyntheticSpec, generate

# Four synthetic communes in two départements; population drives where organisations go.
COMMUNES = pl.DataFrame(
    {
        "commune": ["01001", "01002", "02001", "02002"],
        "departement": ["01", "01", "02", "02"],
        "population": [70_000, 10_000, 15_000, 5_000],
    }
)
SPEC = SyntheticSpec(
    associations=40_000, partnerships=30_000, companies=15_000, public_bodies=50,
    universities=5, media=10, citizen_collectives=40, seed=7,
)  # fmt: skip


@pytest.fixture(scope="module")
def registry():  # type: ignore[no-untyped-def]
    return generate(COMMUNES, SPEC)


def test_sizes_labels_and_determinism(registry) -> None:  # type: ignore[no-untyped-def]
    orgs = registry.organizations
    assert orgs.height == 40_000 + 15_000 + 50 + 5 + 10 + 40
    assert registry.partnerships.height == 30_000
    assert orgs["synthetic"].all()
    assert registry.partnerships["synthetic"].all()
    assert orgs["name"].str.contains("synthétique").all()
    assert generate(COMMUNES, SPEC).members.equals(registry.members)


def test_population_drives_placement(registry) -> None:  # type: ignore[no-untyped-def]
    share = (registry.organizations["commune"] == "01001").mean()
    assert share == pytest.approx(0.70, abs=0.01)


def test_partnership_presence_calibrated_on_phare_2015(registry) -> None:  # type: ignore[no-untyped-def]
    partners = registry.members["organization_id"].unique().implode()
    orgs = registry.organizations.filter(pl.col("status") == "active").with_columns(
        partnering=pl.col("id").is_in(partners)
    )
    rate = dict(orgs.group_by("kind").agg(pl.col("partnering").mean()).iter_rows())
    assert rate["association"] == pytest.approx(0.38, abs=0.01)
    assert rate["company"] == pytest.approx(0.37, abs=0.015)
    employer = orgs.filter(kind="association", employer=True)["partnering"].mean()
    assert employer == pytest.approx(0.53, abs=0.02)


def test_partners_are_in_the_same_departement(registry) -> None:  # type: ignore[no-untyped-def]
    dep = registry.organizations.select(organization_id="id", dep=pl.col("commune").str.slice(0, 2))
    lead_partner = (
        registry.members.join(dep, on="organization_id")
        .group_by("partnership_id")
        .agg(pl.col("dep").n_unique())
    )
    assert (lead_partner["dep"] == 1).all()
