"""Composite fragility index engine (pure numpy): framework → recipe → build → uncertainty.

Typical use on a territories × indicators matrix::

    from cotera.index import Framework, Recipe, build, uncertainty, sensitivity
    result = build(framework, Recipe(), matrix, unit_ids)
    spread = uncertainty(result, 1000, seed=1)
"""

from cotera.index.engine import IndexResult, build, rebuild
from cotera.index.framework import Family, Framework, Indicator
from cotera.index.perturbation import UncertaintySpec
from cotera.index.presets import Preset, preset_framework, preset_recipe
from cotera.index.recipe import (
    Aggregation,
    Inversion,
    MissingPolicy,
    Normalisation,
    Recipe,
    Rounding,
    Weighting,
)
from cotera.index.sensitivity import Factor, SensitivityResult, sensitivity
from cotera.index.uncertainty import UncertaintyResult, uncertainty

__all__ = [
    "Aggregation",
    "Factor",
    "Family",
    "Framework",
    "IndexResult",
    "Indicator",
    "Inversion",
    "MissingPolicy",
    "Normalisation",
    "Preset",
    "Recipe",
    "Rounding",
    "SensitivityResult",
    "UncertaintyResult",
    "UncertaintySpec",
    "Weighting",
    "build",
    "preset_framework",
    "preset_recipe",
    "rebuild",
    "sensitivity",
    "uncertainty",
]
