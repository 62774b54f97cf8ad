"""Co-construction compass: maturity path, value chain, socio-economic model, dispositif, brakes.

Pure domain (no I/O beyond the packaged referential): :func:`build_compass` turns a validated
answer sheet, the territory's facts and an optional budget into a :class:`Compass`;
:func:`compass_to_data` gives it as JSON-ready data and :func:`render_text` as French text.
"""

from cotera.compass.answers import parse_answer_sheet
from cotera.compass.budget import Budget, BudgetEntry, build_budget
from cotera.compass.export import compass_to_data
from cotera.compass.facts import CompassFacts, FactOrigin, FactValue, merge_facts
from cotera.compass.loader import compass_referential, load_referential
from cotera.compass.render import render_text
from cotera.compass.roadmap import Compass, build_compass
from cotera.compass.sheet import AnswerSheet

__all__ = [
    "AnswerSheet",
    "Budget",
    "BudgetEntry",
    "Compass",
    "CompassFacts",
    "FactOrigin",
    "FactValue",
    "build_budget",
    "build_compass",
    "compass_referential",
    "compass_to_data",
    "load_referential",
    "merge_facts",
    "parse_answer_sheet",
    "render_text",
]
