"""Issue 10 §2: a mirror file differing from its catalogued version never replaces good data."""

from __future__ import annotations

from pathlib import Path

from cotera.services.data_load import load_all
from cotera.services.load_guards import LoadOptions
from cotera.services.load_summary import LoadStatus
from tests.services.test_data_load import UNEMPLOYMENT, _fingerprint, _mirror_with, _settings


def _first_half(text: str) -> str:
    lines = text.splitlines(keepends=True)
    return "".join(lines[:481])  # header + 48 of the 96 départements (10 years each)


def test_a_file_cut_in_half_never_replaces_the_loaded_batch(
    database_url: str, mirror: Path, tmp_path: Path
) -> None:
    settings = _settings(database_url, mirror, tmp_path)
    load_all(settings, only="chomage_localise")
    before = _fingerprint(database_url)
    cut = _mirror_with(mirror, tmp_path / "mirror", UNEMPLOYMENT, _first_half)
    damaged = settings.model_copy(update={"data_mirror": cut})

    refused = load_all(damaged, "chomage_localise").outcomes[-1]
    assert refused.status is LoadStatus.FAILED
    assert refused.override == "accept_modified"
    assert UNEMPLOYMENT in refused.error
    assert "sha256" in refused.error
    assert _fingerprint(database_url) == before

    accepted = LoadOptions(accept_modified=True)
    shrink = load_all(damaged, "chomage_localise", options=accepted).outcomes[-1]
    assert shrink.status is LoadStatus.FAILED
    assert shrink.override == "allow_shrink"
    # 48 départements x 10 years; 11 regions and France fall below their population share
    # (checked by hand on the raw file: only régions 24 and 94 keep all their départements)
    assert "perdrait 600 lignes sur 1\u202f100 et 60 territoire(s)" in shrink.error
    assert _fingerprint(database_url) == before

    forced = LoadOptions(accept_modified=True, allow_shrink=True)
    loaded = load_all(damaged, "chomage_localise", options=forced).outcomes[-1]
    assert loaded.status is LoadStatus.LOADED
    assert _fingerprint(database_url) != before


def test_a_modified_file_that_loses_nothing_loads_when_accepted(
    database_url: str, mirror: Path, tmp_path: Path
) -> None:
    settings = _settings(database_url, mirror, tmp_path)
    load_all(settings, only="chomage_localise")
    edited = _mirror_with(
        mirror, tmp_path / "mirror", UNEMPLOYMENT, lambda t: t.replace("\n", "\r\n")
    )
    changed = settings.model_copy(update={"data_mirror": edited})
    options = LoadOptions(accept_modified=True)
    outcome = load_all(changed, "chomage_localise", options=options).outcomes[-1]
    assert outcome.status is LoadStatus.LOADED
