"""Name normalisation: documented examples and properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cotera.territory.names import normalize_name


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Seine-Saint-Denis", "seine saint denis"),
        ("seine saint denis", "seine saint denis"),
        ("SEINE-ST-DENIS", "seine saint denis"),
        ("Île-de-France", "ile de france"),
        ("  ile   de\tfrance ", "ile de france"),
        ("L'Haÿ-les-Roses", "l hay les roses"),
        ("L’Haÿ–les—Roses", "l hay les roses"),
        ("Provence-Alpes-Côte d'Azur", "provence alpes cote d azur"),
        ("Sainte-Marie", "sainte marie"),
        ("Ste-Marie", "sainte marie"),
        ("Œuilly", "oeuilly"),
        ("Bourg-en-Bresse", "bourg en bresse"),
        ("Stenay", "stenay"),  # "st" only as a whole word
        ("CC Faucigny - Glières", "cc faucigny glieres"),
    ],
)
def test_examples(text: str, key: str) -> None:
    assert normalize_name(text) == key


# French names: Latin letters with French diacritics, ligatures, spaces and separators.
_LATIN = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZàâäçéèêëîïôöùûüÿœæÀÂÇÉÈÊËÎÏÔÖÙÛÜŸŒÆ"
    " -'’–._",
    max_size=40,
)


@given(_LATIN)
def test_idempotent(text: str) -> None:
    key = normalize_name(text)
    assert normalize_name(key) == key


@given(_LATIN)
def test_key_is_lowercase_ascii_words(text: str) -> None:
    key = normalize_name(text)
    assert key == key.strip()
    assert "  " not in key
    assert not any(ch in key for ch in "-'’_")
    assert key == key.casefold()


@given(_LATIN)
def test_case_and_separators_do_not_matter(text: str) -> None:
    variants = [text.upper(), text.lower(), text.replace(" ", "-"), text.replace("-", "'")]
    assert {normalize_name(v) for v in variants} == {normalize_name(text)}


@given(st.lists(st.sampled_from(["é", "è", "ê", "ë", "É", "e", "E"]), min_size=1, max_size=8))
def test_accents_do_not_matter(letters: list[str]) -> None:
    assert normalize_name("".join(letters)) == "e" * len(letters)
