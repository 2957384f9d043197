"""An uploaded source file, checked before anything is stored, then loaded by the kind's own loader.

Three gates, in order, each naming what is wrong:

1. the file name: a plain name with an extension the kind's loader reads (`UnsupportedUpload`);
2. the content matches the extension: text (no NUL bytes; UTF-8, or GB18030 where the loader's reader
   also accepts it) for .md/.txt/.csv/.yaml/.json, a zip package holding a Word document or an Excel
   workbook for .docx/.xlsx (`UnsupportedUpload`);
3. a dry run: the whole file is read and validated with the same readers, row models and name
   resolution the loader uses, and the first problem is raised as `IngestError` (file, row, field).
   Loaders skip a bad row and go on; an upload is all or nothing, so a file with a bad row stores nothing.

The web layer owns size limits and authentication; this module knows nothing of HTTP.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel, Field

from graph.errors import DutygraphError, IngestError
from graph.settings import Settings
from graph.store.base import GraphStore
from ingest.report import LoadReport

KINDS: dict[str, tuple[str, ...]] = {
    "laws": (".md", ".txt", ".docx"),
    "departments": (".yaml", ".yml", ".csv", ".xlsx"),
    "matters": (".yaml", ".yml"),
    "mandates": (".md", ".txt", ".docx"),
    "dutylist": (".csv", ".xlsx"),
    "rulings": (".yaml", ".yml", ".json", ".txt", ".md", ".docx"),
    "workorders": (".csv", ".xlsx"),
}
_GB_OK = (".csv", ".txt", ".md")  # readers of these fall back to GB18030 (ingest.tables, laws.files, mandates.reader)
_ZIP_MEMBER = {".docx": ("word/document.xml", "a Word document"), ".xlsx": ("xl/workbook.xml", "an Excel workbook")}
_BAD_NAME = re.compile(r"[\x00-\x1f\\/:*?\"<>|]")
_RUN = "upload-check"


class UnsupportedUpload(DutygraphError):
    """The file's name or content is not a type this kind of source can be loaded from."""

    def __init__(self, name: str, reason: str, allowed: tuple[str, ...]):
        self.name, self.reason, self.allowed = name, reason, allowed
        super().__init__(f"{name}: {reason} (accepted: {', '.join(allowed)})")


class UploadOptions(BaseModel):
    """What the CLI's options say for a file (`dutygraph ingest <kind> --jurisdiction …`)."""

    jurisdiction: str | None = Field(None, max_length=200, description="departments/rulings: a chain such as "
                                     "山东省/潍坊市/鲁安市; dutylist/mandates/workorders: a jurisdiction id")
    list_id: str | None = Field(None, max_length=200, description="dutylist: list name and version (default: file name)")
    effective: dt.date | None = Field(None, description="dutylist: date the list took effect")


def safe_name(kind: str, filename: str | None) -> str:
    """The upload's own file name, reduced to a plain name the loaders can be pointed at."""
    allowed = KINDS[kind]
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not name or _BAD_NAME.search(name) or name.startswith((".", "_", "~")) or len(name) > 200:
        raise UnsupportedUpload(name or "(no file name)", "give the file a plain name with its extension", allowed)
    if Path(name).suffix.lower() not in allowed:
        raise UnsupportedUpload(name, f"a {kind} upload cannot be a {Path(name).suffix or 'file without extension'}",
                                allowed)
    return name


