"""The CLI records the OS account that runs it, whatever USER / LOGNAME say."""

from __future__ import annotations

import os
import pwd
from pathlib import Path
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from cotera.actor import Actor, ActorKind
from cotera.cli.context import cli_actor
from cotera.cli.main import app
from cotera.storage.engine import open_database
from cotera.storage.registry_store import add_organization, audit_entries
from cotera.storage.territory_store import replace_territories
from tests.services.test_registry_experiments import ORGANIZATIONS
from tests.storage.samples import TERRITORIES

ACCOUNT = pwd.getpwuid(os.getuid()).pw_name


def test_the_actor_is_the_os_account_not_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "mallory")
    monkeypatch.setenv("LOGNAME", "mallory")
    assert cli_actor() == Actor(ActorKind.CLI, ACCOUNT)


def test_an_account_name_that_is_not_a_valid_identity_falls_back_to_the_uid(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pwd, "getpwuid", lambda uid: SimpleNamespace(pw_name="x" * 150))
    assert cli_actor() == Actor(ActorKind.CLI, f"uid-{os.getuid()}")


def test_an_edit_from_the_cli_is_audited_under_the_os_account(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cotera.sqlite'}"
    engine = open_database(url)
    with engine.begin() as connection:
        replace_territories(connection, TERRITORIES)
        for organization in ORGANIZATIONS:
            add_organization(connection, organization, Actor.system("test"))
    env = {"COTERA_DATABASE_URL": url, "COTERA_DATA_DIR": str(tmp_path), "USER": "a" * 150,
           "LOGNAME": "a" * 150}  # fmt: skip
    args = ["registry", "organisation", "fragilities", "3", "--set", "F01"]
    run = CliRunner().invoke(app, args, env=env)
    assert run.exit_code == 0, run.output
    with engine.connect() as connection:
        assert audit_entries(connection, "organization", 3)[-1]["actor"] == f"cli:{ACCOUNT}"
    engine.dispose()
