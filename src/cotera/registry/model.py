"""Organisations, partnerships and collective experiments (DESIGN.md §2.2, §2.3, §2.6)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Self

from cotera.errors import ConfigurationError
from cotera.territory.model import TerritoryCode


def _slug(text: str) -> str:
    """Lower-case ASCII with underscores: ``Mécénat`` → ``mecenat``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "_".join(ascii_text.lower().replace("-", " ").replace("'", " ").split())


class _Labelled(StrEnum):
    """A StrEnum with French / English labels that also parses French slugs."""

    @classmethod
    def _labels(cls) -> dict[str, tuple[str, str]]:
        raise NotImplementedError

    def label(self, language: str = "fr") -> str:
        """The label in ``language`` (``fr`` or ``en``)."""
        french, english = self._labels()[self.value]
        return english if language == "en" else french

    @classmethod
    def parse(cls, text: str) -> Self:
        """Accept the value, the member name or the French label (accents and case ignored)."""
        wanted = _slug(text)
        for member in cls:
            french, english = cls._labels()[member.value]
            if wanted in {member.value, member.name.lower(), _slug(french), _slug(english)}:
                return member
        known = ", ".join(f"{m.value} ({cls._labels()[m.value][0]})" for m in cls)
        raise ConfigurationError(f"valeur inconnue : {text!r} (attendu : {known})")


class OrganizationKind(_Labelled):
    """The six kinds of actors of the territorial value chain."""

    ASSOCIATION = "association"
    COMPANY = "company"
    PUBLIC_BODY = "public_body"
    UNIVERSITY = "university"
    MEDIA = "media"
    CITIZEN_COLLECTIVE = "citizen_collective"

    @classmethod
    def _labels(cls) -> dict[str, tuple[str, str]]:
        return {
            "association": ("association", "association"),
            "company": ("entreprise", "company"),
            "public_body": ("acteur public", "public body"),
            "university": ("université", "university"),
            "media": ("média", "media"),
            "citizen_collective": ("collectif citoyen", "citizen collective"),
        }


class SizeBand(_Labelled):
    """Headcount bands (grouping the SIRENE ``tranche d'effectifs``)."""

    NONE = "0"
    MICRO = "1-9"
    SMALL = "10-49"
    MEDIUM = "50-249"
    LARGE = "250+"
    UNKNOWN = "unknown"

    @classmethod
    def _labels(cls) -> dict[str, tuple[str, str]]:
        return {
            "0": ("sans salarié", "no employee"),
            "1-9": ("1 à 9 salariés", "1-9 employees"),
            "10-49": ("10 à 49 salariés", "10-49 employees"),
            "50-249": ("50 à 249 salariés", "50-249 employees"),
            "250+": ("250 salariés et plus", "250+ employees"),
            "unknown": ("effectif inconnu", "unknown headcount"),
        }


class OrganizationStatus(_Labelled):
    """Whether an organisation still exists."""

    ACTIVE = "active"
    DISSOLVED = "dissolved"

    @classmethod
    def _labels(cls) -> dict[str, tuple[str, str]]:
        return {"active": ("active", "active"), "dissolved": ("dissoute", "dissolved")}


class PartnershipForm(_Labelled):
    """The four forms (eras) of association–company partnerships (DESIGN.md §2.3)."""

    PATRONAGE = "patronage"
    RESPONSIBLE_PRACTICES = "responsible_practices"
    ECONOMIC_COOPERATION = "economic_cooperation"
    SOCIETAL_INNOVATION = "societal_innovation"

    @classmethod
    def _labels(cls) -> dict[str, tuple[str, str]]:
        return {
            "patronage": ("mécénat", "patronage"),
            "responsible_practices": ("pratiques responsables", "responsible practices"),
            "economic_cooperation": ("coopération économique", "economic cooperation"),
            "societal_innovation": ("innovation sociétale", "societal innovation"),
        }


class PartnershipStatus(_Labelled):
    """Life cycle of a partnership."""

    PLANNED = "planned"
    ACTIVE = "active"
    ENDED = "ended"

    @classmethod
    def _labels(cls) -> dict[str, tuple[str, str]]:
        return {
            "planned": ("en projet", "planned"),
            "active": ("en cours", "active"),
            "ended": ("terminé", "ended"),
        }


class MemberRole(_Labelled):
    """The role of an organisation in a partnership or an experiment."""

    LEAD = "lead"
    PARTNER = "partner"
    FUNDER = "funder"
    FACILITATOR = "facilitator"
    RESEARCHER = "researcher"

    @classmethod
    def _labels(cls) -> dict[str, tuple[str, str]]:
        return {
            "lead": ("porteur", "lead"),
            "partner": ("partenaire", "partner"),
            "funder": ("financeur", "funder"),
            "facilitator": ("animateur", "facilitator"),
            "researcher": ("chercheur", "researcher"),
        }


