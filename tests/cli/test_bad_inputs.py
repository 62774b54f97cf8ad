"""Issue 10 §2: every importer and command fed the bad-input corpus answers in French.

For each case: exit code 1 (2 for a usage error), a French message naming the file, no
traceback, and — for commands that write — every table of the database unchanged, on SQLite
and PostgreSQL.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
import sqlalchemy
from typer.testing import CliRunner

from cotera.cli.main import app
from cotera.storage.base import Base
from cotera.storage.engine import open_database
from cotera.storage.territory_store import replace_territories
from tests.fixtures.bad_inputs import Case, write_corpus
from tests.services.test_data_load import UNEMPLOYMENT, _mirror_with
from tests.sources.registers.layouts import rna_row, write_rna
from tests.storage.samples import TERRITORIES

runner = CliRunner()


def _case_list() -> list[Case]:
    folder = Path(tempfile.mkdtemp(prefix="cotera-corpus-"))
    try:
        return write_corpus(folder)
    finally:
        shutil.rmtree(folder)


CASES = _case_list()
FRENCH = ("Erreur", "Échec", "illisible", "invalide", "refusé", "impossible")


def dump(url: str) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, in a stable order."""
    engine = open_database(url)
    try:
        with engine.connect() as connection:
            return {
                table.name: sorted(
                    (tuple(row) for row in connection.execute(sqlalchemy.select(table))), key=repr
                )
                for table in Base.metadata.sorted_tables
            }
    finally:
        engine.dispose()


@pytest.fixture
def env(database_url: str, tmp_path: Path) -> dict[str, str]:
    """A database with territories, six associations and a custom territory."""
    engine = open_database(database_url)
    with engine.begin() as connection:
        replace_territories(connection, TERRITORIES)
    engine.dispose()
    env = {"COTERA_DATABASE_URL": database_url, "COTERA_DATA_DIR": str(tmp_path / "data"),
           "COLUMNS": "200"}  # fmt: skip
    rows = [rna_row(f"W93100{i:04d}", f"Association {i}", "93066") for i in range(6)]
    good = write_rna(tmp_path / "rna_good.csv", rows)
    assert runner.invoke(app, ["registry", "import", "rna", str(good)], env=env).exit_code == 0
    create = ["territory", "create", "est", "--name", "Est", "--members", "com:93066"]
    assert runner.invoke(app, create, env=env).exit_code == 0
    return env


def assert_clear_failure(run: object, case: Case) -> None:
    """Exit 1 (2: usage), a French message naming the file, and no traceback."""
    output = getattr(run, "output", "")
    exception = getattr(run, "exception", None)
    assert exception is None or isinstance(exception, SystemExit), (case.name, repr(exception))
    assert getattr(run, "exit_code", None) in (1, 2), (case.name, output)
    assert "Traceback" not in output, (case.name, output)
    assert any(word in output for word in FRENCH), (case.name, output)
    assert case.file.removeprefix("custom:") in output or case.file in output, (case.name, output)


@pytest.mark.parametrize("name", [c.name for c in CASES if c.writes])
def test_importers_refuse_bad_files_and_write_nothing(
    name: str, env: dict[str, str], database_url: str, tmp_path: Path
) -> None:
    case = next(c for c in write_corpus(tmp_path / "corpus") if c.name == name)
    before = dump(database_url)
    run = runner.invoke(app, list(case.args), env=env)
    assert_clear_failure(run, case)
    assert dump(database_url) == before


@pytest.mark.parametrize("name", [c.name for c in CASES if not c.writes])
def test_readers_refuse_bad_files_in_french(name: str, tmp_path: Path) -> None:
    case = next(c for c in write_corpus(tmp_path / "corpus") if c.name == name)
    env = {"COTERA_DATA_DIR": str(tmp_path / "data"), "COTERA_DATABASE_URL": "", "COLUMNS": "200"}
    run = runner.invoke(app, list(case.args), env=env)
    assert_clear_failure(run, case)


def test_territory_list_survives_a_name_with_markup(env: dict[str, str]) -> None:
    create = ["territory", "create", "crochets", "--name", "Quartier [/] [bold]nord",
              "--members", "com:93066"]  # fmt: skip
    assert runner.invoke(app, create, env=env).exit_code == 0
    listing = runner.invoke(app, ["territory", "list"], env=env)
    assert listing.exit_code == 0, listing.output
    assert "Quartier [/] [bold]nord" in listing.output


def test_data_load_of_a_damaged_mirror_changes_nothing(
    database_url: str, mirror: Path, tmp_path: Path
) -> None:
    env = {"COTERA_DATABASE_URL": database_url, "COTERA_DATA_DIR": str(tmp_path / "data"),
           "COLUMNS": "200"}  # fmt: skip
    load = ["data", "load", "--only", "chomage_localise"]
    assert runner.invoke(app, [*load, "--mirror", str(mirror)], env=env).exit_code == 0
    before = dump(database_url)
    damaged = _mirror_with(mirror, tmp_path / "m", UNEMPLOYMENT, lambda t: t[: len(t) // 2 - 3])
    case = Case("data_load", (), Path(UNEMPLOYMENT).name, True)
    for flags in ((), ("--accept-modified",), ("--accept-modified", "--allow-shrink")):
        run = runner.invoke(app, [*load, "--mirror", str(damaged), *flags], env=env)
        assert_clear_failure(run, case)
        assert dump(database_url) == before
