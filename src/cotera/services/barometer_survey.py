"""The survey prism beside the partnership barometer: has / intends / none, from stored waves.

The registry counts the organisations that *have* a partnership; the companies and associations
surveys also say who has none but *intends* to. For each territory of a barometer table and each
kind of organisation with a prism (company ↔ companies, association ↔ associations), the latest
stored wave of that prism gives the weighted shares of the three answers with 95 % confidence
intervals (``cotera.survey``: logit intervals as R ``svyciprop``).

Where: as for the portrait's prisms (:mod:`cotera.services.prism_reading`), the finest of the
territory itself, its région, France that the secrecy plan of the wave's partnership question
publishes (:mod:`cotera.survey.publication`: the geography crossed with the survey's size band,
so that the areas, the bands and ``cotera survey estimate`` share one pattern), chosen per prism;
the area used is a column of every row, and ``local_status`` says why the territory itself is
not used (too few respondents or a dominant one, or secondary secrecy: its figure would give back
a smaller neighbour by difference with the région's). A région figure is thus never shown beside
départements that would give back a hidden one: enough of them are hidden too, and read the
région. Hidden band cells read « secret statistique », without figures; a cell without any
respondent reads « aucun répondant ».

Size bands: the companies survey has its own bands (registry ``0`` and ``1-9`` read as ``0-9``);
the associations survey says whether the association employs (registry band ``0`` reads as
non-employer, the other known bands as employer). The ``unknown`` band has no survey figure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl
from sqlalchemy import Engine

from cotera.errors import NotFoundError
from cotera.registry.barometer import Dimension, with_survey
from cotera.registry.model import OrganizationKind
from cotera.services.database import database
from cotera.services.prism_reading import Scope, in_scope, latest_waves, scopes
from cotera.services.registry import barometer
from cotera.services.survey import stored_estimates, wave_plan
from cotera.services.territories import read_catalog, resolve_in
from cotera.settings import Settings
from cotera.storage.survey_store import Wave, read_responses
from cotera.survey.estimation import OVERALL
from cotera.survey.publication import GROUPED, QuestionPlan
from cotera.survey.questionnaire import Prism, phare_questionnaire
from cotera.survey.secrecy import CellStatus
from cotera.territory.catalog import TerritoryCatalog
from cotera.territory.model import FRANCE, Territory
from cotera.types import Level

PRISM_OF_KIND = {
    OrganizationKind.COMPANY: Prism.COMPANIES,
    OrganizationKind.ASSOCIATION: Prism.ASSOCIATIONS,
}
# registry size band → the survey code of the partnership question's crossing (size band)
SURVEY_BAND: dict[Prism, dict[str, str]] = {
    Prism.COMPANIES: {
        "0": "0-9", "1-9": "0-9", "10-49": "10-49", "50-249": "50-249", "250+": "250+"
    },
    Prism.ASSOCIATIONS: {"0": "0", "1-9": "1", "10-49": "1", "50-249": "1", "250+": "1"},
}  # fmt: skip
STATUSES = ("has", "intends", "none")
GROUP = "_survey_band"  # the survey's bands as the secrecy plan groups them
PUBLISHED = "publié"
SECRET = "secret statistique"
NO_RESPONDENT = "aucun répondant"
SYNTHETIC_WAVE = "données synthétiques"
NO_WAVE = (
    "Aucune vague d'enquête entreprises ou associations n'est enregistrée : pas de part "
    "« partenariat / intention / ni l'un ni l'autre » à côté du registre (« cotera survey import "
    "FICHIER » pour une enquête réelle, « cotera demo synth » pour des données synthétiques)."
)
SCOPE_NOTE = (
    "Enquête lue à l'échelle la plus fine que le secret statistique publie : le territoire, "
    "sinon sa région, sinon la France (colonne survey_area ; survey_local_status dit pourquoi : "
    "moins de 3 répondants ou un répondant pesant plus de 85 % du total pondéré, ou secret "
    "secondaire, quand le chiffre du territoire permettrait de retrouver par différence avec "
    "celui de la région un territoire voisin trop petit). La dernière vague de chaque prisme "
    "vaut pour toutes les années."
)
LOCAL_STATUS = {
    CellStatus.PUBLISHED: PUBLISHED,
    CellStatus.PRIMARY: SECRET,
    CellStatus.SECONDARY: "secret statistique (secondaire)",
    CellStatus.EMPTY: NO_RESPONDENT,
}
NOT_A_PLACE = "échelle non publiée"


@dataclass(frozen=True)
class OrganizationWave:
    """The latest wave of a prism, its respondents to the partnership question and the
    question's secrecy plan."""

    wave: Wave
    frame: pl.DataFrame
    plan: QuestionPlan


