"""One exception tree for the whole project.

Each subclass also derives from the matching builtin so that library users can catch
either. Delivery layers (CLI, API) turn these into messages or HTTP statuses; nothing
below them prints or exits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


class CoteraError(Exception):
    """Base of every error Cotera raises on purpose."""


class ConfigurationError(CoteraError, ValueError):
    """A setting or a referential file is wrong."""


class NotFoundError(CoteraError, LookupError):
    """Something asked for by code or name does not exist."""


class AmbiguousError(CoteraError, LookupError):
    """A name matches several things; `candidates` lists them."""

    def __init__(self, message: str, candidates: list[str]) -> None:
        super().__init__(message)
        self.candidates = candidates


class DataUnavailableError(CoteraError, LookupError):
    """The data needed is not loaded or not published for that territory / year."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One validation problem of an input file, reported as data."""

    code: str
    message: str
    file: str = ""
    row: int | None = None
    column: str | None = None
    value: str | None = None
    expected: str | None = None

    def describe(self) -> str:
        """One readable line: where, then what."""
        where = [self.file] if self.file else []
        if self.row is not None:
            where.append(f"ligne {self.row}")
        if self.column:
            where.append(f"colonne {self.column!r}")
        text = self.message
        if self.value is not None:
            value = self.value if len(self.value) <= 80 else self.value[:79] + "…"
            text += f" (valeur {value!r}"
            text += f", attendu : {self.expected})" if self.expected else ")"
        elif self.expected:
            text += f" (attendu : {self.expected})"
        return (", ".join(where) + " : " if where else "") + text


@dataclass
class ValidationError(CoteraError, ValueError):
    """An input failed validation; every problem found is listed, nothing was written."""

    summary: str
    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.summary)

    def __str__(self) -> str:
        lines = [f"{self.summary} ({len(self.problems)} problème(s))"]
        lines += [f"  - {p.describe()}" for p in self.problems[:200]]
        if len(self.problems) > 200:
            lines.append(f"  … et {len(self.problems) - 200} autres")
        return "\n".join(lines)


class StorageError(CoteraError, RuntimeError):
    """The database could not be read or written."""


class SourceError(CoteraError, OSError):
    """A source file could not be found, downloaded or verified."""


class ConflictError(CoteraError, RuntimeError):
    """Another write got there first (a concurrent edit, an existing unique value); nothing of
    this write was kept, and nothing of the other one was lost."""


class ImportRunningError(ConflictError):
    """An import of the same source is already running; ``started_at`` / ``actor`` when known."""

    def __init__(self, source: str, started_at: datetime | None, actor: str | None) -> None:
        self.source, self.started_at, self.actor = source, started_at, actor
        since = ""
        if started_at is not None:
            local = started_at.astimezone()
            since = f"commencé le {local:%d/%m/%Y} à {local:%H:%M:%S}"
        if actor:
            since += f"{' ' if since else ''}par {actor}"
        super().__init__(
            f"un import de la source {source} est déjà en cours"
            + (f" ({since})" if since else "")
            + " ; rien n'a été écrit, relancez quand il sera terminé"
        )


class GuardError(CoteraError, ValueError):
    """A write refused by a safety guard; ``override`` names what the user may choose to force.

    The delivery layer turns ``override`` into its own hint (a CLI flag, a form checkbox).
    """

    override = ""


class ModifiedSourceError(GuardError):
    """Source files differ from their catalogued version (sha256): loaded only on request."""

    override = "accept_modified"

    def __init__(self, source_id: str, files: list[tuple[str, str, str]]) -> None:
        self.source_id = source_id
        self.files = files  # (mirror-relative path, catalogued sha256, actual sha256)
        names = ", ".join(path for path, _, _ in files)
        super().__init__(
            f"la source {source_id} : fichier(s) différent(s) de la version cataloguée "
            f"(sha256) : {names} ; chargement refusé"
        )


class ShrinkError(GuardError):
    """A new batch would cover less than the stored one: refused unless allowed."""

    override = "allow_shrink"

    def __init__(
        self,
        source_id: str,
        lost_rows: int,
        stored_rows: int,
        lost_territories: int,
        lost_years: tuple[int, ...],
    ) -> None:
        self.source_id = source_id
        self.lost_rows = lost_rows
        self.stored_rows = stored_rows
        self.lost_territories = lost_territories
        self.lost_years = lost_years
        lost = [f"{lost_rows:,} lignes sur {stored_rows:,}".replace(",", "\u202f")]
        if lost_territories:
            lost.append(f"{lost_territories} territoire(s)")
        if lost_years:
            lost.append("les années " + ", ".join(map(str, lost_years)))
        super().__init__(
            f"la source {source_id} perdrait {' et '.join(lost)} par rapport au lot chargé : "
            "chargement refusé"
        )


class MassChangeError(GuardError):
    """A register import would dissolve or blank more than the allowed share of what is stored."""

    override = "allow_mass_change"

    def __init__(self, file: str, what: str, count: int, stored: int, limit: float) -> None:
        self.file = file
        self.what = what  # "dissolved" or "blanked"
        self.count = count
        self.stored = stored
        self.limit = limit
        verb = "dissoudrait" if what == "dissolved" else "effacerait des champs de"
        share = f"{count / stored if stored else 1.0:.1%}".replace(".", ",")
        super().__init__(
            f"{file} : l'import {verb} {count} organisation(s) sur {stored} enregistrée(s) "
            f"({share} > {limit:.0%} autorisés) : import refusé, rien n'a été écrit"
        )


class OutputError(CoteraError, OSError):
    """An output file (CSV, Excel, HTML) could not be written."""
