"""Who writes: a validated, bounded identity recorded in the audit log and the import locks.

The delivery layer builds the actor once and passes it down: the CLI uses the OS account that
runs the process (``cotera.cli.context.cli_actor``, never the ``USER`` / ``LOGNAME`` variables
anyone can set), the web app will use the logged-in account. Stored as ``kind:identity``
(``cli:alice``), at most 71 characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from cotera.errors import ConfigurationError

MAX_IDENTITY = 64
_IDENTITY = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.@+-]*")


class ActorKind(StrEnum):
    """Where a write comes from."""

    CLI = "cli"
    WEB = "web"
    API = "api"
    SYSTEM = "system"


@dataclass(frozen=True, slots=True)
class Actor:
    """A validated identity: ASCII letters, digits and ``_ . @ + -``, 1 to 64 characters."""

    kind: ActorKind
    identity: str

    def __post_init__(self) -> None:
        if not isinstance(self.kind, ActorKind):
            raise ConfigurationError(f"type d'acteur inconnu : {self.kind!r}")
        if not 0 < len(self.identity) <= MAX_IDENTITY:
            raise ConfigurationError(
                f"identité d'acteur de {len(self.identity)} caractères "
                f"(attendu : 1 à {MAX_IDENTITY})"
            )
        if not _IDENTITY.fullmatch(self.identity):
            raise ConfigurationError(
                f"identité d'acteur invalide : {self.identity!r} "
                "(lettres et chiffres ASCII, _ . @ + -, sans commencer par . @ + -)"
            )

    def __str__(self) -> str:
        return f"{self.kind.value}:{self.identity}"

    @classmethod
    def system(cls, identity: str) -> Actor:
        """An actor for work Cotera does on its own (tests, maintenance)."""
        return cls(ActorKind.SYSTEM, identity)
