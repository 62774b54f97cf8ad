"""Issue 10 §2: CSV and Excel outputs never carry a cell a spreadsheet would run as a formula."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from typer.testing import CliRunner

from cotera.cli.main import app
from cotera.report.outputs import csv_text, json_text, write_table
from tests.cli.test_index_cli import FRAMEWORK

runner = CliRunner()
ATTACK = "=cmd|' /C calc'!A0"


def test_rake_out_neutralises_formula_cells(tmp_path: Path) -> None:
    data = tmp_path / "d.csv"
    data.write_text(f"sex,name\nF,{ATTACK}\nM,+SUM(A1)\nF,-2.5\nM,@x\n", encoding="utf-8")
    margins = tmp_path / "m.csv"
    margins.write_text("variable,level,total\nsex,F,10\nsex,M,10\n", encoding="utf-8")
    out = tmp_path / "raked.csv"
    env = {"COTERA_DATA_DIR": str(tmp_path / "data"), "COTERA_DATABASE_URL": ""}
    run = runner.invoke(
        app, ["survey", "rake", str(data), "--margins", str(margins), "--out", str(out)], env=env
    )
    assert run.exit_code == 0, run.output
    names = pl.read_csv(out, infer_schema=False)["name"].to_list()
    assert names == ["'" + ATTACK, "'+SUM(A1)", "-2.5", "'@x"]


def test_index_build_out_neutralises_formula_cells(tmp_path: Path) -> None:
    framework = tmp_path / "cadre.toml"
    framework.write_text(FRAMEWORK, encoding="utf-8")
    source = tmp_path / "table.csv"
    rows = [f"{i:02d},{(7 * i) % 11},{(5 * i) % 13},{(3 * i) % 7}" for i in range(1, 30)]
    rows.append(f'"{ATTACK}",1,2,3')
    source.write_text("code,chomage,revenu,pauvrete\n" + "\n".join(rows) + "\n", "utf-8")
    out = tmp_path / "missing-folder" / "indice.csv"
    args = ["index", "build", str(source), "--framework", str(framework), "--out", str(out)]
    run = runner.invoke(app, args)
    assert run.exit_code == 0, run.output
    assert ATTACK not in pl.read_csv(out, infer_schema=False)["code"].to_list()
    assert "'" + ATTACK in pl.read_csv(out, infer_schema=False)["code"].to_list()


def test_table_writers_neutralise_csv_excel_and_stdout(tmp_path: Path) -> None:
    frame = pl.DataFrame({"name": [ATTACK, "ok", None], "value": [1.0, -2.0, None]})
    assert "'" + ATTACK.replace('"', '""') in csv_text(frame)
    excel = write_table(frame, tmp_path / "t.xlsx")
    read = pl.read_excel(excel)
    assert read["name"].to_list()[:2] == ["'" + ATTACK, "ok"]
    assert read["value"].to_list()[:2] == [1.0, -2.0]


def test_json_output_is_always_valid_json() -> None:
    text = json_text({"money": float("nan"), "rows": [float("inf"), 1.5]})
    assert "NaN" not in text
    assert "Infinity" not in text
    assert '"money": null' in text
