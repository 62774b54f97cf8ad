"""The index_build service: reading and validating tables, the output layout, atomic writes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from cotera.errors import ValidationError
from cotera.index.presets import Preset
from cotera.services.index_build import build_index_file, read_index_table, resolve_method
from cotera.sources.framework_file import read_framework

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
    table = read_index_table(source, read_framework(framework_file))
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
        read_index_table(source, read_framework(framework_file))
    assert [p.column for p in caught.value.problems] == ["code", "taux_chomage", "pauvrete"]


def test_method_resolution(framework_file: Path) -> None:
    framework, recipe = resolve_method(None, Preset.SVI)
    assert framework.id_column == "FIPS"
    assert recipe.decimals == 4
    framework, recipe = resolve_method(None, Preset.SVI2018)
    assert "PCI" in framework.indicator_codes
    assert recipe == framework.recipe
    framework, recipe = resolve_method(framework_file, None)
    assert recipe.decimals is None
    with pytest.raises(ValidationError, match="cadre"):
        resolve_method(None, None)


def _random_table(path: Path, n: int = 25) -> None:
    """A synthetic table whose indicators disagree, so the method changes the ranks."""
    rng = np.random.default_rng(3)
    rows = [
        f"{i:02d},{rng.uniform(4, 15):.2f},{rng.uniform(15000, 30000):.0f},{rng.uniform(5, 25):.2f}"
        for i in range(n)
    ]
    path.write_text("code,taux_chomage,revenu,pauvrete\n" + "\n".join(rows) + "\n", "utf-8")


def test_sensitivity_indices_are_written_per_choice(tmp_path: Path, framework_file: Path) -> None:
    source = tmp_path / "table.csv"
    _random_table(source)
    out, indices_out = tmp_path / "indice.csv", tmp_path / "sensibilite.csv"
    done = build_index_file(
        source,
        out,
        framework_file,
        seed=4,
        sensitivity_evaluations=600,
        sensitivity_out=indices_out,
    )
    assert done.sensitivity is not None
    frame = pl.read_csv(indices_out)
    assert frame["factor"].to_list() == [
        "normalisation",
        "aggregation",
        "weights",
        "dropped_indicator",
    ]
    assert frame["label_fr"].to_list()[1] == "agrégation"
    for column in ("first_order", "total"):
        assert frame[column].is_between(0.0, 1.0).all()
    # with 100 base draws the estimator noise is a few hundredths (docs/index.md)
    assert (frame["total"] >= frame["first_order"] - 0.1).all()
    assert frame["first_order"].sum() <= 1.1
    # seeded: the same indices again
    again = build_index_file(source, out, framework_file, seed=4, sensitivity_evaluations=600)
    assert again.sensitivity == done.sensitivity


def test_sensitivity_without_any_varying_rank_is_an_error(
    tmp_path: Path, framework_file: Path
) -> None:
    source = tmp_path / "table.csv"
    # every indicator orders the units the same way: no choice of method changes the ranks
    source.write_text(
        "code,taux_chomage,revenu,pauvrete\n01,5,30000,5\n02,6,25000,9\n03,9,20000,14\n",
        encoding="utf-8",
    )
    indices_out = tmp_path / "sensibilite.csv"
    with pytest.raises(ValidationError) as caught:
        build_index_file(
            source,
            tmp_path / "indice.csv",
            framework_file,
            sensitivity_evaluations=60,
            sensitivity_out=indices_out,
        )
    assert caught.value.problems[0].code == "index.sensitivity"
    assert not indices_out.exists()
