"""`dutygraph dispatch FILE.csv|xlsx`: a proposal (lead, cooperating, territorial, confidence, basis) for every
work order of a hotline export, written to .xlsx (and JSON on request)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from api.console import console, err_console, progress

FLAG_SHORT = {"gap": "疑似空白", "low_confidence": "置信度低"}


def dispatch_command(
    file: Annotated[Path, typer.Argument(help="A hotline export (.csv or .xlsx): 标题/工单标题, 内容/诉求内容, "
                                         "地址/事发地址, 时间/受理时间 …")],
    jurisdiction: Annotated[str | None, typer.Option(
        "--jurisdiction", "-j", help="The place the orders come from (鲁安市, 济宁市, an id); default: the loaded directory's.")] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="The .xlsx to write; default FILE.dispatch.xlsx.")] = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="Also write the answers as JSON to this file ('-' = stdout).")] = None,
    columns: Annotated[list[str] | None, typer.Option(
        "--column", "-c", help="Map a header this export uses: 内容=来电详情 (repeatable).")] = None,
    workers: Annotated[int, typer.Option(help="Processes answering (about one per core).", min=1, max=32)] = 2,
    show_errors: Annotated[int, typer.Option(help="How many skipped rows to list.")] = 20,
) -> None:
    """Propose who each work order goes to; rows that cannot be read are listed by row number and skipped."""
    from api.dispatch import default_out, dispatch, write_xlsx
    from graph.errors import IngestError
    from graph.settings import get_settings
    from graph.store import open_store
    from ingest.dispatch_rows import DispatchRow, read_orders
    from ingest.dutylists.columns import parse_overrides

    try:
        overrides = parse_overrides(columns or [])
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    s = get_settings()
    try:
        rows = list(read_orders(file, overrides))
    except IngestError as exc:
        err_console.print(f"[red]not read:[/] {exc}")
        raise typer.Exit(1) from None
    with open_store(s) as store, progress() as bar:
        task = bar.add_task("work orders", total=sum(isinstance(r, DispatchRow) for r in rows))
        report = dispatch(s, store, rows, jurisdiction, str(file), workers=workers,
                          progress=lambda done, total: bar.update(task, completed=done, total=total))
    target = out or default_out(file)
    write_xlsx(report, target)
    if json_out is not None:
        text = report.model_dump_json(indent=2)
        if str(json_out) == "-":
            print(text)
        else:
            json_out.write_text(text, encoding="utf-8")
    flags = "，".join(f"{FLAG_SHORT.get(k, k)} {v}" for k, v in report.flagged.items())
    (err_console if str(json_out) == "-" else console).print(
        f"[green]{report.answered}[/] work orders answered of {report.rows} rows ({report.skipped} skipped; "
        f"{report.distinct} distinct questions; {report.rows_per_second} rows/s){'；' + flags if flags else ''} → {target}")
    for line in report.errors[:show_errors]:
        err_console.print(f"  [yellow]![/] {line}")
    if len(report.errors) > show_errors:
        err_console.print(f"  … and {len(report.errors) - show_errors} more (--show-errors N)")
    if not report.answered:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("dispatch")(dispatch_command)
