"""The offline JavaScript bundle (Vega, Vega-Lite, vega-embed) shipped by vl-convert-python."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import vl_convert

_GLOBALS = "window.vegaEmbed = vegaEmbed; window.vega = vega; window.vegaLite = vegaLite;"


@cache
def offline_bundle() -> str:
    """The bundle as one inline-safe script (defines ``vegaEmbed``, ``vega``, ``vegaLite``)."""
    return script_safe(vl_convert.javascript_bundle(_GLOBALS))


def script_safe(text: str) -> str:
    """Text that can sit inside a ``<script>`` element (no ``</script`` or ``<!--``)."""
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


def json_for_script(data: Any) -> str:
    """JSON for a ``<script type="application/json">`` element."""
    return script_safe(json.dumps(data, ensure_ascii=False, allow_nan=False))
