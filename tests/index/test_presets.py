"""The packaged SVI frameworks: variables and themes of each release, and their rules.

Variables per theme as published in each release's data dictionary (the EPL_/SPL_ columns of
the county files): 2014–2018 have 15 variables with per-capita income (PCI) in theme 1 and
LIMENG in theme 3; 2020 and 2022 have 16, with POV150, HBURD and UNINSUR in theme 1, LIMENG in
theme 2 and MINRTY alone in theme 3.
"""

from __future__ import annotations

import pytest

from cotera.index.presets import SVI_2020_RECIPE, Preset, preset_framework, preset_recipe
from cotera.index.recipe import (
    Aggregation,
    Inversion,
    MissingPolicy,
    Normalisation,
    Rounding,
    Weighting,
)
from cotera.types import Direction

THEMES_2014 = [
    ["POV", "UNEMP", "PCI", "NOHSDP"],
    ["AGE65", "AGE17", "DISABL", "SNGPNT"],
    ["MINRTY", "LIMENG"],
    ["MUNIT", "MOBILE", "CROWD", "NOVEH", "GROUPQ"],
]
THEMES_2020 = [
    ["POV150", "UNEMP", "HBURD", "NOHSDP", "UNINSUR"],
    ["AGE65", "AGE17", "DISABL", "SNGPNT", "LIMENG"],
    ["MINRTY"],
    ["MUNIT", "MOBILE", "CROWD", "NOVEH", "GROUPQ"],
]
RELEASES = {
    Preset.SVI2014: (THEMES_2014, Rounding.OUTPUT),
    Preset.SVI2016: (THEMES_2014, Rounding.OUTPUT),
    Preset.SVI2018: (THEMES_2014, Rounding.EACH_STEP),
    Preset.SVI2020: (THEMES_2020, Rounding.EACH_STEP),
    Preset.SVI2022: (THEMES_2020, Rounding.EACH_STEP),
}


@pytest.mark.parametrize("preset", list(RELEASES))
def test_each_release_has_its_themes_and_rules(preset: Preset) -> None:
    themes, rounding = RELEASES[preset]
    framework = preset_framework(preset)
    assert framework.id_column == "FIPS"
    assert framework.missing_value == -999.0
    family = framework.family_index()
    assert [
        [i.code for i, f in zip(framework.indicators, family, strict=True) if f == theme]
        for theme in range(4)
    ] == themes
    recipe = preset_recipe(preset)
    assert recipe == framework.recipe
    assert recipe.missing is MissingPolicy.PER_INDICATOR
    assert recipe.normalisation is Normalisation.PERCENT_RANK
    assert recipe.weighting is Weighting.EQUAL
    assert recipe.aggregation is Aggregation.SUM_THEN_RERANK
    assert (recipe.decimals, recipe.flag_threshold, recipe.rounding) == (4, 0.9, rounding)
    inverted = [i for i in framework.indicators if i.direction is Direction.HIGHER_IS_LESS_FRAGILE]
    if themes is THEMES_2014:
        assert [(i.code, i.inversion) for i in inverted] == [("PCI", Inversion.COMPLEMENT)]
    else:
        assert inverted == []


def test_svi_is_svi2020() -> None:
    assert preset_framework(Preset.SVI) == preset_framework(Preset.SVI2020)
    assert preset_recipe(Preset.SVI) == SVI_2020_RECIPE
    hburd = {i.code: i.source_column for i in preset_framework(Preset.SVI).indicators}["HBURD"]
    assert hburd == "E_HBURD"  # the 2020 quirk; 2022 ranks EP_HBURD
    hburd_2022 = {i.code: i.source_column for i in preset_framework(Preset.SVI2022).indicators}
    assert hburd_2022["HBURD"] == "EP_HBURD"
