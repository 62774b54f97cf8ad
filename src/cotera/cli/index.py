"""``cotera index build``: a composite fragility index from any CSV table."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import numpy as np
import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from cotera.cli.context import console, friendly_errors
from cotera.cli.formatting import french_number
from cotera.index.presets import Preset
from cotera.index.sensitivity import FACTOR_LABEL_FR, SensitivityResult, reading_fr, share
from cotera.services.index_build import IndexBuild, build_index_file

app = typer.Typer(
    help="Indice composite de fragilité (méthode SVI, incertitude).", no_args_is_help=True
)


@app.command("build")
def build_command(
    input_path: Annotated[Path, typer.Argument(help="Table CSV : une ligne par territoire.")],
    out: Annotated[Path, typer.Option("--out", help="Fichier CSV de sortie.")],
    framework: Annotated[
        Path | None,
        typer.Option("--framework", help="Cadre de l'indice (TOML : indicateurs, familles, sens)."),
    ] = None,
    preset: Annotated[
        Preset | None,
        typer.Option(
            "--preset",
            help="Méthode publiée à reproduire : svi2014, svi2016, svi2018, svi2020, svi2022 "
            "(CDC/ATSDR SVI) ; svi = svi2020.",
        ),
    ] = None,
    draws: Annotated[
        int,
        typer.Option(
            "--uncertainty", min=0, help="Nombre de tirages Monte Carlo (intervalle des rangs)."
        ),
    ] = 0,
    seed: Annotated[int | None, typer.Option("--seed", help="Graine aléatoire.")] = None,
    evaluations: Annotated[
        int,
        typer.Option(
            "--sensitivity",
            min=0,
            help="Indices de sensibilité (Sobol) du rang global par choix de méthode, "
            "sur N évaluations.",
        ),
    ] = 0,
    sensitivity_out: Annotated[
        Path | None,
        typer.Option("--sensitivity-out", help="Fichier CSV des indices de sensibilité."),
    ] = None,
) -> None:
    """Construit l'indice : valeurs normalisées, alertes, scores de famille et rang global."""
    with (
        friendly_errors(),
        Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as bar,
    ):
        draw_task = bar.add_task("Incertitude (Monte Carlo)", total=draws, visible=draws > 0)
        sobol_task = bar.add_task("Sensibilité (Sobol)", total=1, visible=evaluations > 0)
        done = build_index_file(
            input_path,
            out,
            framework,
            preset,
            draws,
            seed,
            lambda n, total: bar.update(draw_task, completed=n, total=total),
            sensitivity_evaluations=evaluations,
            sensitivity_out=sensitivity_out,
            sensitivity_progress=lambda n, total: bar.update(sobol_task, completed=n, total=total),
        )
    _summary(done)
    if done.sensitivity is not None:
        _sensitivity(done.sensitivity, done.sensitivity_out)


def _summary(done: IndexBuild) -> None:
    result = done.result
    coverage = result.coverage
    dropped = len(coverage.dropped_units)
    partial = len(coverage.partial_units)
    console.print(
        f"[bold]{escape(result.framework.name or 'Indice')}[/bold] : "
        f"{french_number(coverage.n_included)} unités classées "
        f"sur {french_number(coverage.n_units)}"
        + (f", {dropped} écartées (données manquantes)" if dropped else "")
        + (
            f", {partial} sans rang global (indicateur manquant, classées sur les autres)"
            if partial
            else ""
        )
    )
    order = np.argsort(np.nan_to_num(result.overall_rank, nan=np.inf), kind="stable")[:5]
    table = Table(title="Les plus fragiles", title_justify="left")
    table.add_column("rang", justify="right")
    table.add_column(escape(result.framework.id_column))
    table.add_column("percentile", justify="right")
    if done.spread is not None:
        table.add_column("rang 5–95 %", justify="right")
    for i in order:
        if np.isnan(result.overall_rank[i]):
            break
        cells = [
            french_number(int(result.overall_rank[i])),
            escape(result.unit_ids[i]),
            french_number(float(result.overall_pct[i]), 3),
        ]
        if done.spread is not None:
            low, high = done.spread.rank_p05[i], done.spread.rank_p95[i]
            cells.append(f"{french_number(float(low), 0)}–{french_number(float(high), 0)}")
        table.add_row(*cells)
    console.print(table)
    console.print(f"Écrit : {escape(str(done.out))}")


def _sensitivity(result: SensitivityResult, out: Path | None) -> None:
    table = Table(
        title=f"Sensibilité du rang global ({french_number(result.n_evaluations)} évaluations)",
        title_justify="left",
    )
    table.add_column("choix")
    table.add_column("1er ordre", justify="right")
    table.add_column("total", justify="right")
    for index in result.indices:
        table.add_row(
            FACTOR_LABEL_FR[index.factor],
            french_number(share(index.first_order), 2),
            french_number(share(index.total), 2),
        )
    console.print(table)
    console.print(reading_fr(result), soft_wrap=True)
    if out is not None:
        console.print(f"Écrit : {escape(str(out))}")
