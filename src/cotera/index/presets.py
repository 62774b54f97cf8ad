"""Named presets: a packaged framework and the recipe that reproduces a published index."""

from __future__ import annotations

import tomllib
from enum import StrEnum
from importlib import resources

from cotera.index.framework import Framework
from cotera.index.recipe import Aggregation, MissingPolicy, Normalisation, Recipe, Weighting


class Preset(StrEnum):
    """Published index methods the engine reproduces."""

    SVI = "svi"
    """CDC/ATSDR Social Vulnerability Index 2020."""


SVI_2020_RECIPE = Recipe(
    missing=MissingPolicy.DROP_UNIT,
    normalisation=Normalisation.PERCENT_RANK,
    weighting=Weighting.EQUAL,
    aggregation=Aggregation.SUM_THEN_RERANK,
    flag_threshold=0.90,
    decimals=4,
)
"""SVI 2020: PERCENTRANK.INC rounded to 4 decimals, sums re-ranked, flags at ≥ 0.90."""


def preset_recipe(preset: Preset) -> Recipe:
    """The recipe of a preset."""
    return {Preset.SVI: SVI_2020_RECIPE}[preset]


def preset_framework(preset: Preset) -> Framework:
    """The packaged framework of a preset (``frameworks/<name>.toml``)."""
    name = {Preset.SVI: "svi2020.toml"}[preset]
    text = resources.files("cotera.index").joinpath("frameworks", name).read_text("utf-8")
    return Framework.from_mapping(tomllib.loads(text), f"cotera/index/frameworks/{name}")
