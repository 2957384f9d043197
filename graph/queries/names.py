"""The names people read for node ids (a department's name, a ruling's title), for lists that carry ids:
a gap's references, a spreadsheet of them. One indexed lookup per label the ids' prefixes name."""

from __future__ import annotations

from collections.abc import Iterable

from graph.ontology.nodes import NODE_TYPES
from graph.store.base import GraphStore

# id prefix → label and the property that names a node of it (a statute and a ruling have titles)
_NAMED: dict[str, tuple[str, str]] = {
    t.id_prefix: (t.label, "title" if "title" in t.model_fields else "name") for t in NODE_TYPES
    if "title" in t.model_fields or "name" in t.model_fields
}


def node_names(store: GraphStore, ids: Iterable[str]) -> dict[str, str]:
    """id → name for the ids whose node has one; an article id (law:…#第N条) is named by its statute."""
    by_prefix: dict[str, set[str]] = {}
    for i in ids:
        prefix = i.split(":", 1)[0]
        if prefix in _NAMED and not (prefix == "law" and "#" in i):
            by_prefix.setdefault(prefix, set()).add(i)
    out: dict[str, str] = {}
    for prefix, wanted in by_prefix.items():
        label, prop = _NAMED[prefix]
        rows = store.read(f"UNWIND $ids AS i MATCH (n:{label} {{id: i}}) RETURN n.id AS id, n.{prop} AS name",
                          {"ids": sorted(wanted)})
        out |= {r["id"]: r["name"] for r in rows if r["name"]}
    return out
