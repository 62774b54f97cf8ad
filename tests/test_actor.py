"""The actor recorded in the audit log: a validated identity of bounded length."""

from __future__ import annotations

import pytest

from cotera.actor import MAX_IDENTITY, Actor, ActorKind
from cotera.errors import ConfigurationError


@pytest.mark.parametrize("identity", ["alice", "uid-1000", "jean.dupont@mairie93.fr", "a_b+c"])
def test_accepted_identities_are_stored_as_kind_and_identity(identity: str) -> None:
    actor = Actor(ActorKind.WEB, identity)
    assert str(actor) == f"web:{identity}"
    assert len(str(Actor(ActorKind.SYSTEM, "x" * MAX_IDENTITY))) <= 100  # the audit column


@pytest.mark.parametrize(
    ("identity", "reason"),
    [
        ("a" * 150, "150 caractères"),
        ("", "0 caractères"),
        ("alice smith", "invalide"),
        ("alice\n[INFO] root", "invalide"),
        ("élodie", "invalide"),
        ("-rf", "invalide"),
    ],
)
def test_unbounded_or_odd_identities_are_refused(identity: str, reason: str) -> None:
    with pytest.raises(ConfigurationError, match=reason):
        Actor(ActorKind.CLI, identity)


def test_the_kind_must_be_one_of_the_known_ones() -> None:
    with pytest.raises(ConfigurationError, match="type d'acteur inconnu"):
        Actor("cli", "alice")  # type: ignore[arg-type]