OrganizationWaves = Mapping[OrganizationKind, OrganizationWave]


def organization_waves(
    waves: Mapping[Wave, pl.DataFrame],
) -> dict[OrganizationKind, OrganizationWave]:
    """The latest companies and associations waves of ``waves`` by registry kind, their
    respondents reduced to those who answered the partnership question, with its plan."""
    out = {}
    for kind, prism in PRISM_OF_KIND.items():
        found = [w for w in waves if w.prism == prism.value]
        if found:
            wave = max(found, key=lambda w: w.id)
            frame = waves[wave].filter(pl.col("partnership").is_not_null())
            out[kind] = OrganizationWave(wave, frame, wave_plan(frame, "partnership"))
    return out


def stored_organization_waves(engine: Engine) -> dict[OrganizationKind, OrganizationWave]:
    """:func:`organization_waves` of the stored waves (only those two prisms are read)."""
    wanted = {p.value for p in PRISM_OF_KIND.values()}
    return organization_waves(
        {w: read_responses(engine, w) for w in latest_waves(engine) if w.prism in wanted}
    )


def _schema(by_size: bool) -> dict[str, Any]:
    schema: dict[str, Any] = {"territory": pl.String, "kind": pl.String}
    if by_size:
        schema["size_band"] = pl.String
    for status in STATUSES:
        schema |= {status: pl.Float64, f"{status}_ci_low": pl.Float64,
                   f"{status}_ci_high": pl.Float64}  # fmt: skip
    return schema | {"n": pl.Int64, "status": pl.String, "area": pl.String,
                     "area_name": pl.String, "local_status": pl.String, "wave": pl.String,
                     "wave_synthetic": pl.Boolean}  # fmt: skip


def _scope(
    plan: QuestionPlan, territory: Territory, catalog: TerritoryCatalog
) -> tuple[Scope, str]:
    """The finest scope the plan publishes (France at worst), and the territory's own status."""
    candidates = scopes(territory, catalog)
    first = candidates[0]
    local = LOCAL_STATUS[plan.place(first.level, first.key)] if first.placed else NOT_A_PLACE
    for scope in candidates:
        if scope.status_in(plan):
            return scope, local
    return candidates[-1], local


def _cell_label(status: CellStatus) -> str:
    if status is CellStatus.PUBLISHED:
        return PUBLISHED
    return NO_RESPONDENT if status is CellStatus.EMPTY else SECRET


def _estimate(rows: pl.DataFrame, plan: QuestionPlan, scope: Scope,
              by_size: bool) -> dict[str, dict[str, Any]]:  # fmt: skip
    """Shares by band (``ensemble`` without bands) of the scope's respondents ``rows``; the
    status of each cell is the plan's, hidden cells have no figure."""
    if rows.height == 0:
        return {}
    if by_size and plan.crossing is not None:
        band = pl.col(plan.crossing).cast(pl.Utf8).fill_null("").replace(dict(plan.groups))
        table = stored_estimates(rows.with_columns(band.alias(GROUP)), "partnership", GROUP)
    else:
        table = stored_estimates(rows, "partnership")
    cells: dict[str, dict[str, Any]] = {}
    for row in table.rows:
        status = plan.place(scope.level, scope.key, row.domain if by_size else None)
        hidden = status.hidden
        cell = cells.setdefault(
            row.domain, {"n": None if hidden else row.n, "status": _cell_label(status)}
        )
        if not hidden and row.level in STATUSES:
            cell |= {row.level: row.estimate, f"{row.level}_ci_low": row.ci_low,
                     f"{row.level}_ci_high": row.ci_high}  # fmt: skip
    return cells


