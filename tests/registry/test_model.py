"""Organisations, partnerships, experiments, identifiers and sector → fragility mappings."""

from __future__ import annotations

from datetime import date

import pytest

from cotera.errors import ConfigurationError
from cotera.registry.fragility_mask import from_mask, to_mask
from cotera.registry.identifiers import is_rna, is_siren, is_siret
from cotera.registry.model import (
    CollectiveExperiment,
    ExperimentStage,
    Member,
    OrganizationKind,
    Partnership,
    PartnershipForm,
)
from cotera.registry.sector_fragilities import sector_mapping
from cotera.registry.value_chain import value_chain


def test_forms_parse_french_labels() -> None:
    assert PartnershipForm.parse("Mécénat") is PartnershipForm.PATRONAGE
    assert PartnershipForm.parse("innovation sociétale") is PartnershipForm.SOCIETAL_INNOVATION
    assert PartnershipForm.parse("economic_cooperation") is PartnershipForm.ECONOMIC_COOPERATION
    with pytest.raises(ConfigurationError, match="mécénat"):
        PartnershipForm.parse("sponsoring")


def test_partnership_needs_two_distinct_members_and_ordered_dates() -> None:
    with pytest.raises(ConfigurationError, match="deux"):
        Partnership("p", PartnershipForm.PATRONAGE, (Member(1),))
    with pytest.raises(ConfigurationError, match="deux fois"):
        Partnership("p", PartnershipForm.PATRONAGE, (Member(1), Member(1)))
    with pytest.raises(ConfigurationError, match="fin avant"):
        Partnership(
            "p",
            PartnershipForm.PATRONAGE,
            (Member(1), Member(2)),
            start_on=date(2015, 1, 1),
            end_on=date(2014, 1, 1),
        )


def test_experiment_steps_follow_needs_solutions_evaluation() -> None:
    members = (Member(1), Member(2), Member(3))
    with pytest.raises(ConfigurationError, match="besoins"):
        CollectiveExperiment("e", members, stage=ExperimentStage.SOLUTIONS)
    with pytest.raises(ConfigurationError, match="solution"):
        CollectiveExperiment("e", members, stage=ExperimentStage.EVALUATION, needs=("mobilité",))
    done = CollectiveExperiment(
        "e", members, stage=ExperimentStage.EVALUATION, needs=("n",), solutions=("s",)
    )
    assert done.stage is ExperimentStage.EVALUATION


def test_identifiers() -> None:
    # SIREN of INSEE (120027016) and SIRET of its head office are published Luhn-valid numbers.
    assert is_siren("120027016")
    assert not is_siren("120027017")
    assert is_siret("12002701600563")
    assert not is_siret("12002701600564")
    assert is_rna("W751234567")
    assert is_rna("W2A1234567")
    assert not is_rna("751234567")
    assert not is_rna("W75123456")


def test_masks_round_trip() -> None:
    assert to_mask(["F01", "F03"]) == 0b101
    assert from_mask(0b101) == {"F01", "F03"}
    with pytest.raises(ConfigurationError):
        to_mask(["F17"])


def test_waldec_mapping_follows_design_section_3() -> None:
    mapping = sector_mapping()
    # DESIGN.md §3: 030000 → F01/F02, 019000 → F04/F05, 018000 → F08/F12, 036000 → F09.
    assert from_mask(mapping.waldec_mask(["030000"])) == {"F01", "F02"}
    assert from_mask(mapping.waldec_mask(["019025"])) == {"F04", "F05"}  # child code → theme
    assert from_mask(mapping.waldec_mask(["018000", "036000"])) == {"F08", "F12", "F09"}
    assert mapping.waldec["030000"].basis == "design"
    assert mapping.waldec_mask(["999999", "", "abc"]) == 0


def test_naf_mapping_division_overrides_section() -> None:
    mapping = sector_mapping()
    assert from_mask(mapping.naf_mask("88.10A")) == {"F04", "F05"}  # division 88 override
    assert from_mask(mapping.naf_mask("86.21Z")) == {"F12"}  # section Q
    assert from_mask(mapping.naf_mask("4711F")) == {"F03"}
    assert mapping.naf_mask(None) == 0


def test_value_chain_is_symmetric_and_association_company_is_best() -> None:
    chain = value_chain()
    kinds = list(OrganizationKind)
    for a in kinds:
        for b in kinds:
            assert chain.complementarity(a, b) == chain.complementarity(b, a)
    best = max(chain.complementarity(a, b) for a in kinds for b in kinds)
    assert chain.complementarity(OrganizationKind.ASSOCIATION, OrganizationKind.COMPANY) == best
