"""Checks of the French identifiers of organisations: RNA number, SIREN, SIRET."""

from __future__ import annotations

import re

_RNA = re.compile(r"W[0-9A-Z]{2}\d{7}")
_SIREN = re.compile(r"\d{9}")
_SIRET = re.compile(r"\d{14}")
_LA_POSTE_SIREN = "356000000"  # La Poste's SIRETs do not follow the Luhn key


def luhn_valid(digits: str) -> bool:
    """Whether a string of digits passes the Luhn checksum (SIREN and SIRET keys)."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def is_rna(text: str) -> bool:
    """An RNA number: ``W`` then nine characters (``W751234567``, ``W2A1234567`` in Corsica)."""
    return bool(_RNA.fullmatch(text))


def is_siren(text: str) -> bool:
    """A SIREN: nine digits with a valid Luhn key."""
    return bool(_SIREN.fullmatch(text)) and luhn_valid(text)


def is_siret(text: str) -> bool:
    """A SIRET: fourteen digits, Luhn-valid (La Poste: digit sum multiple of 5)."""
    if not _SIRET.fullmatch(text):
        return False
    if text.startswith(_LA_POSTE_SIREN):
        return luhn_valid(text) or sum(int(c) for c in text) % 5 == 0
    return luhn_valid(text)
