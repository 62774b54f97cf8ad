"""Objective fragility percentiles of the regions for the synthetic samples (synthétique).

In ``diagnostic_db`` (no region-level indicator worth ranking) the five départements rank on
poverty (F04, higher is more fragile): 93 (28 %) 1, 75 (16 %) 0.75, 03 (15 %) 0.5, 07 (14 %)
0.25, 01 (10 %) 0 — so région 84 (01, 03, 07) averages 0.25 and région 11 (75, 93) 0.875.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cotera.services.survey_regions import regional_variation
from cotera.settings import Settings
from tests.services.diagnostic_db import synthetic_database


def test_percentiles_from_the_departements_diagnostics(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'synth.sqlite'}"
    synthetic_database(url)
    variation = regional_variation(Settings(database_url=url, data_dir=tmp_path))
    assert variation.percentiles is not None
    assert set(variation.percentiles) == {"84", "11"}
    assert variation.percentiles["84"]["F04"] == pytest.approx(0.25)
    assert variation.percentiles["11"]["F04"] == pytest.approx(0.875)
    assert "variation régionale liée aux percentiles" in variation.note
    assert "2 régions sur 13" in variation.note


def test_no_indicators_means_no_regional_variation(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'empty.sqlite'}", data_dir=tmp_path)
    variation = regional_variation(settings)
    assert variation.percentiles is None
    assert variation.note.startswith("sans variation régionale")
