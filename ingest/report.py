"""What one load did: counts and the problems it skipped, so the CLI can print them and tests can check them;
and who a load writes as.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from graph.errors import IngestError
from graph.queries.temporal import today as china_today

if TYPE_CHECKING:
    from graph.changelog import ChangeEntry
    from graph.store.base import GraphStore


class LoadReport(BaseModel):
    kind: str
    source: str
    read: int = 0
    written: int = 0
    skipped: int = 0
    errors: list[str] = Field(default_factory=list, description="one line per skipped file/row, naming it")

    def merge(self, other: LoadReport) -> LoadReport:
        return LoadReport(
            kind=self.kind, source=self.source, read=self.read + other.read, written=self.written + other.written,
            skipped=self.skipped + other.skipped, errors=[*self.errors, *other.errors],
        )


def run_prefix(kind: str) -> str:
    """What every default run name of a `kind` of load starts with (a loader finds its own earlier facts by it)."""
    return f"ingest:{kind}@"


def run_name(kind: str, asserted_by: str | None = None) -> str:
    """Who asserts the facts a load writes: the caller, when named; else the kind's run of the day,
    `ingest:<kind>@<date>`."""
    return asserted_by or f"{run_prefix(kind)}{china_today().isoformat()}"


def file_sha256(path: Path) -> str:
    """The content hash an ingest is logged with (a folder: of its files' names and contents, in order)."""
    h = hashlib.sha256()
    for f in sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]:
        if path.is_dir():
            h.update(str(f.relative_to(path)).encode() + b"\0")
        with f.open("rb") as fh:
            while chunk := fh.read(1 << 20):
                h.update(chunk)
    return h.hexdigest()


def source_path(path: str | Path) -> Path:
    """The file or folder a load reads, checked before it reads or writes anything: a missing one is an
    `IngestError` naming it."""
    path = Path(path)
    if not path.exists():
        raise IngestError(path, "file not found")
    return path


def content_key(path: Path) -> str:
    """A file's short content id (the first 20 hex digits of its SHA-256): its source id and its upload folder."""
    return file_sha256(path)[:20]


def record_ingest(store: GraphStore, kind: str, name: str, path: Path, report: LoadReport, actor: str,
                  **extra: Any) -> ChangeEntry:
    """Log one ingest (CLI or upload) in the change log: what was read, from which content, by whom."""
    return store.changelog.record("ingest", kind, f"file:{kind}/{name}", {
        "file": name, "sha256": file_sha256(path), "read": report.read, "written": report.written,
        "skipped": report.skipped, "problems": len(report.errors), **extra}, actor=actor)
