"""`dutygraph ingest rulings <path>` and `dutygraph ingest workorders <path>`."""

from __future__ import annotations

from typing import Annotated

import typer

from api.console import print_report, progress
from ingest.report import LoadReport


def _print(report: LoadReport, as_json: bool, show_errors: int, unit: str) -> None:
    print_report(report, as_json, show_errors,
                 f"[green]{report.written} {unit}[/] written of {report.read} read; {report.skipped} skipped, "
                 f"{len(report.errors)} problems noted")


def rulings(
    path: Annotated[str, typer.Argument(help="A ruling file (.yaml/.json/.txt/.docx) or a folder of them.")],
    jurisdiction: Annotated[str | None, typer.Option(help="Where rulings that do not say so were made, e.g. "
                                                          "全国/山东省/潍坊市/鲁安市 (a _defaults.yaml beside the files wins).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the load report as JSON.")] = False,
    show_errors: Annotated[int, typer.Option(help="How many problems to list.")] = 20,
) -> None:
    """Load rulings and precedents: parties and roles, principles, citations, supersessions."""
    from graph.store import open_store
    from ingest.rulings import load_rulings

    with open_store() as store, progress() as bar:
        task = bar.add_task("rulings", total=None)
        report = load_rulings(store, path, jurisdiction=jurisdiction, progress=lambda n: bar.advance(task, n))
    _print(report, as_json, show_errors, "rulings")
    if report.skipped and not report.written:
        raise typer.Exit(1)


def workorders(
    path: Annotated[str, typer.Argument(help="A work-order table (.csv/.xlsx) or a folder of them.")],
    jurisdiction: Annotated[str | None, typer.Option(help="The hotline's jurisdiction (default: where most "
                                                          "loaded departments sit).")] = None,
    batch_size: Annotated[int, typer.Option(help="Rows per write batch.")] = 2000,
    as_json: Annotated[bool, typer.Option("--json", help="Print the load report as JSON.")] = False,
    show_errors: Annotated[int, typer.Option(help="How many problems to list.")] = 20,
) -> None:
    """Load hotline work orders (streamed): matter, dispatches, returns with reasons, outcome."""
    from graph.store import open_store
    from ingest.workorders import load_work_orders

    with open_store() as store, progress() as bar:
        task = bar.add_task("work orders", total=None)
        report = load_work_orders(store, path, jurisdiction=jurisdiction, batch_size=batch_size,
                                  progress=lambda n: bar.advance(task, n))
    _print(report, as_json, show_errors, "work orders")
    if report.skipped and not report.written:
        raise typer.Exit(1)
