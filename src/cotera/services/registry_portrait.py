"""The registry seen from one territory: the barometer section and the compass's facts.

The registry's organisations and memberships are read once (:class:`RegistrySnapshot`) and
then cut by territory. The reference year is the latest year a stored partnership started; the
evolution runs over the :data:`SPAN` years before it. A partnership counts in a year when it has
started and has not ended (as in ``cotera.registry.barometer``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import polars as pl
from sqlalchemy import Engine

from cotera.compass import CompassFacts, FactOrigin, FactValue
from cotera.registry.barometer import BarometerData, Dimension, partnership_rates, with_survey
from cotera.registry.model import OrganizationKind
from cotera.report.barometer import BarometerView
from cotera.services.barometer_survey import NO_WAVE, OrganizationWaves, survey_prism
from cotera.services.compass import MULTI_ACTOR_KINDS, STAKEHOLDER_OF_KIND
from cotera.services.registry import commune_frame, organization_synthetic_share
from cotera.storage.registry_store import memberships_frame, organizations_frame
from cotera.territory.catalog import TerritoryCatalog
from cotera.territory.model import Territory
from cotera.types import Level

SPAN = 5
EMPTY_REGISTRY = (
    "Le registre des partenariats est vide : pas de baromètre (« cotera registry import » pour "
    "des registres réels, « cotera demo synth » pour un registre synthétique de démonstration)."
)
LEVEL_COLUMNS = {
    Level.REGION: "region",
    Level.DEPARTEMENT: "departement",
    Level.EPCI: "epci",
    Level.COMMUNE: "commune",
}


@dataclass(eq=False)
class RegistrySnapshot:
    """Every organisation (with its EPCI, département, région) and membership, read once."""

    organizations: pl.DataFrame
    members: pl.DataFrame
    synthetic: bool
    year: int
    _by_level: dict[Level, BarometerData] = field(default_factory=dict)

    @classmethod
    def read(cls, engine: Engine) -> RegistrySnapshot:
        """Read the registry (empty frames when nothing is stored)."""
        with engine.connect() as connection:
            organizations = organizations_frame(connection)
            members = memberships_frame(connection)
            synthetic = organization_synthetic_share(connection) > 0
            geography = commune_frame(connection) if organizations.height else None
        if geography is not None:
            organizations = organizations.join(
                geography.select("commune", "epci", "departement", "region"),
                on="commune",
                how="left",
            )
        starts = members["start_year"].drop_nulls()
        year = int(starts.max()) if starts.len() else date.today().year  # type: ignore[arg-type]
        return cls(organizations, members, synthetic, year)

    @property
    def empty(self) -> bool:
        """No organisation stored."""
        return self.organizations.height == 0

    def of(self, territory: Territory, catalog: TerritoryCatalog) -> pl.DataFrame:
        """The organisations located in the territory's communes."""
        if self.empty:
            return self.organizations
        column = LEVEL_COLUMNS.get(territory.level)
        if column is not None:
            return self.organizations.filter(pl.col(column) == territory.code.code)
        communes = [c.code.code for c in catalog.communes_of(territory.code)]
        return self.organizations.filter(pl.col("commune").is_in(communes))

    def peers_data(self, level: Level) -> BarometerData:
        """Organisations coded by their territory at ``level`` (``dep:93`` …), cached."""
        if level not in self._by_level:
            column = LEVEL_COLUMNS[level]
            frame = self.organizations.with_columns(
                territory=pl.lit(f"{level.value}:") + pl.col(column)
            )
            self._by_level[level] = BarometerData.prepare(frame, self.members)
        return self._by_level[level]


def _rates(
    organizations: pl.DataFrame,
    members: pl.DataFrame,
    years: Sequence[int],
    by: Sequence[Dimension],
) -> pl.DataFrame:
    return partnership_rates(BarometerData.prepare(organizations, members), years, by)


