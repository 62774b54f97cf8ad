"""A declarative index framework: indicators → families → overall, read from TOML."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from cotera.errors import Problem, ValidationError
from cotera.index.recipe import Inversion, Recipe
from cotera.types import Direction


@dataclass(frozen=True, slots=True)
class Family:
    """A group of indicators with its own score (an SVI theme, a fragility family)."""

    code: str
    label: str = ""
    weight: float = 1.0


@dataclass(frozen=True, slots=True)
class Indicator:
    """One input column, its family, direction and weight."""

    code: str
    family: str
    direction: Direction = Direction.HIGHER_IS_MORE_FRAGILE
    column: str = ""
    """Input column holding the values (defaults to ``code``)."""
    weight: float = 1.0
    label: str = ""
    reference: float | None = None
    """Reference value for DISTANCE_TO_REFERENCE (e.g. the France value)."""
    inversion: Inversion | None = None
    """How a ``-`` direction is applied (None: the recipe's ``inversion``)."""

    @property
    def source_column(self) -> str:
        """The input column to read."""
        return self.column or self.code


@dataclass(frozen=True, slots=True)
class Framework:
    """Indicators grouped in families, plus how input files are read."""

    name: str
    id_column: str
    families: tuple[Family, ...]
    indicators: tuple[Indicator, ...]
    missing_value: float | None = None
    """Sentinel meaning "missing" in input files (SVI: -999), besides empty cells."""
    recipe: Recipe | None = None
    """The recipe the framework recommends, if its file has a ``[recipe]`` table."""
    description: str = ""

    @property
    def indicator_codes(self) -> tuple[str, ...]:
        """Indicator codes in framework order (the column order of a matrix)."""
        return tuple(i.code for i in self.indicators)

    @property
    def family_codes(self) -> tuple[str, ...]:
        """Family codes in framework order."""
        return tuple(f.code for f in self.families)

    def family_index(self) -> npt.NDArray[np.intp]:
        """For each indicator, the position of its family."""
        codes = self.family_codes
        return np.array([codes.index(i.family) for i in self.indicators], dtype=np.intp)

    def signs(self) -> npt.NDArray[np.float64]:
        """+1 where a higher value is more fragile, −1 otherwise."""
        return np.array(
            [
                1.0 if i.direction is Direction.HIGHER_IS_MORE_FRAGILE else -1.0
                for i in self.indicators
            ]
        )

    def complemented(self, default: Inversion) -> npt.NDArray[np.bool_]:
        """True for ``-`` indicators inverted by COMPLEMENT (their own choice, else ``default``)."""
        return np.array(
            [
                i.direction is Direction.HIGHER_IS_LESS_FRAGILE
                and (i.inversion or default) is Inversion.COMPLEMENT
                for i in self.indicators
            ],
            dtype=np.bool_,
        )

    def with_directions(self, directions: dict[str, Direction]) -> Framework:
        """A copy with some indicator directions replaced."""
        indicators = tuple(
            replace(i, direction=directions[i.code]) if i.code in directions else i
            for i in self.indicators
        )
        return replace(self, indicators=indicators)

    @classmethod
    def from_mapping(cls, data: dict[str, Any], file: str = "") -> Framework:
        """Build from parsed TOML; every problem is reported at once."""
        problems: list[Problem] = []
        head = data.get("framework", {})
        id_column = str(head.get("id_column", ""))
        if not id_column:
            problems.append(
                Problem(
                    "framework.no_id",
                    "colonne d'identifiant manquante",
                    file,
                    column="framework.id_column",
                )
            )
        families = tuple(_families(data.get("families", []), file, problems))
        codes = [f.code for f in families]
        indicators = tuple(_indicators(data.get("indicators", []), set(codes), file, problems))
        if not indicators:
            problems.append(Problem("framework.empty", "aucun indicateur", file))
        for kind, names in (("famille", codes), ("indicateur", [i.code for i in indicators])):
            for name in sorted({n for n in names if names.count(n) > 1}):
                problems.append(
                    Problem("framework.duplicate", f"{kind} en double", file, value=name)
                )
        missing = head.get("missing_value")
        if missing is not None and not isinstance(missing, int | float):
            problems.append(
                Problem(
                    "framework.bad_missing",
                    "valeur manquante non numérique",
                    file,
                    column="framework.missing_value",
                    value=str(missing),
                )
            )
        recipe: Recipe | None = None
        if "recipe" in data:
            try:
                recipe = Recipe.from_mapping(data["recipe"], file)
            except ValidationError as exc:
                problems.extend(exc.problems)
        if problems:
            raise ValidationError("cadre d'indice invalide", problems)
        return cls(
            name=str(head.get("name", "")),
            id_column=id_column,
            families=families,
            indicators=indicators,
            missing_value=float(missing) if missing is not None else None,
            recipe=recipe,
            description=str(head.get("description", "")),
        )


def _weight(value: Any, where: str, file: str, problems: list[Problem]) -> float:
    if isinstance(value, int | float) and math.isfinite(value) and value > 0:
        return float(value)
    problems.append(
        Problem(
            "framework.bad_weight",
            "poids invalide",
            file,
            column=where,
            value=str(value),
            expected="nombre > 0",
        )
    )
    return 1.0


def _families(rows: list[dict[str, Any]], file: str, problems: list[Problem]) -> list[Family]:
    out = []
    for n, row in enumerate(rows, start=1):
        code = str(row.get("code", ""))
        if not code:
            problems.append(Problem("framework.no_code", f"famille n°{n} sans code", file))
            continue
        out.append(
            Family(
                code,
                str(row.get("label", "")),
                _weight(row.get("weight", 1.0), f"families.{code}.weight", file, problems),
            )
        )
    if not out:
        problems.append(Problem("framework.no_family", "aucune famille", file))
    return out


def _indicators(
    rows: list[dict[str, Any]], families: set[str], file: str, problems: list[Problem]
) -> list[Indicator]:
    out = []
    for n, row in enumerate(rows, start=1):
        code = str(row.get("code", ""))
        if not code:
            problems.append(Problem("framework.no_code", f"indicateur n°{n} sans code", file))
            continue
        family = str(row.get("family", ""))
        if family not in families:
            problems.append(
                Problem(
                    "framework.unknown_family",
                    "famille inconnue",
                    file,
                    column=f"indicators.{code}.family",
                    value=family,
                    expected=", ".join(sorted(families)),
                )
            )
        try:
            direction = Direction(str(row.get("direction", "+")))
        except ValueError:
            problems.append(
                Problem(
                    "framework.bad_direction",
                    "sens invalide",
                    file,
                    column=f"indicators.{code}.direction",
                    value=str(row.get("direction")),
                    expected="+ ou -",
                )
            )
            direction = Direction.HIGHER_IS_MORE_FRAGILE
        reference = row.get("reference")
        if reference is not None and not isinstance(reference, int | float):
            problems.append(
                Problem(
                    "framework.bad_reference",
                    "référence non numérique",
                    file,
                    column=f"indicators.{code}.reference",
                    value=str(reference),
                )
            )
            reference = None
        out.append(
            Indicator(
                code=code,
                family=family,
                direction=direction,
                column=str(row.get("column", "")),
                weight=_weight(row.get("weight", 1.0), f"indicators.{code}.weight", file, problems),
                label=str(row.get("label", "")),
                reference=float(reference) if reference is not None else None,
                inversion=_inversion(row, code, direction, file, problems),
            )
        )
    return out


def _inversion(
    row: dict[str, Any], code: str, direction: Direction, file: str, problems: list[Problem]
) -> Inversion | None:
    """An indicator's own ``inversion``, which only a ``-`` indicator may set."""
    if "inversion" not in row:
        return None
    where = f"indicators.{code}.inversion"
    try:
        inversion = Inversion(str(row["inversion"]))
    except ValueError:
        problems.append(
            Problem(
                "framework.bad_inversion",
                "inversion inconnue",
                file,
                column=where,
                value=str(row["inversion"]),
                expected=", ".join(m.value for m in Inversion),
            )
        )
        return None
    if direction is not Direction.HIGHER_IS_LESS_FRAGILE:
        problems.append(
            Problem(
                "framework.inversion_without_minus",
                "inversion sans objet : l'indicateur n'est pas de sens « - »",
                file,
                column=where,
                value=inversion.value,
            )
        )
    return inversion
