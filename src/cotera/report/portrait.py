"""The French HTML portrait of a territory: one self-contained page, charts drawn offline."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import cache

import jinja2
from markupsafe import Markup, escape

from cotera import __version__
from cotera.diagnostic.model import Diagnostic, IndicatorReading, Position
from cotera.diagnostic.wording import level_noun, rank_fr, tie_range
from cotera.report.basemap import NO_MAP, BaseMap
from cotera.report.bundle import json_for_script, offline_bundle
from cotera.report.charts import families_spec, intervals_spec, map_spec, profile_spec
from cotera.report.numbers import VEGA_FORMAT_LOCALE, format_number, format_value
from cotera.report.sections import Section, unavailable_section

LICENCE = "Licence Ouverte / Etalab 2.0"
MAP_KEY = "carte"
MAP_TITLE = "Carte"


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("cotera.report", "templates"),
        autoescape=True,
        extensions=["jinja2.ext.do"],
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = format_number
    env.filters["value"] = format_value
    env.filters["rank"] = lambda rank: "–" if rank is None else rank_fr(rank)
    env.filters["pct"] = lambda pct: format_number(pct, 0)
    env.filters["span"] = Position.span
    env.filters["rank_cell"] = _rank_cell
    return env


def _rank_cell(item: Position | IndicatorReading | None) -> Markup:
    """``446 / 1232`` and, for tied peers, the ranks they span on a line of its own."""
    if item is None or item.rank is None:
        return Markup("–")
    cell = escape(f"{rank_fr(item.rank)} / {item.peers}")
    if item.ties:
        cell += Markup('<span class="ties">ex aequo : {}</span>').format(
            tie_range(item.rank, item.ties)
        )
    return Markup(cell)


def map_section(diagnostic: Diagnostic, base_map: BaseMap) -> Section:
    """The map of the peers' overall index, or the sentence saying why there is none."""
    if base_map.geojson is None:
        return unavailable_section(MAP_KEY, MAP_TITLE, base_map.reason)
    data = {"scope": base_map.scope, "note": base_map.note()}
    charts = {"map": map_spec(diagnostic, base_map.geojson)}
    return Section(MAP_KEY, MAP_TITLE, "map.html.j2", data, charts)


def core_sections(diagnostic: Diagnostic, base_map: BaseMap = NO_MAP) -> list[Section]:
    """The diagnostic's own sections, in reading order (the method appendix comes last)."""
    return [
        Section("synthese", "Synthèse", "summary.html.j2"),
        map_section(diagnostic, base_map),
        Section(
            "profil",
            "Profil des fragilités",
            "profile.html.j2",
            charts={"profile": profile_spec(diagnostic), "families": families_spec(diagnostic)},
        ),
        Section(
            "rangs",
            "Rangs et incertitude",
            "intervals.html.j2",
            charts={"intervals": intervals_spec(diagnostic)},
        ),
        Section("valeurs", "Valeurs des indicateurs", "values.html.j2"),
        Section("couverture", "Couverture des données", "coverage.html.j2"),
    ]


def method_section(diagnostic: Diagnostic) -> Section:
    """The methodology appendix (the recipe in words)."""
    return Section("methode", "Annexe : méthodologie", "method.html.j2")


def render_portrait(
    diagnostic: Diagnostic,
    base_map: BaseMap = NO_MAP,
    extra_sections: Sequence[Section] = (),
    generated: date | None = None,
) -> str:
    """The HTML page; ``extra_sections`` go after the diagnostic's own, before the appendix."""
    sections = [*core_sections(diagnostic, base_map), *extra_sections, method_section(diagnostic)]
    charts = {
        f"{section.key}-{chart_id}": spec
        for section in sections
        for chart_id, spec in section.charts.items()
    }
    sources = sorted({reading.source for f in diagnostic.fragilities for reading in f.indicators})
    template = _environment().get_template("portrait.html.j2")
    return template.render(
        diagnostic=diagnostic,
        sections=sections,
        level_plural=level_noun(diagnostic.level, plural=True),
        charts_json=Markup(json_for_script(charts)),
        locale_json=Markup(json_for_script(VEGA_FORMAT_LOCALE)),
        bundle=Markup(offline_bundle()),
        sources=sources,
        licence=LICENCE,
        version=__version__,
        generated=(generated or date.today()).strftime("%d/%m/%Y"),
    )
