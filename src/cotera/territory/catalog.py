"""An immutable in-memory index of territories: lookup by code or name, hierarchy walks.

Name resolution rules (``TerritoryCatalog.resolve``):

1. ``fr``/``france`` and prefixed codes (``reg:11``, ``dep:2a``, ``epci:200054781``,
   ``com:93066``) are looked up directly.
2. A bare INSEE/SIREN code (``93``, ``93066``, ``200054781``) is accepted when it exists at
   exactly one level (or at the level given as hint); ``75`` is both ``reg:75`` and ``dep:75``
   and is ambiguous without a hint.
3. Otherwise the text is a name, compared through ``normalize_name`` (accents, case, hyphens,
   apostrophes and "St"/"Saint" do not matter).
4. Several matches are an ``AmbiguousError`` listing every candidate with its code and
   département ("Saint-Denis": four communes; "Vienne": ``dep:86`` and the commune of Isère),
   with one exception: a match that covers exactly the same area as a match at a higher level
   (it lies inside it and has the same communes) is the same place, and the higher level is
   returned. So "Paris" is ``dep:75`` (the commune ``com:75056`` is the whole département) and
   "Guadeloupe" is ``reg:01`` (the région has the single département ``dep:971``). Pass a level
   hint to get the other one.
5. An unknown name is a ``NotFoundError`` listing the closest names (difflib).
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from types import MappingProxyType

from cotera.errors import AmbiguousError, NotFoundError
from cotera.territory.model import Territory, TerritoryCode
from cotera.territory.names import normalize_name
from cotera.types import Level

_ORDER = (Level.COUNTRY, Level.REGION, Level.DEPARTEMENT, Level.EPCI, Level.COMMUNE)
_RANK = {level: rank for rank, level in enumerate(_ORDER)}
_MAX_SUGGESTIONS = 8


class UnknownNameError(NotFoundError):
    """No territory has this name; ``candidates`` lists the closest ones (code, name, dep)."""

    def __init__(self, message: str, candidates: list[str]) -> None:
        super().__init__(message)
        self.candidates = candidates


class TerritoryCatalog:
    """All known territories, indexed by code, name, level and ancestor."""

    __slots__ = ("_by_code", "_by_level", "_by_name", "_children")

    def __init__(self, territories: Iterable[Territory]) -> None:
        by_code: dict[TerritoryCode, Territory] = {}
        by_level: dict[Level, list[Territory]] = defaultdict(list)
        by_name: dict[str, list[TerritoryCode]] = defaultdict(list)
        children: dict[TerritoryCode, dict[Level, list[Territory]]] = defaultdict(
            lambda: defaultdict(list)
        )
        for territory in sorted(territories, key=_key):
            if territory.code in by_code:
                raise ValueError(f"territoire en double dans le catalogue : {territory.code}")
            by_code[territory.code] = territory
            by_level[territory.level].append(territory)
            by_name[normalize_name(territory.name)].append(territory.code)
            for ancestor in territory.parents:
                children[ancestor][territory.level].append(territory)
        self._by_code: Mapping[TerritoryCode, Territory] = MappingProxyType(by_code)
        self._by_level: Mapping[Level, tuple[Territory, ...]] = MappingProxyType(
            {level: tuple(items) for level, items in by_level.items()}
        )
        self._by_name: Mapping[str, tuple[TerritoryCode, ...]] = MappingProxyType(
            {name: tuple(codes) for name, codes in by_name.items()}
        )
        self._children: Mapping[TerritoryCode, Mapping[Level, tuple[Territory, ...]]] = (
            MappingProxyType(
                {
                    code: MappingProxyType({lvl: tuple(items) for lvl, items in per.items()})
                    for code, per in children.items()
                }
            )
        )

    def __len__(self) -> int:
        return len(self._by_code)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def get(self, code: TerritoryCode | str) -> Territory:
        """The territory with this code; NotFoundError if unknown or malformed."""
        parsed = code if isinstance(code, TerritoryCode) else TerritoryCode.parse(code)
        try:
            return self._by_code[parsed]
        except KeyError:
            raise NotFoundError(f"territoire inconnu : {parsed}") from None

    def by_level(self, level: Level) -> tuple[Territory, ...]:
        """Every territory of a level, sorted by code."""
        return self._by_level.get(level, ())

    def children(self, code: TerritoryCode | str, level: Level) -> tuple[Territory, ...]:
        """Descendants of a territory at ``level`` (through the ``parents`` links), by code."""
        return self._children.get(self.get(code).code, {}).get(level, ())

    def communes_of(self, code: TerritoryCode | str) -> tuple[Territory, ...]:
        """The communes making up a territory (a commune is made of itself)."""
        territory = self.get(code)
        if territory.level is Level.COMMUNE:
            return (territory,)
        return self.children(territory.code, Level.COMMUNE)

    def overlapping(self, code: TerritoryCode | str, level: Level) -> tuple[Territory, ...]:
        """Territories at ``level`` with at least one commune in this one (an EPCI spanning
        départements counts for each), by code."""
        if level is Level.COMMUNE:
            return self.communes_of(code)
        found = {
            parent
            for commune in self.communes_of(code)
            if (parent := commune.parent(level)) is not None
        }
        return tuple(
            sorted((self._by_code[c] for c in found if c in self._by_code), key=lambda t: t.code)
        )

    def parent(self, code: TerritoryCode | str, level: Level) -> Territory | None:
        """The ancestor of a territory at ``level``, or None if it has none there."""
        ancestor = self.get(code).parent(level)
        return None if ancestor is None else self._by_code.get(ancestor)

    def peers(
        self, code: TerritoryCode | str, within: Level | None = None
    ) -> tuple[Territory, ...]:
        """Other territories of the same level, optionally sharing the ancestor at ``within``."""
        territory = self.get(code)
        if within is None:
            pool = self.by_level(territory.level)
        else:
            ancestor = territory.parent(within)
            pool = () if ancestor is None else self.children(ancestor, territory.level)
        return tuple(t for t in pool if t.code != territory.code)

    def resolve(self, text: str, level: Level | None = None) -> Territory:
        """A territory from a code or a name (see the module docstring for the rules)."""
        raw = text.strip()
        if ":" in raw or raw.lower() in {"fr", "france"}:
            found = self.get(raw)
            if level is not None and found.level is not level:
                raise NotFoundError(f"{found.code} n'est pas du niveau {level.value}")
            return found
        if raw.isalnum() and any(ch.isdigit() for ch in raw):
            return self._resolve_bare_code(raw, level)
        return self._resolve_name(raw, level)

    def describe(self, territory: Territory) -> str:
        """``com:93066 Saint-Denis (Seine-Saint-Denis)``: code, name and département if any."""
        label = f"{territory.code} {territory.name}"
        dep = territory.parent(Level.DEPARTEMENT)
        if dep is not None and dep in self._by_code:
            label += f" ({self._by_code[dep].name})"
        return label

    def _resolve_bare_code(self, raw: str, level: Level | None) -> Territory:
        levels = [level] if level is not None else list(_ORDER[1:])
        found: list[Territory] = []
        for lvl in levels:
            try:
                code = TerritoryCode.parse(f"{lvl.value}:{raw}")
            except NotFoundError:
                continue
            if code in self._by_code:
                found.append(self._by_code[code])
        if len(found) == 1:
            return found[0]
        if not found:
            raise NotFoundError(f"aucun territoire n'a le code {raw!r}")
        raise AmbiguousError(
            f"le code {raw!r} désigne plusieurs territoires ; préfixez-le (ex. {found[0].code})",
            [self.describe(t) for t in found],
        )

    def _resolve_name(self, raw: str, level: Level | None) -> Territory:
        key = normalize_name(raw)
        codes = [c for c in self._by_name.get(key, ()) if level is None or c.level is level]
        if not codes:
            raise self._unknown_name(raw, key, level)
        matches = [self._by_code[c] for c in codes]
        top = matches[0]
        distinct = [top, *(m for m in matches[1:] if not self._same_area(m, top))]
        if len(distinct) == 1:
            return top
        candidates = [self.describe(t) for t in distinct]
        raise AmbiguousError(
            f"le nom {raw!r} désigne {len(distinct)} territoires ; précisez le code : "
            + " ; ".join(candidates),
            candidates,
        )

    def _same_area(self, lower: Territory, upper: Territory) -> bool:
        """Whether ``lower`` is inside ``upper`` and has all of its communes."""
        return upper.code in lower.parents and len(self.communes_of(lower.code)) == len(
            self.communes_of(upper.code)
        )

    def _unknown_name(self, raw: str, key: str, level: Level | None) -> UnknownNameError:
        names = (
            self._by_name.keys()
            if level is None
            else [n for n, codes in self._by_name.items() if any(c.level is level for c in codes)]
        )
        close = difflib.get_close_matches(key, names, n=_MAX_SUGGESTIONS, cutoff=0.75)
        suggestions = [
            self.describe(self._by_code[c])
            for name in close
            for c in self._by_name[name]
            if level is None or c.level is level
        ][:_MAX_SUGGESTIONS]
        where = f" de niveau {level.value}" if level is not None else ""
        message = f"aucun territoire{where} ne s'appelle {raw!r}"
        if suggestions:
            message += " ; vouliez-vous dire : " + " ; ".join(suggestions) + " ?"
        return UnknownNameError(message, suggestions)


def _key(territory: Territory) -> tuple[int, str]:
    """Sort order: level from the largest, then code."""
    return (_RANK.get(territory.code.level, len(_RANK)), territory.code.code)
