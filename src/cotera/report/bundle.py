"""The offline JavaScript bundle (Vega, Vega-Lite, vega-embed) shipped by vl-convert-python."""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

import vl_convert

from cotera.report.outputs import finite

_SCRIPT_END = re.compile(r"</script", re.IGNORECASE)
_GLOBALS = "window.vegaEmbed = vegaEmbed; window.vega = vega; window.vegaLite = vegaLite;"


@cache
def offline_bundle() -> str:
    """The bundle as one inline-safe script (defines ``vegaEmbed``, ``vega``, ``vegaLite``)."""
    return script_safe(vl_convert.javascript_bundle(_GLOBALS))


def script_safe(code: str) -> str:
    """JavaScript that can sit inside a ``<script>`` element.

    Only the sequences that would end or confuse the element are touched (the bundle has none
    today; a blanket ``</`` escape would break its regular expressions).
    """
    return _SCRIPT_END.sub(lambda m: "<\\/" + m.group(0)[2:], code).replace("<!--", "<\\!--")


def json_for_script(data: Any) -> str:
    """JSON for a ``<script type="application/json">`` element (every ``<`` escaped)."""
    return json.dumps(finite(data), ensure_ascii=False, allow_nan=False).replace("<", "\\u003c")
