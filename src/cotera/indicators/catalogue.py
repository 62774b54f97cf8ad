"""The indicator catalogue: sources and indicators as versioned TOML data, validated on load.

One file per source in ``indicators/data/catalogue/<source>.toml``::

    [source]
    id = "filosofi"            # also the file name
    label_fr = "…"; producer = "INSEE"; licence = "Licence Ouverte / Etalab 2.0"
    official_url = "https://www.insee.fr/…"   # the producer's page
    repository = "owner/name@commit"          # where the mirrored copy comes from (SOURCES.md)
    years = [2012, 2013]
    [[source.file]]
    path = "indicators/…/file.csv"             # relative to the mirror
    url = "https://…"                           # optional direct download location
    sha256 = "…"                                # optional checksum of the published file

    [[indicator]]
    code = "poverty_rate"; fragility = "F04"; direction = "+"; kind = "rate"
    levels = ["dep", "reg", "fr"]; years = [2013]; unit = "%"; label_fr = "…"; label_en = "…"
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, TypeVar

from cotera.errors import ConfigurationError
from cotera.indicators.model import IndicatorKind, IndicatorSpec
from cotera.referential.fragilities import fragility_referential
from cotera.types import Direction, Level


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A file of a source: where it sits in the mirror and where it can be downloaded."""

    path: str
    url: str = ""
    sha256: str = ""


@dataclass(frozen=True, slots=True)
class SourceSpec:
    """Provenance of a source (Licence Ouverte requires attribution: producer and date)."""

    id: str
    label_fr: str
    label_en: str
    producer: str
    licence: str
    official_url: str
    repository: str
    files: tuple[SourceFile, ...]
    years: tuple[int, ...]
    description_fr: str = ""

    def file(self, path: str) -> SourceFile:
        """The declared file with this mirror-relative path."""
        for item in self.files:
            if item.path == path:
                return item
        raise ConfigurationError(f"source {self.id} : fichier non déclaré {path!r}")


@dataclass(frozen=True, slots=True)
class Catalogue:
    """Every source and indicator, in file order."""

    sources: tuple[SourceSpec, ...]
    indicators: tuple[IndicatorSpec, ...]

    def source(self, source_id: str) -> SourceSpec:
        """The source with this id (ConfigurationError if unknown)."""
        for source in self.sources:
            if source.id == source_id:
                return source
        known = ", ".join(s.id for s in self.sources)
        raise ConfigurationError(f"source inconnue : {source_id!r} (connues : {known})")

    def indicator(self, code: str) -> IndicatorSpec:
        """The indicator with this code (ConfigurationError if unknown)."""
        for indicator in self.indicators:
            if indicator.code == code:
                return indicator
        raise ConfigurationError(f"indicateur inconnu : {code!r}")

    def of_source(self, source_id: str) -> tuple[IndicatorSpec, ...]:
        """The indicators a source provides."""
        return tuple(i for i in self.indicators if i.source == source_id)

    def of_fragility(self, fragility: str) -> tuple[IndicatorSpec, ...]:
        """The indicators of one fragility (``F01``…``F16``)."""
        return tuple(i for i in self.indicators if i.fragility == fragility)


_E = TypeVar("_E", Direction, IndicatorKind, Level)
_SOURCE_KEYS = ("id", "label_fr", "label_en", "producer", "licence", "official_url", "repository")
_INDICATOR_KEYS = (
    "code", "label_fr", "label_en", "fragility", "direction", "unit", "kind", "levels", "years",
)  # fmt: skip


