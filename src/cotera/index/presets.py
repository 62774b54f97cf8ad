"""Named presets: a packaged framework and the recipe that reproduces a published index."""

from __future__ import annotations

import tomllib
from enum import StrEnum
from importlib import resources

from cotera.index.framework import Framework
from cotera.index.recipe import Recipe


class Preset(StrEnum):
    """Published index methods the engine reproduces (``frameworks/<file>.toml``)."""

    SVI = "svi"
    """CDC/ATSDR Social Vulnerability Index 2020 (the same as SVI2020, kept for compatibility)."""
    SVI2014 = "svi2014"
    """SVI 2014: 15 variables, per-capita income inverted by complement, rounding at output."""
    SVI2016 = "svi2016"
    """SVI 2016: the variables and rules of 2014."""
    SVI2018 = "svi2018"
    """SVI 2018: the variables of 2014, rounding at each step."""
    SVI2020 = "svi2020"
    """SVI 2020: 16 variables in the new themes, rounding at each step."""
    SVI2022 = "svi2022"
    """SVI 2022: the themes and rules of 2020."""

    @property
    def file(self) -> str:
        """The packaged framework file of the preset."""
        return "svi2020.toml" if self is Preset.SVI else f"{self.value}.toml"


def preset_framework(preset: Preset) -> Framework:
    """The packaged framework of a preset, with its ``[recipe]``."""
    name = preset.file
    text = resources.files("cotera.index").joinpath("frameworks", name).read_text("utf-8")
    return Framework.from_mapping(tomllib.loads(text), f"cotera/index/frameworks/{name}")


def preset_recipe(preset: Preset) -> Recipe:
    """The recipe of a preset: its framework file's ``[recipe]`` table."""
    recipe = preset_framework(preset).recipe
    if recipe is None:  # every packaged framework has one (tests/index/test_presets.py)
        raise ValueError(f"{preset.file} has no [recipe] table")
    return recipe


SVI_2020_RECIPE = preset_recipe(Preset.SVI)
"""SVI 2020: PERCENTRANK.INC per variable over the units that have it, rounded to 4 decimals at
each step, sums re-ranked, flags at ≥ 0.90 (the ``[recipe]`` of ``svi2020.toml``)."""
