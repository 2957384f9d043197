"""`dutygraph ingest departments|matters|mandates|dutylist <path>` and `dutygraph ingest sample`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from api.console import console, err_console, print_report, progress
from graph.errors import IngestError
from ingest.report import LoadReport

JsonOpt = Annotated[bool, typer.Option("--json", help="Print the load report as JSON.")]
ShowOpt = Annotated[int, typer.Option(help="How many problems to list.")]


def _print(report: LoadReport, as_json: bool, show_errors: int, unit: str) -> None:
    print_report(report, as_json, show_errors,
                 f"[green]{report.read - report.skipped} {unit}[/] loaded of {report.read} read "
                 f"({report.written} nodes written); {report.skipped} skipped, {len(report.errors)} problems noted")


def _fail(exc: IngestError) -> None:
    err_console.print(f"[red]not loaded:[/] {exc}")
    raise typer.Exit(1)


def departments(
    path: Annotated[Path, typer.Argument(help="Department directory: .yaml, .csv or .xlsx.")],
    jurisdiction: Annotated[str | None, typer.Option(help="Home jurisdiction for .csv/.xlsx, e.g. 山东省/潍坊市/鲁安市.")] = None,
    as_json: JsonOpt = False,
    show_errors: ShowOpt = 20,
) -> None:
    """Load departments, divisions, towns and streets, aliases and former names, and ACTS_AS."""
    from graph.store import open_store
    from ingest.departments import load_departments

    try:
        with open_store() as store:
            report = load_departments(store, path, jurisdiction=jurisdiction)
    except IngestError as exc:
        _fail(exc)
    _print(report, as_json, show_errors, "departments")


def matters(
    path: Annotated[Path, typer.Argument(help="Matter taxonomy (.yaml, 大类 → 小类 → 情形).")],
    as_json: JsonOpt = False,
    show_errors: ShowOpt = 20,
) -> None:
    """Load the matter taxonomy."""
    from graph.store import open_store
    from ingest.matters import load_matters

    try:
        with open_store() as store:
            report = load_matters(store, path)
    except IngestError as exc:
        _fail(exc)
    _print(report, as_json, show_errors, "matters")


def mandates(
    path: Annotated[Path, typer.Argument(help="A 三定 document (.md/.txt/.docx) or a folder of them.")],
    as_json: JsonOpt = False,
    show_errors: ShowOpt = 20,
) -> None:
    """Load 三定 mandates: main duties, internal bodies, and boundary clauses with BOUNDARY_WITH."""
    from graph.store import open_store
    from ingest.mandates import load_mandates
    from ingest.mandates.loader import mandate_files

    try:
        with open_store() as store, progress() as bar:
            task = bar.add_task("mandates", total=len(mandate_files(path)))
            report = load_mandates(store, path, progress=lambda n: bar.advance(task, n))
    except IngestError as exc:
        _fail(exc)
    _print(report, as_json, show_errors, "mandates")


def dutylist(
    path: Annotated[Path, typer.Argument(help="A duty list (.csv or .xlsx).")],
    list_id: Annotated[str | None, typer.Option("--list", help="List name and version (default: the file name).")] = None,
    effective: Annotated[str | None, typer.Option(help="Date the list took effect (YYYY-MM-DD); citations resolve as of it.")] = None,
    column: Annotated[list[str] | None, typer.Option("--column", "-c", help="Map a column: FIELD=HEADER, "
                                                      "e.g. 事项名称=权力名称 or lead=实施机关 (repeatable).")] = None,
    sheet: Annotated[str | None, typer.Option(help="Worksheet name (.xlsx; default: the first).")] = None,
    supersedes: Annotated[str | None, typer.Option(help="An earlier list (its --list name) this one replaces; "
                                                         "its assignments end on --effective.")] = None,
    jurisdiction: Annotated[str | None, typer.Option(help="Jurisdiction id that settles names several loaded "
                                                           "jurisdictions share, e.g. jur:全国/山东省/潍坊市/鲁安市.")] = None,
    as_json: JsonOpt = False,
    show_errors: ShowOpt = 20,
) -> None:
    """Load a duty list: duties, HOLDS, RESPONSIBLE_FOR, matters along the category path, BASED_ON."""
    from graph.store import open_store
    from ingest.dutylists import load_duty_list, parse_overrides

    try:
        columns = parse_overrides(column or [])
        when = dt.date.fromisoformat(effective) if effective else None
    except ValueError as exc:
        err_console.print(f"[red]bad option:[/] {exc}")
        raise typer.Exit(2) from exc
    try:
        with open_store() as store, progress() as bar:
            task = bar.add_task("duty items", total=None)
            report = load_duty_list(store, path, list_id=list_id, list_date=when, columns=columns, sheet=sheet,
                                    supersedes=supersedes, jurisdiction=jurisdiction,
                                    progress=lambda n: bar.advance(task, n))
    except IngestError as exc:
        _fail(exc)
    _print(report, as_json, show_errors, "duty items")
    if not as_json:
        console.print(f"{report.citations_linked} citations linked to articles; "
                      f"{len(report.unresolved_citations)} not in the graph (load their statutes, then re-run)")


def sample(
    laws: Annotated[bool, typer.Option(help="Load the national laws first when they are not in the graph.")] = True,
    cases: Annotated[bool, typer.Option(help="Load the sample's rulings and work orders too.")] = True,
    as_json: JsonOpt = False,
) -> None:
    """Load the whole 鲁安市 sample jurisdiction (idempotent): laws, departments, matters, mandates,
    duty list, rulings, work orders."""
    from graph.settings import get_settings
    from graph.store import open_store
    from ingest.sample import sample_steps

    reports: list[LoadReport] = []
    try:
        with open_store() as store, progress() as bar:
            for step in sample_steps(store, settings=get_settings(), laws=laws, cases=cases):
                task = bar.add_task(step.name, total=step.total)
                reports.append(step.run(lambda n, t=task: bar.advance(t, n)))
                bar.update(task, total=bar.tasks[task].completed or 1, completed=bar.tasks[task].completed or 1)
    except IngestError as exc:
        _fail(exc)
    if as_json:
        print("[" + ",".join(r.model_dump_json() for r in reports) + "]")
        return
    for r in reports:
        console.print(f"[green]{r.kind}[/]: {r.read} read, {r.written} written, {r.skipped} skipped, "
                      f"{len(r.errors)} problems")


def register(app: typer.Typer) -> None:
    for fn in (departments, matters, mandates, dutylist, sample):
        app.command(fn.__name__)(fn)
