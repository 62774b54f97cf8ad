"""``cotera survey``: synth → rake → estimate, import / list / compare on a temporary database."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from cotera.cli.main import app
from cotera.survey.questionnaire import phare_questionnaire
from tests.services.diagnostic_db import synthetic_database

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"COTERA_DATA_DIR": str(tmp_path / "data"), "COTERA_DATABASE_URL": "", "COLUMNS": "200"}


def test_synth_rake_estimate(tmp_path: Path, env: dict[str, str]) -> None:
    data = tmp_path / "companies.csv"
    run = runner.invoke(
        app,
        [
            "survey",
            "synth",
            "--prism",
            "companies",
            "--n",
            "3000",
            "--seed",
            "4",
            "--out",
            str(data),
        ],
        env=env,
    )
    assert run.exit_code == 0, run.output
    assert "données synthétiques" in run.output
    margins = tmp_path / "margins.csv"
    margins.write_text(
        "variable,level,total\nsize_band,0-9,820\nsize_band,10-49,140\n"
        "size_band,50-249,30\nsize_band,250+,10\n"
    )
    raked = tmp_path / "raked.csv"
    run = runner.invoke(
        app, ["survey", "rake", str(data), "--margins", str(margins), "--out", str(raked)], env=env
    )
    assert run.exit_code == 0, run.output
    assert "convergé" in run.output
    frame = pl.read_csv(raked)
    assert frame["weight"].sum() == pytest.approx(1000.0)
    out = tmp_path / "est.csv"
    run = runner.invoke(
        app,
        [
            "survey",
            "estimate",
            str(raked),
            "--weight",
            "weight",
            "--var",
            "partnership",
            "--by",
            "region",
            "--min-n",
            "250",
            "--out",
            str(out),
        ],
        env=env,
    )
    assert run.exit_code == 0, run.output
    est = pl.read_csv(out, schema_overrides={"domain": pl.Utf8})
    assert est.columns[:8] == [
        "domain",
        "level",
        "estimate",
        "se",
        "ci_low",
        "ci_high",
        "n",
        "deff",
    ]
    assert set(est["note"]) == {"données synthétiques"}
    hidden = est.filter(pl.col("status") != "published")
    # Corsica (94) is far below 250 respondents; a second region is hidden with it
    assert "94" in hidden["domain"].to_list()
    assert hidden["domain"].n_unique() >= 2
    assert hidden["estimate"].is_null().all()


def test_synth_follows_the_diagnostic_when_indicators_are_loaded(
    tmp_path: Path, env: dict[str, str]
) -> None:
    url = f"sqlite:///{tmp_path / 'synth.sqlite'}"
    synthetic_database(url)  # région 11 is more fragile than 84 on poverty (F04)
    data = tmp_path / "citizens.csv"
    synth = ["survey", "synth", "--prism", "citizens", "--n", "20000", "--seed", "1"]
    run = runner.invoke(app, [*synth, "--out", str(data)], env={**env, "COTERA_DATABASE_URL": url})
    assert run.exit_code == 0, run.output
    assert "variation régionale liée aux percentiles de fragilité objectifs" in run.output
    question = next(
        q.name for q in phare_questionnaire().impact_questions() if q.fragility == "F04"
    )
    frame = pl.read_csv(data, schema_overrides={"region": pl.Utf8, question: pl.Utf8})
    strong = frame.group_by("region").agg(pl.col(question).is_in(["3", "4"]).mean())
    share = dict(strong.iter_rows())
    assert share["11"] > share["84"] + 0.05
    flat = runner.invoke(app, [*synth, "--out", str(tmp_path / "flat.csv")], env=env)
    assert flat.exit_code == 0, flat.output
    assert "sans variation régionale" in flat.output


def test_rake_reports_every_margin_problem(tmp_path: Path, env: dict[str, str]) -> None:
    data = tmp_path / "d.csv"
    data.write_text("sex,age\nF,a\nM,b\nX,a\n")
    margins = tmp_path / "m.csv"
    margins.write_text("variable,level,total\nsex,F,10\nsex,M,10\nage,a,5\nage,b,5\nage,c,5\n")
    run = runner.invoke(
        app,
        ["survey", "rake", str(data), "--margins", str(margins), "--out", str(tmp_path / "o.csv")],
        env=env,
    )
    assert run.exit_code == 1
    assert not (tmp_path / "o.csv").exists()
    assert "'X'" in run.output  # level present in the sample but not in the margins
    assert "'c'" in run.output  # margin level absent from the sample
    assert "diffère" in run.output  # inconsistent totals


def test_import_list_compare(tmp_path: Path, env: dict[str, str]) -> None:
    for seed in (1, 2):
        path = tmp_path / f"w{seed}.csv"
        runner.invoke(
            app,
            [
                "survey",
                "synth",
                "--prism",
                "associations",
                "--n",
                "1500",
                "--seed",
                str(seed),
                "--out",
                str(path),
            ],
            env=env,
        )
        run = runner.invoke(
            app, ["survey", "import", str(path), "--name", f"vague {seed}"], env=env
        )
        assert run.exit_code == 0, run.output
    again = runner.invoke(
        app, ["survey", "import", str(tmp_path / "w1.csv"), "--name", "W2"], env=env
    )
    assert again.exit_code == 0, again.output
    said = " ".join(again.output.split())
    assert "déjà enregistré sous la vague 'vague 1'" in said
    assert "même empreinte SHA-256" in said
    assert "Rien n'a été écrit ; la vague 'W2' n'a pas été créée" in said
    assert "importez un fichier de réponses différent" in said
    listing = runner.invoke(app, ["survey", "list"], env=env)
    assert "vague 1" in listing.output
    assert "vague 2" in listing.output
    assert "W2" not in listing.output
    out = tmp_path / "diff.csv"
    run = runner.invoke(
        app,
        ["survey", "compare", "vague 1", "vague 2", "--var", "partnership", "--out", str(out)],
        env=env,
    )
    assert run.exit_code == 0, run.output
    assert "données synthétiques" in run.output
    written = pl.read_csv(out)
    assert written["level"].to_list() == ["has", "intends", "none"]
    assert set(written["note"]) == {"données synthétiques"}


def test_import_rejects_invalid_file(tmp_path: Path, env: dict[str, str]) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "respondent_id,prism,region,size_band,sector\n1,companies,11,0-9,trade\n"
        "2,companies,99,huge,trade\n"
    )
    run = runner.invoke(app, ["survey", "import", str(path)], env=env)
    assert run.exit_code == 1
    assert "ligne 3" in run.output
    listing = runner.invoke(app, ["survey", "list"], env=env)
    assert "bad" not in listing.output


def test_crossread_of_three_stored_prisms(tmp_path: Path, env: dict[str, str]) -> None:
    for prism in ("citizens", "companies", "associations"):
        path = tmp_path / f"{prism}.csv"
        runner.invoke(
            app,
            ["survey", "synth", "--prism", prism, "--n", "2000", "--seed", "3", "--out", str(path)],
            env=env,
        )
        runner.invoke(app, ["survey", "import", str(path), "--name", prism], env=env)
    objective = tmp_path / "objective.csv"
    objective.write_text("fragility,percentile\nF01,0.9\nF14,0.1\n")
    run = runner.invoke(
        app,
        [
            "survey",
            "crossread",
            "--wave",
            "citizens=citizens",
            "--wave",
            "companies=companies",
            "--wave",
            "associations=associations",
            "--objective",
            str(objective),
        ],
        env=env,
    )
    assert run.exit_code == 0, run.output
    # employment (49 % strong impact in every prism) is the shared priority
    line = next(line for line in run.output.splitlines() if "F01" in line)
    assert "priorité partagée" in line
    assert "données synthétiques" in run.output
    single = runner.invoke(app, ["survey", "crossread", "--wave", "companies=companies"], env=env)
    assert single.exit_code == 0, single.output
    assert "données synthétiques : vagues companies" in single.output
    assert "priorité partagée" not in single.output
