"""Territory and indicator services on both backends, over a small synthetic (synthétique) base.

Expected figures are computed by hand in the tests from the synthetic inputs.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
import sqlalchemy

from cotera.errors import DataUnavailableError, NotFoundError, ValidationError
from cotera.indicators.model import IndicatorKind
from cotera.services.indicators import territory_indicators
from cotera.services.territories import (
    create_custom_territory,
    delete_custom_territory,
    list_custom_territories,
    show_territory,
)
from cotera.settings import Settings
from cotera.storage.batch_store import open_batch
from cotera.storage.indicator_store import SourceRecord, replace_source_data, save_source
from cotera.storage.territory_store import replace_territories
from cotera.types import Level
from tests.storage.samples import TERRITORIES, observations, spec

SOURCE = SourceRecord("demo", "Démo synthétique", "Demo", "Cotera", "LO 2.0", "https://e.org")


@pytest.fixture
def settings(engine: sqlalchemy.Engine, database_url: str, tmp_path: Path) -> Settings:
    """Settings on a base holding the sample territories and synthetic observations."""
    rate = spec("demo_rate")
    count = spec("demo_count", "F08", kind=IndicatorKind.COUNT)
    frame = observations(
        [
            ("demo_rate", "dep:93", 2013, 27.8),
            ("demo_rate", "dep:93", 2014, None),
            ("demo_rate", "dep:75", 2013, 16.0),
            ("demo_rate", "reg:11", 2013, 15.4),
            ("demo_rate", "fr", 2013, 14.5),
            ("demo_count", "com:93066", 2013, 4.0),
            ("demo_count", "com:75056", 2013, 10.0),
            ("demo_count", "dep:93", 2013, 40.0),
        ]
    )
    with engine.begin() as connection:
        replace_territories(connection, TERRITORIES)
        save_source(connection, SOURCE)
        batch = open_batch(connection, "demo", "0" * 64, "1", frame.height)
        replace_source_data(connection, "demo", [rate, count], frame, batch)
    return Settings(database_url=database_url, data_dir=tmp_path)


def test_show_by_name_and_code(settings: Settings) -> None:
    view = show_territory(settings, "seine saint denis")
    assert str(view.territory.code) == "dep:93"
    assert [str(p.code) for p in view.parents] == ["reg:11", "fr"]
    assert dict(view.children) == {Level.EPCI: 1, Level.COMMUNE: 1}
    assert show_territory(settings, "com:75056").territory.name == "Paris"
    with pytest.raises(NotFoundError):
        show_territory(settings, "dep:01")


def test_empty_database_says_to_load(database_url: str, tmp_path: Path) -> None:
    with pytest.raises(DataUnavailableError, match="cotera data load"):
        show_territory(Settings(database_url=database_url, data_dir=tmp_path), "dep:93")


def test_indicators_latest_year_with_france_and_parent(settings: Settings) -> None:
    result = territory_indicators(settings, "dep:93")
    assert result.parent is not None
    assert str(result.parent.code) == "reg:11"
    rows = {(v.indicator, v.year): v for v in result.values}
    assert set(rows) == {("demo_rate", 2013), ("demo_count", 2013)}  # 2014 has no value
    rate = rows[("demo_rate", 2013)]
    assert (rate.value, rate.parent, rate.france) == (27.8, 15.4, 14.5)
    assert (rate.fragility, rate.fragility_label, rate.source_label) == (
        "F04",
        "Pauvreté / lutte contre l'exclusion",
        "Démo synthétique",
    )


def test_indicators_year_filter_and_all_years(settings: Settings) -> None:
    only_2014 = territory_indicators(settings, "dep:93", year=2014)
    assert [(v.indicator, v.value, v.missing_reason) for v in only_2014.values] == [
        ("demo_rate", None, "secret")
    ]
    every = territory_indicators(settings, "dep:93", all_years=True)
    assert sorted((v.indicator, v.year) for v in every.values) == [
        ("demo_count", 2013),
        ("demo_rate", 2013),
        ("demo_rate", 2014),
    ]
    frame = every.to_frame()
    assert frame.height == 3
    assert frame.schema["value"] == pl.Float64


def test_commune_compares_with_its_departement(settings: Settings) -> None:
    result = territory_indicators(settings, "com:93066")
    assert result.parent is not None
    assert str(result.parent.code) == "dep:93"
    [count] = result.values
    assert (count.value, count.parent, count.france) == (4.0, 40.0, None)


def test_custom_territory_lifecycle_and_aggregation(settings: Settings) -> None:
    view = create_custom_territory(settings, "Duo", " Deux communes ", ["com:93066", "com:75056"])
    assert str(view.territory.code) == "custom:duo"
    assert view.territory.name == "Deux communes"
    assert [v.territory.name for v in list_custom_territories(settings)] == ["Deux communes"]
    result = territory_indicators(settings, "custom:duo")
    [count] = result.values  # demo_rate has no commune values: only the count is computable
    assert (count.indicator, count.value, count.method) == ("demo_count", 14.0, "sum")
    assert count.basis == "2 membre(s)"
    delete_custom_territory(settings, "duo")
    assert list_custom_territories(settings) == []
    with pytest.raises(NotFoundError):
        delete_custom_territory(settings, "duo")


def test_custom_territory_of_departements_uses_population_weights(settings: Settings) -> None:
    with pytest.raises(ValidationError) as caught:  # by name, "Paris" is dep:75: given twice
        create_custom_territory(settings, "x", "X", ["dep:75", "paris"])
    assert [p.code for p in caught.value.problems] == ["duplicate_member"]
    create_custom_territory(settings, "est", "Est", ["dep:93", "dep:75"])
    [rate] = [
        v for v in territory_indicators(settings, "custom:est").values if v.indicator == "demo_rate"
    ]
    # populations 200 (dep:93) and 300 (dep:75): (27.8 * 200 + 16.0 * 300) / 500
    assert rate.value == pytest.approx((27.8 * 200 + 16.0 * 300) / 500)
    assert rate.method == "population_weighted"


def test_custom_territory_reports_every_bad_member(settings: Settings) -> None:
    with pytest.raises(ValidationError) as caught:
        create_custom_territory(settings, "bad", "Bad", ["dep:01", "nowhere", "com:93066"])
    assert [p.value for p in caught.value.problems] == ["dep:01", "nowhere"]
    with pytest.raises(ValidationError) as overlap:
        create_custom_territory(settings, "over", "Over", ["dep:93", "com:93066"])
    assert [p.code for p in overlap.value.problems] == ["overlapping_members"]
    assert list_custom_territories(settings) == []
