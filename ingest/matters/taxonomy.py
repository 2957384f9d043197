"""The matter taxonomy (事项 / 诉求分类): 大类 → 小类 → 情形, read from a nested YAML tree.

Each node becomes a `Matter` whose id derives from its path, with PART_OF to its parent, so a
taxonomy file and a duty list that names the same path meet at the same node.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from graph.errors import IngestError
from graph.ontology import Matter, MatterPartOf
from graph.store.base import GraphStore
from ingest.report import LoadReport, run_name
from ingest.yamlfile import read_yaml


class MatterEntry(BaseModel):
    name: str = Field(min_length=1)
    description: str = ""
    children: list[MatterEntry] = Field(default_factory=list)


def read_taxonomy(path: str | Path) -> list[MatterEntry]:
    path = Path(path)
    data = read_yaml(path)
    items = data.get("matters") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise IngestError(path, "expected a mapping with a 'matters' list", field="matters")
    out: list[MatterEntry] = []
    for i, item in enumerate(items):
        try:
            out.append(MatterEntry.model_validate(item))
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(str(p) for p in first["loc"])
            raise IngestError(path, first["msg"], row=f"matters[{i}]", field=field) from exc
    return out


def walk(entries: list[MatterEntry], parent: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], MatterEntry]]:
    """Every node with its full path, parents before children."""
    for e in entries:
        path = (*parent, e.name.strip())
        yield path, e
        yield from walk(e.children, path)


def matter_chain(path: list[str] | tuple[str, ...], source: str, asserted_by: str, locator: str = "",
                 descriptions: dict[tuple[str, ...], str] | None = None) -> tuple[list[Matter], list[MatterPartOf]]:
    """Nodes for every prefix of `path` and PART_OF edges between them."""
    nodes: list[Matter] = []
    edges: list[MatterPartOf] = []
    for i in range(1, len(path) + 1):
        sub = list(path[:i])
        desc = (descriptions or {}).get(tuple(sub))
        node = Matter(name=sub[-1], path=sub, **({"description": desc} if desc else {}))
        if nodes:
            edges.append(MatterPartOf(src=node.id, dst=nodes[-1].id, source=source, locator=locator, asserted_by=asserted_by))
        nodes.append(node)
    return nodes, edges


def load_matters(
    store: GraphStore,
    path: str | Path,
    *,
    progress: Callable[[int], None] | None = None,
    asserted_by: str | None = None,
) -> LoadReport:
    """Write the taxonomy. A malformed file raises before anything is written."""
    from ingest.departments import source_id

    path = Path(path)
    entries = read_taxonomy(path)
    run = run_name("matters", asserted_by)
    src = source_id(path)
    nodes: dict[str, Matter] = {}
    edges: list[MatterPartOf] = []
    seen: set[tuple[str, ...]] = set()
    report = LoadReport(kind="matters", source=str(path))
    for p, e in walk(entries):
        report.read += 1
        if p in seen:
            report.skipped += 1
            report.errors.append(str(IngestError(path, "duplicate matter path", row="/".join(p), field="name")))
            continue
        seen.add(p)
        node = Matter(name=p[-1], path=list(p), description=e.description)
        nodes[node.id] = node
        if len(p) > 1:
            edges.append(MatterPartOf(src=node.id, dst=Matter.derive_id(list(p[:-1])), source=src,
                                      locator="/".join(p), asserted_by=run))
    report.written = store.upsert_nodes(nodes.values(), actor=run)
    store.upsert_edges(edges, actor=run)
    if progress:
        progress(len(nodes))
    return report


class MatterIndex:
    """Find the matter a duty-list row means: its full path, or a unique leaf name already known."""

    def __init__(self, known: dict[str, list[list[str]]] | None = None):
        self._by_name: dict[str, list[list[str]]] = known or {}

    @classmethod
    def from_store(cls, store: GraphStore) -> MatterIndex:
        idx: dict[str, list[list[str]]] = {}
        for r in store.read("MATCH (m:Matter) RETURN m.name AS name, m.path AS path"):
            idx.setdefault(r["name"], []).append(list(r["path"]))
        return cls(idx)

    def match(self, path: list[str]) -> list[str]:
        """The path to use: as given when it has a category, else the one known matter of that name."""
        path = [p.strip() for p in path if p and p.strip()]
        if len(path) == 1:
            known = self._by_name.get(path[0], [])
            if len(known) == 1:
                return known[0]
        return path

    def add(self, path: list[str]) -> None:
        for i in range(1, len(path) + 1):
            sub = path[:i]
            lst = self._by_name.setdefault(sub[-1], [])
            if sub not in lst:
                lst.append(sub)
