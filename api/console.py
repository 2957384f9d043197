"""Shared terminal helpers for the command line: one Console, progress bars, error reporting."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TypeVar

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

T = TypeVar("T")
console = Console()
err_console = Console(stderr=True)


def progress() -> Progress:
    """A progress bar on stderr, so --json output on stdout stays clean."""
    return Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), TimeRemainingColumn(), console=err_console, transient=False,
    )


def track(items: Iterable[T], description: str, total: int | None = None) -> Iterator[T]:
    with progress() as p:
        task = p.add_task(description, total=total)
        for item in items:
            yield item
            p.advance(task)
