"""Issue 9 §3–§4 on the real files: merged and split communes, year-matched denominators, the
perimeter of France values. Expected figures are recomputed here from the raw files."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from cotera.indicators.catalogue import catalogue
from cotera.indicators.model import AggregationMethod, MissingReason
from cotera.sources.indicators import LoadContext, SourceLoad

GP = "Médecin omnipraticien"
BPE_FILES = {2009: ("bpe2009.xlsx", "INSEECOM"), 2013: ("bpe2013.xlsx", "depcom")}


@pytest.fixture(scope="module")
def gp_rows(mirror: Path) -> dict[int, pl.DataFrame]:
    """GP counts by file code, read straight from the workbooks (empty cell = 0)."""
    frames = {}
    for year, (name, column) in BPE_FILES.items():
        sheet = pl.read_excel(
            mirror / "indicators/bpe" / name, engine="calamine", columns=[column, GP]
        )
        frames[year] = sheet.select(
            pl.col(column).cast(pl.String).alias("code"), pl.col(GP).fill_null(0).alias("gp")
        )
    return frames


def _row(load: SourceLoad, indicator: str, territory: str, year: int) -> dict[str, object]:
    rows = load.observations.filter(
        (pl.col("indicator") == indicator)
        & (pl.col("territory") == territory)
        & (pl.col("year") == year)
    )
    assert rows.height == 1, (indicator, territory, year)
    return rows.row(0, named=True)


@pytest.mark.parametrize(
    ("commune", "file_codes", "expected"),
    [
        ("85194", ["85194", "85060", "85166"], 52),  # Les Sables-d'Olonne
        ("91228", ["91228", "91182"], 54),  # Évry-Courcouronnes
        ("05101", ["05101", "05175"], 3),  # Vallouise-Pelvoux
    ],
)
def test_communes_nouvelles_count_their_former_communes(
    loads: dict[str, SourceLoad],
    gp_rows: dict[int, pl.DataFrame],
    commune: str,
    file_codes: list[str],
    expected: int,
) -> None:
    in_file = gp_rows[2013].filter(pl.col("code").is_in(file_codes))["gp"].sum()
    assert in_file == expected
    row = _row(loads["bpe"], "gp_per_10k", f"com:{commune}", 2013)
    assert row["numerator"] == expected


def test_bihorel_2013_is_missing_with_a_reason(
    loads: dict[str, SourceLoad], gp_rows: dict[int, pl.DataFrame], context: LoadContext
) -> None:
    bpe = loads["bpe"]
    assert gp_rows[2013].filter(pl.col("code") == "76095").is_empty()  # merged that year
    for commune in ("76095", "76108"):  # Bihorel, and Bois-Guillaume whose code held both
        row = _row(bpe, "gp_per_10k", f"com:{commune}", 2013)
        assert row["value"] is None
        assert row["missing_reason"] == MissingReason.MERGED_PERIMETER.value
    # 2009: both existed, each keeps its own row (12 and 18 GPs in the file)
    for commune in ("76095", "76108"):
        expected = gp_rows[2009].filter(pl.col("code") == commune)["gp"].item()
        assert _row(bpe, "gp_per_10k", f"com:{commune}", 2009)["numerator"] == expected
    # the merged row counts in their EPCI (Métropole Rouen Normandie) and département
    merged = gp_rows[2013].filter(pl.col("code") == "76108")["gp"].item()
    assert merged == 33
    assert any("76108 couvre Bois-Guillaume-Bihorel" in p.message for p in bpe.problems)
    epci = bpe.observations.filter((pl.col("indicator") == "gp_per_10k") & (pl.col("year") == 2013))
    members = _row(bpe, "gp_per_10k", "epci:200023414", 2013)
    communes = epci.filter(
        pl.col("territory").is_in(
            [f"com:{c}" for c, e in context.commune_epci.items() if e == "200023414"]
        )
    )
    assert members["numerator"] == communes["numerator"].sum() + merged


def test_bpe_absent_communes_are_known(
    gp_rows: dict[int, pl.DataFrame], context: LoadContext, mirror: Path
) -> None:
    # a current commune of 1,000 inhabitants or more absent from a BPE year is either a
    # re-established commune of commune_splits.toml (Bihorel), outside the year's coverage
    # (Mayotte, not a département in 2009), or Rosoy (2009: no equipment, three in 2013)
    big = {c[4:] for c, p in context.population.items() if c.startswith("com:") and p >= 1000}
    absent = {}
    for year, rows in gp_rows.items():
        present = {
            code if code in context.commune_parent else context.former_commune_codes.get(code)
            for code in rows["code"]
        }
        absent[year] = {c for c in big - present if not c.startswith("976")}
    assert absent == {2009: {"89326"}, 2013: {"76095"}}
    splits = {(s.commune, s.merged_in(2013), s.merged_in(2009)) for s in context.commune_splits}
    assert splits == {("76095", True, False)}


@pytest.mark.parametrize("year", [2009, 2013])
def test_gp_totals_equal_the_file_total(
    loads: dict[str, SourceLoad], gp_rows: dict[int, pl.DataFrame], year: int
) -> None:
    # every code of the file is placed (0 left to count in a département only, 0 lost)
    total = gp_rows[year]["gp"].sum()
    obs = loads["bpe"].observations.filter(
        (pl.col("indicator") == "gp_per_10k") & (pl.col("year") == year)
    )
    departements = obs.filter(pl.col("territory").str.starts_with("dep:"))["numerator"].sum()
    regions = obs.filter(pl.col("territory").str.starts_with("reg:"))["numerator"].sum()
    france = obs.filter(pl.col("territory") == "fr")["numerator"].item()
    assert departements == regions == france == total
    note = next(
        p.message
        for p in loads["bpe"].problems
        if p.code == "departement_only" and str(year) in p.message
    )
    assert "0 codes sans commune actuelle" in note
    assert "0 codes sans département connu" in note


def test_creuse_gp_rank_uses_the_2013_population(
    loads: dict[str, SourceLoad], gp_rows: dict[int, pl.DataFrame], mirror: Path
) -> None:
    population = pl.read_csv(
        mirror / "indicators/regions_inegales/population_insee.csv",
        separator=";",
        schema_overrides={"dep_code": pl.String},
    )
    creuse_2013 = population.filter((pl.col("dep_code") == "23") & (pl.col("year") == 2013))
    people = creuse_2013["pop_jan1"].item()
    count = gp_rows[2013].filter(pl.col("code").str.starts_with("23"))["gp"].sum()
    row = _row(loads["bpe"], "gp_per_10k", "dep:23", 2013)
    assert (row["numerator"], row["denominator"]) == (count, people) == (121, 120_872)
    assert row["value"] == pytest.approx(count / people * 10_000)
    assert (row["population_year_min"], row["population_year_max"]) == (2013, 2013)
    metropolitan = loads["bpe"].observations.filter(
        (pl.col("indicator") == "gp_per_10k")
        & (pl.col("year") == 2013)
        & pl.col("territory").str.starts_with("dep:")
        & ~pl.col("territory").str.starts_with("dep:97")
    )
    assert metropolitan.height == 96
    # rank 1 = fewest GPs per inhabitant (the most fragile); 75th with 2026 populations
    rank = metropolitan.filter(pl.col("value") < row["value"]).height + 1
    assert rank == 61


def test_bpe_denominators_say_their_year(loads: dict[str, SourceLoad]) -> None:
    bpe = loads["bpe"]
    cases = {
        ("com:85194", 2013): (2026, 2026),  # no commune population of 2013 in the mirror
        ("epci:200023414", 2013): (2026, 2026),
        ("dep:971", 2013): (2026, 2026),  # population_insee.csv has no DROM
        ("dep:93", 2009): (2026, 2026),  # nor any year before 2012
        ("dep:93", 2013): (2013, 2013),
        ("reg:11", 2013): (2013, 2013),
        ("fr", 2013): (2013, 2026),
    }
    for (territory, year), vintages in cases.items():
        row = _row(bpe, "gp_per_10k", territory, year)
        assert (row["population_year_min"], row["population_year_max"]) == vintages, territory
    sdes = _row(loads["sdes_electricite"], "renewable_power_per_capita", "dep:23", 2015)
    assert (sdes["denominator"], sdes["population_year_min"]) == (120_365, 2015)


def test_poverty_75plus_france_is_what_the_catalogue_says(
    loads: dict[str, SourceLoad], mirror: Path
) -> None:
    rates = pl.read_csv(
        mirror / "indicators/khartis/fr-dpt-pauvrete-2013.csv",
        infer_schema=False,
        columns=[
            "Code géographique",
            "Taux de pauvreté selon l’âge du référent fiscal (% des 75 ans ou plus)",
        ],
    ).select(
        pl.col("Code géographique").alias("dep_code"),
        pl.all().exclude("Code géographique").str.replace(",", ".").cast(pl.Float64).alias("r"),
    )
    persons = pl.read_csv(
        mirror / "indicators/regions_inegales/income_poverty_filosofi.csv",
        separator=";",
        schema_overrides={"dep_code": pl.String},
    ).filter(pl.col("year") == 2013)
    both = rates.join(persons, on="dep_code")
    assert both.height == 96
    expected = (both["r"] * both["n_persons"]).sum() / both["n_persons"].sum()
    row = _row(loads["filosofi"], "poverty_rate_75plus", "fr", 2013)
    assert row["value"] == pytest.approx(expected)
    assert round(expected, 2) == 8.60
    assert row["method"] == AggregationMethod.POPULATION_WEIGHTED.value
    description = catalogue().indicator("poverty_rate_75plus").description_fr
    assert "96 départements pondérée par les personnes des ménages fiscaux de 2013" in description
    assert "COG 2026" not in description


def test_median_income_series_has_one_method(loads: dict[str, SourceLoad], mirror: Path) -> None:
    regions = loads["filosofi"].observations.filter(
        (pl.col("indicator") == "median_income") & pl.col("territory").str.starts_with("reg:")
    )
    assert set(regions["method"]) == {AggregationMethod.APPROXIMATION.value}
    panel = pl.read_csv(
        mirror / "indicators/regions_inegales/income_poverty_filosofi.csv",
        separator=";",
        schema_overrides={"dep_code": pl.String},
    ).filter(pl.col("dep_code").is_in(["75", "77", "78", "91", "92", "93", "94", "95"]))
    expected = panel.group_by("year").agg(
        ((pl.col("q2_disp") * pl.col("n_persons")).sum() / pl.col("n_persons").sum()).alias("m")
    )
    idf = regions.filter(pl.col("territory") == "reg:11").sort("year")
    assert idf.join(expected, on="year").select(
        (pl.col("value") - pl.col("m")).abs().max()
    ).item() == pytest.approx(0, abs=1e-6)
    series = dict(zip(idf["year"], idf["value"], strict=True))
    assert series[2012] < series[2013] < series[2014]  # no false dip (22 379 € published)


def test_lot_et_garonne_rp2018_and_the_france_perimeter(loads: dict[str, SourceLoad]) -> None:
    rp = loads["rp2018_epci"]
    row = _row(rp, "overcrowding_rate", "dep:47", 2018)
    assert row["value"] is None
    assert row["missing_reason"] == MissingReason.NOT_COVERED.value
    france = _row(rp, "overcrowding_rate", "fr", 2018)
    assert (france["perimeter"], france["perimeter_missing"]) == ("metropolitan", "47")
    note = next(p.message for p in rp.problems if p.code == "unmatched_codes")
    assert "200035459" in note
    assert "200096956" in note


def test_zero_overcrowding_without_households_is_missing(
    loads: dict[str, SourceLoad], mirror: Path
) -> None:
    raw = pl.read_csv(
        mirror / "indicators/epci_rp2018_filo2018/LOG_epci.csv",
        columns=["codgeo", "Overcrowding_rate"],
        schema_overrides={"codgeo": pl.String},
    )
    for commune in ("13008", "13090", "69233"):
        assert raw.filter(pl.col("codgeo") == commune)["Overcrowding_rate"].item() == 0.0
        row = _row(loads["rp2018_epci"], "overcrowding_rate", f"com:{commune}", 2018)
        assert row["value"] is None
        assert row["missing_reason"] == MissingReason.NOT_PUBLISHED.value
    # a zero with household fields published stays a zero (Lyon metropolis)
    assert _row(loads["rp2018_epci"], "overcrowding_rate", "com:69117", 2018)["value"] == 0.0


def _years(years: list[int]) -> str:
    """``[2012, …, 2021]`` → ``2012–2021``; ``[2008, 2013]`` → ``2008, 2013``."""
    runs: list[list[int]] = []
    for year in sorted(years):
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 2 else ", ".join(map(str, r)) for r in runs)


def _by_year(items: list[tuple[int, str]]) -> str:
    groups: dict[str, list[int]] = {}
    for year, text in sorted(items):
        groups.setdefault(text, []).append(year)
    if len(groups) == 1:
        return next(iter(groups))
    return " ; ".join(f"{_years(years)} : {text}" for text, years in groups.items())


def france_table(loads: dict[str, SourceLoad], names: dict[str, str]) -> list[str]:
    """The rows of the docs/indicators.md table, from the loaded France values."""
    from cotera.indicators.denominator import PopulationVintage
    from cotera.indicators.perimeter import FrancePerimeter

    rows = []
    for spec in sorted(catalogue().indicators, key=lambda s: (s.fragility, s.code)):
        france = loads[spec.source].observations.filter(
            (pl.col("indicator") == spec.code) & (pl.col("territory") == "fr")
        )
        perimeters, methods, people = [], [], []
        for row in france.iter_rows(named=True):
            year = row["year"]
            if row["value"] is None:
                perimeters.append((year, "pas de valeur (non publiée)"))
                continue
            perimeter = FrancePerimeter.stored(row["perimeter"], row["perimeter_missing"])
            perimeters.append((year, "?" if perimeter is None else perimeter.label(names)))
            methods.append((year, f"`{row['method']}`"))
            vintage = PopulationVintage.of(row["population_year_min"], row["population_year_max"])
            note = (
                "aucune (celles de la source)"
                if vintage is None
                else "de l'année"
                if not vintage.is_approximation(year)
                else vintage.note(year)
            )
            people.append((year, note))
        rows.append(
            f"| `{spec.code}` | {_by_year(perimeters)} | {_by_year(methods) or '–'} | "
            f"{_by_year(people) or '–'} |"
        )
    return rows


def test_docs_say_what_the_code_does_for_france(loads: dict[str, SourceLoad], mirror: Path) -> None:
    import json

    deps = json.loads((mirror / "cog/departements_cog2026.json").read_text(encoding="utf-8"))
    names = {d["code"]: d["nom"] for d in deps}
    text = (Path(__file__).parents[2] / "docs" / "indicators.md").read_text(encoding="utf-8")
    start = text.index("<!-- france-table:start -->")
    end = text.index("<!-- france-table:end -->")
    documented = [line for line in text[start:end].splitlines() if line.startswith("| `")]
    assert documented == france_table(loads, names)
