"""Data-quality assessments stored with their batch, on both backends (synthétique)."""

from __future__ import annotations

import sqlalchemy

from cotera.indicators.quality import DataQuality, QualityAssessment, QualityReason
from cotera.storage.batch_store import open_batch
from cotera.storage.indicator_quality import quality_is_current, read_quality, replace_quality
from cotera.storage.indicator_store import SourceRecord, replace_source_data, save_source
from cotera.types import Level
from tests.storage.samples import observations, spec

SOURCE = SourceRecord("demo", "Démo", "Demo", "Cotera", "Licence Ouverte 2.0", "https://x.org")
EPN = QualityAssessment(
    "demo_a", Level.EPCI, 2013, DataQuality.NOT_COMPARABLE,
    (QualityReason.MOSTLY_ZEROS, QualityReason.CONCENTRATED), 1255, 1232, 1232, 909,
    "reg:53", "Bretagne", 245 / 925, 0.0505,
)  # fmt: skip
FRANCE = QualityAssessment(
    "demo_a", Level.COUNTRY, 2013, DataQuality.RELIABLE, (), 96, 96, 96, 0, basis=Level.DEPARTEMENT
)


def _load(engine: sqlalchemy.Engine) -> int:
    with engine.begin() as connection:
        save_source(connection, SOURCE)
        batch = open_batch(connection, "demo", "ab" * 32, "1", 1)
        replace_source_data(
            connection, "demo", [spec("demo_a")], observations([("demo_a", "dep:93", 2013, 1.0)]),
            batch,
        )  # fmt: skip
    return batch


def test_assessments_round_trip_and_go_with_their_source(engine: sqlalchemy.Engine) -> None:
    batch = _load(engine)
    with engine.connect() as connection:
        assert not quality_is_current(connection, "demo", batch)  # none stored yet
    with engine.begin() as connection:
        assert replace_quality(connection, "demo", [EPN, FRANCE], batch) == 2
    with engine.connect() as connection:
        assert read_quality(connection) == [EPN, FRANCE]
        assert read_quality(connection, levels=[Level.EPCI]) == [EPN]
        assert read_quality(connection, indicators=["other"]) == []
        assert quality_is_current(connection, "demo", batch)
        assert not quality_is_current(connection, "demo", batch + 1)
    # reloading the source drops its assessments with its observations
    second = _load(engine)
    with engine.connect() as connection:
        assert read_quality(connection) == []
        assert not quality_is_current(connection, "demo", second)
