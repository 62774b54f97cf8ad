"""F08, F12, F13, F14 — BPE equipment counts by commune (2009, 2013), per 10,000 inhabitants.

The file's commune codes (COG of the year) are placed on today's territories
(``placement.place``): communes and EPCI sum their counts over COG 2026 communes and divide by
their COG 2026 populations (an approximation for 2009 and 2013, stated on every value);
départements take every row placed in them and divide by their population of the year when the
mirror has it (INSEE estimates, 96 metropolitan départements, 2012 onwards), else by the COG 2026
one. Régions and France are rolled up from départements (sums of counts and populations)."""

from __future__ import annotations

import polars as pl

from cotera.errors import Problem, ValidationError
from cotera.indicators.catalogue import catalogue
from cotera.indicators.model import AggregationMethod, MissingReason
from cotera.sources.french_values import parse_codes, parse_numbers
from cotera.sources.indicators.context import LoadContext, SourceLoad
from cotera.sources.indicators.dep_population import read_dep_population
from cotera.sources.indicators.placement import Placement, place
from cotera.sources.indicators.rollup import roll_up
from cotera.sources.mirror import Mirror
from cotera.sources.observations import concat, observations
from cotera.sources.workbook import read_sheet
from cotera.types import Level

SOURCE = catalogue().source("bpe")
FILES = {
    2009: ("indicators/bpe/bpe2009.xlsx", "INSEECOM"),
    2013: ("indicators/bpe/bpe2013.xlsx", "depcom"),
}
_SPORT_2009 = (
    "Athlétisme", "Bassin de natation", "Baignade aménagée", "Boucle de randonnée", "Boulodrome",
    "Centre équestre", "Domaine skiable", "Parcours sportif",
    "Plateau extérieur ou salle multisports",
    "Roller-Skate-Vélo bicross et freestyle", "Salle de combat", "Salle non spécialisé",
    "Salle ou terrain spécialisé", "Sports de glace", "Sports nautiques", "Tennis",
    "Terrain de golf", "Terrains de grands jeux",
)  # fmt: skip
# equipment types of each indicator, by year (labels differ between the two files)
TYPES: dict[str, dict[int, tuple[str, ...]]] = {
    "disability_services_per_10k": {
        2009: ("Adultes handicapés : hébergement", "Adultes handicapés : services",
               "Enfants handicapés : hébergement", "Enfants handicapés : soins à domicile"),
        2013: ("Adultes handicapés : hébergement", "Adultes handicapés : services",
               "Enfants handicapés : hébergement",
               "Enfants handicapés : services à domicile ou ambulatoires"),
    },
    "culture_sport_equipment_per_10k": {
        2009: ("Cinéma", *_SPORT_2009, "Equipement de cyclisme",
               "Salle de terrains de petits jeux"),
        2013: ("Cinéma", *_SPORT_2009, "Équipement de cyclisme",
               "Salle ou terrain de petits jeux"),
    },
    "gp_per_10k": {2009: ("Médecin omnipraticien",), 2013: ("Médecin omnipraticien",)},
    "public_digital_spaces_per_10k": {2013: ("Espace public numérique et autre",)},
}  # fmt: skip


def _counts(mirror: Mirror, year: int) -> tuple[pl.DataFrame, list[Problem], str]:
    """Per file commune code: one count column per indicator (empty cell = 0 equipment)."""
    relative, code_column = FILES[year]
    path = mirror.path(relative)
    sheet = read_sheet(path, header_row=1)
    wanted = {c for types in TYPES.values() for c in types.get(year, ())}
    problems = sheet.require([code_column, *sorted(wanted)])
    if problems:
        return pl.DataFrame(), problems, path.name
    codes, code_problems = parse_codes(sheet, code_column, Level.COMMUNE)
    problems.extend(code_problems)
    columns: dict[str, pl.Series] = {"code": codes}
    for column in sorted(wanted):
        parsed = parse_numbers(sheet, column)
        secret = parsed.reasons == MissingReason.SECRET.value
        problems.extend(parsed.problems)
        problems.extend(
            Problem(
                "secret_count",
                "comptage sous secret : non additionnable",
                file=path.name,
                row=sheet.row_number(i),
                column=column,
            )
            for i in secret.arg_true().to_list()
        )
        columns[column] = parsed.values.fill_null(0.0)
    frame = pl.DataFrame(columns).with_columns(
        pl.sum_horizontal(types[year]).alias(code) for code, types in TYPES.items() if year in types
    )
    return frame.select("code", *(c for c, t in TYPES.items() if year in t)), problems, path.name


def _notes(placement: Placement, counts: pl.DataFrame, year: int, file: str) -> list[Problem]:
    """What the placement did, said in the load notes (remapped, département-only, merged)."""
    indicators = [c for c in counts.columns if c != "code"]

    def equipments(codes: pl.Series) -> int:
        rows = counts.filter(pl.col("code").is_in(codes.implode()))
        return int(rows.select(pl.sum_horizontal(indicators).sum()).item()) if rows.height else 0

    remapped = placement.remapped
    notes = [
        Problem(
            "remapped_codes",
            f"BPE {year} : {remapped.height} codes de communes anciennes (communes déléguées ou "
            f"associées, anciens codes des communes nouvelles, arrondissements) rapportés à "
            f"{remapped.get_column('commune').n_unique()} communes actuelles (COG 2026)",
            file=file,
        )
    ]
    orphans = placement.departement_only.get_column("code")
    lost = pl.Series(placement.unplaced, dtype=pl.String)
    notes.append(
        Problem(
            "departement_only",
            f"BPE {year} : {orphans.len()} codes sans commune actuelle, comptés dans le total de "
            f"leur département seulement ({equipments(orphans)} équipements retenus"
            f"{_listed(orphans)}) ; {lost.len()} codes sans département connu, non comptés "
            f"({equipments(lost)} équipements retenus{_listed(lost)})",
            file=file,
        )
    )
    notes += [
        Problem(
            "merged_perimeter",
            f"BPE {year} : la ligne {code} couvre {name}, aujourd'hui les communes {code} et "
            f"{commune} : aucune des deux n'a de valeur cette année-là ; la ligne n'est comptée "
            "que dans les territoires qui contiennent les deux (EPCI, département…)",
            file=file,
        )
        for name, code, commune in placement.merged
    ]
    return notes


