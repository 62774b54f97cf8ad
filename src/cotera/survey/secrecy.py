"""Statistical secrecy: the rule every published set of respondents must pass, and its overrides.

A set of respondents **passes** when it is empty, or when it has at least ``threshold``
respondents (11 citizens, 3 organisations: each prism's legal threshold, ``phare.toml``) and,
for organisations, is not *dominated*: the (n, k) dominance rule — the ``units`` largest
contributions make more than ``share`` of the cell's weighted total — with INSEE's parameters
for business statistics, n = 1, k = 85 % (τ-Argus ``NK(1,85)``). Contributions are the
respondents' survey weights (the weighted total of a cell is the population it stands for).

A user may lower the frequency threshold below the prism's legal one only with an explicit
reason (:class:`SecrecyRequest`); the rule then carries it, and every output prints it.

Which sets are published, and the secondary suppression that keeps every set a reader can
derive by subtraction at or above the rule: :mod:`cotera.survey.protection`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

from cotera.errors import ConfigurationError
from cotera.survey.questionnaire import Prism, phare_questionnaire


class CellStatus(StrEnum):
    """Whether a cell is published."""

    PUBLISHED = "published"
    PRIMARY = "primary"
    SECONDARY = "secondary"
    EMPTY = "empty"

    def label(self, language: str = "fr") -> str:
        """What people read."""
        french = {
            "published": "publié",
            "primary": "secret",
            "secondary": "secret (secondaire)",
            "empty": "aucun répondant",
        }
        return self.value if language == "en" else french[self.value]

    @property
    def hidden(self) -> bool:
        """True when the cell shows no figure (secret, or no respondent)."""
        return self is not CellStatus.PUBLISHED


class Mass(NamedTuple):
    """A set of respondents as the rule sees it: count, weighted total, two largest
    contributions (0 when there are fewer)."""

    n: int = 0
    total: float = 0.0
    first: float = 0.0
    second: float = 0.0

    def plus(self, other: Mass) -> Mass:
        """The union of two disjoint sets."""
        low = min(self.first, other.first)
        return Mass(
            self.n + other.n,
            self.total + other.total,
            max(self.first, other.first),
            max(low, self.second, other.second),
        )

    @classmethod
    def of_count(cls, count: int) -> Mass:
        """A set known by its count only (no contribution: the dominance rule cannot apply)."""
        return cls(int(count), float(count))


@dataclass(frozen=True, slots=True)
class DominanceRule:
    """(n, k) rule: sensitive when the ``units`` largest contributions exceed ``share`` of the
    total."""

    units: int
    share: float

    def dominated(self, mass: Mass) -> bool:
        """True when the largest contributions make too much of the total."""
        largest = mass.first if self.units == 1 else mass.first + mass.second
        return mass.total > 0 and largest > self.share * mass.total


@dataclass(frozen=True, slots=True)
class SecrecyRequest:
    """What a user asks for: a threshold (default: the prism's) and, below the legal threshold,
    the reason for the override."""

    min_n: int | None = None
    override: str | None = None


@dataclass(frozen=True, slots=True)
class SecrecyRule:
    """The rule applied to a table: threshold, the prism's legal threshold, dominance, override."""

    threshold: int
    legal: int
    dominance: DominanceRule | None = None
    override: str | None = None

    def passes(self, mass: Mass) -> bool:
        """Empty, or enough respondents and not dominated."""
        if mass.n == 0:
            return True
        if mass.n < self.threshold:
            return False
        return self.dominance is None or not self.dominance.dominated(mass)

    @property
    def overridden(self) -> bool:
        """True when the threshold is below the legal one (an override was given)."""
        return self.threshold < self.legal


def min_respondents(prism: Prism | str) -> int:
    """Legal threshold of a prism (11 citizens, 3 organisations), from the questionnaire."""
    return phare_questionnaire().prism(Prism(prism)).min_respondents


def dominance_rule(prism: Prism | str) -> DominanceRule | None:
    """The prism's dominance rule (organisations), from the questionnaire."""
    spec = phare_questionnaire().prism(Prism(prism)).dominance
    return None if spec is None else DominanceRule(*spec)


def is_primary(count: int, threshold: int) -> bool:
    """The frequency rule alone: fewer than ``threshold`` respondents (and at least one)."""
    return 0 < count < threshold


def secrecy_rule(prism: Prism | str, request: SecrecyRequest | None = None) -> SecrecyRule:
    """The rule for a table of ``prism``; a threshold below the legal one needs a reason."""
    request = request or SecrecyRequest()
    legal = min_respondents(prism)
    name = phare_questionnaire().prism(Prism(prism)).label_fr.lower()
    reason = (request.override or "").strip()
    if request.min_n is None:
        if reason:
            raise ConfigurationError(
                "dérogation au secret statistique sans seuil : --override-secrecy "
                "accompagne --min-n N inférieur au seuil légal"
            )
        return SecrecyRule(legal, legal, dominance_rule(prism))
    if request.min_n < 1:
        raise ConfigurationError(
            f"seuil de secret statistique invalide : {request.min_n} (au moins 1 répondant ; "
            f"seuil légal du prisme {name} : {legal})"
        )
    if request.min_n < legal and not reason:
        raise ConfigurationError(
            f"seuil de secret statistique refusé : --min-n {request.min_n} est inférieur au "
            f"seuil légal du prisme {name} ({legal} répondants). Pour un usage "
            'qui le justifie, ajoutez --override-secrecy "motif" : la dérogation et son '
            "motif seront imprimés dans chaque sortie."
        )
    if request.min_n >= legal and reason:
        raise ConfigurationError(
            f"dérogation au secret statistique inutile : --min-n {request.min_n} n'est pas "
            f"inférieur au seuil légal ({legal}) ; retirez --override-secrecy"
        )
    return SecrecyRule(request.min_n, legal, dominance_rule(prism), reason or None)


def override_note(rule: SecrecyRule) -> str | None:
    """The sentence every output prints when the threshold was lowered (None otherwise)."""
    if not rule.overridden:
        return None
    return (
        f"DÉROGATION au secret statistique : seuil abaissé à {rule.threshold} répondants "
        f"(seuil légal {rule.legal}) ; motif : {rule.override}"
    )
