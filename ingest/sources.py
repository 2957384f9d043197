"""The source kinds dutygraph ingests, in one registry: for each, the file types it is read from, the options
its loader takes, the dry run that checks a file without writing, and the loader itself.

The CLI's `dutygraph ingest <kind>` commands, uploads (`ingest.upload`) and the upload route all read this
table, so a new kind, extension or option is added here once.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from graph.settings import Settings
from graph.store.base import GraphStore
from ingest import dry_runs
from ingest.laws.chinalaw import CHINA_LAW
from ingest.report import LoadReport


class UploadOptions(BaseModel):
    """What the CLI's options say for a file (`dutygraph ingest <kind> --jurisdiction …`)."""

    jurisdiction: str | None = Field(None, max_length=200, description="departments/rulings: a chain such as "
                                     "山东省/潍坊市/鲁安市; dutylist/mandates/workorders: a jurisdiction id")
    list_id: str | None = Field(None, max_length=200, description="dutylist: list name and version (default: file name)")
    effective: dt.date | None = Field(None, description="dutylist: date the list took effect")


class SourceOptions(UploadOptions):
    """Every option a loader takes; an upload may set only the UploadOptions part. None = the loader's default."""

    columns: dict[str, str] | None = None
    sheet: str | None = None
    supersedes: str | None = None
    batch_size: int | None = None
    resume: bool | None = None


DryRun = Callable[[GraphStore, Path, UploadOptions], None]


@dataclass(frozen=True)
class SourceKind:
    name: str
    unit: str  # what the loader's report counts, for people: "duty items"
    extensions: tuple[str, ...]  # file types an upload of this kind may be
    loader: str  # "module:function", imported on first use (loaders pull in spaCy and friends)
    dry_run: DryRun
    options: Mapping[str, str] = field(default_factory=dict)  # SourceOptions field → the loader's keyword
    # The loader skips a file it cannot read and goes on (a folder of rulings), rather than raising: its report
    # counts what was written, and a load that wrote nothing of what it read has failed.
    skips_files: bool = False
    # sources a user names instead of a path ("china-law"): name → "module:function" giving the file it reads
    named: Mapping[str, str] = field(default_factory=dict)

    def location(self, path: str | Path) -> Path:
        """The file or folder a source reads: a named source's own file, else the path as given."""
        if str(path) in self.named:
            return Path(_imported(self.named[str(path)])())
        return Path(path)

    def load(self, store: GraphStore, path: str | Path, opts: SourceOptions | None = None, *,
             actor: str | None = None, settings: Settings | None = None,
             progress: Callable[[int], None] | None = None,
             on_total: Callable[[int], None] | None = None) -> LoadReport:
        """Run the loader with the options this kind takes (unset ones keep the loader's defaults) and the
        run's hooks the loader accepts: progress, a total once known, settings, the actor edges are asserted by."""
        fn = _imported(self.loader)
        opts = opts or SourceOptions()
        kwargs: dict[str, Any] = {kw: getattr(opts, f) for f, kw in self.options.items() if getattr(opts, f) is not None}
        hooks = {"asserted_by": actor, "settings": settings, "progress": progress, "on_total": on_total}
        accepted = inspect.signature(fn).parameters
        kwargs |= {k: v for k, v in hooks.items() if v is not None and k in accepted}
        return fn(store, path, **kwargs)


def _imported(ref: str) -> Callable[..., Any]:
    """The function a "module:function" reference names, its module imported now (loaders pull in spaCy)."""
    module, name = ref.split(":")
    return getattr(importlib.import_module(module), name)


SOURCES: dict[str, SourceKind] = {s.name: s for s in (
    SourceKind("laws", "statutes", (".md", ".txt", ".docx"), "ingest.laws:load_laws", dry_runs.laws,
               {"resume": "resume"}, named={CHINA_LAW: "ingest.laws.chinalaw:database_path"}),
    SourceKind("departments", "departments", (".yaml", ".yml", ".csv", ".xlsx"),
               "ingest.departments:load_departments", dry_runs.departments, {"jurisdiction": "jurisdiction"}),
    SourceKind("matters", "matters", (".yaml", ".yml"), "ingest.matters:load_matters", dry_runs.matters),
    SourceKind("mandates", "mandates", (".md", ".txt", ".docx"), "ingest.mandates:load_mandates",
               dry_runs.mandates, {"jurisdiction": "jurisdiction"}),
    SourceKind("dutylist", "duty items", (".csv", ".xlsx"), "ingest.dutylists:load_duty_list", dry_runs.dutylist,
               {"list_id": "list_id", "effective": "list_date", "columns": "columns", "sheet": "sheet",
                "supersedes": "supersedes", "jurisdiction": "jurisdiction"}),
    SourceKind("rulings", "rulings", (".yaml", ".yml", ".json", ".txt", ".md", ".docx"),
               "ingest.rulings:load_rulings", dry_runs.rulings, {"jurisdiction": "jurisdiction"}, skips_files=True),
    SourceKind("workorders", "work orders", (".csv", ".xlsx"), "ingest.workorders:load_work_orders",
               dry_runs.workorders, {"jurisdiction": "jurisdiction", "batch_size": "batch_size"}, skips_files=True),
)}