def _listed(codes: pl.Series) -> str:
    return f" : {', '.join(codes.head(15))}" if codes.len() else ""


def _expected(
    context: LoadContext, covered: set[str], year: int, dep_population: pl.DataFrame
) -> pl.DataFrame:
    """Communes, EPCI and départements of the covered départements with their denominator:
    COG 2026 populations (an EPCI: the sum of its communes'), except départements with a
    population of the year (INSEE estimates)."""
    communes = pl.DataFrame(
        {"commune": list(context.commune_parent), "dep": list(context.commune_parent.values())}
    ).with_columns(
        epci=pl.col("commune").replace_strict(context.commune_epci, default=None),
        population=("com:" + pl.col("commune")).replace_strict(
            context.population, default=None, return_dtype=pl.Float64
        ),
    )
    epcis = (
        communes.filter(pl.col("epci").is_not_null())
        .group_by("epci")
        .agg(pl.col("dep").is_in(list(covered)).all().alias("inside"), pl.col("population").sum())
        .filter("inside")
    )
    of_year = dep_population.filter(pl.col("year") == year).select(
        "territory", pl.col("weight").alias("matched")
    )
    deps = pl.DataFrame({"territory": [f"dep:{d}" for d in sorted(covered)]}).with_columns(
        current=pl.col("territory").replace_strict(
            context.population, default=None, return_dtype=pl.Float64
        )
    )
    territories = pl.concat(
        [
            communes.filter(pl.col("dep").is_in(list(covered))).select(
                level=pl.lit("com"), territory="com:" + pl.col("commune"), current="population"
            ),
            epcis.select(
                level=pl.lit("epci"), territory="epci:" + pl.col("epci"), current="population"
            ),
            deps.select(level=pl.lit("dep"), territory="territory", current="current"),
        ]
    )
    return (
        territories.join(of_year, on="territory", how="left")
        .select(
            "level",
            "territory",
            population=pl.coalesce("matched", "current"),
            population_year=pl.when(pl.col("matched").is_not_null())
            .then(pl.lit(year))
            .otherwise(pl.lit(context.population_year))
            .cast(pl.Int32),
        )
        .filter(pl.col("population") > 0)
    )


def _year_observations(
    counts: pl.DataFrame,
    placement: Placement,
    context: LoadContext,
    year: int,
    dep_population: pl.DataFrame,
) -> list[pl.DataFrame]:
    """Rates of every commune, EPCI and département the year covers (absent commune: none of
    these equipments); territories holding part of a merged perimeter have no value."""
    indicators = [c for c in counts.columns if c != "code"]
    sums = (
        placement.placed.join(counts, on="code")
        .group_by("level", "territory")
        .agg(pl.col(indicators).sum())
    )
    covered = {t[4:] for t in sums.filter(pl.col("level") == "dep").get_column("territory")}
    straddled = placement.straddled.with_columns(straddled=pl.lit(True))
    data = (
        _expected(context, covered, year, dep_population)
        .join(sums, on=["level", "territory"], how="left")
        .join(straddled, on=["level", "territory"], how="left")
        .with_columns(pl.col(indicators).fill_null(0.0), pl.col("straddled").fill_null(False))
    )
    merged = pl.col("straddled")
    frames = []
    for code in indicators:
        frame = data.with_columns(
            count=pl.when(merged).then(None).otherwise(pl.col(code)),
            reason=pl.when(merged).then(pl.lit(MissingReason.MERGED_PERIMETER.value)),
        )
        frames.append(
            observations(
                code,
                frame.get_column("territory"),
                year,
                frame.get_column("count") / frame.get_column("population") * 10_000,
                frame.get_column("reason"),
                numerator=frame.get_column("count"),
                denominator=frame.select(
                    pl.when(merged).then(None).otherwise(pl.col("population"))
                ).to_series(),
                method=AggregationMethod.RATIO,
                population_year=frame.get_column("population_year"),
            )
        )
    return frames


def load(mirror: Mirror, context: LoadContext) -> SourceLoad:
    """Commune counts placed on today's communes, EPCI and départements (rates per 10,000)."""
    frames: list[pl.DataFrame] = []
    notes: list[Problem] = []
    dep_population, population_path, population_problems = read_dep_population(mirror)
    problems: list[Problem] = list(population_problems)
    paths = [population_path]
    for year in FILES:
        counts, file_problems, file = _counts(mirror, year)
        paths.append(mirror.path(FILES[year][0]))
        problems.extend(file_problems)
        if file_problems:
            continue
        placement = place(counts.get_column("code"), context, year)
        notes.extend(_notes(placement, counts, year, file))
        frames.extend(_year_observations(counts, placement, context, year, dep_population))
    if problems:
        raise ValidationError(f"source {SOURCE.id} : classeur(s) invalide(s)", problems)
    result = concat(frames)
    upper, rollup_notes = roll_up(
        result.filter(pl.col("territory").str.starts_with("dep:")),
        context,
        catalogue().of_source(SOURCE.id),
        source_file=paths[-1].name,
    )
    return SourceLoad(concat([result, upper]), tuple(paths), (*notes, *rollup_notes))
