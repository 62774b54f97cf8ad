"""The load service on both backends: real files, idempotence, bad files, bad loaders."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import polars as pl
import pytest
import sqlalchemy

from cotera.errors import ConfigurationError
from cotera.indicators.quality import DataQuality
from cotera.services.data_load import load_all
from cotera.services.indicators import territory_indicators
from cotera.services.load_guards import LoadOptions
from cotera.services.load_summary import LoadStatus
from cotera.settings import Settings
from cotera.sources.indicators import get_source
from cotera.sources.indicators.context import SourceLoad
from cotera.storage.engine import open_database
from cotera.storage.indicator_quality import read_quality
from cotera.storage.indicator_tables import IndicatorQualityRow
from cotera.types import Level
from tests.services.fingerprint import fingerprint

UNEMPLOYMENT = "indicators/regions_inegales/unemployment_insee.csv"


def _settings(database_url: str, mirror: Path, tmp_path: Path) -> Settings:
    return Settings(database_url=database_url, data_mirror=mirror, data_dir=tmp_path / "data")


def _fingerprint(database_url: str) -> dict[str, tuple[int, str]]:
    engine = open_database(database_url)
    try:
        return fingerprint(engine)
    finally:
        engine.dispose()


def test_load_is_idempotent(database_url: str, mirror: Path, tmp_path: Path) -> None:
    settings = _settings(database_url, mirror, tmp_path)
    events = []
    first = load_all(settings, only="chomage_localise", progress=events.append)
    after_first = _fingerprint(database_url)
    second = load_all(settings, only="chomage_localise")
    assert [(o.source_id, o.status) for o in first.outcomes] == [
        ("cog", LoadStatus.LOADED),
        ("chomage_localise", LoadStatus.LOADED),
    ]
    assert {o.status for o in second.outcomes} == {LoadStatus.UNCHANGED}
    assert _fingerprint(database_url) == after_first
    assert after_first["territory"][0] == 1 + 18 + 101 + 1255 + 34875
    loaded = first.outcomes[1]
    assert loaded.years == tuple(range(2012, 2022))
    assert loaded.rows == after_first["observation"][0]
    assert [(e.source_id, e.outcome is None) for e in events] == [
        ("cog", True),
        ("cog", False),
        ("chomage_localise", True),
        ("chomage_localise", False),
    ]
    assert "F01" in first.covered(Level.DEPARTEMENT)
    dep = [c for c in first.coverage if c.fragility == "F01" and c.level is Level.DEPARTEMENT]
    assert (dep[0].territories, dep[0].first_year, dep[0].last_year) == (96, 2012, 2021)


def test_load_assesses_data_quality_with_the_batch(
    database_url: str, mirror: Path, tmp_path: Path
) -> None:
    settings = _settings(database_url, mirror, tmp_path)
    load_all(settings, only="chomage_localise")
    engine = open_database(database_url)
    try:
        with engine.connect() as connection:
            stored = read_quality(connection, indicators=["unemployment_rate"])
        found = {(a.level, a.year): a for a in stored}
        # INSEE unemployment: the 96 metropolitan départements and 13 régions, no zero
        dep = found[(Level.DEPARTEMENT, 2021)]
        assert (dep.status, dep.metropolitan, dep.expected, dep.zeros) == (
            DataQuality.RELIABLE, 96, 96, 0,
        )  # fmt: skip
        assert found[(Level.REGION, 2021)].status is DataQuality.RELIABLE
        assert found[(Level.COUNTRY, 2021)].basis is Level.DEPARTEMENT
        assert len(stored) == 3 * 10  # France, régions, départements × 2012–2021
        # a database loaded before the assessments existed gets them on the next load
        with engine.begin() as connection:
            connection.execute(sqlalchemy.delete(IndicatorQualityRow))
        again = load_all(settings, only="chomage_localise")
        assert {o.status for o in again.outcomes} == {LoadStatus.UNCHANGED}
        with engine.connect() as connection:
            assert read_quality(connection, indicators=["unemployment_rate"]) == stored
    finally:
        engine.dispose()


def test_bad_file_reports_every_problem_and_writes_nothing(
    database_url: str, mirror: Path, tmp_path: Path
) -> None:
    settings = _settings(database_url, mirror, tmp_path)
    load_all(settings, only="chomage_localise")
    before = _fingerprint(database_url)
    broken = _mirror_with(mirror, tmp_path / "mirror", UNEMPLOYMENT, _corrupt_unemployment)
    summary = load_all(
        settings.model_copy(update={"data_mirror": broken}),
        "chomage_localise",
        options=LoadOptions(accept_modified=True),
    )
    failed = summary.outcomes[-1]
    assert summary.failed == (failed,)
    assert failed.status is LoadStatus.FAILED
    cells = {(p.row, p.column, p.value) for p in failed.problems}
    assert {(3, "unemployment_rate", "sept"), (5, "unemployment_rate", "1O,2")} <= cells
    assert all(p.file.endswith("unemployment_insee.csv") for p in failed.problems)
    assert _fingerprint(database_url) == before


def test_invalid_loader_output_is_rejected_with_every_problem(
    database_url: str, mirror: Path, tmp_path: Path
) -> None:
    real = get_source("chomage_localise")

    def load(source_mirror: object, context: object) -> SourceLoad:
        good = real.load(source_mirror, context)
        frame = good.observations
        bad = pl.concat(
            [
                frame,
                frame.head(1),  # duplicate
                frame.head(1).with_columns(indicator=pl.lit("no_such_indicator")),
                frame.head(1).with_columns(territory=pl.lit("dep:9999"), value=float("nan")),
                frame.head(1).with_columns(value=pl.lit(None, pl.Float64), missing_reason=None),
            ]
        )
        return SourceLoad(bad, good.files)

    fake = SimpleNamespace(SOURCE=real.SOURCE, load=load, __file__=real.__file__)
    settings = _settings(database_url, mirror, tmp_path)
    summary = load_all(settings, sources=[fake])
    codes = sorted({p.code for p in summary.outcomes[-1].problems})
    assert codes == [
        "bad_territory",
        "duplicate",
        "missing_reason",
        "not_finite",
        "unknown_indicator",
    ]
    assert _fingerprint(database_url)["observation"] == (
        0,
        _fingerprint(database_url)["observation"][1],
    )


def test_unknown_source_and_missing_mirror_are_clear_errors(tmp_path: Path, mirror: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.sqlite'}"
    with pytest.raises(ConfigurationError, match="source inconnue"):
        load_all(_settings(url, mirror, tmp_path), only="nope")
    with pytest.raises(ConfigurationError, match="COTERA_DATA_MIRROR"):
        load_all(Settings(database_url=url, data_dir=tmp_path, data_mirror=None))


def _corrupt_unemployment(text: str) -> str:
    lines = text.splitlines(keepends=True)
    lines[2] = lines[2].replace(";7.2;", ";sept;", 1)  # file row 3
    lines[4] = lines[4].split(";")[0] + ";2015;1O,2;" + lines[4].split(";", 3)[3]
    return "".join(lines)


def _mirror_with(real: Path, root: Path, relative: str, change: object) -> Path:
    """A mirror of symlinks to ``real`` with one file replaced by a changed copy."""
    for path in real.rglob("*"):
        if path.is_file():
            target = root / path.relative_to(real)
            target.parent.mkdir(parents=True, exist_ok=True)
            if path.relative_to(real).as_posix() == relative:
                assert callable(change)
                target.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
            else:
                target.symlink_to(path)
    return root


@pytest.mark.slow
def test_full_load_covers_the_sixteen_fragilities(
    database_url: str, mirror: Path, tmp_path: Path
) -> None:
    settings = _settings(database_url, mirror, tmp_path)
    summary = load_all(settings)
    assert summary.failed == ()
    assert {o.status for o in summary.outcomes} == {LoadStatus.LOADED}
    assert summary.covered(Level.DEPARTEMENT) == tuple(f"F{n:02d}" for n in range(1, 17))
    dep93 = territory_indicators(settings, "dep:93", all_years=True)
    values = {(v.indicator, v.year): v for v in dep93.values}
    assert values[("poverty_rate", 2013)].value == 27.8
    assert values[("unemployment_rate", 2021)].value == 10.9  # issue 2, INSEE file
    assert values[("poverty_rate", 2013)].parent is not None
    assert values[("poverty_rate", 2013)].france is not None
    # issue 9 §4: the load service sets each France value's perimeter; values say their
    # populations (the BPE commune rates use 2026 ones, an approximation)
    assert values[("unemployment_rate", 2021)].france_perimeter_label == "France métropolitaine"
    assert values[("gp_per_10k", 2013)].france_perimeter_label == "France entière"
    assert values[("gp_per_10k", 2009)].france_perimeter_label == "France hors Mayotte"
    assert values[("gp_per_10k", 2013)].population_note == "population 2013"
    overcrowding = values[("overcrowding_rate", 2018)]
    assert overcrowding.france_perimeter_label == ("France métropolitaine hors Lot-et-Garonne (47)")
    bihorel = territory_indicators(settings, "com:76095", year=2013)
    assert {v.missing_reason for v in bihorel.values} == {"merged_perimeter"}
    saint_denis = territory_indicators(settings, "com:93066", year=2013)
    assert {v.population_note for v in saint_denis.values} == {"population 2026 (approximation)"}
