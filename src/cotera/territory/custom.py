"""Custom territories: a named set of communes, EPCI and départements."""

from __future__ import annotations

from dataclasses import dataclass

from cotera.errors import NotFoundError, Problem, ValidationError
from cotera.territory.catalog import TerritoryCatalog
from cotera.territory.model import Territory, TerritoryCode
from cotera.types import Level

MEMBER_LEVELS = (Level.DEPARTEMENT, Level.EPCI, Level.COMMUNE)
_ANCESTOR_LEVELS = (Level.EPCI, Level.DEPARTEMENT, Level.REGION, Level.COUNTRY)


@dataclass(frozen=True, slots=True)
class CustomTerritory:
    """A territory defined by its members; its code is ``custom:<slug>``.

    Members are communes, EPCI or départements; together they must not count a commune
    twice (checked by ``resolve_members``).
    """

    slug: str
    name: str
    members: tuple[TerritoryCode, ...]

    def __post_init__(self) -> None:
        problems: list[Problem] = []
        try:
            TerritoryCode.parse(f"custom:{self.slug}")
        except NotFoundError:
            problems.append(
                Problem(
                    "bad_slug",
                    "identifiant invalide",
                    column="slug",
                    value=self.slug,
                    expected="minuscules, chiffres, - ou _",
                )
            )
        if not self.name.strip():
            problems.append(Problem("missing_value", "nom vide", column="name"))
        if not self.members:
            problems.append(Problem("missing_value", "aucun membre", column="members"))
        seen: set[TerritoryCode] = set()
        for member in self.members:
            if member.level not in MEMBER_LEVELS:
                problems.append(
                    Problem(
                        "bad_member_level",
                        "niveau de membre non admis",
                        column="members",
                        value=str(member),
                        expected="com:…, epci:… ou dep:…",
                    )
                )
            if member in seen:
                problems.append(Problem("duplicate_member", "membre en double", value=str(member)))
            seen.add(member)
        if problems:
            raise ValidationError(f"territoire personnalisé {self.slug!r} invalide", problems)

    @property
    def code(self) -> TerritoryCode:
        """``custom:<slug>``."""
        return TerritoryCode(Level.CUSTOM, self.slug)

    def resolve_members(self, catalog: TerritoryCatalog) -> tuple[Territory, ...]:
        """The communes of the territory, by code.

        ValidationError lists every member unknown to the catalog and every commune
        reached through two members (e.g. a commune and the EPCI that contains it).
        """
        problems: list[Problem] = []
        owner: dict[TerritoryCode, TerritoryCode] = {}
        for member in self.members:
            if member not in catalog:
                problems.append(
                    Problem("unknown_member", "membre inconnu", column="members", value=str(member))
                )
                continue
            for commune in catalog.communes_of(member):
                first = owner.setdefault(commune.code, member)
                if first != member:
                    problems.append(
                        Problem(
                            "overlapping_members",
                            f"la commune {commune.code} ({commune.name}) est comptée deux fois, "
                            f"via {first} et via {member}",
                            column="members",
                            value=str(member),
                        )
                    )
        if problems:
            raise ValidationError(f"territoire personnalisé {self.slug!r} incohérent", problems)
        return tuple(catalog.get(code) for code in sorted(owner, key=lambda c: c.code))

    def to_territory(self, catalog: TerritoryCatalog) -> Territory:
        """A Territory record: population summed over the communes, parents shared by all."""
        communes = self.resolve_members(catalog)
        populations = [c.population for c in communes]
        population = None if None in populations else sum(p or 0 for p in populations)
        parents: list[TerritoryCode] = []
        for level in _ANCESTOR_LEVELS:
            ancestors = {c.parent(level) for c in communes}
            if len(ancestors) == 1 and (ancestor := ancestors.pop()) is not None:
                parents.append(ancestor)
        return Territory(self.code, self.name, population, tuple(parents))
