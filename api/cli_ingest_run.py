"""The steps every `dutygraph ingest <kind>` command shares: open the store, show a progress bar, run the
kind's loader from the registry, print its report, and exit non-zero when the source could not be loaded."""

from __future__ import annotations

import getpass
from pathlib import Path

import typer

from api.console import err_console, print_report, progress
from graph.errors import IngestError
from ingest.report import LoadReport, record_ingest
from ingest.sources import SOURCES, SourceOptions


def headline(kind: str, report: LoadReport) -> str:
    """What a person reads first: how much of what was read got in."""
    source = SOURCES[kind]
    problems = f"{report.skipped} skipped, {len(report.errors)} problems noted"
    if source.skips_files:
        return f"[green]{report.written} {source.unit}[/] written of {report.read} read; {problems}"
    return (f"[green]{report.read - report.skipped} {source.unit}[/] loaded of {report.read} read "
            f"({report.written} nodes written); {problems}")


def run_source(kind: str, path: str | Path, opts: SourceOptions, *, total: int | None = None) -> LoadReport:
    """Load one source with a progress bar; a file that cannot be loaded at all exits 1 naming it."""
    source = SOURCES[kind]
    from graph.store import open_store

    try:
        with open_store() as store, progress() as bar:
            task = bar.add_task(source.unit, total=total)
            report = source.load(store, path, opts, progress=lambda n: bar.advance(task, n),
                                 on_total=lambda t: bar.update(task, total=t))
            if store.changelog is not None:
                where = source.location(path)  # `ingest laws china-law` reads the package's database
                record_ingest(store, kind, Path(path).name, where, report, f"cli:{getpass.getuser()}",
                              location=str(where.resolve()), via="cli")
            return report
    except IngestError as exc:
        err_console.print(f"[red]not loaded:[/] {exc}")
        raise typer.Exit(1) from None


def finish(kind: str, report: LoadReport, as_json: bool, show_errors: int) -> None:
    """Print the report; a loader that skips unreadable files has failed when it wrote nothing it read."""
    print_report(report, as_json, show_errors, headline(kind, report))
    if SOURCES[kind].skips_files and report.skipped and not report.written:
        raise typer.Exit(1)
