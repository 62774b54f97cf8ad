"""The recipe of the diagnostic in plain French words (the portrait's methodology appendix)."""

from __future__ import annotations

from cotera.diagnostic.sensitivity import Sensitivity
from cotera.index.perturbation import UncertaintySpec
from cotera.index.recipe import (
    Aggregation,
    MissingPolicy,
    Normalisation,
    Recipe,
    TieRule,
    Weighting,
)

_NORMALISATION = {
    Normalisation.PERCENT_RANK: "rang centile inclusif parmi les pairs (0 = le moins fragile, "
    "1 = le plus fragile)",
    Normalisation.MIN_MAX: "mise à l'échelle min–max entre les pairs",
    Normalisation.Z_SCORE: "écart à la moyenne des pairs en écarts-types (score z)",
    Normalisation.RANK: "rang simple parmi les pairs",
    Normalisation.DISTANCE_TO_REFERENCE: "écart relatif à une valeur de référence",
}
_AGGREGATION = {
    Aggregation.ARITHMETIC: "moyenne arithmétique",
    Aggregation.GEOMETRIC: "moyenne géométrique des valeurs ramenées de 1 (le plus fragile) à "
    "100 (le moins fragile), retranchée de 101 : une forte fragilité n'est pas compensée par "
    "l'absence des autres",
    Aggregation.SUM_THEN_RERANK: "somme puis nouveau classement en rangs centiles (méthode SVI)",
}
_WEIGHTING = {
    Weighting.PER_FAMILY: "chaque fragilité compte autant, ses indicateurs se partageant son poids",
    Weighting.EQUAL: "chaque indicateur compte autant",
    Weighting.USER: "poids fixés par l'utilisateur",
}
_MISSING = {
    MissingPolicy.IGNORE_INDICATOR: "un indicateur manquant est ignoré dans la moyenne ; "
    "un territoire sans aucune valeur n'est pas classé",
    MissingPolicy.MEAN_IMPUTE: "une valeur manquante est remplacée par la moyenne des pairs",
    MissingPolicy.DROP_UNIT: "un territoire avec une valeur manquante n'est pas classé",
    MissingPolicy.PER_INDICATOR: "chaque indicateur est classé parmi les territoires qui le "
    "renseignent ; un territoire sans l'un d'eux n'a ni score pour sa fragilité ni rang global",
}


_TIES = {
    TieRule.AVERAGE: "des territoires à égalité partagent le rang du milieu de leur bloc "
    "(rang moyen) : trois territoires à égalité derrière dix plus fragiles occupent les rangs "
    "11 à 13 et reçoivent tous le rang 12, ce qui place le bloc au même endroit que l'on compte "
    "depuis le plus fragile ou depuis le moins fragile (rang et centile concordent) ; la phrase "
    "dit « ex aequo avec 2 autres … sur les rangs 11 à 13, rang moyen 12 »",
    TieRule.LOWEST: "des territoires à égalité partagent le rang le plus bas de leur bloc "
    "(convention du SVI et d'Excel RANG.POURCENTAGE.INCLURE)",
}


_SHORT_NORMALISATION = {
    Normalisation.PERCENT_RANK: "rang centile",
    Normalisation.MIN_MAX: "min–max",
    Normalisation.Z_SCORE: "score z",
    Normalisation.RANK: "rang",
    Normalisation.DISTANCE_TO_REFERENCE: "écart à la référence",
}
_SHORT_AGGREGATION = {
    Aggregation.ARITHMETIC: "arithmétique",
    Aggregation.GEOMETRIC: "géométrique",
    Aggregation.SUM_THEN_RERANK: "somme puis rang",
}


def describe_uncertainty(spec: UncertaintySpec, draws: int, seed: int | None) -> str:
    """What the Monte Carlo varied, in words."""
    varied = [
        "la normalisation ("
        + ", ".join(_SHORT_NORMALISATION[n] for n in spec.normalisations)
        + ")",
        "l'agrégation (" + ", ".join(_SHORT_AGGREGATION[a] for a in spec.aggregations) + ")",
        f"les poids (±{round(spec.weight_spread * 100)} %)",
    ]
    if spec.drop_indicator:
        varied.append("l'omission d'un indicateur")
    graine = f" (graine {seed})" if seed is not None else ""
    return (
        f"Incertitude : {draws} tirages Monte Carlo{graine} qui font varier "
        + ", ".join(varied[:-1])
        + f" et {varied[-1]} ; l'intervalle va du 5e au 95e centile des rangs obtenus. "
        "Une fragilité mesurée par un seul indicateur a un rang qui ne dépend pas de la méthode."
    )


def describe_sensitivity(sensitivity: Sensitivity | None) -> str:
    """Which choice drives the variance of the overall rank, in words."""
    if sensitivity is None:
        return "Sensibilité : aucun choix de méthode ne change le rang global des pairs."
    graine = f", graine {sensitivity.seed}" if sensitivity.seed is not None else ""
    return (
        f"Sensibilité (indices de Sobol du rang global, {sensitivity.evaluations} "
        f"évaluations{graine}) : {sensitivity.reading[0].lower()}{sensitivity.reading[1:]}"
    )


def describe_recipe(
    recipe: Recipe,
    draws: int,
    seed: int | None,
    spec: UncertaintySpec,
    sensitivity: Sensitivity | None = None,
) -> tuple[str, ...]:
    """One sentence per step of the recipe, then the uncertainty and sensitivity analyses."""
    lines = [
        "Chaque indicateur est orienté vers la fragilité (une valeur plus élevée signale plus de "
        "fragilité pour les indicateurs « + », moins pour les indicateurs « − »).",
        f"Normalisation : {_NORMALISATION[recipe.normalisation]}.",
        f"Ex aequo : {_TIES[recipe.ties]}.",
        f"Agrégation : {_AGGREGATION[recipe.aggregation]} des indicateurs d'une fragilité, "
        "puis des fragilités d'une famille et de toutes les fragilités pour l'indice global.",
        f"Pondération : {_WEIGHTING[recipe.weighting]}.",
        f"Données manquantes : {_MISSING[recipe.missing]}.",
        "Rang : 1 = le territoire le plus fragile ; centile : part des pairs moins fragiles "
        "(100 = le plus fragile).",
    ]
    if draws > 0:
        lines.append(describe_uncertainty(spec, draws, seed))
        lines.append(describe_sensitivity(sensitivity))
    else:
        lines.append("Incertitude : non évaluée (aucun tirage).")
    return tuple(lines)
