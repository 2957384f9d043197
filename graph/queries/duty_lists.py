"""A department's duty list as of a date: every duty it holds, with every holder of each (lead, cooperating,
territorial) and the matter it is about — what a published 权责清单 row says, read back from the graph."""

from __future__ import annotations

from typing import Any

from graph.queries.temporal import valid_at
from graph.store.base import GraphStore

_DEPARTMENT_LIST = f"""
MATCH (:Department {{id: $id}})-[h:HOLDS]->(u:Duty) WHERE {valid_at('h')}
WITH u, collect(DISTINCT h.role) AS own
OPTIONAL MATCH (p:Department)-[x:HOLDS]->(u) WHERE {valid_at('x')}
WITH u, own, collect(DISTINCT {{id: p.id, name: p.name, role: x.role, kind: p.kind, jurisdiction: p.jurisdiction}})
     AS holders
OPTIONAL MATCH (u)-[:ABOUT]->(m:Matter)
RETURN u.id AS id, u.code AS code, u.name AS name, u.type AS type, u.text AS text, u.basis AS basis, u.list AS list,
       own, holders, collect(DISTINCT m.path) AS paths
ORDER BY list, code, name
"""

_TOWNSHIPS = """
MATCH (d:Department {kind: 'township'}) WHERE d.jurisdiction STARTS WITH $under RETURN d.id AS id ORDER BY id
"""


def department_duty_list(store: GraphStore, department_id: str, as_of: str) -> list[dict[str, Any]]:
    """Rows of (duty fields, `own` roles of the department, `holders` of every role, `paths` of its matters)."""
    return store.read(_DEPARTMENT_LIST, {"id": department_id, "as_of": as_of})


def townships_under(store: GraphStore, jurisdiction: str) -> set[str]:
    """Ids of the town and street offices under a county-level place."""
    return {r["id"] for r in store.read(_TOWNSHIPS, {"under": jurisdiction + "/"})}
