"""Downloads against a local HTTP server on 127.0.0.1 serving a copy of test files (no internet)."""

from __future__ import annotations

import functools
import hashlib
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import polars as pl
import pytest

from cotera.errors import SourceError
from cotera.indicators.catalogue import SourceFile, catalogue
from cotera.sources.download import DownloadingMirror
from cotera.sources.indicators import LoadContext, chomage_localise

_FILES = (chomage_localise.RATES_FILE, "indicators/regions_inegales/population_insee.csv")


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """No request log on stderr."""


@pytest.fixture
def served(tmp_path: Path, mirror: Path) -> Iterator[tuple[str, Path]]:
    """A loopback HTTP server serving copies of two real source files."""
    root = tmp_path / "served"
    for relative in _FILES:
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(mirror / relative, root / relative)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", root
    finally:
        server.shutdown()
        server.server_close()


def _files(base: str, sha: dict[str, str] | None = None) -> dict[str, SourceFile]:
    declared = {f.path: f for s in catalogue().sources for f in s.files}
    return {p: SourceFile(p, f"{base}/{p}", (sha or {}).get(p, declared[p].sha256)) for p in _FILES}


def test_loader_reads_downloaded_files(
    served: tuple[str, Path], tmp_path: Path, context: LoadContext
) -> None:
    base, _ = served
    store = DownloadingMirror(
        tmp_path / "no-mirror",
        cache_dir=tmp_path / "cache",
        allow_download=True,
        files=_files(base),
    )
    load = chomage_localise.load(store, context)
    ssd = load.observations.filter((pl.col("territory") == "dep:93") & (pl.col("year") == 2021))
    assert ssd.item(0, "value") == 10.9
    assert all(str(p).startswith(str(tmp_path / "cache")) for p in load.files)
    assert not list((tmp_path / "cache").rglob("*.part"))


def test_cached_file_is_reused_without_network(served: tuple[str, Path], tmp_path: Path) -> None:
    base, root = served
    files = _files(base)
    store = DownloadingMirror(
        tmp_path / "m", cache_dir=tmp_path / "c", allow_download=True, files=files
    )
    first = store.path(_FILES[0])
    (root / _FILES[0]).unlink()  # the server no longer has it
    offline = DownloadingMirror(tmp_path / "m", cache_dir=tmp_path / "c", files=files)
    assert offline.path(_FILES[0]) == first


def test_checksum_mismatch_is_refused_and_nothing_kept(
    served: tuple[str, Path], tmp_path: Path
) -> None:
    base, _ = served
    wrong = hashlib.sha256(b"autre chose").hexdigest()
    store = DownloadingMirror(
        tmp_path / "m",
        cache_dir=tmp_path / "c",
        allow_download=True,
        files=_files(base, {_FILES[0]: wrong}),
    )
    with pytest.raises(SourceError, match="somme de contrôle incorrecte"):
        store.path(_FILES[0])
    assert not [p for p in (tmp_path / "c").rglob("*") if p.is_file()]


def test_http_error_and_download_not_allowed(served: tuple[str, Path], tmp_path: Path) -> None:
    base, root = served
    (root / _FILES[1]).unlink()
    store = DownloadingMirror(
        tmp_path / "m", cache_dir=tmp_path / "c", allow_download=True, files=_files(base)
    )
    with pytest.raises(SourceError, match="HTTP 404"):
        store.path(_FILES[1])
    refused = DownloadingMirror(tmp_path / "m", cache_dir=tmp_path / "c", files=_files(base))
    with pytest.raises(SourceError, match="COTERA_ALLOW_DOWNLOAD"):
        refused.path(_FILES[0])


def test_derived_file_without_url_says_so(tmp_path: Path) -> None:
    store = DownloadingMirror(tmp_path / "m", cache_dir=tmp_path / "c", allow_download=True)
    with pytest.raises(SourceError, match="pas d'adresse de téléchargement"):
        store.path("indicators/itdd/itdd_2016_long.csv")


def test_mirror_file_wins(mirror: Path, tmp_path: Path) -> None:
    store = DownloadingMirror(mirror, cache_dir=tmp_path / "c")
    assert store.path(_FILES[0]) == mirror / _FILES[0]
