"""The PHARE-like questionnaire as data: prisms, scales and variables, read from ``phare.toml``."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

from cotera.errors import ConfigurationError
from cotera.referential.fragilities import fragility_referential


class Prism(StrEnum):
    """Who answers: the three PHARE perception prisms, plus institutions."""

    CITIZENS = "citizens"
    COMPANIES = "companies"
    ASSOCIATIONS = "associations"
    INSTITUTIONS = "institutions"


class VariableKind(StrEnum):
    """Role of a column in a survey file."""

    ID = "id"
    PRISM = "prism"
    TERRITORY = "territory"
    DESIGN = "design"
    QUESTION = "question"
    WEIGHT = "weight"


@dataclass(frozen=True, slots=True)
class Level:
    """One answer code of a scale and its labels."""

    code: str
    label_fr: str
    label_en: str


@dataclass(frozen=True, slots=True)
class Scale:
    """A closed list of answer codes; ``strong`` are the codes counted as a positive answer."""

    code: str
    label_fr: str
    label_en: str
    levels: tuple[Level, ...]
    strong: tuple[str, ...]

    def codes(self) -> tuple[str, ...]:
        """Answer codes in scale order."""
        return tuple(level.code for level in self.levels)

    def label(self, code: str, language: str = "fr") -> str:
        """Label of one answer code."""
        for level in self.levels:
            if level.code == code:
                return level.label_en if language == "en" else level.label_fr
        return code


@dataclass(frozen=True, slots=True)
class Variable:
    """One column of a survey file."""

    name: str
    kind: VariableKind
    label_fr: str
    label_en: str
    scale: Scale | None = None
    required: bool = True
    fragility: str | None = None


@dataclass(frozen=True, slots=True)
class PrismSpec:
    """A prism, its design variables and its statistical-secrecy rule: the threshold and, for
    organisations, the (units, share) dominance rule."""

    prism: Prism
    label_fr: str
    label_en: str
    min_respondents: int
    design: tuple[str, ...]
    dominance: tuple[int, float] | None = None


@dataclass(frozen=True, slots=True)
class Questionnaire:
    """Prisms, scales and variables of the questionnaire, in file order."""

    version: str
    prisms: tuple[PrismSpec, ...]
    scales: tuple[Scale, ...]
    variables: tuple[Variable, ...]

    def variable(self, name: str) -> Variable:
        """The variable called ``name``."""
        for variable in self.variables:
            if variable.name == name:
                return variable
        raise ConfigurationError(f"variable inconnue du questionnaire : {name!r}")

    def prism(self, prism: Prism | str) -> PrismSpec:
        """The specification of one prism."""
        for spec in self.prisms:
            if spec.prism == prism:
                return spec
        raise ConfigurationError(f"prisme inconnu : {prism!r}")

    def questions(self) -> tuple[Variable, ...]:
        """Question variables (partnership, innovation, the 16 impacts)."""
        return tuple(v for v in self.variables if v.kind is VariableKind.QUESTION)

    def impact_questions(self) -> tuple[Variable, ...]:
        """The perceived-impact questions, one per fragility, in referential order."""
        return tuple(v for v in self.questions() if v.fragility is not None)

    def impact_column(self, fragility: str) -> str:
        """Column holding the perceived impact on ``fragility``."""
        for variable in self.impact_questions():
            if variable.fragility == fragility.upper():
                return variable.name
        raise ConfigurationError(f"pas de question d'impact pour la fragilité {fragility!r}")

    def columns_for(self, prism: Prism) -> tuple[Variable, ...]:
        """Variables of a ``prism`` file (other prisms' design variables left out)."""
        design = set(self.prism(prism).design)
        return tuple(
            v for v in self.variables if v.kind is not VariableKind.DESIGN or v.name in design
        )


def _scale(raw: dict[str, Any]) -> Scale:
    levels = tuple(
        Level(str(item["code"]), str(item["label_fr"]), str(item["label_en"]))
        for item in raw["levels"]
    )
    codes = [level.code for level in levels]
    if len(set(codes)) != len(codes):
        raise ConfigurationError(f"échelle {raw['code']!r} : codes en double")
    strong = tuple(str(code) for code in raw.get("strong", ()))
    if not set(strong) <= set(codes):
        raise ConfigurationError(f"échelle {raw['code']!r} : « strong » hors de l'échelle")
    return Scale(str(raw["code"]), str(raw["label_fr"]), str(raw["label_en"]), levels, strong)


def parse_questionnaire(raw: dict[str, Any]) -> Questionnaire:
    """Validate and build a questionnaire from parsed TOML."""
    try:
        scales = {s.code: s for s in (_scale(item) for item in raw["scale"])}
        variables: list[Variable] = []
        for item in raw["variable"]:
            kind = VariableKind(item["kind"])
            scale_code = item.get("scale")
            if scale_code is not None and scale_code not in scales:
                raise ConfigurationError(f"variable {item['name']!r} : échelle inconnue")
            if kind in (VariableKind.DESIGN, VariableKind.QUESTION) and scale_code is None:
                raise ConfigurationError(f"variable {item['name']!r} : échelle manquante")
            variables.append(
                Variable(
                    name=str(item["name"]),
                    kind=kind,
                    label_fr=str(item["label_fr"]),
                    label_en=str(item["label_en"]),
                    scale=scales[scale_code] if scale_code else None,
                    required=bool(item.get("required", True)),
                )
            )
            if kind is VariableKind.QUESTION and item["name"] == "innovation":
                variables.extend(_impact_questions(raw, scales))
        prisms = tuple(
            PrismSpec(
                Prism(item["code"]),
                str(item["label_fr"]),
                str(item["label_en"]),
                int(item["min_respondents"]),
                tuple(str(name) for name in item["design"]),
                _dominance(item),
            )
            for item in raw["prism"]
        )
    except (KeyError, ValueError, TypeError) as error:
        raise ConfigurationError(f"questionnaire invalide : {error}") from error
    names = [v.name for v in variables]
    if len(set(names)) != len(names):
        raise ConfigurationError("questionnaire : noms de variables en double")
    for spec in prisms:
        unknown = set(spec.design) - set(names)
        if unknown:
            raise ConfigurationError(f"prisme {spec.prism} : variables inconnues {sorted(unknown)}")
    return Questionnaire(str(raw["version"]), prisms, tuple(scales.values()), tuple(variables))


def _dominance(item: dict[str, Any]) -> tuple[int, float] | None:
    """``dominance = [units, share]``: 1 or 2 largest contributions, a share in ]0, 1[."""
    if "dominance" not in item:
        return None
    units, share = item["dominance"]
    if int(units) not in (1, 2) or not 0 < float(share) < 1:
        raise ValueError(f"prisme {item['code']} : dominance [1 ou 2, part dans ]0, 1[] attendue")
    return int(units), float(share)


def _impact_questions(raw: dict[str, Any], scales: dict[str, Scale]) -> list[Variable]:
    spec = raw["questions"]["impact"]
    scale = scales[spec["scale"]]
    return [
        Variable(
            name=f"{spec['prefix']}{fragility.code}",
            kind=VariableKind.QUESTION,
            label_fr=str(spec["label_fr"]).format(fragility=fragility.label_fr),
            label_en=str(spec["label_en"]).format(fragility=fragility.label_en),
            scale=scale,
            fragility=fragility.code,
        )
        for fragility in fragility_referential().fragilities
    ]


@cache
def phare_questionnaire() -> Questionnaire:
    """The packaged PHARE-like questionnaire (cached)."""
    text = resources.files("cotera.survey").joinpath("data/phare.toml").read_text(encoding="utf-8")
    return parse_questionnaire(tomllib.loads(text))
