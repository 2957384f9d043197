"""Shared terminal helpers for the command line: one Console, progress bars, error reporting."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

if TYPE_CHECKING:
    from ingest.report import LoadReport

console = Console()
err_console = Console(stderr=True)


def progress() -> Progress:
    """A progress bar on stderr, so --json output on stdout stays clean."""
    return Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), TimeRemainingColumn(), console=err_console, transient=False,
    )


def print_report(report: LoadReport, as_json: bool, show_errors: int, headline: str) -> None:
    """A load report: JSON on stdout, or a headline plus the first `show_errors` problems on stderr."""
    if as_json:
        print(report.model_dump_json(indent=2))
        return
    console.print(headline)
    for line in report.errors[:show_errors]:
        err_console.print(f"  [yellow]![/] {line}")
    if len(report.errors) > show_errors:
        err_console.print(f"  … and {len(report.errors) - show_errors} more (--show-errors N)")
