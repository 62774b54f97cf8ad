"""Facts about the territory that the compass reads, each with where it comes from."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum

from cotera.compass.referential import FactName


class FactOrigin(StrEnum):
    """Where a fact comes from."""

    REGISTRY = "registre"
    SURVEY = "enquetes"
    ANSWERS_FILE = "fichier_reponses"
    VALUE_CHAIN = "chaine_de_valeur"


ORIGIN_LABELS = {
    FactOrigin.REGISTRY: "registre des partenariats",
    FactOrigin.SURVEY: "enquêtes chargées",
    FactOrigin.ANSWERS_FILE: "fichier de réponses (déclaratif)",
    FactOrigin.VALUE_CHAIN: "calculé à partir des parties prenantes déclarées",
}


@dataclass(frozen=True, slots=True)
class FactValue:
    """One fact: a count or a yes / no, and its origin."""

    value: int | bool
    origin: FactOrigin


@dataclass(frozen=True, slots=True)
class CompassFacts:
    """Facts of a territory, filled by the service from storage when it exists, else the file.

    ``organisations`` counts the organisations of each stakeholder kind known to the registry.
    """

    partnerships: FactValue | None = None
    multi_actor_partnerships: FactValue | None = None
    survey_present: FactValue | None = None
    organisations: tuple[tuple[str, int], ...] = ()
    notes: tuple[str, ...] = field(default=())

    def get(self, name: FactName) -> FactValue | None:
        """The fact ``name`` (the active-stakeholder count is derived elsewhere)."""
        return {
            FactName.PARTNERSHIPS: self.partnerships,
            FactName.MULTI_ACTOR_PARTNERSHIPS: self.multi_actor_partnerships,
            FactName.SURVEY_PRESENT: self.survey_present,
        }.get(name)


def merge_facts(stored: CompassFacts, declared: CompassFacts) -> CompassFacts:
    """Facts from storage win over facts declared in the answers file; differences are noted."""
    notes = list(stored.notes) + list(declared.notes)
    values: dict[str, FactValue | None] = {}
    for name, attribute in (
        (FactName.PARTNERSHIPS, "partnerships"),
        (FactName.MULTI_ACTOR_PARTNERSHIPS, "multi_actor_partnerships"),
        (FactName.SURVEY_PRESENT, "survey_present"),
    ):
        first, second = stored.get(name), declared.get(name)
        values[attribute] = first or second
        if first and second and first.value != second.value:
            notes.append(
                f"{name.value} : {first.value} ({ORIGIN_LABELS[first.origin]}) retenu, "
                f"le fichier de réponses déclarait {second.value}"
            )
    organisations = stored.organisations or declared.organisations
    return replace(
        stored,
        partnerships=values["partnerships"],
        multi_actor_partnerships=values["multi_actor_partnerships"],
        survey_present=values["survey_present"],
        organisations=organisations,
        notes=tuple(notes),
    )
