"""``cotera survey …``: weighting, estimates with secrecy, synthetic samples, stored waves."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import polars as pl
import typer
from rich.markup import escape
from rich.table import Table

from cotera.cli.context import console, errors, friendly_errors, settings_of
from cotera.cli.formatting import french_number
from cotera.report.outputs import write_table
from cotera.services import survey as service
from cotera.services import survey_regions as regions_service
from cotera.services import survey_waves as waves_service
from cotera.survey.estimation import Statistic
from cotera.survey.questionnaire import Prism
from cotera.survey.raking import ConvergenceReport
from cotera.survey.secrecy import SecrecyRequest, override_note
from cotera.survey.synthetic import SYNTHETIC_LABEL

app = typer.Typer(
    help="Enquêtes : pondération, estimations, secret statistique, vagues.", no_args_is_help=True
)


def _print_report(report: ConvergenceReport) -> None:
    table = Table(title="Calage (raking) — rapport de convergence", show_header=False)
    table.add_row("convergé", "oui" if report.converged else "[red]non[/red]")
    table.add_row("itérations", str(report.iterations))
    table.add_row("écart relatif max. aux marges", f"{report.max_relative_error:.3g}")
    table.add_row("tolérance", f"{report.tolerance:.3g}")
    if report.bounds is not None:
        table.add_row(
            "bornes (poids final / initial ramené au total des marges)",
            f"{report.bounds[0]:g} – {report.bounds[1]:g}",
        )
        table.add_row("facteur appliqué aux poids initiaux", f"{report.base_scale:.6g}")
        table.add_row("répondants aux bornes", french_number(report.n_at_bounds))
    table.add_row("effet de plan de pondération (Kish)", french_number(report.kish_deff, 3))
    table.add_row("taille effective", french_number(report.effective_n, 1))
    table.add_row("poids min. / max.", f"{report.weight_min:.4g} / {report.weight_max:.4g}")
    console.print(table)


@app.command("rake")
def rake_command(
    data: Annotated[Path, typer.Argument(help="Fichier des répondants (CSV, Excel, SPSS, Stata).")],
    margins: Annotated[Path, typer.Option("--margins", help="Marges : CSV variable,level,total.")],
    out: Annotated[Path, typer.Option("--out", help="CSV écrit avec une colonne weight.")],
    weight: Annotated[
        str | None, typer.Option("--weight", help="Colonne des poids initiaux.")
    ] = None,
    tolerance: Annotated[
        float, typer.Option("--tolerance", help="Écart relatif max. toléré.")
    ] = 1e-8,
    bounds: Annotated[
        str | None,
        typer.Option(
            "--bounds",
            help="BASSE,HAUTE : bornes du rapport poids final / poids initial ramené au total"
            " des marges.",
        ),
    ] = None,
) -> None:
    """Cale les poids sur des marges (IPF) et écrit les lignes avec une colonne weight."""
    with friendly_errors():
        report = service.rake_file(
            data, margins, out, weight=weight, tolerance=tolerance, bounds=bounds
        )
    _print_report(report)
    if not report.converged:
        errors.print(
            "[red]Erreur :[/red] le calage n'a pas convergé ; rien n'a été écrit. "
            + escape(report.explanation())
        )
        raise typer.Exit(1)
    console.print(f"Écrit : {escape(str(out))}")


def _print_published(published: service.PublishedTable, title: str) -> None:
    table = published.table
    method = "calage pris en compte" if table.variance.value == "raking" else "poids tels quels"
    secrecy = f"secret : moins de {published.threshold} répondants"
    if published.rule.dominance is not None:
        share = f"{published.rule.dominance.share:.0%}".replace("%", "\u202f%")
        secrecy += f" ou un répondant pesant plus de {share} du total pondéré"
    caption = f"variance : {method} · IC {table.confidence:.0%} · {secrecy}"
    if published.synthetic:
        caption += f" · {SYNTHETIC_LABEL}"
    view = Table(title=title, caption=caption)
    for name in (
        "domaine",
        "modalité",
        "estimation",
        "e.-t.",
        "IC bas",
        "IC haut",
        "n",
        "deff",
        "statut",
    ):
        view.add_column(name, justify="right" if name not in ("domaine", "modalité") else "left")
    percent = table.statistic is Statistic.PROPORTION
    for row in table.rows:
        status = published.statuses[row.domain]
        if status.hidden:
            view.add_row(row.domain, row.level, "—", "—", "—", "—", "—", "—", status.label())
            continue
        scale = 100 if percent else 1
        view.add_row(
            row.domain,
            row.level,
            french_number(row.estimate * scale, 1),
            french_number(row.se * scale, 2),
            french_number(row.ci_low * scale, 1),
            french_number(row.ci_high * scale, 1),
            french_number(row.n),
            french_number(row.deff, 2),
            status.label(),
        )
    console.print(view)
    override = override_note(published.rule)
    if override is not None:
        console.print(f"[bold red]{escape(override)}[/bold red]")


@app.command("estimate")
def estimate_command(
    data: Annotated[Path, typer.Argument(help="Fichier des répondants.")],
    var: Annotated[str, typer.Option("--var", help="Question (colonne) à estimer.")],
    weight: Annotated[str | None, typer.Option("--weight", help="Colonne des poids.")] = None,
    by: Annotated[str | None, typer.Option("--by", help="Domaines (ex. region).")] = None,
    strata: Annotated[str | None, typer.Option("--strata", help="Colonne des strates.")] = None,
    cluster: Annotated[
        str | None, typer.Option("--cluster", help="Colonne des grappes (UPE).")
    ] = None,
    stat: Annotated[
        Statistic, typer.Option("--stat", help="proportion ou mean.")
    ] = Statistic.PROPORTION,
    margins: Annotated[
        Path | None,
        typer.Option("--margins", help="Caler d'abord sur ces marges (e.-t. du calage)."),
    ] = None,
    min_n: Annotated[
        int | None,
        typer.Option(
            "--min-n",
            help="Secret : masquer sous N répondants (défaut et minimum : seuil légal du prisme,"
            " 11 citoyens, 3 organisations).",
        ),
    ] = None,
    override_secrecy: Annotated[
        str | None,
        typer.Option(
            "--override-secrecy",
            help="Motif d'une dérogation : accepte --min-n sous le seuil légal ; la dérogation "
            "et son motif sont imprimés dans chaque sortie.",
        ),
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", help="CSV des estimations.")] = None,
) -> None:
    """Proportions ou moyennes pondérées, e.-t. par linéarisation, IC 95 %, n, deff, secret."""
    secrecy = SecrecyRequest(min_n, override_secrecy)
    with friendly_errors():
        published = service.estimate_file(
            data,
            var,
            weight=weight,
            by=by,
            strata=strata,
            cluster=cluster,
            statistic=stat,
            margins=margins,
            secrecy=secrecy,
        )
    _print_published(published, f"{var}" + (f" par {by}" if by else ""))
    if out is not None:
        write_table(published.frame(), out)
        console.print(f"Écrit : {escape(str(out))}")


@app.command("synth")
def synth_command(
    ctx: typer.Context,
    prism: Annotated[Prism, typer.Option("--prism", help="citizens, companies ou associations.")],
    n: Annotated[int, typer.Option("--n", help="Nombre de répondants (1 000 à 1 000 000).")],
    seed: Annotated[int, typer.Option("--seed", help="Graine du générateur.")],
    out: Annotated[Path, typer.Option("--out", help="Fichier écrit (.csv ou .xlsx).")],
) -> None:
    """Échantillon synthétique de type PHARE (données synthétiques, calées sur PHARE 2015).

    Les impacts perçus varient selon les régions avec leur fragilité objective (diagnostic)
    quand les indicateurs sont chargés ; sinon, sans variation régionale."""
    settings = settings_of(ctx)
    with friendly_errors(), console.status("Génération…") as status:
        status.update("Percentiles de fragilité des régions (diagnostic)…")
        variation = regions_service.regional_variation(settings)
        status.update("Génération…")
        try:
            frame = service.synthesize(prism, n, seed, out, variation.percentiles)
        except ValueError as exc:
            errors.print(f"[red]Erreur :[/red] {escape(str(exc))}")
            raise typer.Exit(1) from exc
    console.print(
        f"{french_number(frame.height)} répondants ({SYNTHETIC_LABEL}) écrits dans "
        f"{escape(str(out))}"
    )
    console.print(f"Modèle régional : {escape(variation.note)}.")


@app.command("import")
def import_command(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="Fichier de la vague (CSV, Excel, SPSS, Stata).")],
    name: Annotated[
        str | None, typer.Option("--name", help="Nom de la vague (défaut : fichier).")
    ] = None,
    prism: Annotated[
        Prism | None, typer.Option("--prism", help="Prisme si le fichier ne le dit pas.")
    ] = None,
    mapping: Annotated[
        Path | None, typer.Option("--mapping", help="Correspondance de colonnes (TOML).")
    ] = None,
) -> None:
    """Valide et enregistre une vague d'enquête (idempotent ; rien n'est écrit en cas d'erreur)."""
    settings = settings_of(ctx)
    with friendly_errors(), console.status("Validation et enregistrement…"):
        wave, created = waves_service.import_wave(
            settings, path, name=name, prism=prism, mapping=mapping
        )
    note = f" — {SYNTHETIC_LABEL}" if wave.synthetic else ""
    described = f"({wave.prism}, {french_number(wave.rows)} répondants{note})"
    if created:
        console.print(f"Vague {escape(wave.name)!r} {described} enregistrée.")
        return
    renamed = name is not None and name != wave.name
    console.print(
        f"Ce fichier est déjà enregistré sous la vague {escape(wave.name)!r} {described} : "
        "même contenu (même empreinte SHA-256, même correspondance, même prisme). "
        "Rien n'a été écrit"
        + (f" ; la vague {escape(name)!r} n'a pas été créée" if renamed and name else "")
        + f". Utilisez la vague {escape(wave.name)!r} dans les autres commandes "
        "(survey compare, survey crossread) ; pour une nouvelle vague, importez un fichier "
        "de réponses différent."
    )


