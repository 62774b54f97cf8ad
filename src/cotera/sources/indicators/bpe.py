"""F08, F12, F13, F14 — BPE equipment counts by commune (2009, 2013), per 10,000 inhabitants.

Communes, EPCI and départements: counts summed over today's communes, divided by the sum of
their current populations; régions and France are rolled up from départements."""

from __future__ import annotations

import polars as pl

from cotera.errors import Problem, ValidationError
from cotera.indicators.catalogue import catalogue
from cotera.indicators.model import AggregationMethod, MissingReason
from cotera.sources.french_values import parse_codes, parse_numbers
from cotera.sources.indicators.context import LoadContext, SourceLoad
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


def _to_current(
    frame: pl.DataFrame, context: LoadContext, year: int, file: str
) -> tuple[pl.DataFrame, list[Problem]]:
    """Counts by current commune; remapped and unmatched codes are stated in notes."""
    current = set(context.commune_parent)
    mapped = frame.with_columns(
        commune=pl.when(pl.col("code").is_in(current))
        .then(pl.col("code"))
        .otherwise(pl.col("code").replace_strict(context.former_commune_codes, default=None))
    )
    remapped = mapped.filter(~pl.col("code").is_in(current) & pl.col("commune").is_not_null())
    unmatched = mapped.filter(pl.col("commune").is_null())
    indicators = [c for c in frame.columns if c != "code"]
    lost = unmatched.select(pl.sum_horizontal(indicators).sum()).item() if unmatched.height else 0
    notes = [
        Problem(
            "remapped_codes",
            f"BPE {year} : {remapped.height} codes de communes anciennes rapportés à "
            f"{remapped.get_column('commune').n_unique()} communes actuelles (COG 2026) ; "
            f"{unmatched.height} codes sans correspondance ({int(lost)} équipements retenus "
            f"non comptés) : {', '.join(unmatched.get_column('code').head(15))}",
            file=file,
        )
    ]
    grouped = (
        mapped.filter(pl.col("commune").is_not_null())
        .group_by("commune")
        .agg(pl.col(indicators).sum())
    )
    return grouped, notes


def load(mirror: Mirror, context: LoadContext) -> SourceLoad:
    """Commune counts matched to today's communes, then summed to EPCI and départements."""
    frames: list[pl.DataFrame] = []
    notes: list[Problem] = []
    problems: list[Problem] = []
    paths = []
    departements = context.departements()
    for year in FILES:
        counts, file_problems, file = _counts(mirror, year)
        paths.append(mirror.path(FILES[year][0]))
        problems.extend(file_problems)
        if file_problems:
            continue
        grouped, year_notes = _to_current(counts, context, year, file)
        notes.extend(year_notes)
        communes = pl.DataFrame(
            {"commune": list(context.commune_parent), "dep": list(context.commune_parent.values())}
        ).filter(pl.col("dep").is_in(list(departements)))
        covered_deps = set(grouped.join(communes, on="commune").get_column("dep"))
        communes = (
            communes.with_columns(
                epci=pl.col("commune").replace_strict(context.commune_epci, default=None)
            )
            .with_columns(  # an EPCI straddling an uncovered département gets no value
                epci=pl.when(pl.col("dep").is_in(list(covered_deps)).all().over("epci"))
                .then("epci")
                .otherwise(None)
            )
            .filter(pl.col("dep").is_in(list(covered_deps)))
            .with_columns(
                population=("com:" + pl.col("commune")).replace_strict(
                    context.population, default=None, return_dtype=pl.Float64
                )
            )
            .join(grouped, on="commune", how="left")
        )
        for code, types in TYPES.items():
            if year not in types:
                continue
            data = communes.with_columns(pl.col(code).fill_null(0.0))
            with_people = data.filter(pl.col("population") > 0)
            frames.append(
                _rates(
                    code,
                    "com:" + with_people.get_column("commune"),
                    year,
                    with_people.get_column(code),
                    with_people.get_column("population"),
                )
            )
            for level, column in (("epci", "epci"), ("dep", "dep")):
                sums = (
                    data.filter(pl.col(column).is_not_null())
                    .group_by(column)
                    .agg(pl.col(code).sum(), pl.col("population").sum())
                )
                frames.append(
                    _rates(
                        code,
                        f"{level}:" + sums.get_column(column),
                        year,
                        sums.get_column(code),
                        sums.get_column("population"),
                    )
                )
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


def _rates(
    code: str, territory: pl.Series, year: int, count: pl.Series, population: pl.Series
) -> pl.DataFrame:
    return observations(
        code,
        territory,
        year,
        count / population * 10_000,
        numerator=count,
        denominator=population,
        method=AggregationMethod.RATIO,
    )
