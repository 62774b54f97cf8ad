"""The packaged catalogue loads, and bad entries are refused with the file and entry named."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from cotera.errors import ConfigurationError
from cotera.indicators.catalogue import catalogue, parse_catalogue
from cotera.referential.fragilities import fragility_referential

_GOOD: dict[str, Any] = {
    "source": {
        "id": "demo",
        "label_fr": "Démo",
        "label_en": "Demo",
        "producer": "INSEE",
        "licence": "Licence Ouverte",
        "official_url": "https://www.insee.fr/",
        "repository": "owner/name@0",
        "years": [2013],
        "file": [{"path": "indicators/demo.csv"}],
    },
    "indicator": [
        {
            "code": "demo_rate",
            "label_fr": "Taux",
            "label_en": "Rate",
            "fragility": "F04",
            "direction": "+",
            "unit": "%",
            "kind": "rate",
            "levels": ["dep"],
            "years": [2013],
        }
    ],
}


def _with(path: str, value: object) -> dict[str, Any]:
    document = copy.deepcopy(_GOOD)
    target: Any = document
    *parents, last = path.split(".")
    for key in parents:
        target = target[int(key)] if key.isdigit() else target[key]
    target[last] = value
    return document


def test_packaged_catalogue_is_valid() -> None:
    cat = catalogue()
    assert len({s.id for s in cat.sources}) == len(cat.sources)
    assert len({i.code for i in cat.indicators}) == len(cat.indicators)
    for indicator in cat.indicators:
        assert indicator.source in {s.id for s in cat.sources}
        assert indicator.fragility in fragility_referential().codes()


def test_good_document_parses() -> None:
    cat = parse_catalogue([("demo.toml", _GOOD)])
    assert cat.indicator("demo_rate").levels[0].value == "dep"
    assert cat.source("demo").files[0].path == "indicators/demo.csv"


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("indicator.0.fragility", "F17", "fragilité inconnue 'F17'"),
        ("indicator.0.direction", "up", "direction invalide 'up'"),
        ("indicator.0.kind", "mean", "kind invalide 'mean'"),
        ("indicator.0.levels", ["canton"], "niveau invalide 'canton'"),
        ("indicator.0.years", [2099], "absentes des années de la source"),
        ("indicator.0.label_fr", "", "'label_fr' manquant"),
        ("source.file", [], "aucun fichier"),
        ("source.file", [{"path": "x.csv", "sha256": "abc"}], "sha256 invalide"),
    ],
)
def test_bad_entries_name_file_and_entry(path: str, value: object, message: str) -> None:
    with pytest.raises(ConfigurationError) as info:
        parse_catalogue([("demo.toml", _with(path, value))])
    assert "demo.toml" in str(info.value)
    assert message in str(info.value)


def test_duplicate_codes_across_files_are_refused() -> None:
    other = copy.deepcopy(_GOOD)
    other["source"]["id"] = "other"
    with pytest.raises(ConfigurationError, match=r"other\.toml indicateur n°1.*déjà déclaré"):
        parse_catalogue([("demo.toml", _GOOD), ("other.toml", other)])


def test_every_indicator_and_source_is_documented() -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "indicators.md").read_text("utf-8")
    cat = catalogue()
    missing = [f"`{i.code}`" for i in cat.indicators if f"`{i.code}`" not in docs]
    missing += [f"`{s.id}`" for s in cat.sources if f"`{s.id}`" not in docs]
    assert not missing, f"absent de docs/indicators.md : {missing}"
