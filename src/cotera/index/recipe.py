"""The typed recipe of an index build: every methodological choice, as data."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

from cotera.errors import Problem, ValidationError


class MissingPolicy(StrEnum):
    """What to do with missing indicator values (NaN, or the framework's sentinel)."""

    DROP_UNIT = "drop_unit"
    """A unit with any missing value is left out of every rank (it does not count in N)."""
    PER_INDICATOR = "per_indicator"
    """Each indicator is ranked over the units where it is observed; a unit's family score is
    missing when one of the family's indicators is, its overall score when any indicator is
    (the CDC/ATSDR SVI rule for −999)."""
    MEAN_IMPUTE = "mean_impute"
    """A missing value is replaced by the mean of the observed values of its indicator."""
    IGNORE_INDICATOR = "ignore_indicator"
    """A missing value is skipped: the unit is aggregated on its available indicators."""


class Inversion(StrEnum):
    """How a ``direction = "-"`` indicator is turned so that higher = more fragile."""

    NEGATE = "negate"
    """Normalise ``−x``: a percentile rank of the negated values, ties at the lowest rank."""
    COMPLEMENT = "complement"
    """Normalise ``x``, then reflect: ``1 − p`` for percent_rank and min_max, ``N + 1 − r`` for
    rank, ``−v`` for z_score and distance_to_reference (the SVI rule for per-capita income).
    Differs from NEGATE only for the (percentile) ranks, and only at ties."""


class Rounding(StrEnum):
    """When ``decimals`` applies."""

    EACH_STEP = "each_step"
    """Normalised values, scores and percentiles are rounded before the next step uses them
    (SVI 2018, 2020, 2022)."""
    OUTPUT = "output"
    """Every step runs at full precision; only the stored results are rounded (SVI 2014,
    2016)."""


class Normalisation(StrEnum):
    """How each oriented indicator is brought to a common scale (higher = more fragile)."""

    MIN_MAX = "min_max"
    Z_SCORE = "z_score"
    PERCENT_RANK = "percent_rank"
    """Inclusive percentile rank ``(rank − 1) / (N − 1)`` (ties: the recipe's ``TieRule``;
    ``lowest`` is PERCENTRANK.INC)."""
    RANK = "rank"
    """Plain rank 1…N (1 = least fragile), ties as the recipe's ``TieRule``."""
    DISTANCE_TO_REFERENCE = "distance_to_reference"
    """Relative gap to a reference value (e.g. France): ``(x − ref) / |ref|``."""


class Weighting(StrEnum):
    """How indicator weights are set."""

    EQUAL = "equal"
    """Every indicator weighs the same in the overall score (larger families weigh more; SVI)."""
    USER = "user"
    """The framework's indicator weights within families, times its family weights overall."""
    PER_FAMILY = "per_family"
    """Every family weighs the same overall, shared equally by its indicators."""


class Aggregation(StrEnum):
    """How weighted normalised values are combined into family and overall scores."""

    ARITHMETIC = "arithmetic"
    GEOMETRIC = "geometric"
    """``101 −`` the weighted geometric mean of the values rescaled to [1, 100] with 100 = least
    fragile, so that a severe fragility is not offset by others (see ``aggregate``)."""
    SUM_THEN_RERANK = "sum_then_rerank"
    """Weighted sum (weights scaled to the number of indicators), then percentile-ranked (SVI)."""


class TieRule(StrEnum):
    """Which rank tied values share (in percent ranks, plain ranks and final ranks)."""

    LOWEST = "lowest"
    """The lowest rank of the block (Excel ``PERCENTRANK.INC``, the SVI): the frameworks'
    default. Ranked from the most fragile end, a block of ties takes the most fragile rank."""
    AVERAGE = "average"
    """The mean of the ranks the block spans (mid-rank): neutral between both ends, so a block
    of tied units is placed in its middle (the diagnostic's rule)."""


@dataclass(frozen=True, slots=True)
class Recipe:
    """Every choice of a build; ``engine.build`` with the same recipe gives the same result."""

    missing: MissingPolicy = MissingPolicy.DROP_UNIT
    normalisation: Normalisation = Normalisation.PERCENT_RANK
    weighting: Weighting = Weighting.EQUAL
    aggregation: Aggregation = Aggregation.ARITHMETIC
    winsorise: float | None = None
    """Tail share clipped on each side of every indicator before normalising (e.g. 0.05)."""
    flag_threshold: float = 0.90
    """An indicator is flagged when its percentile rank is ≥ this threshold."""
    decimals: int | None = None
    """Round normalised values, scores and percentiles to this many decimals (SVI: 4)."""
    reference_unit: str | None = None
    """Unit whose values are the reference of DISTANCE_TO_REFERENCE (else the framework's)."""
    inversion: Inversion = Inversion.NEGATE
    """Default inversion of ``direction = "-"`` indicators (an indicator may set its own)."""
    rounding: Rounding = Rounding.EACH_STEP
    """Whether ``decimals`` rounds every step or only the results."""
    ties: TieRule = TieRule.LOWEST
    """Rank shared by tied values (percent ranks, ranks, final ranks)."""

    def to_mapping(self) -> dict[str, Any]:
        """Plain data (enum values as strings, unset options left out), e.g. for TOML."""
        return {
            key: (str(value) if isinstance(value, StrEnum) else value)
            for key, value in asdict(self).items()
            if value is not None
        }

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], file: str = "") -> Recipe:
        """Parse a ``[recipe]`` table; every problem is reported at once."""
        problems: list[Problem] = []
        known = set(cls.__dataclass_fields__)
        for key in data:
            if key not in known:
                problems.append(
                    Problem(
                        "recipe.unknown_key",
                        "clé de recette inconnue",
                        file,
                        column=key,
                        expected=", ".join(sorted(known)),
                    )
                )
        enums: dict[str, type[StrEnum]] = {
            "missing": MissingPolicy,
            "normalisation": Normalisation,
            "weighting": Weighting,
            "aggregation": Aggregation,
            "inversion": Inversion,
            "rounding": Rounding,
            "ties": TieRule,
        }
        values: dict[str, Any] = {}
        for key, enum in enums.items():
            if key in data:
                try:
                    values[key] = enum(str(data[key]))
                except ValueError:
                    problems.append(
                        Problem(
                            "recipe.bad_choice",
                            "choix inconnu",
                            file,
                            column=key,
                            value=str(data[key]),
                            expected=", ".join(m.value for m in enum),
                        )
                    )
        for key in ("winsorise", "flag_threshold"):
            if key in data:
                value = data[key]
                if not isinstance(value, int | float) or not 0 <= value < 1:
                    problems.append(
                        Problem(
                            "recipe.bad_number",
                            "nombre hors bornes",
                            file,
                            column=key,
                            value=str(value),
                            expected="[0, 1[",
                        )
                    )
                else:
                    values[key] = float(value)
        if "decimals" in data:
            if isinstance(data["decimals"], int) and data["decimals"] >= 0:
                values["decimals"] = data["decimals"]
            else:
                problems.append(
                    Problem(
                        "recipe.bad_number",
                        "nombre de décimales invalide",
                        file,
                        column="decimals",
                        value=str(data["decimals"]),
                        expected="entier ≥ 0",
                    )
                )
        if "reference_unit" in data:
            values["reference_unit"] = str(data["reference_unit"])
        if problems:
            raise ValidationError("recette invalide", problems)
        return cls(**values)
