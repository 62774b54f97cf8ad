"""Use case: the co-construction compass of a territory from its answers file and budget.

Facts from the registry and survey storage are passed in as ``stored_facts`` when they exist;
otherwise the facts declared in the answers file are used and the output says so. The bodies
inventory stays in the answers file (no database table yet).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from cotera.compass import (
    Compass,
    CompassFacts,
    FactOrigin,
    FactValue,
    build_compass,
    compass_referential,
    merge_facts,
)
from cotera.errors import (
    DataUnavailableError,
    NotFoundError,
    Problem,
    StorageError,
    ValidationError,
)
from cotera.registry.model import (
    Organization,
    OrganizationKind,
    OrganizationStatus,
    Partnership,
    PartnershipStatus,
)
from cotera.services.database import database
from cotera.services.territories import resolve_in
from cotera.settings import Settings
from cotera.sources.compass_files import example_file, read_answers, read_budget
from cotera.territory.model import TerritoryCode
from cotera.types import sane_number

#: Registry organisation kinds → compass stakeholders (stakeholders.toml ids).
STAKEHOLDER_OF_KIND = {
    OrganizationKind.PUBLIC_BODY: "pouvoirs_publics",
    OrganizationKind.ASSOCIATION: "associations",
    OrganizationKind.COMPANY: "entreprises",
    OrganizationKind.CITIZEN_COLLECTIVE: "citoyens",
    OrganizationKind.UNIVERSITY: "universites",
    OrganizationKind.MEDIA: "medias",
}
#: A partnership is multi-actor when its members span at least this many kinds of actors.
MULTI_ACTOR_KINDS = 3
EXAMPLE_ANSWERS = "answers_example.toml"
EXAMPLE_BUDGET = "budget_example.csv"


@dataclass(frozen=True, slots=True)
class CompassRequest:
    """What the compass is run on."""

    territory: str
    answers: Path
    budget: Path | None = None
    volunteer_rate: float | None = None
    skills_rate: float | None = None


def example_request(territory: str = "custom:exemple") -> CompassRequest:
    """The request for the packaged example territory (synthetic answers and budget)."""
    return CompassRequest(territory, example_file(EXAMPLE_ANSWERS), example_file(EXAMPLE_BUDGET))


def registry_facts(
    organizations: Iterable[Organization], partnerships: Iterable[Partnership]
) -> CompassFacts:
    """Compass facts from a territory's registry: active organisations per stakeholder,
    active association–company partnerships, active multi-actor partnerships."""
    kinds: dict[int, OrganizationKind] = {}
    counts = dict.fromkeys(STAKEHOLDER_OF_KIND.values(), 0)
    for organization in organizations:
        if organization.status is OrganizationStatus.ACTIVE:
            counts[STAKEHOLDER_OF_KIND[organization.kind]] += 1
        if organization.id is not None:
            kinds[organization.id] = organization.kind
    association_company = multi_actor = 0
    for partnership in partnerships:
        if partnership.status is not PartnershipStatus.ACTIVE:
            continue
        present = {
            kinds[m.organization_id] for m in partnership.members if m.organization_id in kinds
        }
        association_company += {OrganizationKind.ASSOCIATION, OrganizationKind.COMPANY} <= present
        multi_actor += len(present) >= MULTI_ACTOR_KINDS
    return CompassFacts(
        partnerships=FactValue(association_company, FactOrigin.REGISTRY),
        multi_actor_partnerships=FactValue(multi_actor, FactOrigin.REGISTRY),
        organisations=tuple(counts.items()),
    )


def stored_name(settings: Settings, code: TerritoryCode) -> str | None:
    """The territory's official name from the loaded catalogue, if territories are loaded."""
    try:
        with database(settings) as engine, engine.connect() as connection:
            return resolve_in(connection, str(code)).territory.name
    except (DataUnavailableError, NotFoundError, StorageError):
        return None


def run_compass(
    request: CompassRequest,
    settings: Settings | None = None,
    stored_facts: CompassFacts | None = None,
) -> Compass:
    """Validate the inputs (every problem at once) and build the compass.

    With ``settings``, the territory's name comes from the loaded catalogue when available.
    """
    code = TerritoryCode.parse(request.territory)
    referential = compass_referential()
    sheet = read_answers(request.answers, referential)
    if sheet.territory_code:
        declared = TerritoryCode.parse(sheet.territory_code)
        if declared != code:
            raise ValidationError(
                f"fichier de réponses invalide : {request.answers.name}",
                [
                    Problem(
                        "territoire_different",
                        "le fichier de réponses concerne un autre territoire",
                        file=request.answers.name,
                        column="territoire.code",
                        value=str(declared),
                        expected=str(code),
                    )
                ],
            )
    rates = dict(sheet.rates)
    if request.volunteer_rate is not None:
        rates["benevolat"] = request.volunteer_rate
    if request.skills_rate is not None:
        rates["mecenat_competences"] = request.skills_rate
    bad_rates = [
        Problem("taux_invalide", "taux horaire invalide", column=rate_id, value=str(value),
                expected="un nombre fini > 0 (euros)")
        for rate_id, value in rates.items() if not sane_number(value) or value <= 0
    ]  # fmt: skip
    if bad_rates:
        raise ValidationError("taux horaires invalides", bad_rates)
    budget = (
        read_budget(request.budget, referential, rates, sheet.phase)
        if request.budget is not None
        else None
    )
    facts = merge_facts(stored_facts or CompassFacts(), sheet.facts)
    name = (stored_name(settings, code) if settings is not None else None) or sheet.territory_name
    return build_compass(referential, sheet, facts, budget, str(code), name or str(code))
