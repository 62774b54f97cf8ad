"""French display of numbers, missing values and methods for the terminal."""

from __future__ import annotations

from cotera.indicators.model import AggregationMethod, MissingReason

MISSING_LABELS = {
    MissingReason.SECRET: "secret statistique",
    MissingReason.NOT_PUBLISHED: "non publié",
    MissingReason.SUSPECT: "douteux, écarté",
    MissingReason.NOT_COVERED: "couverture incomplète",
    MissingReason.MERGED_PERIMETER: "périmètre fusionné",
}
METHOD_LABELS = {
    AggregationMethod.SOURCE: "publiée",
    AggregationMethod.SUM: "somme",
    AggregationMethod.RATIO: "recalculée (num./dén.)",
    AggregationMethod.POPULATION_WEIGHTED: "moyenne pondérée (population)",
    AggregationMethod.APPROXIMATION: "approximation",
}
_THIN_SPACE = " "


def french_number(value: float | int | None, decimals: int | None = None) -> str:
    """``16744.64`` -> ``16 744,6``; ``None`` -> ``—``."""
    if value is None:
        return "—"
    if decimals is None:
        decimals = 0 if isinstance(value, int) else (1 if abs(value) >= 10 else 2)
    text = f"{value:,.{decimals}f}"
    return text.replace(",", _THIN_SPACE).replace(".", ",")


def missing_label(reason: str | None) -> str:
    """The French label of a missing reason."""
    try:
        return MISSING_LABELS[MissingReason(reason or "")]
    except ValueError:
        return "absent"


def method_label(method: str) -> str:
    """The French label of an aggregation method."""
    try:
        return METHOD_LABELS[AggregationMethod(method)]
    except ValueError:
        return method