def _text(entry: Mapping[str, Any], key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ConfigurationError(f"{where} : champ {key!r} manquant ou vide")
    return value.strip()


def _years(entry: Mapping[str, Any], where: str) -> tuple[int, ...]:
    years = entry.get("years")
    if not isinstance(years, list) or not years or not all(isinstance(y, int) for y in years):
        raise ConfigurationError(f"{where} : 'years' doit être une liste non vide d'années")
    if len(set(years)) != len(years):
        raise ConfigurationError(f"{where} : années en double dans 'years'")
    return tuple(sorted(years))


def _enum_value(enum: type[_E], raw: object, key: str, where: str) -> _E:
    try:
        return enum(str(raw))
    except ValueError:
        allowed = ", ".join(repr(e.value) for e in enum)
        raise ConfigurationError(
            f"{where} : {key} invalide {raw!r} (attendu : {allowed})"
        ) from None


def _parse_source(raw: Mapping[str, Any], origin: str) -> SourceSpec:
    where = f"{origin} [source]"
    values = {key: _text(raw, key, where) for key in _SOURCE_KEYS}
    files = []
    for index, item in enumerate(raw.get("file", []), start=1):
        file_where = f"{where} fichier n°{index}"
        sha = str(item.get("sha256", "")).lower()
        if sha and (len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha)):
            raise ConfigurationError(f"{file_where} : sha256 invalide {sha!r}")
        files.append(SourceFile(_text(item, "path", file_where), str(item.get("url", "")), sha))
    if not files:
        raise ConfigurationError(f"{where} : aucun fichier déclaré ([[source.file]])")
    return SourceSpec(
        **values,
        files=tuple(files),
        years=_years(raw, where),
        description_fr=str(raw.get("description_fr", "")).strip(),
    )


def _parse_indicator(
    raw: Mapping[str, Any], source: SourceSpec, index: int, origin: str
) -> IndicatorSpec:
    where = f"{origin} indicateur n°{index} ({raw.get('code', '?')})"
    values = {key: raw.get(key) for key in _INDICATOR_KEYS}
    for key in ("code", "label_fr", "label_en", "unit", "fragility"):
        values[key] = _text(raw, key, where)
    fragilities = fragility_referential().codes()
    if values["fragility"] not in fragilities:
        raise ConfigurationError(
            f"{where} : fragilité inconnue {values['fragility']!r} (connues : F01…F16)"
        )
    levels_raw = raw.get("levels")
    if not isinstance(levels_raw, list) or not levels_raw:
        raise ConfigurationError(f"{where} : 'levels' doit être une liste non vide")
    levels = tuple(_enum_value(Level, level, "niveau", where) for level in levels_raw)
    years = _years(raw, where)
    outside = sorted(set(years) - set(source.years))
    if outside:
        raise ConfigurationError(f"{where} : années {outside} absentes des années de la source")
    return IndicatorSpec(
        code=str(values["code"]),
        label_fr=str(values["label_fr"]),
        label_en=str(values["label_en"]),
        fragility=str(values["fragility"]),
        direction=_enum_value(Direction, raw.get("direction"), "direction", where),
        unit=str(values["unit"]),
        kind=_enum_value(IndicatorKind, raw.get("kind"), "kind", where),
        levels=levels,
        source=source.id,
        years=years,
        description_fr=str(raw.get("description_fr", "")).strip(),
    )


def parse_catalogue(documents: Iterable[tuple[str, Mapping[str, Any]]]) -> Catalogue:
    """Validate parsed TOML documents ``(file name, content)`` into a catalogue.

    Raises ConfigurationError naming the file and the entry on the first problem.
    """
    sources: list[SourceSpec] = []
    indicators: list[IndicatorSpec] = []
    seen: dict[str, str] = {}
    for origin, document in documents:
        if "source" not in document:
            raise ConfigurationError(f"{origin} : table [source] manquante")
        source = _parse_source(document["source"], origin)
        if any(s.id == source.id for s in sources):
            raise ConfigurationError(f"{origin} : source {source.id!r} déclarée deux fois")
        sources.append(source)
        for index, raw in enumerate(document.get("indicator", []), start=1):
            indicator = _parse_indicator(raw, source, index, origin)
            if indicator.code in seen:
                raise ConfigurationError(
                    f"{origin} indicateur n°{index} : code {indicator.code!r} déjà déclaré "
                    f"dans {seen[indicator.code]}"
                )
            seen[indicator.code] = origin
            indicators.append(indicator)
    return Catalogue(tuple(sources), tuple(indicators))


@cache
def catalogue() -> Catalogue:
    """The packaged catalogue (every ``data/catalogue/*.toml``), validated and cached."""
    folder = resources.files("cotera.indicators").joinpath("data/catalogue")
    documents = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            try:
                documents.append((entry.name, tomllib.loads(entry.read_text(encoding="utf-8"))))
            except tomllib.TOMLDecodeError as exc:
                raise ConfigurationError(f"{entry.name} : TOML invalide ({exc})") from exc
    return parse_catalogue(documents)
