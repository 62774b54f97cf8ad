"""Integration tests on the real files of the mirror (figures as published in the source files)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from cotera.indicators.catalogue import catalogue
from cotera.indicators.model import OBSERVATION_COLUMNS, MissingReason
from cotera.sources.indicators import LoadContext, SourceLoad, get_source
from cotera.sources.mirror import Mirror
from cotera.types import Level


def _value(load: SourceLoad, indicator: str, territory: str, year: int) -> float | None:
    rows = load.observations.filter(
        (pl.col("indicator") == indicator)
        & (pl.col("territory") == territory)
        & (pl.col("year") == year)
    )
    assert rows.height == 1, f"{indicator} {territory} {year}: {rows.height} lignes"
    value = rows.item(0, "value")
    return None if value is None else float(value)


def test_seine_saint_denis_figures_of_the_issue(loads: dict[str, SourceLoad]) -> None:
    # income_poverty_filosofi.csv / fr-dpt-pauvrete-2013.csv (27,8 ; 16 744,6) and
    # unemployment_insee.csv ("93";2021;10.9)
    assert _value(loads["filosofi"], "poverty_rate", "dep:93", 2013) == 27.8
    assert _value(loads["filosofi"], "median_income", "dep:93", 2013) == pytest.approx(
        16744.6, abs=0.05
    )
    assert _value(loads["chomage_localise"], "unemployment_rate", "dep:93", 2021) == 10.9


def test_poverty_2012_is_marked_suspect_not_loaded(loads: dict[str, SourceLoad]) -> None:
    rows = loads["filosofi"].observations.filter(
        (pl.col("indicator") == "poverty_rate")
        & (pl.col("year") == 2012)
        & pl.col("territory").str.starts_with("dep:")
    )
    assert rows.height == 96
    assert rows.get_column("value").null_count() == 96
    assert set(rows.get_column("missing_reason")) == {MissingReason.SUSPECT.value}


def test_published_region_values_are_kept(loads: dict[str, SourceLoad]) -> None:
    # fr-reg2016-pauvrete-2013.csv: Île-de-France 15,4 % (its 22 379,0 € median is not taken:
    # see test_real_perimeters.test_median_income_series_has_one_method)
    assert _value(loads["filosofi"], "poverty_rate", "reg:11", 2013) == 15.4


def test_ssmsi_decimal_comma_bom_gzip(loads: dict[str, SourceLoad]) -> None:
    # first data line of the file: Ain 2016, 1437 victims, POP 638425, 2,25085170536868073 ‰
    obs = loads["ssmsi"].observations.filter(
        (pl.col("indicator") == "assault_rate")
        & (pl.col("territory") == "dep:01")
        & (pl.col("year") == 2016)
    )
    assert obs.item(0, "value") == pytest.approx(2.25085170536868073)
    assert obs.item(0, "numerator") == 1437
    assert obs.item(0, "denominator") == 638425


def test_corsica_codes_preserved(loads: dict[str, SourceLoad]) -> None:
    for load in loads.values():
        territories = set(load.observations.get_column("territory"))
        assert {"dep:2A", "dep:2B"} <= territories
        assert not {"dep:20", "dep:2a"} & territories


def test_every_load_has_the_canonical_columns(loads: dict[str, SourceLoad]) -> None:
    for source_id, load in loads.items():
        assert load.observations.columns == list(OBSERVATION_COLUMNS), source_id
        assert load.observations.select("indicator", "territory", "year").is_unique().all()
        codes = {i.code for i in catalogue().of_source(source_id)}
        assert set(load.observations.get_column("indicator")) <= codes
        assert all(path.is_file() for path in load.files)


def test_region_ratio_matches_independent_sum(loads: dict[str, SourceLoad], mirror: Path) -> None:
    # Île-de-France doctors 2021 recomputed here from the two source files, independently
    doctors = pl.read_csv(
        mirror / "indicators/regions_inegales/doctor_density_drees.csv",
        separator=";",
        schema_overrides={"dep_code": pl.String},
    )
    population = pl.read_csv(
        mirror / "indicators/regions_inegales/population_insee.csv",
        separator=";",
        schema_overrides={"dep_code": pl.String},
    )
    idf = ["75", "77", "78", "91", "92", "93", "94", "95"]
    n = doctors.filter(pl.col("dep_code").is_in(idf) & (pl.col("year") == 2021))["n_doctors"].sum()
    p = population.filter(pl.col("dep_code").is_in(idf) & (pl.col("year") == 2021))[
        "pop_jan1"
    ].sum()
    assert _value(loads["drees_medecins"], "doctor_density", "reg:11", 2021) == pytest.approx(
        n / p * 100_000
    )


def test_get_source_unknown_lists_known() -> None:
    with pytest.raises(Exception, match="filosofi"):
        get_source("nope")


def test_sixteen_fragilities_covered_at_departement_level(loads: dict[str, SourceLoad]) -> None:
    codes = {i.code: i.fragility for i in catalogue().indicators}
    covered: set[str] = set()
    for load in loads.values():
        deps = load.observations.filter(
            pl.col("territory").str.starts_with("dep:") & pl.col("value").is_not_null()
        )
        per_indicator = deps.group_by("indicator", "year").len()
        covered |= {codes[i] for i, _, n in per_indicator.iter_rows() if n >= 90}
    assert covered == {f"F{n:02d}" for n in range(1, 17)}


def test_observed_years_are_declared_in_the_catalogue(loads: dict[str, SourceLoad]) -> None:
    for load in loads.values():
        for indicator, years in (
            load.observations.group_by("indicator").agg(pl.col("year").unique()).iter_rows()
        ):
            assert set(years) <= set(catalogue().indicator(indicator).years), indicator


def test_france_row_for_every_indicator(loads: dict[str, SourceLoad]) -> None:
    # ITDD publishes "nd" for France's renewable electricity share: a stated missing value
    for spec in catalogue().indicators:
        france = loads[spec.source].observations.filter(
            (pl.col("indicator") == spec.code) & (pl.col("territory") == "fr")
        )
        assert france.height >= 1, spec.code
        with_value = france.filter(pl.col("value").is_not_null()).height
        assert with_value >= 1 or spec.code == "renewable_electricity_share", spec.code
        assert france.filter(
            pl.col("value").is_null() & pl.col("missing_reason").is_null()
        ).is_empty()


def test_bpe_remapping_is_stated(loads: dict[str, SourceLoad]) -> None:
    notes = [p for p in loads["bpe"].problems if p.code == "remapped_codes"]
    assert len(notes) == 2
    assert all("communes actuelles" in n.message for n in notes)
    placed = [p.message for p in loads["bpe"].problems if p.code == "departement_only"]
    assert placed == [
        f"BPE {year} : 0 codes sans commune actuelle, comptés dans le total de leur département "
        "seulement (0 équipements retenus) ; 0 codes sans département connu, non comptés "
        "(0 équipements retenus)"
        for year in (2009, 2013)
    ]


def test_bpe_departement_counts_add_up(loads: dict[str, SourceLoad], mirror: Path) -> None:
    # Seine-Saint-Denis GPs 2013 summed here straight from the workbook (communes 93xxx)
    sheet = pl.read_excel(
        mirror / "indicators/bpe/bpe2013.xlsx",
        engine="calamine",
        columns=["depcom", "Médecin omnipraticien"],
    )
    expected = sheet.filter(pl.col("depcom").str.starts_with("93"))["Médecin omnipraticien"].sum()
    obs = loads["bpe"].observations.filter(
        (pl.col("indicator") == "gp_per_10k")
        & (pl.col("territory") == "dep:93")
        & (pl.col("year") == 2013)
    )
    assert obs.item(0, "numerator") == expected


def test_bpe_epci_counts_are_sums_of_their_communes(
    loads: dict[str, SourceLoad], mirror: Path
) -> None:
    # membership read here from the COG communes file; counts and populations summed from the
    # loader's own commune observations (Métropole du Grand Paris and CA Val Parisis)
    communes = pl.read_csv(mirror / "cog/communes_cog2026.csv", infer_schema=False).filter(
        pl.col("type") == "commune-actuelle"
    )
    obs = loads["bpe"].observations
    for epci in ("200054781", "200058485"):
        members = "com:" + communes.filter(pl.col("epci") == epci)["code_insee"]
        for indicator, year in (("gp_per_10k", 2013), ("disability_services_per_10k", 2009)):
            rows = obs.filter((pl.col("indicator") == indicator) & (pl.col("year") == year))
            children = rows.filter(pl.col("territory").is_in(members.to_list()))
            count, people = children["numerator"].sum(), children["denominator"].sum()
            parent = rows.filter(pl.col("territory") == f"epci:{epci}")
            assert parent.item(0, "numerator") == count, (epci, indicator)
            assert parent.item(0, "denominator") == people
            assert parent.item(0, "value") == pytest.approx(count / people * 10_000)
            assert parent.item(0, "method") == "ratio"


def test_bpe_fragilities_covered_at_epci_level(loads: dict[str, SourceLoad]) -> None:
    codes = {i.code: i.fragility for i in catalogue().indicators}
    epci = loads["bpe"].observations.filter(
        pl.col("territory").str.starts_with("epci:") & pl.col("value").is_not_null()
    )
    counts = epci.group_by("indicator").agg(pl.col("territory").n_unique())
    assert {codes[i] for i, n in counts.iter_rows() if n >= 1200} == {"F08", "F12", "F13", "F14"}
    assert all(Level.EPCI in catalogue().indicator(i).levels for i in counts["indicator"])


def test_electricity_france_equals_published_subtotal(
    loads: dict[str, SourceLoad], mirror: Path
) -> None:
    sheet = pl.read_excel(
        mirror / "indicators/itdd/electricite-renouvelable-par-departement-2015.xls",
        engine="calamine",
        has_header=False,
        infer_schema_length=0,
    )
    row = sheet.filter(pl.col("column_1") == "Sous-total ventilé*").row(0)
    published = sum(float(row[i]) for i in range(3, 16, 2))
    obs = loads["sdes_electricite"].observations.filter(pl.col("territory") == "fr")
    assert obs.item(0, "numerator") == pytest.approx(published, rel=1e-9)


def test_paris_overcrowding_from_arrondissements(loads: dict[str, SourceLoad]) -> None:
    # Paris has no commune row in LOG_epci.csv, only its 20 arrondissements
    assert _value(loads["rp2018_epci"], "overcrowding_rate", "dep:75", 2018) is not None


def test_grand_paris_rp_values_from_its_communes(
    loads: dict[str, SourceLoad], mirror: Path
) -> None:
    # LOG_epci.csv gives the Grand Paris by commune (Paris by arrondissement): its overcrowding
    # rate is recomputed here as the mean of those rows weighted by the COG 2026 populations
    cog = pl.read_csv(mirror / "cog/communes_cog2026.csv", infer_schema=False)
    members = cog.filter(
        ((pl.col("type") == "commune-actuelle") & (pl.col("epci") == "200054781"))
        | ((pl.col("type") == "arrondissement-municipal") & (pl.col("departement") == "75"))
    ).select(pl.col("code_insee").alias("codgeo"), pl.col("population").cast(pl.Float64))
    rows = pl.read_csv(
        mirror / "indicators/epci_rp2018_filo2018/LOG_epci.csv",
        columns=["codgeo", "Overcrowding_rate"],
        schema_overrides={"codgeo": pl.String},
    ).join(members, on="codgeo")
    assert rows.height == 129 + 20  # its 130 communes, Paris as its 20 arrondissements
    expected = (rows["Overcrowding_rate"] * rows["population"]).sum() / rows["population"].sum()
    assert _value(loads["rp2018_epci"], "overcrowding_rate", "epci:200054781", 2018) == (
        pytest.approx(expected)
    )


def test_bad_file_in_a_loader_reports_every_problem(
    mirror: Path, tmp_path: Path, context: LoadContext
) -> None:
    from cotera.errors import ValidationError
    from cotera.sources.indicators import chomage_localise
    from cotera.sources.indicators.dep_population import POPULATION_FILE

    lines = (mirror / chomage_localise.RATES_FILE).read_text("utf-8").splitlines()
    lines[3] = '"2C";2014;7.1;7.075'  # line 4: bad code
    lines[10] = '"01";2021;n/importe;6.0'  # line 11: not a number
    for relative, text in (
        (chomage_localise.RATES_FILE, "\n".join(lines) + "\n"),
        (POPULATION_FILE, (mirror / POPULATION_FILE).read_text("utf-8")),
    ):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text, "utf-8")
    with pytest.raises(ValidationError) as info:
        chomage_localise.load(Mirror(tmp_path), context)
    found = {(p.code, p.file, p.row, p.column) for p in info.value.problems}
    assert found == {
        ("bad_code", "unemployment_insee.csv", 4, "dep_code"),
        ("not_a_number", "unemployment_insee.csv", 11, "unemployment_rate"),
    }
