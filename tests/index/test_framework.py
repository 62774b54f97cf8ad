"""Framework and recipe TOML parsing: valid files load, every problem is reported at once."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from cotera.errors import ValidationError
from cotera.index.presets import SVI_2020_RECIPE, Preset, preset_framework
from cotera.index.recipe import Aggregation, Normalisation, Recipe, TieRule
from cotera.sources.framework_file import read_framework
from cotera.types import Direction

VALID = """
[framework]
name = "Fragilités (synthétique)"
id_column = "code"
[recipe]
normalisation = "min_max"
aggregation = "geometric"
[[families]]
code = "eco"
weight = 2
[[families]]
code = "soc"
[[indicators]]
code = "chomage"
family = "eco"
[[indicators]]
code = "revenu"
family = "eco"
direction = "-"
column = "revenu_median"
reference = 21000
[[indicators]]
code = "pauvrete"
family = "soc"
weight = 0.5
"""


def test_valid_framework_loads(tmp_path: Path) -> None:
    path = tmp_path / "f.toml"
    path.write_text(VALID, encoding="utf-8")
    framework = read_framework(path)
    assert framework.indicator_codes == ("chomage", "revenu", "pauvrete")
    assert framework.indicators[1].direction is Direction.HIGHER_IS_LESS_FRAGILE
    assert framework.indicators[1].source_column == "revenu_median"
    assert framework.indicators[0].source_column == "chomage"
    assert framework.families[0].weight == 2.0
    assert framework.recipe == Recipe(
        normalisation=Normalisation.MIN_MAX, aggregation=Aggregation.GEOMETRIC
    )
    assert list(framework.family_index()) == [0, 0, 1]
    assert list(framework.signs()) == [1.0, -1.0, 1.0]


def test_every_problem_is_reported(tmp_path: Path) -> None:
    bad = """
[framework]
[recipe]
normalisation = "median"
colour = "red"
[[families]]
code = "eco"
[[indicators]]
code = "a"
family = "nope"
direction = "up"
weight = -1
[[indicators]]
code = "a"
family = "eco"
"""
    path = tmp_path / "bad.toml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        read_framework(path)
    codes = sorted(p.code for p in caught.value.problems)
    assert codes == [
        "framework.bad_direction",
        "framework.bad_weight",
        "framework.duplicate",
        "framework.no_id",
        "framework.unknown_family",
        "recipe.bad_choice",
        "recipe.unknown_key",
    ]
    assert all(p.file == str(path) for p in caught.value.problems)


def test_unreadable_file_is_a_validation_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text("[framework\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="illisible"):
        read_framework(path)


def test_recipe_round_trips_through_plain_data() -> None:
    recipe = Recipe(winsorise=0.05, decimals=3, reference_unit="FR", ties=TieRule.AVERAGE)
    assert Recipe.from_mapping(recipe.to_mapping()) == recipe
    assert Recipe().ties is TieRule.LOWEST  # frameworks keep PERCENTRANK.INC unless told
    assert Recipe.from_mapping({"ties": "average"}).ties is TieRule.AVERAGE
    with pytest.raises(ValidationError) as caught:
        Recipe.from_mapping({"ties": "middle"}, "cadre.toml")
    assert [(p.code, p.column, p.value) for p in caught.value.problems] == [
        ("recipe.bad_choice", "ties", "middle")
    ]
    assert tomllib.loads('normalisation = "rank"')["normalisation"] == Normalisation.RANK


def test_svi_preset_framework_has_the_2020_themes() -> None:
    framework = preset_framework(Preset.SVI)
    assert framework.recipe == SVI_2020_RECIPE
    assert framework.id_column == "FIPS"
    assert framework.missing_value == -999.0
    assert [list(framework.family_index()).count(f) for f in range(4)] == [5, 5, 1, 5]
    hburd = framework.indicators[framework.indicator_codes.index("HBURD")]
    assert hburd.source_column == "E_HBURD"
