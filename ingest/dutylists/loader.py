"""Load a duty list (权责清单, .csv / .xlsx): Duty nodes, HOLDS (lead / cooperate / territorial),
RESPONSIBLE_FOR department → matter, ABOUT duty → matter (created or matched along 大类 → 小类 → 情形),
and BASED_ON duty → Article for every citation in 实施依据 that resolves.

Rows stream in chunks, so a long list never sits in memory whole; a bad row is reported with its
row number and column and skipped, and rows already written stay.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from graph.errors import IngestError
from graph.ontology import About, Duty, Edge, Holds, Matter, Node, ResponsibleFor, Role
from graph.store.base import GraphStore
from ingest.departments import DepartmentResolver, source_id
from ingest.dutylists.basis import BasisLinker
from ingest.dutylists.columns import ColumnMap, all_known_headers
from ingest.dutylists.rows import DutyRow
from ingest.matters import MatterIndex, matter_chain
from ingest.report import LoadReport, run_name, run_prefix, source_path
from ingest.tables import read_table

CHUNK = 500
DUTY_LIST_RUN = run_prefix("dutylist")  # who asserts a duty list's facts, unless a caller is named
_FIELD_FOR_ROLE: dict[str, str] = {"lead": "lead", "cooperate": "cooperate", "territorial": "territorial"}


class DutyListReport(LoadReport):
    citations_linked: int = 0
    unresolved_citations: list[str] = []
    superseded: int = 0


def _row_values(row: Mapping[str, Any], cmap: ColumnMap) -> dict[str, Any]:
    c = cmap.columns
    values: dict[str, Any] = {f: row.get(h) for f, h in c.items() if f not in ("category", "subcategory", "case", "path")}
    path = [str(row.get(c[k]) or "").strip() for k in ("category", "subcategory", "case") if k in c]
    path = [p for p in path if p]
    if not path and "path" in c and row.get(c["path"]):
        path = [p.strip() for p in str(row[c["path"]]).replace("→", "/").replace(">", "/").split("/") if p.strip()]
    values["path"] = path
    return values


def parse_row(path: Path, rownum: int, raw: Mapping[str, Any], cmap: ColumnMap, header: Callable[[str], str],
              seen: dict[str, int]) -> DutyRow:
    """One validated row, or an IngestError naming the row and its column; `seen` catches duplicates."""
    try:
        row = DutyRow(**_row_values(raw, cmap))
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else "lead"
        raise IngestError(path, first["msg"].removeprefix("Value error, "), row=rownum,
                          field=header(field if field in cmap.columns else "lead")) from None
    key = f"{row.code}|{row.name}"
    if key in seen:
        raise IngestError(path, f"duplicate item (same code and name as row {seen[key]})", row=rownum,
                          field=header("code" if row.code != "-" else "name"))
    seen[key] = rownum
    return row


class _Builder:
    def __init__(self, store: GraphStore, path: Path, list_id: str, list_date: dt.date | None,
                 resolver: DepartmentResolver, matters: MatterIndex, run: str, cmap: ColumnMap):
        self.path, self.list_id, self.list_date, self.run = path, list_id, list_date, run
        self.resolver, self.matters, self.cmap = resolver, matters, cmap
        self.source = source_id(path)
        self.linker = BasisLinker(store, list_date)
        self.placed = placed_by_others(store, list_id, self.source)
        self.placing: set[str] = set()  # matters this load placed already (one PART_OF edge each)

    def header(self, field: str) -> str:
        return self.cmap.columns.get(field, field)

    def county_of(self, depts: list[str]) -> str | None:
        """The county-level jurisdiction of the row's named departments (a township's is its parent)."""
        for d in depts:
            rec = self.resolver.records.get(d)
            if rec is not None:
                return rec.jurisdiction.rsplit("/", 1)[0] if rec.kind == "township" else rec.jurisdiction
        return None

    def departments(self, names: list[str], field: str, rownum: int, named: list[str]) -> list[str]:
        out: list[str] = []
        for name in names:
            if name == "各镇（街道）":
                out += self.resolver.townships(self.county_of(named) or self.resolver.home)
                continue
            dept = self.resolver.resolve(name)
            if dept is None:
                cands = self.resolver.candidates(name)
                why = f"ambiguous department {name!r} ({len(cands)} matches)" if cands else f"unknown department {name!r}"
                raise IngestError(self.path, why, row=rownum, field=self.header(field))
            out.append(dept)
        return list(dict.fromkeys(out))

    def build(self, rownum: int, row: DutyRow) -> tuple[list[Node], list[Edge]]:
        holders: list[tuple[str, Role]] = []
        for role, field in _FIELD_FOR_ROLE.items():
            for dept in self.departments(getattr(row, field), field, rownum, [d for d, _ in holders]):
                if all(d != dept for d, _ in holders):
                    holders.append((dept, role))  # type: ignore[arg-type]
        duty = Duty(list=self.list_id, code=row.code, name=row.name, type=row.type, text=row.text, basis=row.basis)
        # keyed by content, not position: a row inserted above must not make every row below it a new fact
        locator = row.code if row.code != "-" else f"事项 {row.name}"
        prov = {"source": self.source, "locator": locator, "valid_from": self.list_date, "asserted_by": self.run}
        path = self.matters.match(row.path)
        chain, part_of = matter_chain(path, self.source, self.run, locator="/".join(path))
        # a matter the taxonomy (or an earlier row) already placed keeps its one PART_OF edge; one this list placed
        # is placed again, so a reload restates the edge under its id and a load cut short completes it
        part_of = [e for e in part_of if e.src not in self.placed and e.src not in self.placing]
        self.placing.update(e.src for e in part_of)
        self.matters.add(path)
        leaf: Matter = chain[-1]
        nodes: list[Node] = [duty, *chain]
        edges: list[Edge] = [*part_of, About(src=duty.id, dst=leaf.id, src_label="Duty", **prov)]
        # one RESPONSIBLE_FOR per department, matter and role from this list (the duties behind it are
        # reached through HOLDS and ABOUT), so a department with many items on one matter has one edge
        owner = {**prov, "locator": f"{self.list_id}:{'/'.join(path)}"}
        for dept, role in holders:
            edges.append(Holds(src=dept, dst=duty.id, role=role, **prov))
            edges.append(ResponsibleFor(src=dept, dst=leaf.id, role=role, **owner))
        edges += self.linker.edges(duty.id, row.basis, self.source, locator, self.run)
        return nodes, edges


def placed_by_others(store: GraphStore, list_id: str, source: str) -> set[str]:
    """The matters whose PART_OF edge another source stands for (a taxonomy, another list). This list's own edges
    are those of its sources (its duties' ABOUT edges cite them: this file, an earlier version, its path-based id)
    and those a duty list left whose source nothing else cites any more (placed before source ids were contents,
    its other facts since moved to the content id)."""
    about = store.read("MATCH (d:Duty)-[a:ABOUT]->(:Matter) RETURN DISTINCT a.source AS s, d.list = $l AS mine",
                       {"l": list_id})
    mine = {source} | {r["s"] for r in about if r["mine"]}
    cited = {r["s"] for r in about}
    return {r["m"] for r in store.read("MATCH (m:Matter)-[p:PART_OF]->(:Matter) RETURN m.id AS m, p.source AS s, "
                                       "p.asserted_by AS by")
            if r["s"] not in mine and (r["s"] in cited or not str(r["by"] or "").startswith(DUTY_LIST_RUN))}


def _chunks(items: Iterator[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def load_duty_list(
    store: GraphStore,
    path: str | Path,
    *,
    progress: Callable[[int], None] | None = None,
    list_id: str | None = None,
    list_date: dt.date | None = None,
    columns: Mapping[str, str] | None = None,
    sheet: str | None = None,
    resolver: DepartmentResolver | None = None,
    asserted_by: str | None = None,
    supersedes: str | None = None,
    jurisdiction: str | None = None,
) -> DutyListReport:
    """Load one duty list. `list_id` names the list and version (default: the file name); `list_date`
    is when it took effect (edges' valid_from, and the date citations are resolved at). `supersedes`
    names an earlier list this one replaces: its assignments end on `list_date` (kept, not deleted).
    `jurisdiction` (an id) settles a name two loaded jurisdictions share (市公安局)."""
    path = source_path(path)
    table = read_table(path, required=all_known_headers(), sheet=sheet)
    try:
        cmap = ColumnMap.build(table.headers, columns)
    except ValueError as exc:
        raise IngestError(path, str(exc), field="columns") from exc
    if missing := cmap.missing():
        raise IngestError(path, f"no column for {', '.join(missing)} (headers: {', '.join(h for h in table.headers if h)}); "
                                "map one with a column mapping such as 事项名称=<your header>", field=missing[0])
    resolver = resolver or DepartmentResolver.from_store(store, jurisdiction)
    if not resolver.records:
        raise IngestError(path, "no departments in the graph: load the department directory first", field="责任部门")
    run = run_name("dutylist", asserted_by)
    b = _Builder(store, path, list_id or path.stem, list_date, resolver, MatterIndex.from_store(store), run, cmap)
    report = DutyListReport(kind="dutylist", source=str(path))
    seen: dict[str, int] = {}
    for chunk in _chunks(iter(table), CHUNK):
        nodes: dict[str, Node] = {}
        edges: list[Edge] = []
        for rownum, raw in chunk:
            report.read += 1
            try:
                row = parse_row(path, rownum, raw, cmap, b.header, seen)
                n, e = b.build(rownum, row)
            except IngestError as exc:
                report.skipped += 1
                report.errors.append(str(exc))
                continue
            for node in n:
                nodes.setdefault(node.id, node)
            edges += e
        report.written += store.upsert_nodes(nodes.values(), actor=run)
        store.upsert_edges({(e.type, e.key): e for e in edges}.values(), actor=run)
        if progress:
            progress(len(chunk))
    report.citations_linked = b.linker.linked
    report.unresolved_citations = sorted(b.linker.unresolved)
    if supersedes:
        if supersedes == b.list_id:
            raise IngestError(path, "a list cannot supersede itself", field="supersedes")
        if list_date is None:
            raise IngestError(path, "superseding an earlier list needs the date this one took effect",
                              field="list_date")
        report.superseded = supersede_list(store, supersedes, list_date, run)
    return report


def supersede_list(store: GraphStore, list_id: str, on: dt.date, run: str) -> int:
    """End, on `on`, the HOLDS and RESPONSIBLE_FOR edges a list asserted; returns how many were ended."""
    holds = [
        Holds(src=r["src"], dst=r["dst"], role=r["role"], source=r["source"], locator=r["locator"] or "")
        for r in store.read(
            "MATCH (p:Department)-[h:HOLDS]->(d:Duty {list: $l}) WHERE h.valid_to IS NULL "
            "RETURN p.id AS src, d.id AS dst, h.role AS role, h.source AS source, h.locator AS locator",
            {"l": list_id},
        )
    ]
    owns = [
        ResponsibleFor(src=r["src"], dst=r["dst"], role=r["role"], source=r["source"], locator=r["locator"])
        for r in store.read(
            "MATCH (p:Department)-[e:RESPONSIBLE_FOR]->(m:Matter) WHERE e.valid_to IS NULL AND e.locator STARTS WITH $p "
            "RETURN p.id AS src, m.id AS dst, e.role AS role, e.source AS source, e.locator AS locator",
            {"p": f"{list_id}:"},
        )
    ]
    return store.supersede([*holds, *owns], on, actor=run)
