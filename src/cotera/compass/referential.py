"""The compass referential: the deck's decision method as typed, immutable data.

Built from the TOML files of ``cotera/compass/data`` by :mod:`cotera.compass.loader`. Structural
families the engine reasons about (question kinds, facts, thirds, dispositif options, budget
scopes and phases, diagnosis signals) are ``StrEnum``s; everything people read is data.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class QuestionKind(StrEnum):
    """How a question is answered and scored."""

    CHOICE = "choice"
    COUNT = "count"
    BOOLEAN = "boolean"


class FactName(StrEnum):
    """Facts of the territory that questions can take their value from."""

    PARTNERSHIPS = "partenariats"
    MULTI_ACTOR_PARTNERSHIPS = "partenariats_multi_acteurs"
    SURVEY_PRESENT = "enquete_presente"
    ACTIVE_STAKEHOLDERS = "parties_prenantes_actives"


class Third(StrEnum):
    """The four thirds of the financing rule."""

    PUBLIC = "public"
    PRIVATE = "prive"
    SERVICES = "prestations"
    VOLUNTEERING = "benevolat"


class DispositifOption(StrEnum):
    """The four structural options for the dispositif."""

    ARTICULATE = "articuler_existants"
    CREATE = "creer_nouveau"
    INTEGRATE = "integrer_existant"
    INFORMAL = "informel"


class Scope(StrEnum):
    """What a budget line finances."""

    ENGINEERING = "ingenierie"
    PROJECTS = "projets"
    MIXED = "mixte"


class Phase(StrEnum):
    """Economic-model phase of the engineering."""

    EXPERIMENTAL = "experimentation"
    DEPLOYMENT = "deploiement"


class Signal(StrEnum):
    """Findings of the diagnosis that brakes can be tied to."""

    SOLUTION_UNDEFINED = "solution_non_definie"
    STAKEHOLDER_MISSING = "partie_prenante_absente"
    STAKES_UNMET = "enjeux_non_satisfaits"
    PUBLIC_LOW = "tiers_public_faible"
    PRIVATE_LOW = "tiers_prive_faible"
    SERVICES_LOW = "tiers_prestations_faible"
    VOLUNTEERING_LOW = "benevolat_peu_valorise"
    SINGLE_SOURCE = "dependance_une_source"
    ENGINEERING_NOT_SEPARATED = "ingenierie_non_distinguee"
    ENGINEERING_DEFICIT = "ingenierie_deficitaire"
    COSTS_OFF_BENCHMARK = "couts_hors_reperes"


#: Signals that only a budget can emit (unknown without one).
BUDGET_SIGNALS = frozenset(
    {
        Signal.PUBLIC_LOW,
        Signal.PRIVATE_LOW,
        Signal.SERVICES_LOW,
        Signal.VOLUNTEERING_LOW,
        Signal.SINGLE_SOURCE,
        Signal.ENGINEERING_NOT_SEPARATED,
        Signal.ENGINEERING_DEFICIT,
        Signal.COSTS_OFF_BENCHMARK,
    }
)

#: The question the dispositif rule reads ("settle the dispositif after the solution is defined").
SOLUTION_DEFINED_QUESTION = "solution_definie"


@dataclass(frozen=True, slots=True)
class Label:
    """A French and an English label."""

    fr: str
    en: str

    def text(self, language: str = "fr") -> str:
        """The label in ``language`` (``fr`` or ``en``)."""
        return self.en if language == "en" else self.fr


@dataclass(frozen=True, slots=True)
class Item:
    """A labelled item of a list (a step, a contribution, a stake, a lever component)."""

    id: str
    label: Label


@dataclass(frozen=True, slots=True)
class Dimension:
    """One of the four questions of territorial animation."""

    id: str
    label: Label
    question: Label


@dataclass(frozen=True, slots=True)
class Solution:
    """An engineering solution and its three steps."""

    id: str
    label: Label
    outcome: Label
    leaders: tuple[str, ...]
    steps: tuple[Item, ...]


@dataclass(frozen=True, slots=True)
class KeyQuestion:
    """A question that must reach ``min_points`` for a stage criterion to be met."""

    question: str
    min_points: int


@dataclass(frozen=True, slots=True)
class Stage:
    """A stage of the maturity path and its criterion."""

    level: int
    id: str
    label: Label
    achieved: Label
    threshold: float
    next_solution: str
    key: tuple[KeyQuestion, ...]


@dataclass(frozen=True, slots=True)
class ScaleOption:
    """One answer of a choice scale."""

    id: str
    label: Label
    points: int


@dataclass(frozen=True, slots=True)
class Scale:
    """An ordered answer scale."""

    id: str
    label: Label
    options: tuple[ScaleOption, ...]

    @property
    def max_points(self) -> int:
        """The best option's points."""
        return max(o.points for o in self.options)

    def option(self, option_id: str) -> ScaleOption | None:
        """The option with this id, if any."""
        return next((o for o in self.options if o.id == option_id), None)


