"""A reader of referential TOML tables that collects problems instead of stopping at the first."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cotera.compass.referential import Item, Label


class Reader:
    """Reads fields of referential entries; each problem names the file and the entry."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        self.file = ""

    def fail(self, entry: str, message: str) -> None:
        """Record a problem of ``entry`` in the current file."""
        self.problems.append(f"{self.file} [{entry}] : {message}")

    def entries(self, document: Mapping[str, Any], key: str) -> list[tuple[str, dict[str, Any]]]:
        """The ``[[key]]`` tables of a document, each with a readable entry name."""
        raw = document.get(key)
        if not isinstance(raw, list) or not raw:
            self.fail(key, f"aucune entrée [[{key}]]")
            return []
        found: list[tuple[str, dict[str, Any]]] = []
        seen: set[str] = set()
        for index, entry in enumerate(raw, start=1):
            if not isinstance(entry, dict):
                self.fail(f"{key} n°{index}", "entrée qui n'est pas une table")
                continue
            ident = entry.get("id", entry.get("level"))
            name = f"{key} {ident}" if ident is not None else f"{key} n°{index}"
            if "id" in entry:
                if not isinstance(entry["id"], str) or not entry["id"]:
                    self.fail(name, "identifiant « id » vide ou non textuel")
                elif entry["id"] in seen:
                    self.fail(name, f"identifiant en double : {entry['id']!r}")
                else:
                    seen.add(entry["id"])
            found.append((name, entry))
        return found

    def text(self, raw: Mapping[str, Any], key: str, entry: str) -> str:
        """A required non-empty string field."""
        value = raw.get(key)
        if not isinstance(value, str) or not value.strip():
            self.fail(entry, f"champ {key!r} manquant ou vide")
            return ""
        return value

    def label(self, raw: Mapping[str, Any], entry: str, stem: str = "label") -> Label:
        """A required French and English label pair ``<stem>_fr`` / ``<stem>_en``."""
        return Label(self.text(raw, f"{stem}_fr", entry), self.text(raw, f"{stem}_en", entry))

    def number(
        self,
        raw: Mapping[str, Any],
        key: str,
        entry: str,
        low: float,
        high: float,
        default: float | None = None,
    ) -> float:
        """A number within [low, high] (``default`` when absent, if given)."""
        value = raw.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(entry, f"champ {key!r} manquant ou non numérique")
            return low
        if not low <= value <= high:
            self.fail(entry, f"{key} = {value} hors de l'intervalle [{low}, {high}]")
        return float(value)

    def integer(self, raw: Mapping[str, Any], key: str, entry: str, low: int, high: int) -> int:
        """An integer within [low, high]."""
        value = raw.get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(entry, f"champ {key!r} manquant ou non entier")
            return low
        if not low <= value <= high:
            self.fail(entry, f"{key} = {value} hors de l'intervalle [{low}, {high}]")
        return value

    def strings(self, raw: Mapping[str, Any], key: str, entry: str) -> tuple[str, ...]:
        """An optional list of strings (empty when absent)."""
        value = raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(entry, f"champ {key!r} : liste de textes attendue")
            return ()
        return tuple(value)

    def references(
        self, raw: Mapping[str, Any], key: str, entry: str, known: set[str]
    ) -> tuple[str, ...]:
        """A list of references that must all be in ``known``."""
        values = self.strings(raw, key, entry)
        for value in values:
            if value not in known:
                self.fail(entry, f"{key} : référence inconnue {value!r}")
        return values

    def items(self, raw: Mapping[str, Any], key: str, entry: str) -> tuple[Item, ...]:
        """A list of inline ``{id, label_fr, label_en}`` tables with unique ids."""
        value = raw.get(key, [])
        if not isinstance(value, list):
            self.fail(entry, f"champ {key!r} : liste attendue")
            return ()
        items: list[Item] = []
        for index, item in enumerate(value, start=1):
            where = f"{entry}, {key} n°{index}"
            if not isinstance(item, dict):
                self.fail(where, "table {id, label_fr, label_en} attendue")
                continue
            ident = self.text(item, "id", where)
            if ident and any(i.id == ident for i in items):
                self.fail(where, f"identifiant en double : {ident!r}")
            items.append(Item(ident, self.label(item, f"{where} ({ident})")))
        return tuple(items)
