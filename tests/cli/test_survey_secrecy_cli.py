"""``cotera survey estimate``: secrecy that holds across two outputs, and the --min-n guard."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from cotera.cli.main import app
from tests.survey.derivable import small_groups

runner = CliRunner()
REGIONS = ("11", "24", "32", "84")


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"COTERA_DATA_DIR": str(tmp_path / "data"), "COTERA_DATABASE_URL": "", "COLUMNS": "200"}


@pytest.fixture
def citizens(tmp_path: Path) -> Path:
    """The issue's reproduction: 5 respondents in 11, 20 in 24 who all left the question blank,
    100 in 32 and 240 in 84 (345 answers); weights of 1, so shares × counts are counts."""
    rows = []
    answers = {"11": (5, 4), "24": (20, None), "32": (100, 70), "84": (240, 168)}
    for region, (count, yes) in answers.items():
        for i in range(count):
            answer = "" if yes is None else ("1" if i < yes else "0")
            rows.append(f"{region}-{i},citizens,{region},{answer},1")
    path = tmp_path / "citoyens.csv"
    path.write_text("respondent_id,prism,region,innovation,weight\n" + "\n".join(rows) + "\n")
    return path


def _estimate(env: dict[str, str], data: Path, out: Path, *options: str) -> pl.DataFrame:
    command = ["survey", "estimate", str(data), "--var", "innovation", "--weight", "weight"]
    run = runner.invoke(app, [*command, *options, "--out", str(out)], env=env)
    assert run.exit_code == 0, run.output
    return pl.read_csv(out, schema_overrides={"domain": pl.Utf8, "level": pl.Utf8})


def test_an_empty_region_does_not_protect_a_small_one(
    citizens: Path, tmp_path: Path, env: dict[str, str]
) -> None:
    by_region = _estimate(env, citizens, tmp_path / "regions.csv", "--by", "region")
    overall = _estimate(env, citizens, tmp_path / "france.csv")
    yes = {r["domain"]: r for r in by_region.filter(pl.col("level") == "1").iter_rows(named=True)}
    total = overall.filter(pl.col("level") == "1").row(0, named=True)
    assert total["n"] == 345
    shown = [d for d in REGIONS if yes[d]["status"] == "published"]
    # what a reader subtracts: 345 minus the published regions, and their "yes" answers
    hidden = total["n"] - sum(yes[d]["n"] for d in shown)
    hidden_yes = total["n"] * total["estimate"] - sum(
        yes[d]["n"] * yes[d]["estimate"] for d in shown
    )
    assert hidden >= 11, f"{hidden} respondents given back ({hidden_yes:.3f} « oui »)"
    assert yes["24"]["status"] == "empty"  # no answer: shown as such, protects nothing
    counts = [5, 0, 100, 240]
    published = [[0, 1, 2, 3]] + [[REGIONS.index(d)] for d in shown]
    assert small_groups(counts, published, 11) == []


@pytest.mark.parametrize("min_n", ["5", "0", "-5"])
def test_a_threshold_below_the_legal_one_is_refused(
    citizens: Path, env: dict[str, str], min_n: str
) -> None:
    command = ["survey", "estimate", str(citizens), "--var", "innovation", "--by", "region"]
    run = runner.invoke(app, [*command, "--min-n", min_n], env=env)
    assert run.exit_code != 0
    output = " ".join(run.output.split())
    assert "seuil de secret statistique" in output
    assert ("--override-secrecy" in output) is (min_n == "5")


def test_an_override_is_printed_in_every_output(
    citizens: Path, tmp_path: Path, env: dict[str, str]
) -> None:
    out = tmp_path / "derogation.csv"
    command = ["survey", "estimate", str(citizens), "--var", "innovation", "--by", "region"]
    reason = "contrôle qualité interne, non diffusé"
    run = runner.invoke(
        app, [*command, "--min-n", "5", "--override-secrecy", reason, "--out", str(out)], env=env
    )
    assert run.exit_code == 0, run.output
    text = " ".join(run.output.split())
    assert "DÉROGATION au secret statistique : seuil abaissé à 5 répondants" in text
    assert reason in text
    frame = pl.read_csv(out, schema_overrides={"domain": pl.Utf8})
    assert frame["note"].str.contains("DÉROGATION").all()
    assert frame["note"].str.contains(reason, literal=True).all()
    assert frame.filter(pl.col("domain") == "11")["status"].to_list() == ["published"] * 2
