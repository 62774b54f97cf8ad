"""Pioneer partnerships of a territory (stage 0 of the maturity path), scored with reasons.

Four criteria from the deck: the innovation sociétale form, several kinds of actors, the
territory's priority fragilities, and durability. Points are data (:class:`PioneerRules`); a
partnership meeting all four criteria is flagged as a pioneer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl

from cotera.referential.fragilities import fragility_referential
from cotera.registry.fragility_mask import sorted_codes
from cotera.registry.model import OrganizationKind, PartnershipForm


@dataclass(frozen=True, slots=True)
class PioneerRules:
    """Points per criterion and the durability threshold."""

    societal_innovation: int = 3
    economic_cooperation: int = 1
    per_extra_kind: int = 1  # per kind of actor beyond the first
    max_kind_points: int = 3
    first_priority: int = 2
    further_priority: int = 1  # once, when two or more priorities are addressed
    durable_years: float = 3.0
    durable: int = 2
    established_years: float = 1.0
    established: int = 1


@dataclass(frozen=True, slots=True)
class PioneerCandidate:
    """A partnership's pioneer score, whether it meets every criterion, and why."""

    partnership_id: int
    score: int
    pioneer: bool
    kinds: tuple[OrganizationKind, ...]
    priorities: tuple[str, ...]
    years: float | None
    reasons: tuple[str, ...]


def score_pioneers(
    partnerships: pl.DataFrame,
    members: pl.DataFrame,
    priorities: int,
    reference: date,
    rules: PioneerRules = PioneerRules(),
    top: int | None = 20,
) -> tuple[PioneerCandidate, ...]:
    """Rank partnerships (``id``, ``form``, ``fragility_mask``, ``start_on``, ``end_on``).

    ``members`` has ``partnership_id`` and ``kind`` (the member organisation's kind);
    ``priorities`` is the mask of the territory's priority fragilities. Best first, ties by id.
    """
    kinds = members.group_by("partnership_id").agg(pl.col("kind").unique().sort().alias("kinds"))
    reference_lit = pl.lit(reference, dtype=pl.Date)
    until = pl.min_horizontal(pl.col("end_on").fill_null(reference_lit), reference_lit)
    priority_hits = (pl.col("fragility_mask") & priorities).cast(pl.UInt16)
    frame = (
        partnerships.join(kinds, left_on="id", right_on="partnership_id", how="left")
        .with_columns(
            kinds=pl.col("kinds").fill_null(pl.lit([], dtype=pl.List(pl.String))),
            years=((until - pl.col("start_on")).dt.total_days() / 365.25).clip(lower_bound=0),
            priority_mask=priority_hits,
        )
        .with_columns(
            kind_count=pl.col("kinds").list.len(),
            priority_count=pl.col("priority_mask").bitwise_count_ones(),
        )
        .with_columns(
            form_points=pl.when(pl.col("form") == PartnershipForm.SOCIETAL_INNOVATION.value)
            .then(rules.societal_innovation)
            .when(pl.col("form") == PartnershipForm.ECONOMIC_COOPERATION.value)
            .then(rules.economic_cooperation)
            .otherwise(0),
            kind_points=((pl.col("kind_count") - 1).clip(lower_bound=0) * rules.per_extra_kind)
            .clip(upper_bound=rules.max_kind_points)
            .cast(pl.Int64),
            priority_points=pl.when(pl.col("priority_count") >= 2)
            .then(rules.first_priority + rules.further_priority)
            .when(pl.col("priority_count") == 1)
            .then(rules.first_priority)
            .otherwise(0),
            durable_points=pl.when(pl.col("years") >= rules.durable_years)
            .then(rules.durable)
            .when(pl.col("years") >= rules.established_years)
            .then(rules.established)
            .otherwise(0),
        )
        .with_columns(
            score=pl.sum_horizontal(
                "form_points", "kind_points", "priority_points", "durable_points"
            ),
            pioneer=(pl.col("form") == PartnershipForm.SOCIETAL_INNOVATION.value)
            & (pl.col("kind_count") >= 2)
            & ((pl.col("priority_count") >= 1) | pl.lit(priorities == 0))
            & (pl.col("years") >= rules.durable_years).fill_null(False),
        )
        .sort(["score", "id"], descending=[True, False])
    )
    if top is not None:
        frame = frame.head(top)
    return tuple(_candidate(row) for row in frame.iter_rows(named=True))


def _candidate(row: dict[str, Any]) -> PioneerCandidate:
    referential = fragility_referential()
    form = PartnershipForm(str(row["form"]))
    kinds = tuple(OrganizationKind(str(k)) for k in row["kinds"])
    priorities = sorted_codes(int(row["priority_mask"]))
    years = row["years"]
    reasons = [f"forme : {form.label()} (+{row['form_points']})"]
    reasons.append(
        f"{len(kinds)} type(s) d'acteurs : {', '.join(k.label() for k in kinds) or 'aucun'}"
        f" (+{row['kind_points']})"
    )
    if priorities:
        names = ", ".join(f"{c} {referential.get(c).label_fr}" for c in priorities)
        reasons.append(
            f"répond à {len(priorities)} fragilité(s) prioritaire(s) : {names}"
            f" (+{row['priority_points']})"
        )
    else:
        reasons.append("ne répond à aucune fragilité prioritaire du territoire (+0)")
    if years is None:
        reasons.append("date de début inconnue : durée non évaluée (+0)")
    else:
        text = f"{float(years):.1f}".replace(".", ",")
        reasons.append(f"durée : {text} an(s) (+{row['durable_points']})")
    return PioneerCandidate(
        partnership_id=int(row["id"]),
        score=int(row["score"]),
        pioneer=bool(row["pioneer"]),
        kinds=kinds,
        priorities=priorities,
        years=None if years is None else float(years),
        reasons=tuple(reasons),
    )
