"""Store and read survey waves: idempotent (content hash) and transactional imports.

One wave import at a time (import lock of source ``survey``); the content hash is checked
again inside the lock, so two imports of one file store it once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import polars as pl
from sqlalchemy import Connection, Engine, RowMapping, delete, insert, select
from sqlalchemy.exc import SQLAlchemyError

from cotera.errors import NotFoundError, StorageError, ValidationError
from cotera.storage.import_lock import import_lock
from cotera.storage.survey_tables import TEXT_COLUMNS, SurveyWaveRow, survey_response
from cotera.storage.transactions import write_transaction
from cotera.storage.value_checks import frame_problems

INSERT_CHUNK = 20_000
SURVEY_SOURCE = "survey"


@dataclass(frozen=True, slots=True)
class Wave:
    """A stored survey wave."""

    id: int
    name: str
    prism: str
    questionnaire_version: str
    file_name: str
    content_sha256: str
    imported_at: datetime
    rows: int
    synthetic: bool


def _wave(values: RowMapping) -> Wave:
    imported = values["imported_at"]
    if imported.tzinfo is None:  # SQLite stores naive datetimes
        imported = imported.replace(tzinfo=UTC)
    return Wave(
        id=values["id"],
        name=values["name"],
        prism=values["prism"],
        questionnaire_version=values["questionnaire_version"],
        file_name=values["file_name"],
        content_sha256=values["content_sha256"],
        imported_at=imported,
        rows=values["rows"],
        synthetic=bool(values["synthetic"]),
    )


WAVES = SurveyWaveRow.__table__


def find_wave_by_hash(engine: Engine, content_sha256: str) -> Wave | None:
    """The wave already imported from this content, if any."""
    with engine.connect() as connection:
        return _by_hash(connection, content_sha256)


def _by_hash(connection: Connection, content_sha256: str) -> Wave | None:
    row = connection.execute(select(WAVES).where(WAVES.c.content_sha256 == content_sha256)).first()
    return None if row is None else _wave(row._mapping)


def store_wave(
    engine: Engine,
    responses: pl.DataFrame,
    *,
    name: str,
    prism: str,
    questionnaire_version: str,
    file_name: str,
    content_sha256: str,
    synthetic: bool,
) -> tuple[Wave, bool]:
    """Insert a wave and all its rows in one transaction; ``(wave, created)``.

    Importing the same content again returns the existing wave and writes nothing.
    """
    existing = find_wave_by_hash(engine, content_sha256)
    if existing is not None:
        return existing, False
    columns = [c for c in TEXT_COLUMNS if c in responses.columns]
    frame = responses.select(
        pl.int_range(1, responses.height + 1, dtype=pl.Int32).alias("row_number"),
        *(pl.col(c).cast(pl.Utf8).alias(c.lower()) for c in columns),
        pl.col("weight").cast(pl.Float64)
        if "weight" in responses.columns
        else pl.lit(None, dtype=pl.Float64).alias("weight"),
    )
    problems = frame_problems(survey_response, frame.drop("row_number"), file_name)
    if problems:
        raise ValidationError(f"{file_name} : valeurs refusées, rien n'a été écrit", problems)
    try:
        with import_lock(engine, SURVEY_SOURCE), write_transaction(engine) as connection:
            stored = _by_hash(connection, content_sha256)  # imported meanwhile
            if stored is not None:
                return stored, False
            wave_id = connection.execute(
                insert(SurveyWaveRow).returning(SurveyWaveRow.id),
                {
                    "name": name,
                    "prism": prism,
                    "questionnaire_version": questionnaire_version,
                    "file_name": file_name,
                    "content_sha256": content_sha256,
                    "imported_at": datetime.now(UTC),
                    "rows": responses.height,
                    "synthetic": synthetic,
                },
            ).scalar_one()
            for chunk in frame.iter_slices(INSERT_CHUNK):
                records = chunk.with_columns(pl.lit(wave_id).alias("wave_id")).to_dicts()
                connection.execute(insert(survey_response), records)
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or type(exc).__name__).splitlines()[0]
        raise StorageError(f"enregistrement de la vague {name!r} impossible : {reason}") from exc
    wave = find_wave_by_hash(engine, content_sha256)
    assert wave is not None
    return wave, True


def list_waves(engine: Engine) -> tuple[Wave, ...]:
    """Every stored wave, oldest first."""
    with engine.connect() as connection:
        rows = connection.execute(select(WAVES).order_by(WAVES.c.id)).all()
    return tuple(_wave(r._mapping) for r in rows)


def get_wave(engine: Engine, name: str) -> Wave:
    """The wave called ``name``."""
    for wave in list_waves(engine):
        if wave.name == name:
            return wave
    raise NotFoundError(f"vague inconnue : {name!r}")


def read_responses(engine: Engine, wave: Wave) -> pl.DataFrame:
    """The responses of a wave, columns named as in the questionnaire, in file order."""
    query = (
        select(survey_response)
        .where(survey_response.c.wave_id == wave.id)
        .order_by(survey_response.c.row_number)
    )
    with engine.connect() as connection:
        result = connection.execute(query)
        names = list(result.keys())
        rows = result.all()
    schema = {
        n: (
            pl.Float64 if n == "weight" else pl.Int64 if n in ("wave_id", "row_number") else pl.Utf8
        )
        for n in names
    }
    frame = pl.DataFrame(rows, schema=schema, orient="row")
    rename = {c.lower(): c for c in TEXT_COLUMNS}
    return frame.drop("wave_id", "row_number").rename(rename)


def delete_wave(engine: Engine, wave: Wave) -> None:
    """Remove a wave and its responses."""
    with write_transaction(engine) as connection:
        connection.execute(delete(survey_response).where(survey_response.c.wave_id == wave.id))
        connection.execute(delete(SurveyWaveRow).where(SurveyWaveRow.id == wave.id))