def survey_prism(
    waves: OrganizationWaves,
    places: Mapping[str, Territory],
    catalog: TerritoryCatalog,
    by_size: bool = False,
) -> pl.DataFrame:
    """One row per place (its barometer label → territory), kind with a wave (and size band).

    Columns: ``territory``, ``kind`` (``size_band``), ``has``/``intends``/``none`` with
    ``*_ci_low``/``*_ci_high``, ``n``, ``status``, ``area`` and ``area_name`` (where the
    respondents were read), ``local_status`` (the territory's own status), ``wave`` and
    ``wave_synthetic``. Respondents are filtered and estimated once per prism and area.
    """
    records: list[dict[str, Any]] = []
    cache: dict[tuple[Prism, str], dict[str, dict[str, Any]]] = {}
    absent = {"status": NO_RESPONDENT}
    for code, territory in places.items():
        for kind, organization in waves.items():
            prism = PRISM_OF_KIND[kind]
            plan = organization.plan
            scope, local = _scope(plan, territory, catalog)
            if (prism, scope.code) not in cache:
                rows = in_scope(organization.frame, scope)
                cache[prism, scope.code] = _estimate(rows, plan, scope, by_size)
            cells = cache[prism, scope.code]
            base = {"territory": code, "kind": kind.value, "area": scope.code,
                    "area_name": scope.name, "local_status": local,
                    "wave": organization.wave.name,
                    "wave_synthetic": organization.wave.synthetic}  # fmt: skip
            if by_size:
                records += [
                    base | {"size_band": band} | cells.get(plan.groups.get(level, level), absent)
                    for band, level in SURVEY_BAND[prism].items()
                ]
            else:
                records.append(base | cells.get(OVERALL, absent))
    return pl.DataFrame(records, schema=_schema(by_size))


def wave_notes(waves: OrganizationWaves, by_size: bool = False) -> tuple[str, ...]:
    """Which wave gave each prism (synthetic ones said so), or why there is no survey; by
    size band, which survey bands are read together."""
    if not waves:
        return (NO_WAVE,)
    questionnaire = phare_questionnaire()
    notes = []
    for kind, organization in waves.items():
        wave = organization.wave
        label = questionnaire.prism(PRISM_OF_KIND[kind]).label_fr.lower()
        synthetic = f" ({SYNTHETIC_WAVE})" if wave.synthetic else ""
        notes.append(
            f"Enquête {label} : vague « {wave.name} »{synthetic}, {organization.frame.height} "
            "répondants à la question du partenariat."
        )
        grouped = sorted({g for g in organization.plan.groups.values() if GROUPED in g})
        if by_size and grouped:
            notes.append(
                f"Enquête {label} : tranches lues ensemble pour le secret statistique (sinon "
                f"un territoire serait masqué) : {' ; '.join(grouped)}."
            )
    return (*notes, SCOPE_NOTE)


@dataclass(frozen=True, slots=True)
class SurveyBarometer:
    """A barometer table with its ``survey_*`` columns, and sentences on the waves used."""

    table: pl.DataFrame
    notes: tuple[str, ...]


def _france(catalog: TerritoryCatalog) -> Territory:
    try:
        return catalog.get(FRANCE)
    except NotFoundError:
        return Territory(FRANCE, "France")


def barometer_with_survey(
    settings: Settings,
    territory: str | None,
    by: Sequence[Dimension],
    years: Sequence[int],
    level: Level = Level.REGION,
) -> SurveyBarometer:
    """:func:`cotera.services.registry.barometer` joined with the survey prism.

    The survey is by kind of organisation, so ``kind`` is added to the cut when absent. Rows of
    kinds without a prism (public bodies …) have empty survey columns.
    """
    cut = list(by) if Dimension.KIND in by else [*by, Dimension.KIND]
    rates = barometer(settings, territory, cut, years, level)
    with database(settings) as engine:
        waves = stored_organization_waves(engine)
        with engine.connect() as connection:
            catalog = read_catalog(connection)
            place = resolve_in(connection, territory).territory if territory else None
    if Dimension.TERRITORY in cut:
        places = {}
        for code in rates["territory"].drop_nulls().unique().sort().to_list():
            try:
                places[code] = catalog.get(code)
            except NotFoundError:
                continue
    else:
        chosen = place or _france(catalog)
        places = {str(chosen.code): chosen}
    prism = survey_prism(waves, places, catalog, Dimension.SIZE_BAND in cut)
    if Dimension.TERRITORY not in cut:
        prism = prism.drop("territory")
    notes = wave_notes(waves, Dimension.SIZE_BAND in cut)
    return SurveyBarometer(with_survey(rates, prism), notes)
