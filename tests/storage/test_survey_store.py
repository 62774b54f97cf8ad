"""Survey waves on SQLite and PostgreSQL: idempotent, transactional, read back intact."""

from __future__ import annotations

import polars as pl
import pytest
import sqlalchemy

from cotera.errors import StorageError
from cotera.storage.survey_store import list_waves, read_responses, store_wave
from cotera.survey.questionnaire import phare_questionnaire
from cotera.survey.responses import validate_responses
from cotera.survey.synthetic import generate


def _responses(n: int = 300, seed: int = 1) -> pl.DataFrame:
    return validate_responses(generate("associations", n, seed), phare_questionnaire())


def _store(engine: sqlalchemy.Engine, frame: pl.DataFrame, name: str, key: str):  # type: ignore[no-untyped-def]
    return store_wave(
        engine,
        frame,
        name=name,
        prism="associations",
        questionnaire_version="x",
        file_name=f"{name}.csv",
        content_sha256=key,
        synthetic=True,
    )


def test_round_trip_and_idempotence(engine: sqlalchemy.Engine) -> None:
    frame = _responses()
    wave, created = _store(engine, frame, "A", "a" * 64)
    assert created
    again, created_again = _store(engine, frame, "A bis", "a" * 64)
    assert not created_again
    assert again.id == wave.id
    assert [w.name for w in list_waves(engine)] == ["A"]
    back = read_responses(engine, wave)
    assert back.select(frame.columns).equals(frame)


def test_failed_import_writes_nothing(
    engine: sqlalchemy.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    _store(engine, _responses(), "A", "a" * 64)
    monkeypatch.setattr("cotera.storage.survey_store.INSERT_CHUNK", 50)
    # the last chunk violates NOT NULL after the wave and earlier chunks were inserted
    broken = _responses(seed=2).with_columns(
        pl.when(pl.int_range(pl.len()) == 299)
        .then(None)
        .otherwise(pl.col("respondent_id"))
        .alias("respondent_id")
    )
    with pytest.raises(StorageError):
        _store(engine, broken, "B", "b" * 64)
    assert len(list_waves(engine)) == 1
    with engine.connect() as connection:
        count = connection.exec_driver_sql("SELECT COUNT(*) FROM survey_response").scalar()
    assert count == 300


def test_migration_0002_matches_the_models(engine: sqlalchemy.Engine) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from cotera.storage.base import Base

    with engine.connect() as connection:
        diffs = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    mine = [d for d in diffs if "survey_" in repr(d)]
    assert mine == []
