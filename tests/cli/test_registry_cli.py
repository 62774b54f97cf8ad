"""``cotera registry …`` and ``cotera match`` end to end on an SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from cotera.cli.main import app
from cotera.storage.engine import open_database
from cotera.storage.territory_store import replace_territories
from tests.services.diagnostic_db import synthetic_database
from tests.sources.registers.layouts import rna_row, write_rna
from tests.storage.samples import TERRITORIES

runner = CliRunner()


def test_registry_commands(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cotera.sqlite'}"
    engine = open_database(url)
    with engine.begin() as connection:
        replace_territories(connection, TERRITORIES)
    engine.dispose()
    env = {"COTERA_DATABASE_URL": url, "COTERA_DATA_DIR": str(tmp_path)}
    rna = write_rna(tmp_path / "rna.csv", [rna_row("W931000001", "Emploi Solidaire", "93066")])
    run = runner.invoke(app, ["registry", "import", "rna", str(rna)], env=env)
    assert run.exit_code == 0, run.output
    assert "1 créé(s)" in run.output
    run = runner.invoke(app, ["registry", "import", "rna", str(rna)], env=env)
    assert "déjà importé" in run.output
    bad = write_rna(tmp_path / "bad.csv", [rna_row("X1", "", "93066")])
    run = runner.invoke(app, ["registry", "import", "rna", str(bad)], env=env)
    assert run.exit_code == 1
    assert "rna_invalide" not in run.output  # French messages, not codes
    assert "numéro RNA invalide" in run.output
    assert "titre vide" in run.output
    run = runner.invoke(
        app, ["registry", "synth", "--associations", "300", "--partnerships", "200",
              "--companies", "100", "--seed", "2"], env=env,
    )  # fmt: skip
    assert run.exit_code == 0, run.output
    assert "synthétiques" in run.output
    run = runner.invoke(app, ["registry", "barometer", "--by", "kind", "--format", "json"], env=env)
    assert run.exit_code == 0, run.output
    kinds = {row["kind"] for row in json.loads(run.output)}
    assert {"association", "company"} <= kinds
    run = runner.invoke(app, ["match", "1", "--top", "3", "--format", "json"], env=env)
    assert run.exit_code == 0, run.output
    payload = json.loads(run.output)
    assert all(s["explanation"] for s in payload["suggestions"])
    assert payload["priorities"]["source"] == "none"  # no indicator loaded
    run = runner.invoke(app, ["registry", "pioneers", "dep:93", "--priorities", "F01"], env=env)
    assert run.exit_code == 0, run.output
    assert "Partenariats pionniers — Seine-Saint-Denis" in run.output
    assert "Fragilités prioritaires : F01 — indiquées par l'utilisateur" in run.output
    run = runner.invoke(app, ["match", "--territory", "dep:93", "--fragility", "F04"], env=env)
    assert run.exit_code == 0, run.output
    assert "aucun indicateur chargé" in run.output
    assert "suite sans priorités" in run.output


def test_priorities_come_from_the_diagnostic_by_default(tmp_path: Path) -> None:
    """Hand-made indicators (synthétique): dep:93 is the most fragile on F03 and F04."""
    url = f"sqlite:///{tmp_path / 'synth.sqlite'}"
    synthetic_database(url)
    env = {"COTERA_DATABASE_URL": url, "COTERA_DATA_DIR": str(tmp_path)}
    run = runner.invoke(app, ["registry", "pioneers", "dep:93"], env=env)
    assert run.exit_code == 0, run.output
    assert "Fragilités prioritaires : F03, F04 — diagnostic de dep:93 (2021)" in run.output
    assert "Aucun partenariat enregistré" in run.output
    run = runner.invoke(app, ["registry", "pioneers", "dep:93", "--priorities", "F16"], env=env)
    assert "Fragilités prioritaires : F16 — indiquées par l'utilisateur" in run.output
