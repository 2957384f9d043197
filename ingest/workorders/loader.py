"""Work orders → the graph, streamed: rows are read lazily and written in batches, never all held.

Each row becomes a `WorkOrder` node, ABOUT its matter, DISPATCHED_TO {at} every department it was sent
to and RETURNED_BY {at, reason} every department that sent it back. Edges carry the order itself as
their source (the order is the document) and the hop as locator. Department names go through the
department directory's resolver (cached per name), matters through the matter taxonomy. A bad row is
reported by file, row and column and skipped; a department or matter that is not known costs only
that edge, with a note. Errors are listed up to a cap and counted beyond it, so a million bad rows
cannot exhaust memory either.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from graph.errors import IngestError
from graph.ids import slug
from graph.ontology import About, DispatchedTo, Edge, Matter, ReturnedBy, WorkOrder
from graph.places import NATIONAL_NAME, place_id
from graph.store.base import GraphStore
from ingest.departments.resolve import DepartmentResolver
from ingest.matters.taxonomy import MatterIndex
from ingest.report import LoadReport, run_name
from ingest.tables import read_table
from ingest.workorders.records import COLUMNS, REQUIRED, RowError, WorkOrderRow, header_map, to_row

MAX_ERRORS = 1000
TABLES = (".csv", ".xlsx")


class _Names:
    """Name → id caches over what is loaded, so a million rows cost a handful of lookups."""

    def __init__(self, store: GraphStore, jurisdiction: str | None):
        jurisdiction = home_jurisdiction(store, jurisdiction)
        self.departments = DepartmentResolver.from_store(store, jurisdiction)
        self.matters = MatterIndex.from_store(store)
        self.matter_ids = {r["id"] for r in store.read("MATCH (m:Matter) RETURN m.id AS id")}
        self.jurisdictions = {r["id"] for r in store.read("MATCH (j:Jurisdiction) RETURN j.id AS id")}
        self.home = jurisdiction
        self._dept: dict[str, str | None] = {}

    def department(self, name: str) -> str | None:
        if name not in self._dept:
            self._dept[name] = self.departments.resolve(name, self.home)
        return self._dept[name]

    def matter(self, path: list[str]) -> str | None:
        if not path:
            return None
        mid = Matter.derive_id(self.matters.match(path))
        return mid if mid in self.matter_ids else None

    def place(self, township: str | None) -> str | None:
        if self.home and township:
            for cand in (township, f"{township}街道", f"{township}镇"):
                jid = f"{self.home}/{slug(cand)}"
                if jid in self.jurisdictions:
                    return jid
        return self.home


def home_jurisdiction(store: GraphStore, given: str | None) -> str | None:
    """`jur:` id of the given place ('全国/山东省/…' or an id), else where most loaded departments sit."""
    if given:
        if given.startswith("jur:"):
            return given
        parts = [p for p in given.split("/") if p]
        return place_id(parts[1:] if parts[0] == NATIONAL_NAME else parts)
    rows = store.read(
        "MATCH (d:Department) WHERE d.kind <> 'township' RETURN d.jurisdiction AS j, count(d) AS n ORDER BY n DESC LIMIT 1"
    )
    return rows[0]["j"] if rows else None


class _Batch:
    def __init__(self) -> None:
        self.nodes: list[WorkOrder] = []
        self.edges: list[Edge] = []


def _row_graph(row: WorkOrderRow, names: _Names, run: str, note: Callable[[str], None]) -> tuple[WorkOrder, list[Edge]]:
    handler = names.department(row.final_handler) if row.final_handler else None
    wo = WorkOrder(
        number=row.number, text=row.text, received_at=row.received_at, place=row.place,
        jurisdiction=names.place(row.township), channel=row.channel,
        final_handler=handler or row.final_handler, result=row.result, satisfaction=row.satisfaction,
        closed_at=row.closed,
    )
    edges: list[Edge] = []
    if row.matter:
        mid = names.matter(row.matter)
        if mid:
            edges.append(About(src=wo.id, dst=mid, src_label="WorkOrder", source=wo.id, locator="事项分类", asserted_by=run))
        else:
            note(f"field '事项分类': matter {'/'.join(row.matter)!r} is not in the taxonomy")
    for i, ev in enumerate(row.events, start=1):
        if ev.action == "other":
            continue
        dept = names.department(ev.department)
        if dept is None:
            note(f"field '流转记录': department {ev.department!r} (hop {i}) is not in the directory")
            continue
        common: dict[str, Any] = {"src": wo.id, "dst": dept, "source": wo.id, "locator": f"hop{i}", "at": ev.at,
                                  "asserted_by": run}
        edges.append(DispatchedTo(**common) if ev.action == "dispatch" else ReturnedBy(**common, reason=ev.reason))
    return wo, edges


def load_work_order_rows(
    store: GraphStore,
    rows: Iterable[tuple[int | str, dict[str, Any]]],
    *,
    source: str = "<rows>",
    jurisdiction: str | None = None,
    progress: Callable[[int], None] | None = None,
    batch_size: int = 2000,
    asserted_by: str | None = None,
) -> LoadReport:
    """Load `(row number, {header: value})` pairs from any iterable — a generator is consumed lazily."""
    run = run_name("workorders", asserted_by)
    names = _Names(store, jurisdiction)
    report = LoadReport(kind="workorders", source=source)
    hmap: dict[str, str] | None = None
    batch = _Batch()

    def error(msg: str) -> None:
        if len(report.errors) < MAX_ERRORS:
            report.errors.append(msg)
        elif len(report.errors) == MAX_ERRORS:
            report.errors.append(f"{source}: more problems not listed (see skipped count)")

    def flush() -> None:
        if batch.nodes:
            report.written += store.upsert_nodes(batch.nodes, actor=run)
            store.upsert_edges(batch.edges, actor=run)
            if progress:
                progress(len(batch.nodes))
            batch.nodes, batch.edges = [], []

    try:
        for rownum, raw in rows:
            report.read += 1
            if hmap is None:
                hmap = header_map(list(raw))
                missing = [COLUMNS[f][0] for f in REQUIRED if f not in hmap.values()]
                if missing:
                    raise IngestError(source, f"missing column(s) {', '.join(missing)}", row=rownum)
            try:
                row = to_row(raw, hmap)
            except RowError as exc:
                report.skipped += 1
                error(str(IngestError(source, exc.reason, row=rownum, field=exc.field)))
                continue
            wo, edges = _row_graph(row, names, run, lambda m, r=rownum: error(f"{source}, row {r}, {m}"))
            batch.nodes.append(wo)
            batch.edges += edges
            if len(batch.nodes) >= batch_size:
                flush()
    except IngestError as exc:  # the file broke off (bad encoding, malformed CSV): keep what was read
        report.skipped += 1
        error(str(exc))
    flush()
    return report


def work_order_files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise IngestError(path, "no such file or directory")
    return sorted(p for p in path.rglob("*") if p.suffix.lower() in TABLES and not p.name.startswith((".", "~$")))


def iter_table(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Rows of one .csv/.xlsx file, streamed (the header row is found among the first rows)."""
    yield from read_table(path, [n for names in COLUMNS.values() for n in names])


def load_work_orders(
    store: GraphStore,
    path: str | Path,
    *,
    progress: Callable[[int], None] | None = None,
    jurisdiction: str | None = None,
    batch_size: int = 2000,
    asserted_by: str | None = None,
) -> LoadReport:
    """Load every .csv/.xlsx work-order table under `path`; a file that cannot be read is reported and skipped."""
    path = Path(path)
    report = LoadReport(kind="workorders", source=str(path))
    for f in work_order_files(path):
        try:
            got = load_work_order_rows(store, iter_table(f), source=str(f), jurisdiction=jurisdiction,
                                       progress=progress, batch_size=batch_size, asserted_by=asserted_by)
        except IngestError as exc:
            report.errors.append(str(exc))
            report.skipped += 1
            continue
        report = report.merge(got)
    return report
