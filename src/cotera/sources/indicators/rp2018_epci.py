"""F07, F05, F10 — 2018 census by EPCI (and by commune in the three big metropolises)."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from cotera.errors import Problem, ValidationError
from cotera.indicators.aggregation import aggregate
from cotera.indicators.catalogue import catalogue
from cotera.indicators.model import IndicatorKind, MissingReason
from cotera.sources.french_csv import read_text_table
from cotera.sources.french_values import parse_numbers
from cotera.sources.indicators.context import LoadContext, SourceLoad
from cotera.sources.indicators.dep_population import read_dep_population
from cotera.sources.indicators.rollup import roll_up
from cotera.sources.mirror import Mirror
from cotera.sources.observations import concat, observations

SOURCE = catalogue().source("rp2018_epci")
YEAR = 2018
# indicator code -> (file, column)
INDICATORS: dict[str, tuple[str, str]] = {
    "overcrowding_rate": ("indicators/epci_rp2018_filo2018/LOG_epci.csv", "Overcrowding_rate"),
    "single_person_households_share": (
        "indicators/epci_rp2018_filo2018/FAM_epci.csv",
        "SinglePerson_HH",
    ),
    "no_diploma_share": ("indicators/epci_rp2018_filo2018/FOR_epci.csv", "15+_NoDiploma_amg_WF"),
}
DEP_MIN_COVERAGE = 0.9
COG_COMMUNES_FILE = "cog/communes_cog2026.csv"


def _read(path: Path, indicator: str, column: str) -> tuple[pl.DataFrame, list[Problem]]:
    """Rows ``code, indicator, value, missing_reason`` (code: SIREN or commune code)."""
    text = read_text_table(path)
    problems = text.require(["codgeo", column])
    if problems:
        return pl.DataFrame(), problems
    codes = text.frame.get_column("codgeo")
    bad = [
        Problem(
            "bad_code",
            "code EPCI ou commune invalide",
            file=path.name,
            row=text.row_number(i),
            column="codgeo",
            value=str(code),
            expected="SIREN à 9 chiffres ou code commune à 5 caractères",
        )
        for i, code in enumerate(codes.to_list())
        if code is None or len(code) not in (5, 9)
    ]
    values = parse_numbers(text, column)
    frame = pl.DataFrame(
        {"code": codes, "value": values.values, "missing_reason": values.reasons}
    ).with_columns(indicator=pl.lit(indicator))
    return frame, [*problems, *bad, *values.problems]


def _unpublished_zeros(rows: pl.DataFrame, file: str) -> tuple[pl.DataFrame, list[Problem]]:
    """An overcrowding rate of 0 where the household fields of FAM_epci.csv are empty (small
    communes: 13008, 13090, 69233) is a missing value, not a zero."""
    no_households = rows.filter(
        (pl.col("indicator") == "single_person_households_share") & pl.col("value").is_null()
    ).get_column("code")
    zero = (
        (pl.col("indicator") == "overcrowding_rate")
        & (pl.col("value") == 0)
        & pl.col("code").is_in(no_households.implode())
    )
    codes = rows.filter(zero).get_column("code").sort()
    fixed = rows.with_columns(
        value=pl.when(zero).then(None).otherwise(pl.col("value")),
        missing_reason=pl.when(zero)
        .then(pl.lit(MissingReason.NOT_PUBLISHED.value))
        .otherwise(pl.col("missing_reason")),
    )
    note = Problem(
        "zero_read_as_missing",
        f"{codes.len()} taux de suroccupation à 0 lus comme manquants (champs des ménages vides "
        f"dans FAM_epci.csv) : {', '.join(codes)}",
        file=file,
    )
    return fixed, [note] if codes.len() else []


def _unmatched_epci(
    orphans: pl.Series, rows: pl.DataFrame, context: LoadContext, file: str
) -> list[Problem]:
    """The 2021 SIREN absent from the COG 2026 and the 2026 EPCI absent from the file (outside
    the three metropolises given by commune): the mirror has neither the 2021 membership nor the
    2021 populations, so the one cannot be matched to the other (e.g. 200035459 and 200036572
    against the CA Agglomération d'Agen, 200096956, which leaves Lot-et-Garonne uncovered)."""
    in_file = set(rows.get_column("code"))
    by_commune = {e for c, e in context.commune_epci.items() if c in in_file}
    missing = sorted(set(context.commune_epci.values()) - in_file - by_commune)
    metropolitan = [
        e
        for e in missing
        if not any(
            context.commune_parent[c].startswith("97")
            for c, epci in context.commune_epci.items()
            if epci == e
        )
    ]
    if not orphans.len() and not metropolitan:
        return []
    return [
        Problem(
            "unmatched_codes",
            f"{orphans.len()} EPCI de 2021 absents du COG 2026, non chargés : "
            f"{', '.join(orphans.head(20))} ; {len(metropolitan)} EPCI 2026 de métropole absents "
            f"du fichier, sans valeur (leurs communes non plus) : {', '.join(metropolitan)} ; "
            "le miroir n'a ni la composition ni la population des EPCI de 2021 pour les apparier",
            file=file,
        )
    ]


def _arrondissement_population(mirror: Mirror) -> tuple[dict[str, float], Path, list[Problem]]:
    """Populations of the municipal arrondissements (the file gives Paris, Lyon, Marseille by
    arrondissement), read from the COG communes file when the context lacks them."""
    path = mirror.path(COG_COMMUNES_FILE)
    text = read_text_table(path)
    problems = text.require(["code_insee", "type", "population"])
    if problems:
        return {}, path, problems
    frame = text.frame.with_row_index("__index").filter(
        pl.col("type") == "arrondissement-municipal"
    )
    rows = (frame.get_column("__index") + text.first_line).cast(pl.Int64)
    parsed = parse_numbers(text, "population", frame=frame, rows=rows)
    codes = frame.get_column("code_insee").to_list()
    values = parsed.values.to_list()
    return (
        {f"com:{c}": v for c, v in zip(codes, values, strict=True) if v is not None},
        path,
        list(parsed.problems),
    )


def _units(rows: pl.DataFrame, context: LoadContext, extra: dict[str, float]) -> pl.DataFrame:
    """One weighted unit per current commune (or per arrondissement) with the value it takes."""
    communes = pl.DataFrame(
        {"commune": list(context.commune_parent), "dep": list(context.commune_parent.values())}
    ).with_columns(
        epci=pl.col("commune").replace_strict(context.commune_epci, default=None),
    )
    arrondissements = pl.DataFrame(
        {
            "unit": list(context.former_commune_codes),
            "commune": list(context.former_commune_codes.values()),
        },
        schema={"unit": pl.String, "commune": pl.String},
    ).join(rows.select(pl.col("code").alias("unit")).unique(), on="unit")
    own = communes.join(rows.select(pl.col("code").alias("commune")).unique(), on="commune")
    split = communes.join(arrondissements, on="commune").filter(
        ~pl.col("commune").is_in(own.get_column("commune").implode())
    )
    units = pl.concat(
        [
            own.select(pl.col("commune").alias("unit"), "dep", pl.col("commune").alias("code")),
            split.select("unit", "dep", pl.col("unit").alias("code")),
            communes.filter(
                ~pl.col("commune").is_in(
                    pl.concat([own.get_column("commune"), split.get_column("commune")]).implode()
                )
            ).select(pl.col("commune").alias("unit"), "dep", pl.col("epci").alias("code")),
        ]
    )
    return units.with_columns(
        weight=("com:" + pl.col("unit")).replace_strict(
            extra | context.population, default=None, return_dtype=pl.Float64
        ),
        population_year=pl.lit(context.population_year, pl.Int32),
    )


def load(mirror: Mirror, context: LoadContext) -> SourceLoad:
    """EPCI and commune values of the file; départements from communes, then régions, France."""
    paths, frames, problems = [], [], []
    for indicator, (relative, column) in INDICATORS.items():
        path = mirror.path(relative)
        frame, file_problems = _read(path, indicator, column)
        paths.append(path)
        frames.append(frame)
        problems.extend(file_problems)
    arrondissements, cog_path, cog_problems = _arrondissement_population(mirror)
    dep_population, population_path, population_problems = read_dep_population(mirror)
    paths += [cog_path, population_path]
    problems += [*cog_problems, *population_problems]
    if problems:
        raise ValidationError(f"source {SOURCE.id} : fichier(s) invalide(s)", problems)
    rows, notes = _unpublished_zeros(pl.concat(frames), paths[0].name)
    territory = (
        pl.when(pl.col("code").str.len_chars() == 9)
        .then("epci:" + pl.col("code"))
        .otherwise("com:" + pl.col("code"))
    )
    published = rows.with_columns(territory=territory)
    known = published.filter(pl.col("territory").is_in(set(context.population)))
    source_obs = observations(
        "",
        known.get_column("territory"),
        YEAR,
        known.get_column("value"),
        known.get_column("missing_reason"),
    ).with_columns(indicator=known.get_column("indicator"))
    orphans = (
        published.filter(
            pl.col("territory").str.starts_with("epci:")
            & ~pl.col("territory").is_in(set(context.population))
        )
        .get_column("code")
        .unique()
        .sort()
    )
    notes += _unmatched_epci(orphans, rows, context, paths[0].name)
    units = _units(rows.select("code").unique(), context, arrondissements)
    unit_values = units.join(rows, on="code", how="left").filter(pl.col("indicator").is_not_null())
    grid = units.join(pl.DataFrame({"indicator": list(INDICATORS)}), how="cross").join(
        unit_values.select("unit", "indicator", "value"), on=["unit", "indicator"], how="left"
    )
    unit_obs = grid.select(
        "indicator",
        pl.col("unit").alias("territory"),
        pl.lit(YEAR).alias("year"),
        "value",
        pl.lit(None, pl.Float64).alias("numerator"),
        pl.lit(None, pl.Float64).alias("denominator"),
    )
    dep = aggregate(
        unit_obs,
        dict(zip(units.get_column("unit"), "dep:" + units.get_column("dep"), strict=True)),
        dict.fromkeys(INDICATORS, IndicatorKind.RATE),
        units.select(pl.col("unit").alias("territory"), "weight", "population_year"),
        min_coverage=DEP_MIN_COVERAGE,
    )
    uncovered = units.join(unit_values.select("unit").unique(), on="unit", how="anti")
    if uncovered.height:
        notes.append(
            Problem(
                "partial_coverage",
                f"{uncovered.height} communes actuelles sans valeur (ni ligne commune, ni EPCI "
                f"2026 présent dans le fichier) ; départements calculés si au moins "
                f"{DEP_MIN_COVERAGE:.0%} de leur population est couverte",
                file=paths[0].name,
            )
        )
    dep_obs = dep.observations.join(
        dep.coverage.filter(pl.col("covered") > 0).select("indicator", "territory", "year"),
        on=["indicator", "territory", "year"],
    )
    epci_obs = _unpublished_epci(unit_obs, units, context, set(known.get_column("territory")))
    upper, rollup_notes = roll_up(
        dep_obs,
        context,
        catalogue().of_source(SOURCE.id),
        weights=dep_population.filter(pl.col("year") == YEAR),
        source_file=paths[0].name,
    )
    return SourceLoad(
        concat([source_obs, epci_obs, dep_obs, upper]), tuple(paths), (*notes, *rollup_notes)
    )


def _unpublished_epci(
    unit_obs: pl.DataFrame, units: pl.DataFrame, context: LoadContext, published: set[str]
) -> pl.DataFrame:
    """EPCI the file gives by commune (Grand Paris, Lyon, Aix-Marseille): population-weighted
    from their communes or arrondissements, when 90 % of their population is covered."""
    commune = pl.col("unit").replace(context.former_commune_codes)
    members = units.select(
        "unit",
        "weight",
        "population_year",
        epci="epci:" + commune.replace_strict(context.commune_epci, default=None),
    ).filter(pl.col("epci").is_not_null() & ~pl.col("epci").is_in(list(published)))
    result = aggregate(
        unit_obs.join(members.select("unit"), left_on="territory", right_on="unit"),
        dict(zip(members.get_column("unit"), members.get_column("epci"), strict=True)),
        dict.fromkeys(INDICATORS, IndicatorKind.RATE),
        members.select(pl.col("unit").alias("territory"), "weight", "population_year"),
        min_coverage=DEP_MIN_COVERAGE,
    )
    covered = result.coverage.filter(pl.col("covered") > 0)
    return result.observations.join(
        covered.select("indicator", "territory", "year"), on=["indicator", "territory", "year"]
    )
