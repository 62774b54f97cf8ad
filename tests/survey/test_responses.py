"""Column mapping and validation of survey responses: every problem, with row and column."""

from __future__ import annotations

import polars as pl
import pytest

from cotera.errors import ValidationError
from cotera.survey.questionnaire import Prism, phare_questionnaire
from cotera.survey.responses import parse_mapping, validate_responses
from cotera.survey.synthetic import generate


def test_synthetic_sample_is_valid() -> None:
    frame = validate_responses(generate("citizens", 200, 1), phare_questionnaire())
    assert frame.height == 200
    assert frame["prism"].unique().to_list() == ["citizens"]
    assert frame["weight"].dtype == pl.Float64


def test_mapping_renames_and_recodes() -> None:
    raw = pl.DataFrame(
        {
            "ID": ["a", "b"],
            "REG": ["11", "24"],
            "TAILLE": ["0-9", "250+"],
            "SECT": ["trade", "services"],
            "PART": ["Oui", "Non, mais intention"],
            "Q1": [4.0, 1.0],
        }
    )
    mapping = parse_mapping(
        {
            "prism": "companies",
            "columns": {
                "respondent_id": "ID",
                "region": "REG",
                "size_band": "TAILLE",
                "sector": "SECT",
                "partnership": "PART",
                "impact_F01": "Q1",
            },
            "values": {"partnership": {"Oui": "has", "Non, mais intention": "intends"}},
        },
        phare_questionnaire(),
    )
    frame = validate_responses(raw, phare_questionnaire(), mapping)
    assert frame["partnership"].to_list() == ["has", "intends"]
    assert frame["impact_F01"].to_list() == ["4", "1"]
    assert frame["prism"].to_list() == ["companies", "companies"]


def test_every_problem_is_reported_with_row_and_column() -> None:
    raw = pl.DataFrame(
        {
            "respondent_id": ["a", "a", "c"],
            "region": ["11", "99", None],
            "size_band": ["0-9", "0-9", "0-9"],
            "sector": ["trade", "trade", "farming"],
            "impact_F02": ["5", "3", ""],
            "weight": ["1", "-2", "x"],
        }
    )
    with pytest.raises(ValidationError) as caught:
        validate_responses(raw, phare_questionnaire(), prism=Prism.COMPANIES, file="f.csv")
    found = {(p.code, p.row, p.column) for p in caught.value.problems}
    assert found == {
        ("bad-id", 2, "respondent_id"),
        ("bad-id", 3, "respondent_id"),
        ("bad-value", 3, "region"),
        ("bad-value", 4, "region"),
        ("bad-value", 4, "sector"),
        ("bad-value", 2, "impact_F02"),
        ("bad-weight", 3, "weight"),
        ("bad-weight", 4, "weight"),
    }
    problem = next(p for p in caught.value.problems if p.column == "sector")
    assert problem.value == "farming"
    assert problem.expected is not None
    assert "services" in problem.expected


def test_unknown_mapping_entries() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_mapping({"prism": "martians", "columns": {"nope": "X"}}, phare_questionnaire())
    assert {p.code for p in caught.value.problems} == {"unknown-variable", "bad-prism"}