@app.command("list")
def list_command(ctx: typer.Context) -> None:
    """Vagues d'enquête enregistrées."""
    settings = settings_of(ctx)
    with friendly_errors():
        waves = waves_service.stored_waves(settings)
    view = Table(title="Vagues d'enquête")
    for name in ("nom", "prisme", "répondants", "fichier", "importée le", "synthétique"):
        view.add_column(name)
    for wave in waves:
        view.add_row(
            escape(wave.name),
            wave.prism,
            french_number(wave.rows),
            escape(wave.file_name),
            wave.imported_at.strftime("%Y-%m-%d %H:%M"),
            "oui" if wave.synthetic else "non",
        )
    console.print(view)


@app.command("compare")
def compare_command(
    ctx: typer.Context,
    first: Annotated[str, typer.Argument(help="Première vague (référence).")],
    second: Annotated[str, typer.Argument(help="Seconde vague.")],
    var: Annotated[str, typer.Option("--var", help="Question à comparer.")],
    by: Annotated[str | None, typer.Option("--by", help="Domaines.")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="CSV des écarts.")] = None,
) -> None:
    """Écarts entre deux vagues ou deux prismes (échantillons indépendants), e.-t. et IC 95 %."""
    settings = settings_of(ctx)
    with friendly_errors():
        differences, a, b = waves_service.compare_waves(settings, first, second, var, by=by)
    synthetic = a.synthetic or b.synthetic
    view = Table(
        title=f"{var} : {second} − {first} (points)",
        caption=SYNTHETIC_LABEL if synthetic else None,
    )
    for name in ("domaine", "modalité", first, second, "écart", "e.-t.", "IC bas", "IC haut", ""):
        view.add_column(escape(name))
    for d in differences:
        view.add_row(
            d.domain,
            d.level,
            *(
                french_number(100 * v, 1)
                for v in (d.first, d.second, d.difference, d.se, d.ci_low, d.ci_high)
            ),
            "significatif" if d.significant else "",
        )
    console.print(view)
    if synthetic:
        console.print(f"[bold]Attention : {SYNTHETIC_LABEL}[/bold] (vague synthétique comparée).")
    if out is not None:
        frame = pl.DataFrame([asdict(d) for d in differences])
        if synthetic:
            frame = frame.with_columns(pl.lit(SYNTHETIC_LABEL).alias("note"))
        write_table(frame, out)
        console.print(f"Écrit : {escape(str(out))}")


