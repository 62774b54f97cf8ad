"""``cotera registry experiment add|list`` and ``organisation fragilities`` on an SQLite file."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from cotera.actor import Actor
from cotera.cli.main import app
from cotera.storage.engine import open_database
from cotera.storage.registry_store import add_organization, get_organization
from cotera.storage.territory_store import replace_territories
from tests.services.test_registry_experiments import GOOD, ORGANIZATIONS
from tests.storage.samples import TERRITORIES

runner = CliRunner()


def test_experiment_and_fragility_commands(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cotera.sqlite'}"
    engine = open_database(url)
    with engine.begin() as connection:
        replace_territories(connection, TERRITORIES)
        for organization in ORGANIZATIONS:
            add_organization(connection, organization, Actor.system("test"))
    env = {"COTERA_DATABASE_URL": url, "COTERA_DATA_DIR": str(tmp_path)}
    run = runner.invoke(app, ["registry", "experiment", "list"], env=env)
    assert "Aucune expérimentation" in run.output
    path = tmp_path / "exp.toml"
    path.write_text(GOOD, encoding="utf-8")
    run = runner.invoke(app, ["registry", "experiment", "add", "--file", str(path)], env=env)
    assert run.exit_code == 0, run.output
    run = runner.invoke(app, ["registry", "experiment", "list", "--territory", "dep:93"], env=env)
    assert run.exit_code == 0, run.output
    assert "#1 Insertion par le sport — dep:93" in run.output
    assert "co-construire les solutions (en cours)" in run.output
    assert "membres (2) : acteur public, université" in run.output
    path.write_text(GOOD.replace("F01", "F99"), encoding="utf-8")
    run = runner.invoke(app, ["registry", "experiment", "add", "--file", str(path)], env=env)
    assert run.exit_code == 1
    assert "fragilité inconnue : 'F99'" in run.output
    args = ["registry", "organisation", "fragilities", "3", "--set", "F01,F04"]
    run = runner.invoke(app, args, env=env)
    assert run.exit_code == 0, run.output
    assert "Sport Dans la Ville : fragilités F01, F04." in run.output
    with engine.connect() as connection:
        assert get_organization(connection, 3).fragilities == {"F01", "F04"}
    engine.dispose()
