"""Place rows keyed by the commune codes of a past year onto today's communes, EPCI and
départements, without giving a row to a territory that holds only part of it.

Each code of the file covers a *perimeter* of today's communes: itself when it is a current
commune; the current commune that took it in (``former_commune_codes``: communes déléguées or
associées, former codes of communes nouvelles, municipal arrondissements), where its counts add
up with that commune's own; both communes of a split (``commune_splits``) when the year falls
inside the merger (Bois-Guillaume-Bihorel in 2013 is today's Bois-Guillaume and Bihorel); none
when the COG knows no current commune for it, in which case only its département (read from the
code) can take it. A row is placed in a territory of a level when its whole perimeter lies in
that one territory; a territory that holds only part of some row's perimeter cannot be given a
value (``straddled``).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from cotera.sources.indicators.context import LoadContext

LEVELS = ("com", "epci", "dep")


@dataclass(frozen=True, slots=True)
class Placement:
    """Where each code of one year goes, level by level."""

    placed: pl.DataFrame  # code, level, territory: the code's counts belong to that territory
    straddled: pl.DataFrame  # level, territory: holds only part of some code's perimeter
    remapped: pl.DataFrame  # code, commune: former codes counted in a current commune
    departement_only: pl.DataFrame  # code, dep: no current commune, counted in its département
    unplaced: tuple[str, ...]  # codes of no known département: counted nowhere
    merged: tuple[tuple[str, str, str], ...]  # (merged name, its code, re-established commune)


def departement_of_code(code: str) -> str:
    """The département a commune code belongs to (``97411`` → ``974``, ``2A004`` → ``2A``)."""
    return code[:3] if code.startswith("97") else code[:2]


def place(codes: pl.Series, context: LoadContext, year: int) -> Placement:
    """Placement of the distinct commune ``codes`` of a file describing ``year``."""
    current = context.commune_parent
    frame = pl.DataFrame({"code": codes.unique().sort()}).with_columns(
        commune=pl.when(pl.col("code").is_in(list(current)))
        .then(pl.col("code"))
        .otherwise(pl.col("code").replace_strict(context.former_commune_codes, default=None))
    )
    active = [s for s in context.commune_splits if s.merged_in(year)]
    joined = {s.merged_into: s.commune for s in active}
    members = pl.concat(
        [
            frame.filter(pl.col("commune").is_not_null()),
            frame.filter(pl.col("commune").is_in(list(joined))).with_columns(
                pl.col("commune").replace_strict(joined, return_dtype=pl.String)
            ),
        ]
    ).with_columns(
        dep=pl.col("commune").replace_strict(current, default=None),
        epci=pl.col("commune").replace_strict(context.commune_epci, default=None),
    )
    orphans = frame.filter(pl.col("commune").is_null()).with_columns(
        dep=pl.col("code").map_elements(departement_of_code, return_dtype=pl.String)
    )
    known = orphans.filter(pl.col("dep").is_in(list(context.departements())))
    by_level = pl.concat(
        [
            members.select("code", level=pl.lit("com"), territory="com:" + pl.col("commune")),
            members.select(
                "code",
                level=pl.lit("epci"),
                territory=pl.when(pl.col("epci").is_null())
                .then(pl.lit("none"))
                .otherwise("epci:" + pl.col("epci")),
            ),
            members.select("code", level=pl.lit("dep"), territory="dep:" + pl.col("dep")),
            known.select("code", level=pl.lit("dep"), territory="dep:" + pl.col("dep")),
        ]
    ).unique()
    spread = by_level.with_columns(n=pl.col("territory").n_unique().over("code", "level"))
    real = pl.col("territory") != "none"
    return Placement(
        placed=spread.filter((pl.col("n") == 1) & real).select("code", "level", "territory"),
        straddled=spread.filter((pl.col("n") > 1) & real).select("level", "territory").unique(),
        remapped=frame.filter(
            pl.col("commune").is_not_null() & (pl.col("code") != pl.col("commune"))
        ),
        departement_only=known.select("code", "dep"),
        unplaced=tuple(orphans.join(known, on="code", how="anti").get_column("code").to_list()),
        merged=tuple((s.merged_name, s.merged_into, s.commune) for s in active),
    )
