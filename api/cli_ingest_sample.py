"""`dutygraph ingest sample`: the whole 鲁安市 sample jurisdiction, each source kind in turn (ingest.sample)."""

from __future__ import annotations

from typing import Annotated

import typer

from api.console import console, err_console, progress
from graph.errors import IngestError
from ingest.report import LoadReport


def sample(
    laws: Annotated[bool, typer.Option(help="Load the national laws first when they are not in the graph.")] = True,
    cases: Annotated[bool, typer.Option(help="Load the sample's rulings and work orders too.")] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Print the load reports as JSON.")] = False,
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
        err_console.print(f"[red]not loaded:[/] {exc}")
        raise typer.Exit(1) from None
    if as_json:
        print("[" + ",".join(r.model_dump_json() for r in reports) + "]")
        return
    for r in reports:
        console.print(f"[green]{r.kind}[/]: {r.read} read, {r.written} written, {r.skipped} skipped, "
                      f"{len(r.errors)} problems")
