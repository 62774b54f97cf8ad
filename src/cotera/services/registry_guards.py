"""The guard of register imports: a file that would dissolve or blank too much is refused.

A truncated RNA file "forgets" associations, which the import then dissolves; a partnerships
file cut in its columns would erase stored values. Above these shares of the stored records
concerned, the import is refused (nothing written) unless the user explicitly allows it.
"""

from __future__ import annotations

from cotera.errors import MassChangeError
from cotera.storage.registry_imports import ImportCounts

DISSOLVE_SHARE = 0.05  # of the active RNA associations of the file's départements
BLANK_SHARE = 0.01  # of the stored partnerships


def check_mass_change(file: str, counts: ImportCounts, allow: bool) -> None:
    """MassChangeError when ``counts`` dissolve or blank more than the allowed share."""
    if allow:
        return
    if counts.dissolved > DISSOLVE_SHARE * counts.stored:
        raise MassChangeError(file, "dissolved", counts.dissolved, counts.stored, DISSOLVE_SHARE)
    if counts.blanked > BLANK_SHARE * counts.stored:
        raise MassChangeError(file, "blanked", counts.blanked, counts.stored, BLANK_SHARE)