def check_content(kind: str, name: str, path: Path) -> None:
    """The bytes are what the extension says; raises UnsupportedUpload naming the mismatch."""
    suffix = Path(name).suffix.lower()
    allowed = KINDS[kind]
    if suffix in _ZIP_MEMBER:
        member, what = _ZIP_MEMBER[suffix]
        with path.open("rb") as fh:
            magic = fh.read(4)
        if magic != b"PK\x03\x04":
            raise UnsupportedUpload(name, f"a {suffix} file is a zip package ({what}); this one is not", allowed)
        try:
            with zipfile.ZipFile(path) as z:
                names = set(z.namelist())
        except zipfile.BadZipFile as exc:
            raise UnsupportedUpload(name, f"a broken zip package: {exc}", allowed) from None
        if member not in names:
            raise UnsupportedUpload(name, f"the zip package is not {what} (no {member})", allowed)
        return
    raw = path.read_bytes()
    if b"\x00" in raw:
        raise UnsupportedUpload(name, f"a {suffix} file must be text; this one holds binary data", allowed)
    for enc in ("utf-8-sig", "gb18030") if suffix in _GB_OK else ("utf-8-sig",):
        try:
            raw.decode(enc)
            return
        except UnicodeDecodeError as exc:
            err = exc
    line = raw[: err.start].count(b"\n") + 1
    want = "UTF-8 or GB18030" if suffix in _GB_OK else "UTF-8"
    raise UnsupportedUpload(name, f"not {want} text (first bad byte on line {line})", allowed)


# -- dry runs: the loaders' own readers, no writes -----------------------------------------------------
def _laws(store: GraphStore, path: Path, opts: UploadOptions) -> None:
    from ingest.laws.files import read_statute

    read_statute(path)  # raises for no title / no article


def _departments(store: GraphStore, path: Path, opts: UploadOptions) -> None:
    from ingest.departments.directory import read_directory

    d = read_directory(path, opts.jurisdiction)
    if d.errors:
        raise IngestError(path, f"{len(d.errors)} bad entr{'y' if len(d.errors) == 1 else 'ies'}; first: {d.errors[0]}")
    if not d.departments and not d.townships:
        raise IngestError(path, "no departments or townships in the file", field="departments")


def _matters(store: GraphStore, path: Path, opts: UploadOptions) -> None:
    from ingest.matters.taxonomy import read_taxonomy, walk

    seen: set[tuple[str, ...]] = set()
    for p, _ in walk(read_taxonomy(path)):
        if p in seen:
            raise IngestError(path, "duplicate matter path", row="/".join(p), field="name")
        seen.add(p)
    if not seen:
        raise IngestError(path, "the taxonomy is empty", field="matters")


def _mandates(store: GraphStore, path: Path, opts: UploadOptions) -> None:
    from ingest.departments import DepartmentResolver
    from ingest.mandates.loader import build_mandate
    from ingest.mandates.parser import parse_mandate
    from ingest.mandates.reader import read_paragraphs

    paragraphs, meta = read_paragraphs(path)
    try:
        parsed = parse_mandate(paragraphs, meta)
    except ValueError as exc:
        raise IngestError(path, str(exc)) from exc
    build_mandate(parsed, path, DepartmentResolver.from_store(store, opts.jurisdiction), _RUN)  # unknown department


def _dutylist(store: GraphStore, path: Path, opts: UploadOptions) -> None:
    from ingest.departments import DepartmentResolver
    from ingest.dutylists.columns import ColumnMap, all_known_headers
    from ingest.dutylists.loader import _FIELD_FOR_ROLE, _Builder, parse_row
    from ingest.matters import MatterIndex
    from ingest.tables import read_table

    table = read_table(path, required=all_known_headers())
    cmap = ColumnMap.build(table.headers)
    if missing := cmap.missing():
        raise IngestError(path, f"no column for {', '.join(missing)} (headers: {', '.join(h for h in table.headers if h)})",
                          field=missing[0])
    resolver = DepartmentResolver.from_store(store, opts.jurisdiction)
    if not resolver.records:
        raise IngestError(path, "no departments in the graph: load the department directory first", field="责任部门")
    b = _Builder(store, path, opts.list_id or path.stem, opts.effective, resolver, MatterIndex.from_store(store), _RUN,
                 cmap)
    seen: dict[str, int] = {}
    rows = 0
    for rownum, raw in table:
        rows += 1
        row = parse_row(path, rownum, raw, cmap, b.header, seen)
        named: list[str] = []
        for field in _FIELD_FOR_ROLE.values():
            named += b.departments(getattr(row, field), field, rownum, named)
    if not rows:
        raise IngestError(path, "no rows under the header")


