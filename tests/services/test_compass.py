"""The compass service: registry facts bridge, stored facts winning over declared ones."""

from __future__ import annotations

from cotera.compass.facts import FactOrigin
from cotera.registry.model import (
    Member,
    Organization,
    OrganizationKind,
    OrganizationStatus,
    Partnership,
    PartnershipForm,
    PartnershipStatus,
)
from cotera.services.compass import example_request, registry_facts, run_compass

ORGS = [
    Organization(OrganizationKind.ASSOCIATION, "Asso A", id=1),
    Organization(OrganizationKind.ASSOCIATION, "Asso B", id=2),
    Organization(OrganizationKind.COMPANY, "PME", id=3),
    Organization(OrganizationKind.PUBLIC_BODY, "Commune", id=4),
    Organization(OrganizationKind.MEDIA, "Radio", id=5, status=OrganizationStatus.DISSOLVED),
]


def _partnership(ids: tuple[int, ...], status: PartnershipStatus) -> Partnership:
    members = tuple(Member(i) for i in ids)
    return Partnership("p", PartnershipForm.PATRONAGE, members, status=status)


PARTNERSHIPS = [
    _partnership((1, 3), PartnershipStatus.ACTIVE),  # association–company
    _partnership((1, 2), PartnershipStatus.ACTIVE),  # two associations
    _partnership((2, 3, 4), PartnershipStatus.ACTIVE),  # association–company, multi-actor
    _partnership((1, 3, 4), PartnershipStatus.ENDED),  # ended: not counted
]


def test_registry_facts_counts() -> None:
    facts = registry_facts(ORGS, PARTNERSHIPS)
    assert facts.partnerships is not None
    assert facts.multi_actor_partnerships is not None
    assert (facts.partnerships.value, facts.multi_actor_partnerships.value) == (2, 1)
    assert facts.partnerships.origin is FactOrigin.REGISTRY
    assert dict(facts.organisations) == {
        "pouvoirs_publics": 1,
        "associations": 2,
        "entreprises": 1,
        "citoyens": 0,
        "universites": 0,
        "medias": 0,
    }


def test_stored_facts_win_and_the_output_says_so() -> None:
    compass = run_compass(example_request(), stored_facts=registry_facts(ORGS, PARTNERSHIPS))
    evidence = {e.question: e for e in compass.maturity.evidence}
    assert evidence["partenariats_connus"].value == 2
    assert evidence["partenariats_connus"].origin == "registre des partenariats"
    assert evidence["perceptions_recueillies"].origin == "fichier de réponses (déclaratif)"
    assert not any("registre et enquêtes non disponibles" in s for s in compass.facts_sources)
    assert any("le fichier de réponses déclarait 14" in s for s in compass.facts_sources)
    media = next(s for s in compass.value_chain.stakeholders if s.id == "medias")
    assert media.organisations == 0
    assert not media.present
