"""Dispute cases (争议): listing, parties, the matter, the ruling that resolved one, and name lookups
the API needs to turn what an adjudicator types into node ids."""

from __future__ import annotations

from typing import Any

from graph.ontology import NODE_LABELS
from graph.store.base import GraphStore, ident

_LIST = """
MATCH (d:Dispute) WHERE $states IS NULL OR d.state IN $states
RETURN d.id AS id, d.title AS title, d.text AS text, d.state AS state, d.jurisdiction AS jurisdiction,
       d.opened_at AS opened_at
ORDER BY d.opened_at DESC, d.id
"""

_PARTIES = """
MATCH (:Dispute {id: $id})-[e:PARTY]->(p:Department)
RETURN p.id AS id, p.name AS name, e.stance AS stance, e.position AS position, e.asserted_by AS asserted_by,
       e.valid_from AS valid_from, e.valid_to AS valid_to, e.locator AS locator
ORDER BY e.locator
"""

_MATTER = "MATCH (:Dispute {id: $id})-[:CONCERNS]->(m:Matter) RETURN m.id AS id, m.name AS name, m.path AS path"

_RULING = """
MATCH (:Dispute {id: $id})-[rb:RESOLVED_BY]->(r:Ruling) WHERE rb.valid_to IS NULL
OPTIONAL MATCH (r)-[a:ASSIGNS]->(x)
RETURN properties(r) AS ruling, collect({id: x.id, name: x.name, role: a.role, key: a.key}) AS assigns
"""

_RULING_LINKS = """
MATCH (r:Ruling {id: $id})
OPTIONAL MATCH (r)-[:CITES]->(c:Article)
WITH r, collect(DISTINCT c.id) AS basis
OPTIONAL MATCH (r)-[:APPLIES]->(p:Principle)
WITH r, basis, collect(DISTINCT p.name) AS principles
OPTIONAL MATCH (r)-[:DECIDES]->(m:Matter)
RETURN basis, principles, collect(DISTINCT m.id) AS matters
"""

_OWNERSHIP_KEYS = """
MATCH (:Department)-[e:RESPONSIBLE_FOR]->(:Matter) WHERE e.source = $id RETURN e.key AS key
"""

_FOLLOW_UPS = """
MATCH (d:Dispute)-[rb:RESOLVED_BY]->(r:Ruling) WHERE d.state IN $states AND rb.valid_to IS NULL
OPTIONAL MATCH (r)-[a:ASSIGNS]->(x)
RETURN properties(d) AS dispute, properties(r) AS ruling, collect({id: x.id, name: x.name, role: a.role}) AS assigns
"""

_RESOLUTIONS = "MATCH (:Dispute {id: $id})-[rb:RESOLVED_BY]->(r:Ruling) RETURN r.id AS id, rb.valid_to AS valid_to"

_DEPARTMENT = """
MATCH (d:Department)
WHERE d.id = $q OR ((d.name = $q OR $q IN d.aliases) AND (d.jurisdiction = $j OR d.jurisdiction STARTS WITH $below))
RETURN d.id AS id, d.name AS name, d.jurisdiction AS jurisdiction
ORDER BY d.id
"""


def list_disputes(store: GraphStore, states: list[str] | None = None) -> list[dict[str, Any]]:
    """Every dispute, newest first, optionally only those whose stored state is one of `states`."""
    return store.read(_LIST, {"states": states})


def dispute_parties(store: GraphStore, dispute_id: str) -> list[dict[str, Any]]:
    """Each PARTY edge (current and superseded positions), in the order they were stated."""
    return store.read(_PARTIES, {"id": dispute_id})


def dispute_matter(store: GraphStore, dispute_id: str) -> dict[str, Any] | None:
    rows = store.read(_MATTER, {"id": dispute_id})
    return rows[0] if rows else None


def dispute_ruling(store: GraphStore, dispute_id: str) -> dict[str, Any] | None:
    """The ruling that resolved the dispute with what it assigns, cites, applies and decides; None if undecided."""
    rows = store.read(_RULING, {"id": dispute_id})
    if not rows or rows[0]["ruling"] is None:
        return None
    ruling = rows[0]["ruling"]
    links = store.read(_RULING_LINKS, {"id": ruling["id"]})[0]
    return {
        "ruling": ruling,
        "assigns": [a for a in rows[0]["assigns"] if a.get("id")],
        "basis": links["basis"], "principles": links["principles"], "matters": links["matters"],
        "ownership_keys": [r["key"] for r in store.read(_OWNERSHIP_KEYS, {"id": ruling["id"]})],
    }


def follow_ups(store: GraphStore, states: list[str]) -> list[dict[str, Any]]:
    """Each dispute in one of `states` with its current ruling and the departments that ruling assigns."""
    return store.read(_FOLLOW_UPS, {"states": states})


def resolutions(store: GraphStore, dispute_id: str) -> list[dict[str, Any]]:
    """Every ruling that resolved the dispute, current (valid_to null) or replaced by a later decision."""
    return store.read(_RESOLUTIONS, {"id": dispute_id})


def find_departments(store: GraphStore, text: str, jurisdiction: str) -> list[dict[str, Any]]:
    """Departments a caller means by `text`: an id anywhere, or an exact name or alias in the jurisdiction
    or below it (a street office of the county)."""
    return store.read(_DEPARTMENT, {"q": text.strip(), "j": jurisdiction, "below": jurisdiction + "/"})


def existing_ids(store: GraphStore, label: str, ids: list[str]) -> set[str]:
    """Which of `ids` are nodes of `label` (a label from the ontology, checked by the store)."""
    rows = store.read(f"MATCH (n:{ident(label, frozenset(NODE_LABELS))}) WHERE n.id IN $ids RETURN n.id AS id", {"ids": ids})
    return {r["id"] for r in rows}