@dataclass(frozen=True, slots=True)
class Question:
    """A self-assessment question with its scoring rule."""

    id: str
    dimension: str
    stage: int
    kind: QuestionKind
    label: Label
    scale: Scale | None = None
    thresholds: tuple[float, ...] = ()
    fact: FactName | None = None
    weight: float = 1.0

    @property
    def max_points(self) -> int:
        """Points of the best possible answer."""
        if self.kind is QuestionKind.CHOICE and self.scale is not None:
            return self.scale.max_points
        if self.kind is QuestionKind.COUNT:
            return len(self.thresholds)
        return 1

    def expected(self) -> str:
        """The accepted answers, in words (for validation messages)."""
        if self.kind is QuestionKind.CHOICE and self.scale is not None:
            return " | ".join(o.id for o in self.scale.options)
        if self.kind is QuestionKind.COUNT:
            return "un nombre entier >= 0"
        return "true | false"


@dataclass(frozen=True, slots=True)
class Stakeholder:
    """A stakeholder of the territorial value chain: what it brings, what it seeks."""

    id: str
    label: Label
    brings: tuple[Item, ...]
    seeks: tuple[Item, ...]
    brings_legible: bool = True
    brings_note: Label | None = None


@dataclass(frozen=True, slots=True)
class Lever:
    """A lever of the socio-economic model and its components."""

    id: str
    label: Label
    question: Label
    items: tuple[Item, ...]


@dataclass(frozen=True, slots=True)
class ThirdSpec:
    """One third of the four-thirds rule, with the levers that raise it."""

    id: Third
    label: Label
    in_kind: bool
    levers: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class BudgetCategory:
    """A resource or in-kind contribution category, attached to a third."""

    id: str
    label: Label
    third: Third
    rate: str | None = None


@dataclass(frozen=True, slots=True)
class CostCategory:
    """A cost category and its benchmark share range (fractions), if any."""

    id: str
    label: Label
    benchmark: tuple[float, float] | None
    levers_if_above: tuple[str, ...] = ()
    levers_if_below: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Economics:
    """Everything the socio-economic model needs."""

    rule: Label
    tolerance: float
    dependence_share: float
    rates: tuple[tuple[str, float], ...]
    thirds: tuple[ThirdSpec, ...]
    resources: tuple[BudgetCategory, ...]
    contributions: tuple[BudgetCategory, ...]
    costs: tuple[CostCategory, ...]
    phases: tuple[tuple[Phase, Label, Label], ...]
    scopes: tuple[tuple[Scope, Label], ...]

    def rate(self, rate_id: str) -> float:
        """The default hourly rate ``rate_id`` (euros)."""
        return dict(self.rates)[rate_id]

    def third(self, third: Third) -> ThirdSpec:
        """The spec of one third."""
        return next(t for t in self.thirds if t.id is third)


@dataclass(frozen=True, slots=True)
class BodyType:
    """A type of existing co-construction body and who usually initiates it."""

    id: str
    label: Label
    initiator: Item


@dataclass(frozen=True, slots=True)
class BrakeTrigger:
    """A brake is detected when ``question`` scores fewer than ``below`` points."""

    question: str
    below: int


@dataclass(frozen=True, slots=True)
class Brake:
    """A technical brake (the project's own reading of the deck)."""

    id: str
    dimension: str
    label: Label
    questions: tuple[BrakeTrigger, ...]
    signals: tuple[Signal, ...]


@dataclass(frozen=True, slots=True)
class CompassReferential:
    """The whole method, validated."""

    version: str
    dimensions: tuple[Dimension, ...]
    stages: tuple[Stage, ...]
    solutions: tuple[Solution, ...]
    questions: tuple[Question, ...]
    stakeholders: tuple[Stakeholder, ...]
    levers: tuple[Lever, ...]
    economics: Economics
    body_types: tuple[BodyType, ...]
    options: tuple[tuple[DispositifOption, Label], ...]
    brakes: tuple[Brake, ...]

    def dimension(self, dimension_id: str) -> Dimension:
        """The dimension with this id."""
        return next(d for d in self.dimensions if d.id == dimension_id)

    def solution(self, solution_id: str) -> Solution:
        """The engineering solution with this id."""
        return next(s for s in self.solutions if s.id == solution_id)

    def question(self, question_id: str) -> Question:
        """The question with this id."""
        return next(q for q in self.questions if q.id == question_id)

    def stakeholder(self, stakeholder_id: str) -> Stakeholder:
        """The stakeholder with this id."""
        return next(s for s in self.stakeholders if s.id == stakeholder_id)

    def option_label(self, option: DispositifOption) -> Label:
        """The label of a structural option."""
        return dict(self.options)[option]

    def lever_item(self, reference: str) -> tuple[Lever, Item]:
        """The lever and component named ``lever.item``."""
        lever_id, _, item_id = reference.partition(".")
        lever = next(x for x in self.levers if x.id == lever_id)
        return lever, next(i for i in lever.items if i.id == item_id)
