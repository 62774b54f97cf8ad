"""Files from the mirror, else from the download cache, else downloaded from the official location.

A file missing from the mirror is fetched (only when the user allows downloading) from the
``url`` its catalogue entry gives, into ``<data_dir>/cache/<mirror-relative path>``; the sha256
is checked when the catalogue gives one, and the file appears atomically (temporary file, then
rename), so an interrupted download never leaves a partial file behind.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from cotera.errors import SourceError
from cotera.indicators.catalogue import SourceFile, catalogue
from cotera.sources.mirror import Mirror

_CHUNK = 1 << 16


def catalogue_files() -> dict[str, SourceFile]:
    """Every file the catalogue declares, by mirror-relative path."""
    return {f.path: f for source in catalogue().sources for f in source.files}


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def download(item: SourceFile, target: Path, *, timeout: float = 60.0) -> Path:
    """Fetch ``item.url`` to ``target`` atomically, verifying its sha256 when known."""
    if not item.url:
        raise SourceError(
            f"{item.path} : pas d'adresse de téléchargement direct connue "
            "(fichier dérivé) ; placez-le dans le miroir (COTERA_DATA_MIRROR)"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".part"
    )
    digest = hashlib.sha256()
    try:
        with (
            os.fdopen(handle, "wb") as out,
            httpx.stream("GET", item.url, timeout=timeout, follow_redirects=True) as response,
        ):
            if response.status_code != 200:
                raise SourceError(
                    f"téléchargement de {item.path} impossible : HTTP {response.status_code} "
                    f"({item.url})"
                )
            for chunk in response.iter_bytes(_CHUNK):
                digest.update(chunk)
                out.write(chunk)
        if item.sha256 and digest.hexdigest() != item.sha256:
            raise SourceError(
                f"somme de contrôle incorrecte pour {item.path} : sha256 {digest.hexdigest()} "
                f"au lieu de {item.sha256} ({item.url})"
            )
        os.replace(temporary, target)
    except httpx.HTTPError as exc:
        raise SourceError(f"téléchargement de {item.path} impossible : {exc} ({item.url})") from exc
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return target


@dataclass(frozen=True, slots=True)
class DownloadingMirror(Mirror):
    """A mirror that falls back on a download cache, filled from official locations if allowed."""

    cache_dir: Path = Path("cache")
    allow_download: bool = False
    files: Mapping[str, SourceFile] = field(default_factory=catalogue_files)

    def path(self, relative: str) -> Path:
        """Mirror file, else verified cached copy, else download (SourceError when impossible)."""
        local = self.root / relative
        if local.is_file():
            return local
        item = self.files.get(relative, SourceFile(relative))
        cached = self.cache_dir / relative
        if cached.is_file() and (not item.sha256 or sha256_of(cached) == item.sha256):
            return cached
        if not self.allow_download:
            raise SourceError(
                f"fichier source absent du miroir et du cache : {relative} ; indiquez un miroir "
                "(COTERA_DATA_MIRROR) ou autorisez le téléchargement (COTERA_ALLOW_DOWNLOAD=1)"
            )
        return download(item, cached)
