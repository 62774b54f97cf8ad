"""``cotera indicators``: the empty-table message says whether anything is loaded at all.

Synthetic (synthétique) base: sample territories, one indicator on dep:93 only.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy
from typer.testing import CliRunner

from cotera.cli.main import app
from cotera.storage.batch_store import open_batch
from cotera.storage.indicator_store import SourceRecord, replace_source_data, save_source
from cotera.storage.territory_store import replace_territories
from tests.storage.samples import TERRITORIES, observations, spec

SOURCE = SourceRecord("demo", "Démo synthétique", "Demo", "Cotera", "LO 2.0", "https://e.org")


def _env(database_url: str, tmp_path: Path) -> dict[str, str]:
    return {"COTERA_DATABASE_URL": database_url, "COTERA_DATA_DIR": str(tmp_path)}


def _run(env: dict[str, str], *args: str) -> str:
    result = CliRunner().invoke(app, ["indicators", *args], env=env)
    assert result.exit_code == 0, result.output
    return result.output


def test_nothing_loaded_says_to_load(
    engine: sqlalchemy.Engine, database_url: str, tmp_path: Path
) -> None:
    with engine.begin() as connection:
        replace_territories(connection, TERRITORIES)  # territories only: no indicator loaded
    output = _run(_env(database_url, tmp_path), "epci:200054781")
    assert "Aucune valeur chargée (lancez « cotera data load »)" in output


def test_territory_without_values_suggests_parent_and_communes(
    engine: sqlalchemy.Engine, database_url: str, tmp_path: Path
) -> None:
    frame = observations([("demo_rate", "dep:93", 2013, 27.8)])
    with engine.begin() as connection:
        replace_territories(connection, TERRITORIES)
        save_source(connection, SOURCE)
        batch = open_batch(connection, "demo", "0" * 64, "1", frame.height)
        replace_source_data(connection, "demo", [spec("demo_rate")], frame, batch)
    env = _env(database_url, tmp_path)
    output = _run(env, "epci:200054781")
    assert "cotera data load" not in output
    assert "Aucune valeur publiée pour Métropole du Grand Paris (epci:200054781)" in output
    assert "Territoire parent : cotera indicators dep:75" in output
    assert "--members epci:200054781" in output
    with_year = _run(env, "dep:93", "--year", "2020")
    assert "(dep:93) en 2020" in with_year
    assert "Sans --year : cotera indicators dep:93" in with_year
    assert "27,8" in _run(env, "dep:93")


def test_every_missing_reason_has_a_french_label() -> None:
    from cotera.cli.formatting import MISSING_LABELS, missing_label
    from cotera.indicators.model import MissingReason

    assert set(MISSING_LABELS) == set(MissingReason)
    assert missing_label("merged_perimeter") == "périmètre fusionné"
