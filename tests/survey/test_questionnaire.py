"""The packaged PHARE-like questionnaire."""

from __future__ import annotations

import pytest

from cotera.errors import ConfigurationError
from cotera.survey.questionnaire import (
    Prism,
    VariableKind,
    parse_questionnaire,
    phare_questionnaire,
)


def test_sixteen_impact_questions_on_a_four_point_scale() -> None:
    questionnaire = phare_questionnaire()
    impacts = questionnaire.impact_questions()
    assert [q.fragility for q in impacts] == [f"F{i:02d}" for i in range(1, 17)]
    assert all(q.scale is not None and q.scale.codes() == ("1", "2", "3", "4") for q in impacts)
    assert impacts[0].scale is not None
    assert impacts[0].scale.strong == ("3", "4")
    assert questionnaire.impact_column("f01") == "impact_F01"


def test_prisms_design_and_secrecy_thresholds() -> None:
    questionnaire = phare_questionnaire()
    assert questionnaire.prism(Prism.CITIZENS).min_respondents == 11
    assert questionnaire.prism(Prism.COMPANIES).min_respondents == 3
    assert questionnaire.prism(Prism.ASSOCIATIONS).min_respondents == 3
    names = {v.name for v in questionnaire.columns_for(Prism.COMPANIES)}
    assert {"size_band", "sector", "partnership", "innovation", "weight"} <= names
    assert "sex" not in names
    partnership = questionnaire.variable("partnership")
    assert partnership.kind is VariableKind.QUESTION
    assert partnership.scale is not None
    assert partnership.scale.codes() == ("has", "intends", "none")


def test_unknown_scale_is_rejected() -> None:
    raw = {
        "version": "x",
        "scale": [],
        "variable": [
            {"name": "q", "kind": "question", "scale": "nope", "label_fr": "", "label_en": ""}
        ],
        "prism": [],
    }
    with pytest.raises(ConfigurationError, match="échelle inconnue"):
        parse_questionnaire(raw)
