"""The survey prism beside the partnership barometer: has / intends / none, from stored waves.

The registry counts the organisations that *have* a partnership; the companies and associations
surveys also say who has none but *intends* to. For each territory of a barometer table and each
kind of organisation with a prism (company ↔ companies, association ↔ associations), the latest
stored wave of that prism gives the weighted shares of the three answers with 95 % confidence
intervals (``cotera.survey``: logit intervals as R ``svyciprop``).

Where: as for the portrait's prisms (:mod:`cotera.services.prism_reading`), the finest of the
territory itself, its région, France at which the prism has at least its secrecy threshold of
respondents (3 organisations) answering the partnership question, chosen per prism; the area
used is a column of every row. Cells below the threshold (and the cells hidden so that they
cannot be recomputed from the total) read « secret statistique », without figures; a cell
without any respondent reads « aucun répondant ».

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
from cotera.services.survey import estimate_frame
from cotera.services.territories import read_catalog, resolve_in
from cotera.settings import Settings
from cotera.storage.survey_store import Wave, read_responses
from cotera.survey.estimation import OVERALL
from cotera.survey.questionnaire import Prism, phare_questionnaire
from cotera.survey.secrecy import min_respondents
from cotera.territory.catalog import TerritoryCatalog
from cotera.territory.model import FRANCE, Territory
from cotera.types import Level

PRISM_OF_KIND = {
    OrganizationKind.COMPANY: Prism.COMPANIES,
    OrganizationKind.ASSOCIATION: Prism.ASSOCIATIONS,
}
# registry size band → the survey column that tells it, and the survey code
SURVEY_BAND: dict[Prism, tuple[str, dict[str, str]]] = {
    Prism.COMPANIES: (
        "size_band",
        {"0": "0-9", "1-9": "0-9", "10-49": "10-49", "50-249": "50-249", "250+": "250+"},
    ),
    Prism.ASSOCIATIONS: (
        "employer",
        {"0": "0", "1-9": "1", "10-49": "1", "50-249": "1", "250+": "1"},
    ),
}
STATUSES = ("has", "intends", "none")
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
    "Enquête lue à l'échelle la plus fine comptant au moins 3 répondants du prisme : le "
    "territoire, sinon sa région, sinon la France (colonne survey_area) ; en dessous, « secret "
    "statistique ». La dernière vague de chaque prisme vaut pour toutes les années."
)

OrganizationWaves = Mapping[OrganizationKind, tuple[Wave, pl.DataFrame]]


def organization_waves(
    waves: Mapping[Wave, pl.DataFrame],
) -> dict[OrganizationKind, tuple[Wave, pl.DataFrame]]:
    """The latest companies and associations waves of ``waves`` by registry kind, their
    respondents reduced to those who answered the partnership question."""
    out = {}
    for kind, prism in PRISM_OF_KIND.items():
        found = [w for w in waves if w.prism == prism.value]
        if found:
            wave = max(found, key=lambda w: w.id)
            out[kind] = (wave, waves[wave].filter(pl.col("partnership").is_not_null()))
    return out


def stored_organization_waves(engine: Engine) -> dict[OrganizationKind, tuple[Wave, pl.DataFrame]]:
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
                     "area_name": pl.String, "wave": pl.String,
                     "wave_synthetic": pl.Boolean}  # fmt: skip


def _scope(
    frame: pl.DataFrame,
    prism: Prism,
    territory: Territory,
    catalog: TerritoryCatalog,
    seen: dict[str, pl.DataFrame],
) -> tuple[Scope, pl.DataFrame]:
    """The finest scope with at least the prism's threshold of respondents (France at worst).

    ``seen`` keeps the respondents of each scope already read (the régions and France are
    shared by many territories).
    """
    candidates = scopes(territory, catalog)
    for scope in candidates:
        if scope.code not in seen:
            seen[scope.code] = in_scope(frame, scope)
        rows = seen[scope.code]
        if rows.height >= min_respondents(prism):
            return scope, rows
    return candidates[-1], rows


def _estimate(frame: pl.DataFrame, prism: Prism, column: str | None) -> dict[str, dict[str, Any]]:
    """Shares by survey domain (``ensemble`` without ``column``); hidden domains have no figure."""
    if frame.height == 0:
        return {}
    weight = "weight" if frame["weight"].is_not_null().all() else None
    table = estimate_frame(
        frame, "partnership", weight=weight, by=column, threshold=min_respondents(prism)
    )
    cells: dict[str, dict[str, Any]] = {}
    for row in table.table.rows:
        hidden = table.statuses[row.domain].hidden
        cell = cells.setdefault(
            row.domain, {"n": None if hidden else row.n, "status": SECRET if hidden else PUBLISHED}
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
    respondents were read), ``wave`` and ``wave_synthetic``. Respondents are filtered and
    estimated once per prism and area.
    """
    records: list[dict[str, Any]] = []
    cache: dict[tuple[Prism, str], dict[str, dict[str, Any]]] = {}
    seen: dict[Prism, dict[str, pl.DataFrame]] = {p: {} for p in PRISM_OF_KIND.values()}
    absent = {"status": NO_RESPONDENT}
    for code, territory in places.items():
        for kind, (wave, frame) in waves.items():
            prism = PRISM_OF_KIND[kind]
            scope, rows = _scope(frame, prism, territory, catalog, seen[prism])
            column, bands = SURVEY_BAND[prism]
            if (prism, scope.code) not in cache:
                cache[prism, scope.code] = _estimate(rows, prism, column if by_size else None)
            cells = cache[prism, scope.code]
            base = {"territory": code, "kind": kind.value, "area": scope.code,
                    "area_name": scope.name, "wave": wave.name,
                    "wave_synthetic": wave.synthetic}  # fmt: skip
            if by_size:
                records += [
                    base | {"size_band": band} | cells.get(domain, absent)
                    for band, domain in bands.items()
                ]
            else:
                records.append(base | cells.get(OVERALL, absent))
    return pl.DataFrame(records, schema=_schema(by_size))


def wave_notes(waves: OrganizationWaves) -> tuple[str, ...]:
    """Which wave gave each prism (synthetic ones said so), or why there is no survey."""
    if not waves:
        return (NO_WAVE,)
    questionnaire = phare_questionnaire()
    notes = []
    for kind, (wave, frame) in waves.items():
        label = questionnaire.prism(PRISM_OF_KIND[kind]).label_fr.lower()
        synthetic = f" ({SYNTHETIC_WAVE})" if wave.synthetic else ""
        notes.append(
            f"Enquête {label} : vague « {wave.name} »{synthetic}, {frame.height} répondants à "
            "la question du partenariat."
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
    return SurveyBarometer(with_survey(rates, prism), wave_notes(waves))
