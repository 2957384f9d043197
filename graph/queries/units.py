"""The text units search indexes, read page by page (keyset on id) with parameterised Cypher.

One query per unit kind. Each returns the node's own text fields plus what search needs beside them:
the place the unit belongs to (a law's jurisdiction, a department's, a ruling's) and its status.
Pages are keyed on the database's internal node id, not on our string ids: FalkorDB's id index range
scan (`n.id > $after`) and its ORDER BY compare some Chinese ids differently ('…#第20条' vs '…#第2条'),
which repeated or skipped units at page boundaries. `unit_rows` then yields each kind in id order.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graph.store.base import GraphStore, ident

UNIT_KINDS: tuple[str, ...] = ("Article", "MandateClause", "Duty", "Matter", "Ruling")


def _paged(label: str, v: str, rest: str) -> str:
    """A unit query: one page of `label` nodes (bound to `v`) in internal-id order, from after `$after`, `$limit`
    of them, then `rest` (what the kind adds, its RETURN ending in `pos`) — the paging written once."""
    return (f"\nMATCH ({v}:{label}) WHERE id({v}) > $after\nWITH {v}, id({v}) AS pos ORDER BY pos LIMIT $limit\n"
            f"{rest.strip()}\nORDER BY pos\n")


_QUERIES: dict[str, str] = {
    "Article": _paged("Article", "a", """
OPTIONAL MATCH (l:Law {id: a.law})
RETURN a.id AS id, a.number AS number, a.text AS text, a.chapter AS chapter, a.section AS section,
       a.status AS article_status, a.law AS law_id, l.title AS law_title, l.status AS law_status,
       l.level AS law_level, l.jurisdiction AS jurisdiction, l.effective AS effective, l.version AS version, pos"""),
    "MandateClause": _paged("MandateClause", "c", """
OPTIONAL MATCH (d:Department {id: c.department})
RETURN c.id AS id, c.number AS number, c.kind AS clause_kind, c.text AS text, c.issued AS issued,
       c.mandate AS mandate_id, c.department AS department_id, d.name AS department,
       d.jurisdiction AS jurisdiction, pos"""),
    "Duty": _paged("Duty", "u", """
OPTIONAL MATCH (d:Department)-[:HOLDS]->(u)
WITH u, pos, collect(DISTINCT d.jurisdiction) AS jurisdictions, collect(DISTINCT d.id) AS departments
RETURN u.id AS id, u.name AS name, u.type AS type, u.text AS text, u.list AS list, u.code AS code,
       u.basis AS basis, jurisdictions, departments, pos"""),
    "Matter": _paged("Matter", "m", """
OPTIONAL MATCH (d:Department)-[:RESPONSIBLE_FOR]->(m)
WITH m, pos, collect(DISTINCT d.jurisdiction) AS jurisdictions, collect(DISTINCT d.id) AS departments
RETURN m.id AS id, m.name AS name, m.path AS path, m.description AS description, jurisdictions, departments, pos"""),
    "Ruling": _paged("Ruling", "r", """
RETURN r.id AS id, r.title AS title, r.summary AS summary, r.text AS text, r.jurisdiction AS jurisdiction,
       r.status AS status, r.decided_on AS decided_on, r.decided_by AS decided_by, pos"""),
}

_COUNT = {kind: f"MATCH (n:{ident(kind)}) RETURN count(n) AS n" for kind in UNIT_KINDS}


def unit_rows(store: GraphStore, kind: str, *, page: int = 2000) -> Iterator[dict[str, Any]]:
    """Every unit row of `kind`, in id order, fetched `page` rows at a time."""
    q = _QUERIES[kind]
    after = -1
    found: list[dict[str, Any]] = []
    while True:
        rows = store.read(q, {"after": after, "limit": page})
        found += rows
        if len(rows) < page:
            break
        after = rows[-1]["pos"]
    found.sort(key=lambda r: r["id"])
    for r in found:
        r.pop("pos", None)
        yield r


def unit_counts(store: GraphStore) -> dict[str, int]:
    """How many nodes of each unit kind the graph holds (for progress totals and the manifest)."""
    return {kind: int(store.read(_COUNT[kind])[0]["n"]) for kind in UNIT_KINDS}


_LINKED_ARTICLES = (
    "MATCH (:Duty)-[:BASED_ON]->(a:Article) RETURN DISTINCT a.id AS id "
    "UNION MATCH (:Ruling)-[:CITES]->(a:Article) RETURN DISTINCT a.id AS id"
)


def linked_article_ids(store: GraphStore) -> set[str]:
    """Articles the local knowledge points at (duty bases, ruling citations): embedded first by the demo."""
    return {r["id"] for r in store.read(_LINKED_ARTICLES)}
