"""Dry runs: each reads and validates a whole source file with its loader's own readers, row models and name
resolution, and writes nothing. The first problem is raised as `IngestError` (file, row, field).

Loaders skip a bad row and go on; an upload is all or nothing, so it is checked here first
(`ingest.upload`). The registry (`ingest.sources`) names each kind's dry run.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from graph.errors import IngestError
from graph.store.base import GraphStore

if TYPE_CHECKING:  # the registry imports this module
    from ingest.sources import UploadOptions

RUN = "upload-check"  # asserted_by of the objects a dry run builds and never writes


def laws(store: GraphStore, path: Path, opts: UploadOptions) -> None:
    from ingest.laws.files import read_statute

    read_statute(path)  # raises for no title / no article


def departments(store: GraphStore, path: Path, opts: UploadOptions) -> None:
    from ingest.departments.directory import read_directory

    d = read_directory(path, opts.jurisdiction)
    if d.errors:
        raise IngestError(path, f"{len(d.errors)} bad entr{'y' if len(d.errors) == 1 else 'ies'}; first: {d.errors[0]}")
    if not d.departments and not d.townships:
        raise IngestError(path, "no departments or townships in the file", field="departments")


def matters(store: GraphStore, path: Path, opts: UploadOptions) -> None:
    from ingest.matters.taxonomy import read_taxonomy, walk

    seen: set[tuple[str, ...]] = set()
    for p, _ in walk(read_taxonomy(path)):
        if p in seen:
            raise IngestError(path, "duplicate matter path", row="/".join(p), field="name")
        seen.add(p)
    if not seen:
        raise IngestError(path, "the taxonomy is empty", field="matters")


def mandates(store: GraphStore, path: Path, opts: UploadOptions) -> None:
    from ingest.departments import DepartmentResolver
    from ingest.mandates.loader import build_mandate
    from ingest.mandates.parser import parse_mandate
    from ingest.mandates.reader import read_paragraphs

    paragraphs, meta = read_paragraphs(path)
    try:
        parsed = parse_mandate(paragraphs, meta)
    except ValueError as exc:
        raise IngestError(path, str(exc)) from exc
    build_mandate(parsed, path, DepartmentResolver.from_store(store, opts.jurisdiction), RUN)  # unknown department


def dutylist(store: GraphStore, path: Path, opts: UploadOptions) -> None:
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
    b = _Builder(store, path, opts.list_id or path.stem, opts.effective, resolver, MatterIndex.from_store(store), RUN,
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


def rulings(store: GraphStore, path: Path, opts: UploadOptions) -> None:
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


def workorders(store: GraphStore, path: Path, opts: UploadOptions) -> None:
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
