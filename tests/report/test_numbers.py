from __future__ import annotations

import math

from cotera.report.numbers import NARROW_NBSP, format_number, format_share, format_value


def test_french_number_format() -> None:
    assert format_number(16744.6) == f"16{NARROW_NBSP}744,6"
    assert format_number(1234567.891, 2) == f"1{NARROW_NBSP}234{NARROW_NBSP}567,89"
    assert format_number(-0.5, 0) == "-0"
    assert format_number(27.8) == "27,8"
    assert format_number(None) == "–"
    assert format_number(math.nan) == "–"


def test_values_with_units() -> None:
    assert format_value(27.8, "%") == f"27,8{NARROW_NBSP}%"
    assert format_value(16744.6, "€") == f"16{NARROW_NBSP}745\u00a0€"
    assert format_value(3.456, "") == "3,5"
    assert format_value(0.456, "") == "0,46"
    assert format_value(None, "%") == "–"


def test_shares_as_french_percentages() -> None:
    assert format_share(0.385) == f"38,5{NARROW_NBSP}%"
    assert format_share(1.0, 0) == f"100{NARROW_NBSP}%"
    assert format_share(None) == "–"
    assert format_share(math.nan) == "–"
