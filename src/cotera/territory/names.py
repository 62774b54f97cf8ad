"""Name normalisation for looking territories up by what people type.

``normalize_name`` maps every spelling of a name to one key:

- accents are stripped (Unicode NFKD, combining marks dropped) and ``œ``/``æ`` spelled
  ``oe``/``ae``;
- case is folded (``str.casefold``);
- hyphens and dashes, apostrophes (straight or typographic), underscores, dots, commas and
  slashes become spaces, and runs of spaces collapse to one;
- the abbreviations ``st`` and ``ste`` (whole words) are spelled out as ``saint`` and
  ``sainte``, so "St-Denis" and "Saint-Denis" share a key.

So "Seine-Saint-Denis", "seine saint denis" and "SEINE-ST-DENIS" all give
``"seine saint denis"``; "Île-de-France" gives ``"ile de france"``; "L'Haÿ-les-Roses"
gives ``"l hay les roses"``.
"""

from __future__ import annotations

import re
import unicodedata

_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―'’‘`´ʼ_.,/]+")
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae"})
_ABBREVIATIONS = {"st": "saint", "ste": "sainte"}


def normalize_name(text: str) -> str:
    """The lookup key of a territory name (see the module docstring for the rules)."""
    folded = text.casefold()
    if not folded.isascii():
        decomposed = unicodedata.normalize("NFKD", folded)
        folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        folded = folded.translate(_LIGATURES)
    words = _SEPARATORS.sub(" ", folded).split()
    return " ".join(_ABBREVIATIONS.get(word, word) for word in words)
