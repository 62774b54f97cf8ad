"""The index_build service: reading and validating tables, the output layout, atomic writes."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from cotera.errors import ValidationError
from cotera.index.framework import Framework
from cotera.index.presets import Preset
from cotera.services.index_build import build_index_file, read_index_table, resolve_method

FRAMEWORK = """
[framework]
name = "Fragilités (synthétique)"
id_column = "code"
missing_value = -999
[[families]]
code = "eco"
[[families]]
code = "soc"
[[indicators]]
code = "chomage"
family = "eco"
column = "taux_chomage"
[[indicators]]
code = "revenu"
family = "eco"
direction = "-"
[[indicators]]
code = "pauvrete"
family = "soc"
"""
TABLE = """code,taux_chomage,revenu,pauvrete,autre
01,7.1,21000,12.5,x
02,9.4,19500,16.0,y
03,6.2,23500,-999,z
2A,11.0,18000,19.1,w
"""


@pytest.fixture
def framework_file(tmp_path: Path) -> Path:
    path = tmp_path / "cadre.toml"
    path.write_text(FRAMEWORK, encoding="utf-8")
    return path


def test_output_layout_and_values(tmp_path: Path, framework_file: Path) -> None:
    source = tmp_path / "table.csv"
    source.write_text(TABLE, encoding="utf-8")
    out = tmp_path / "sortie" / "indice.csv"
    done = build_index_file(source, out, framework_file, draws=30, seed=2)
    frame = pl.read_csv(out, infer_schema_length=0)
    assert frame.columns == [
        "code",
        "chomage__norm",
        "chomage__flag",
        "revenu__norm",
        "revenu__flag",
        "pauvrete__norm",
        "pauvrete__flag",
        "eco__score",
        "eco__pct",
        "soc__score",
        "soc__pct",
        "overall__score",
        "overall__pct",
        "overall__rank",
        "overall__rank_p05",
        "overall__rank_p50",
        "overall__rank_p95",
    ]
    assert frame["code"].to_list() == ["01", "02", "03", "2A"]  # ids kept as text
    # unit 03 has the -999 sentinel: dropped (default recipe), empty cells in the output
    assert frame.row(2)[1:] == (None,) * 16
    # percent ranks among 01, 02, 2A: chômage 7.1 < 9.4 < 11.0; revenu reversed (direction −)
    assert frame["chomage__norm"].to_list()[:2] + frame["chomage__norm"].to_list()[3:] == [
        "0.0",
        "0.5",
        "1.0",
    ]
    assert frame["revenu__norm"].to_list()[3] == "1.0"
    assert frame["overall__rank"].to_list() == ["3", "2", None, "1"]
    assert frame["chomage__flag"].to_list() == ["0", "0", None, "1"]
    assert done.result.coverage.dropped_units == ("03",)
    assert not list(out.parent.glob("*.tmp"))


def test_semicolon_and_decimal_comma(tmp_path: Path, framework_file: Path) -> None:
    source = tmp_path / "table.csv"
    source.write_text(
        "\ufeffcode;taux_chomage;revenu;pauvrete\n01;7,1;21000;12,5\n02;9,4;19500;16\n",
        encoding="utf-8",
    )
    table = read_index_table(source, Framework.load(framework_file))
    assert table.unit_ids == ("01", "02")
    assert table.matrix[0].tolist() == [7.1, 21000.0, 12.5]


def test_every_problem_is_reported_and_nothing_written(
    tmp_path: Path, framework_file: Path
) -> None:
    source = tmp_path / "table.csv"
    source.write_text(
        "code,taux_chomage,revenu,pauvrete\n01,7.1,abc,12\n01,8,20000,n/a\n,1,2,3\n",
        encoding="utf-8",
    )
    out = tmp_path / "indice.csv"
    with pytest.raises(ValidationError) as caught:
        build_index_file(source, out, framework_file)
    found = [(p.code, p.row, p.column, p.value) for p in caught.value.problems]
    assert found == [
        ("index.duplicate_id", 3, "code", "01"),
        ("index.empty_id", 4, "code", None),
        ("index.not_a_number", 2, "revenu", "abc"),
        ("index.not_a_number", 3, "pauvrete", "n/a"),
    ]
    assert all(p.file == str(source) for p in caught.value.problems)
    assert not out.exists()


def test_missing_columns_are_listed(tmp_path: Path, framework_file: Path) -> None:
    source = tmp_path / "table.csv"
    source.write_text("id,revenu\n01,3\n", encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        read_index_table(source, Framework.load(framework_file))
    assert [p.column for p in caught.value.problems] == ["code", "taux_chomage", "pauvrete"]


def test_method_resolution(framework_file: Path) -> None:
    framework, recipe = resolve_method(None, Preset.SVI)
    assert framework.id_column == "FIPS"
    assert recipe.decimals == 4
    framework, recipe = resolve_method(framework_file, None)
    assert recipe.decimals is None
    with pytest.raises(ValidationError, match="cadre"):
        resolve_method(None, None)