def _rulings(store: GraphStore, path: Path, opts: UploadOptions) -> None:
    from ingest.rulings.records import read_rulings
    from ingest.rulings.resolve import Resolver

    defaults = {"jurisdiction": opts.jurisdiction} if opts.jurisdiction else {}
    n = 0
    for item in read_rulings(path, Resolver(store).party_parser(), defaults):
        if isinstance(item, IngestError):
            raise item
        if not item.jurisdiction:
            raise IngestError(path, "no jurisdiction (give it in the file or as the upload's jurisdiction)",
                              row=item.locator or None, field="jurisdiction")
        n += 1
    if not n:
        raise IngestError(path, "no ruling in the file")


def _workorders(store: GraphStore, path: Path, opts: UploadOptions) -> None:
    from ingest.workorders.loader import iter_table
    from ingest.workorders.records import COLUMNS, REQUIRED, RowError, header_map, to_row

    hmap: dict[str, str] | None = None
    for rownum, raw in iter_table(path):
        if hmap is None:
            hmap = header_map(list(raw))
            if missing := [COLUMNS[f][0] for f in REQUIRED if f not in hmap.values()]:
                raise IngestError(path, f"missing column(s) {', '.join(missing)}", field=missing[0])
        try:
            to_row(raw, hmap)
        except RowError as exc:
            raise IngestError(path, exc.reason, row=rownum, field=exc.field) from None
    if hmap is None:
        raise IngestError(path, "no rows under the header")


_DRY_RUNS: dict[str, Callable[[GraphStore, Path, UploadOptions], None]] = {
    "laws": _laws, "departments": _departments, "matters": _matters, "mandates": _mandates,
    "dutylist": _dutylist, "rulings": _rulings, "workorders": _workorders,
}


def _named(exc: IngestError, path: Path, name: str) -> IngestError:
    """The same error with the server-side path replaced by the name the user uploaded."""
    return IngestError(name, exc.reason.replace(str(path), name), row=exc.row, field=exc.field)


def dry_run(store: GraphStore, kind: str, path: Path, name: str, opts: UploadOptions) -> None:
    """Read and validate the whole file as its loader would, writing nothing; raises IngestError."""
    try:
        _DRY_RUNS[kind](store, path, opts)
    except IngestError as exc:
        raise _named(exc, path, name) from None


def load(store: GraphStore, settings: Settings, kind: str, path: Path, name: str, opts: UploadOptions,
         actor: str) -> LoadReport:
    """Run the kind's loader on a file that passed `dry_run`; edges are asserted by (and logged under) `actor`."""
    if kind == "laws":
        from ingest.laws import load_laws

        report: LoadReport = load_laws(store, path, settings=settings)
    elif kind == "departments":
        from ingest.departments import load_departments

        report = load_departments(store, path, jurisdiction=opts.jurisdiction, asserted_by=actor)
    elif kind == "matters":
        from ingest.matters import load_matters

        report = load_matters(store, path, asserted_by=actor)
    elif kind == "mandates":
        from ingest.mandates import load_mandates

        report = load_mandates(store, path, asserted_by=actor, jurisdiction=opts.jurisdiction)
    elif kind == "dutylist":
        from ingest.dutylists import load_duty_list

        report = load_duty_list(store, path, list_id=opts.list_id, list_date=opts.effective,
                                jurisdiction=opts.jurisdiction, asserted_by=actor)
    elif kind == "rulings":
        from ingest.rulings import load_rulings

        report = load_rulings(store, path, jurisdiction=opts.jurisdiction, asserted_by=actor)
    elif kind == "workorders":
        from ingest.workorders import load_work_orders

        report = load_work_orders(store, path, jurisdiction=opts.jurisdiction, asserted_by=actor)
    else:
        raise ValueError(f"unknown source kind {kind!r}")
    report.source = name
    report.errors = [e.replace(str(path), name) for e in report.errors]
    return report
