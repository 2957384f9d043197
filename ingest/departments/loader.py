"""Load a department directory into the graph: jurisdictions, departments, divisions, ACTS_AS."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from graph.store.base import GraphStore
from ingest.departments.build import build_directory
from ingest.departments.directory import read_directory
from ingest.report import LoadReport, content_key, run_name, source_path


def source_id(path: Path) -> str:
    """A source file's document id, from its bytes: the same file is the same source whatever its path or upload
    name (an edited file is a new one; the store moves the facts it restates to it, see GraphStore.upsert_edges)."""
    return f"file:sha256:{content_key(path)}"


def load_departments(
    store: GraphStore,
    path: str | Path,
    *,
    progress: Callable[[int], None] | None = None,
    jurisdiction: str | None = None,
    asserted_by: str | None = None,
) -> LoadReport:
    """Read, validate and write a directory. A file that cannot be read raises `IngestError` before
    anything is written; a bad entry is listed in the report's errors and skipped."""
    path = source_path(path)
    directory = read_directory(path, jurisdiction)
    run = run_name("departments", asserted_by)
    graph = build_directory(directory, source_id(path), asserted_by=run)
    report = LoadReport(kind="departments", source=str(path))
    report.read = len(directory.departments) + len(directory.townships) + len(directory.errors)
    report.errors = [*directory.errors, *graph.errors]
    report.skipped = len(directory.errors)
    report.written = store.upsert_nodes(graph.nodes, actor=run)
    if progress:
        progress(len(graph.nodes))
    store.upsert_edges(graph.edges, actor=run)
    if progress:
        progress(len(graph.edges))
    return report