def barometer_view(
    snapshot: RegistrySnapshot,
    territory: Territory,
    catalog: TerritoryCatalog,
    peers: Mapping[str, str],
    level_plural: str,
    fragility_labels: Mapping[str, str],
    waves: OrganizationWaves | None = None,
) -> BarometerView | str:
    """The territory's barometer, or the sentence saying why there is none.

    ``peers`` maps the peers' codes (the territory's included) to their names; ``waves`` (the
    latest companies and associations waves) add the survey prism by kind.
    """
    if snapshot.empty:
        return EMPTY_REGISTRY
    own = snapshot.of(territory, catalog)
    if own.height == 0:
        return (
            "Aucune organisation du registre des partenariats n'est située dans "
            f"{territory.name} : pas de baromètre pour ce territoire."
        )
    end, start = snapshot.year, snapshot.year - SPAN
    years = list(range(start, end + 1))
    both = [start, end]
    peer_rates = pl.DataFrame(
        schema={"territory": pl.String, "organizations": pl.Int64, "partnering": pl.Int64,
                "rate": pl.Float64}
    )  # fmt: skip
    if territory.level in LEVEL_COLUMNS:
        table = partnership_rates(
            snapshot.peers_data(territory.level), [end], [Dimension.TERRITORY]
        )
        peer_rates = table.filter(pl.col("territory").is_in(list(peers))).select(
            "territory", "organizations", "partnering", "rate"
        )
    names = pl.DataFrame(
        {"territory": list(peers), "name": list(peers.values())},
        schema={"territory": pl.String, "name": pl.String},
    )
    by_kind = _rates(own, snapshot.members, both, [Dimension.KIND])
    prism = survey_prism(waves or {}, {str(territory.code): territory}, catalog)
    return BarometerView(
        territory=str(territory.code),
        name=territory.name,
        level_plural=level_plural,
        year=end,
        start=start,
        synthetic=snapshot.synthetic,
        yearly=_rates(own, snapshot.members, years, ()),
        by_kind=by_kind,
        by_form=_rates(own, snapshot.members, both, [Dimension.FORM]),
        by_fragility=_rates(own, snapshot.members, both, [Dimension.FRAGILITY]),
        peers=peer_rates.join(names, on="territory", how="left"),
        fragility_labels=fragility_labels,
        survey=with_survey(by_kind.filter(pl.col("year") == end), prism.drop("territory")),
        survey_reason=NO_WAVE if not waves else "",
    )


def registry_facts(snapshot: RegistrySnapshot, own: pl.DataFrame) -> CompassFacts | None:
    """The compass's facts from the territory's organisations ``own`` (None when none).

    Organisations active in the reference year are counted per stakeholder; partnerships live
    that year with a member in the territory are association–company ones when both kinds take
    part, multi-actor when their members span at least three kinds of actors.
    """
    if own.height == 0:
        return None
    year = snapshot.year
    active = own.filter(
        (pl.col("created_year").is_null() | (pl.col("created_year") <= year))
        & (pl.col("dissolved_year").is_null() | (pl.col("dissolved_year") > year))
    )
    counts = dict.fromkeys(STAKEHOLDER_OF_KIND.values(), 0)
    for kind, number in active.group_by("kind").len().iter_rows():
        counts[STAKEHOLDER_OF_KIND[OrganizationKind(kind)]] += number
    members = snapshot.members.filter(
        (pl.col("start_year").is_null() | (pl.col("start_year") <= year))
        & (pl.col("end_year").is_null() | (pl.col("end_year") >= year))
    )
    local = members.filter(pl.col("organization_id").is_in(own["id"].implode()))
    kinds = (
        members.filter(pl.col("partnership_id").is_in(local["partnership_id"].unique().implode()))
        .group_by("partnership_id")
        .agg(
            kinds=pl.col("kind").n_unique(),
            association=(pl.col("kind") == OrganizationKind.ASSOCIATION.value).any(),
            company=(pl.col("kind") == OrganizationKind.COMPANY.value).any(),
        )
    )
    association_company = kinds.filter(pl.col("association") & pl.col("company")).height
    multi_actor = kinds.filter(pl.col("kinds") >= MULTI_ACTOR_KINDS).height
    note = f"registre : partenariats en cours en {year}"
    if snapshot.synthetic:
        note += " (registre synthétique)"
    return CompassFacts(
        partnerships=FactValue(association_company, FactOrigin.REGISTRY),
        multi_actor_partnerships=FactValue(multi_actor, FactOrigin.REGISTRY),
        organisations=tuple(counts.items()),
        notes=(note,),
    )
