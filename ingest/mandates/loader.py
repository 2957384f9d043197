"""Load 三定 mandates: Mandate and MandateClause nodes, HAS_MANDATE / HAS_CLAUSE, and BOUNDARY_WITH
from each 职责分工 paragraph to the other departments it names.

A newer mandate of the same department ends the validity of the older one's HAS_MANDATE edge
(nothing is deleted, DESIGN §3 time).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from graph.errors import IngestError
from graph.ontology import BoundaryWith, Edge, HasClause, HasMandate, Mandate, MandateClause, Node
from graph.store.base import GraphStore
from ingest.departments import DepartmentResolver, source_id
from ingest.mandates.parser import ParsedMandate, parse_mandate
from ingest.mandates.reader import SUFFIXES, read_paragraphs
from ingest.report import LoadReport, run_name, source_path

# A boundary with "各镇人民政府、街道办事处" binds every town and street office (属地).
_ALL_TOWNSHIPS = re.compile(r"各镇|各街道|镇、街道|镇街|街道办事处、镇人民政府")


def mandate_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES and not p.name.startswith((".", "~$")))
    return [path]


def build_mandate(
    parsed: ParsedMandate, path: Path, resolver: DepartmentResolver, run: str
) -> tuple[list[Node], list[Edge], list[str]]:
    """Nodes and edges for one parsed document; warnings for boundary paragraphs naming no known body."""
    dept = resolver.resolve(parsed.department)
    if dept is None:
        raise IngestError(path, f"unknown department {parsed.department!r} (load the department directory first)",
                          field="department")
    src = source_id(path)
    mandate = Mandate(department=dept, issued=parsed.issued, title=parsed.title, text=parsed.text)
    prov = {"source": src, "asserted_by": run, "valid_from": parsed.issued}
    nodes: list[Node] = [mandate]
    edges: list[Edge] = [HasMandate(src=dept, dst=mandate.id, locator="title", **prov)]
    warnings: list[str] = []
    for c in parsed.clauses:
        clause = MandateClause(mandate=mandate.id, department=dept, number=c.number, kind=c.kind, text=c.text,
                               issued=parsed.issued)
        nodes.append(clause)
        edges.append(HasClause(src=mandate.id, dst=clause.id, locator=c.number, **prov))
        if c.kind != "boundary":
            continue
        others = {d for d, _, _ in resolver.find_mentions(c.text)} - {dept}
        if _ALL_TOWNSHIPS.search(c.text):
            others |= set(resolver.townships(resolver.records[dept].jurisdiction))
        if not others:
            warnings.append(str(IngestError(path, "boundary paragraph names no known department", row=c.line,
                                            field=c.number)))
        for other in sorted(others):
            edges.append(BoundaryWith(src=clause.id, dst=other, locator=c.number, **prov))
    return nodes, edges, warnings


def _supersede_older(store: GraphStore, dept: str, mandate: Mandate, run: str) -> None:
    if mandate.issued is None:
        return
    rows = store.read(
        "MATCH (d:Department {id: $d})-[e:HAS_MANDATE]->(m:Mandate) WHERE m.id <> $m AND m.issued < $issued "
        "AND e.valid_to IS NULL RETURN m.id AS m, e.source AS source, e.locator AS locator",
        {"d": dept, "m": mandate.id, "issued": mandate.issued.isoformat()},
    )
    old = [HasMandate(src=dept, dst=r["m"], source=r["source"], locator=r["locator"] or "") for r in rows]
    if old:
        store.supersede(old, mandate.issued, actor=run)


def load_mandates(
    store: GraphStore,
    path: str | Path,
    *,
    progress: Callable[[int], None] | None = None,
    resolver: DepartmentResolver | None = None,
    asserted_by: str | None = None,
    jurisdiction: str | None = None,
) -> LoadReport:
    """Load one file, or every .txt/.md/.docx under a folder. A single bad file raises `IngestError`;
    in a folder, a bad file is reported and skipped and the others load. `jurisdiction` (an id) settles
    a department name that several loaded jurisdictions share."""
    path = source_path(path)
    files = mandate_files(path)
    resolver = resolver or DepartmentResolver.from_store(store, jurisdiction)
    run = run_name("mandates", asserted_by)
    report = LoadReport(kind="mandates", source=str(path))
    for f in files:
        report.read += 1
        try:
            paragraphs, meta = read_paragraphs(f)
            try:
                parsed = parse_mandate(paragraphs, meta)
            except ValueError as exc:
                raise IngestError(f, str(exc)) from exc
            nodes, edges, warnings = build_mandate(parsed, f, resolver, run)
        except IngestError as exc:
            if not path.is_dir():
                raise
            report.skipped += 1
            report.errors.append(str(exc))
            continue
        report.errors.extend(warnings)
        report.written += store.upsert_nodes(nodes, actor=run)
        store.upsert_edges(edges, actor=run)
        _supersede_older(store, nodes[0].department, nodes[0], run)  # type: ignore[attr-defined]
        if progress:
            progress(1)
    return report
