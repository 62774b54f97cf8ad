"""Survey files in every supported format read to the same responses."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pyreadstat
import pytest

from cotera.errors import ValidationError
from cotera.sources.survey_files import read_survey_file
from cotera.survey.questionnaire import phare_questionnaire
from cotera.survey.responses import validate_responses
from cotera.survey.synthetic import generate


@pytest.fixture
def sample() -> pl.DataFrame:
    return generate("companies", 120, 5).drop("synthetic")


def test_csv_excel_spss_stata_agree(sample: pl.DataFrame, tmp_path: Path) -> None:
    sample.write_csv(tmp_path / "w.csv", separator=";")
    sample.write_excel(tmp_path / "w.xlsx")
    pandas = sample.to_pandas()
    pyreadstat.write_sav(pandas, str(tmp_path / "w.sav"))
    pyreadstat.write_dta(pandas, str(tmp_path / "w.dta"))
    expected = validate_responses(sample, phare_questionnaire())
    for name in ("w.csv", "w.xlsx", "w.sav", "w.dta"):
        got = validate_responses(read_survey_file(tmp_path / name), phare_questionnaire())
        assert got.drop("weight").equals(expected.drop("weight")), name
        assert got["weight"].to_numpy() == pytest.approx(expected["weight"].to_numpy()), name


def test_unknown_extension(tmp_path: Path) -> None:
    path = tmp_path / "w.json"
    path.write_text("{}")
    with pytest.raises(ValidationError, match="format"):
        read_survey_file(path)
