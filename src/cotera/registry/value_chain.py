"""The territorial value chain: what each kind brings and seeks, and kind complementarity."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt

from cotera.errors import ConfigurationError
from cotera.registry.model import OrganizationKind

KIND_ORDER: tuple[OrganizationKind, ...] = tuple(OrganizationKind)


@dataclass(frozen=True, slots=True)
class ValueChain:
    """Brings / seeks per kind and a symmetric complementarity matrix in ``KIND_ORDER``."""

    brings: dict[OrganizationKind, str]
    seeks: dict[OrganizationKind, str]
    matrix: tuple[tuple[float, ...], ...]

    def complementarity(self, a: OrganizationKind, b: OrganizationKind) -> float:
        """How complementary two kinds are, from 0 to 1."""
        return self.matrix[KIND_ORDER.index(a)][KIND_ORDER.index(b)]

    def row(self, kind: OrganizationKind) -> npt.NDArray[np.float64]:
        """Complementarity of ``kind`` with every kind, as an array in ``KIND_ORDER``."""
        return np.array(self.matrix[KIND_ORDER.index(kind)], dtype=np.float64)

    def explain(self, seeker: OrganizationKind, partner: OrganizationKind) -> str:
        """A French sentence on why the two kinds fit (from the deck's brings / seeks)."""
        return (
            f"{partner.label()} apporte {self.brings[partner]} ; "
            f"{seeker.label()} apporte {self.brings[seeker]}"
        )


def parse_value_chain(raw: dict[str, Any]) -> ValueChain:
    """Validate the parsed TOML and build the value chain."""
    kinds = raw["kind"]
    missing = [k.value for k in KIND_ORDER if k.value not in kinds]
    if missing:
        raise ConfigurationError(f"value_chain.toml : acteurs manquants {missing}")
    default = float(raw["default"])
    size = len(KIND_ORDER)
    matrix = [[default] * size for _ in range(size)]
    for pair in raw["pair"]:
        a, b = (KIND_ORDER.index(OrganizationKind(k)) for k in pair["kinds"])
        score = float(pair["score"])
        if not 0.0 <= score <= 1.0:
            raise ConfigurationError(f"value_chain.toml : score hors de [0, 1] pour {pair}")
        matrix[a][b] = matrix[b][a] = score
    return ValueChain(
        brings={k: str(kinds[k.value]["brings"]) for k in KIND_ORDER},
        seeks={k: str(kinds[k.value]["seeks"]) for k in KIND_ORDER},
        matrix=tuple(tuple(row) for row in matrix),
    )


@cache
def value_chain() -> ValueChain:
    """The packaged value chain (cached)."""
    text = resources.files("cotera.registry").joinpath("data/value_chain.toml").read_text("utf-8")
    return parse_value_chain(tomllib.loads(text))