class ImpactDimension(_Labelled):
    """The three impacts of partnerships (DESIGN.md §2.3)."""

    INNOVATION = "innovation"
    TRUST = "trust"
    PERFORMANCE = "performance"

    @classmethod
    def _labels(cls) -> dict[str, tuple[str, str]]:
        return {
            "innovation": ("innovation", "innovation"),
            "trust": ("confiance", "trust"),
            "performance": ("performance des organisations", "organisational performance"),
        }


class ImpactLevel(_Labelled):
    """Declared strength of an impact (the PHARE survey scale)."""

    NONE = "none"
    WEAK = "weak"
    STRONG = "strong"
    VERY_STRONG = "very_strong"

    @classmethod
    def _labels(cls) -> dict[str, tuple[str, str]]:
        return {
            "none": ("aucun", "none"),
            "weak": ("faible", "weak"),
            "strong": ("fort", "strong"),
            "very_strong": ("très fort", "very strong"),
        }


class ExperimentStage(_Labelled):
    """Steps of a collective experiment (DESIGN.md §2.6, « Expérimenter collectivement »)."""

    NEEDS = "needs"
    SOLUTIONS = "solutions"
    EVALUATION = "evaluation"

    @classmethod
    def _labels(cls) -> dict[str, tuple[str, str]]:
        return {
            "needs": ("faire émerger les besoins", "surface needs"),
            "solutions": ("co-construire les solutions", "co-construct solutions"),
            "evaluation": ("évaluer les résultats", "evaluate results"),
        }


@dataclass(frozen=True, slots=True)
class Organization:
    """An actor of the territory; ``fragilities`` derive from its codes unless edited."""

    kind: OrganizationKind
    name: str
    commune: str | None = None
    id: int | None = None
    rna: str | None = None
    siren: str | None = None
    siret: str | None = None
    naf: str | None = None
    waldec: tuple[str, ...] = ()
    size_band: SizeBand = SizeBand.UNKNOWN
    employer: bool | None = None
    ess: bool | None = None  # économie sociale et solidaire (SIRENE)
    status: OrganizationStatus = OrganizationStatus.ACTIVE
    created_on: date | None = None
    dissolved_on: date | None = None
    fragilities: frozenset[str] = frozenset()
    fragilities_edited: bool = False
    synthetic: bool = False

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ConfigurationError("une organisation doit avoir un nom")


@dataclass(frozen=True, slots=True)
class Member:
    """One organisation in a partnership or an experiment, with its role."""

    organization_id: int
    role: MemberRole = MemberRole.PARTNER


@dataclass(frozen=True, slots=True)
class DeclaredImpact:
    """An impact declared by the partners, with the evidence they give."""

    dimension: ImpactDimension
    level: ImpactLevel
    evidence: str = ""


def _check_members(members: tuple[Member, ...], what: str) -> None:
    ids = [m.organization_id for m in members]
    if len(ids) < 2:
        raise ConfigurationError(f"{what} : au moins deux organisations membres sont requises")
    if len(set(ids)) != len(ids):
        raise ConfigurationError(f"{what} : une organisation figure deux fois parmi les membres")


@dataclass(frozen=True, slots=True)
class Partnership:
    """Two or more organisations working together in one form on some fragilities."""

    name: str
    form: PartnershipForm
    members: tuple[Member, ...]
    fragilities: frozenset[str] = frozenset()
    territory: TerritoryCode | None = None
    start_on: date | None = None
    end_on: date | None = None
    status: PartnershipStatus = PartnershipStatus.ACTIVE
    impacts: tuple[DeclaredImpact, ...] = ()
    id: int | None = None
    external_id: str | None = None
    synthetic: bool = False

    def __post_init__(self) -> None:
        _check_members(self.members, f"partenariat {self.name!r}")
        if self.start_on and self.end_on and self.end_on < self.start_on:
            raise ConfigurationError(f"partenariat {self.name!r} : fin avant le début")
        dimensions = [i.dimension for i in self.impacts]
        if len(set(dimensions)) != len(dimensions):
            raise ConfigurationError(f"partenariat {self.name!r} : impact déclaré deux fois")


@dataclass(frozen=True, slots=True)
class CollectiveExperiment:
    """Several actors (often with universities and public bodies) experimenting together."""

    name: str
    members: tuple[Member, ...]
    territory: TerritoryCode | None = None
    fragilities: frozenset[str] = frozenset()
    stage: ExperimentStage = ExperimentStage.NEEDS
    needs: tuple[str, ...] = ()
    solutions: tuple[str, ...] = ()
    evaluation: str = ""
    id: int | None = None

    def __post_init__(self) -> None:
        _check_members(self.members, f"expérimentation {self.name!r}")
        if self.stage is not ExperimentStage.NEEDS and not self.needs:
            raise ConfigurationError(
                f"expérimentation {self.name!r} : les besoins doivent être formulés d'abord"
            )
        if self.stage is ExperimentStage.EVALUATION and not self.solutions:
            raise ConfigurationError(
                f"expérimentation {self.name!r} : pas d'évaluation sans solution"
            )