@app.command("crossread")
def crossread_command(
    ctx: typer.Context,
    wave: Annotated[list[str], typer.Option("--wave", help="PRISME=VAGUE, une fois par prisme.")],
    region: Annotated[str | None, typer.Option("--region", help="Code région.")] = None,
    objective: Annotated[
        Path | None,
        typer.Option("--objective", help="CSV fragility,percentile (0 à 1, 1 = plus fragile)."),
    ] = None,
) -> None:
    """Lecture croisée des prismes : impact perçu par fragilité, convergences, écarts."""
    settings = settings_of(ctx)
    with friendly_errors():
        pairs = dict(item.split("=", 1) for item in wave if "=" in item)
        reading, synthetic = waves_service.cross_read_waves(
            settings, pairs, waves_service.read_objective(objective), region=region
        )
    note = f"{SYNTHETIC_LABEL} : vagues {', '.join(synthetic)}" if synthetic else None
    view = Table(title="Lecture croisée des prismes (impact fort ou très fort, %)", caption=note)
    view.add_column("fragilité")
    for prism in reading.prisms:
        view.add_column(prism, justify="right")
    for name in ("lecture", "perçu (pct)", "mesuré (pct)", "écart"):
        view.add_column(name, justify="right")
    for row in reading.readings:
        cells = [
            "secret"
            if s.hidden
            else f"{100 * s.estimate:.0f} [{100 * s.ci_low:.0f}–{100 * s.ci_high:.0f}]"
            for s in (row.scores[p] for p in reading.prisms)
        ]
        view.add_row(
            row.fragility,
            *cells,
            row.agreement.label(),
            "—" if row.perceived_percentile is None else f"{row.perceived_percentile:.2f}",
            "—" if row.objective_percentile is None else f"{row.objective_percentile:.2f}",
            "—" if row.gap is None else f"{row.gap:+.2f}",
        )
    console.print(view)
    if note is not None:
        console.print(f"[bold]Attention : {escape(note)}[/bold].")
