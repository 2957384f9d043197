"""Cypher for the audit trace: every edge that assigns (or once assigned) a matter or duty, and what
stands behind it — rulings with their principles and citations, duty-list entries with their bases and
the statutes' designations. Nothing is filtered by date here: the trace shows history, and the caller
marks what was in force on the as-of date. Texts are returned whole (FalkorDB's left() cuts bytes,
not characters, and can split a Chinese character).
"""

from __future__ import annotations

from typing import Any

from graph.queries.evidence import RULINGS_WITH_PRINCIPLES
from graph.store.base import GraphStore

_DEPT = "($dept IS NULL OR d.id = $dept)"

FIND_MATTER = """
MATCH (m:Matter) WHERE m.id = $q OR m.name = $q RETURN m.id AS id, m.name AS name, m.path AS path ORDER BY id
"""

FIND_DUTY = """
MATCH (u:Duty) WHERE u.id = $q OR u.code = $q OR u.name = $q
RETURN u.id AS id, u.name AS name, u.code AS code, u.list AS list ORDER BY id
"""

FIND_DEPARTMENT = """
MATCH (d:Department) WHERE d.id = $q OR d.name = $q OR $q IN coalesce(d.aliases, [])
RETURN d.id AS id, d.name AS name ORDER BY id
"""

MATTER_ASSIGNMENTS = f"""
MATCH (d:Department)-[r:RESPONSIBLE_FOR]->(m:Matter {{id: $id}}) WHERE {_DEPT}
RETURN d.id AS department, d.name AS department_name, r.role AS role, r.source AS source, r.locator AS locator,
       r.valid_from AS valid_from, r.valid_to AS valid_to, r.asserted_by AS asserted_by, r.key AS key
ORDER BY coalesce(r.valid_from, ''), department
"""

MATTER_DUTIES = f"""
MATCH (d:Department)-[h:HOLDS]->(u:Duty)-[:ABOUT]->(m:Matter {{id: $id}}) WHERE {_DEPT}
RETURN u.id AS duty, u.code AS code, u.name AS name, u.list AS list, u.basis AS basis, d.id AS department,
       d.name AS department_name, h.role AS role, h.source AS source, h.locator AS locator,
       h.valid_from AS valid_from, h.valid_to AS valid_to, h.asserted_by AS asserted_by, h.key AS key
ORDER BY coalesce(h.valid_from, ''), code
"""

DUTY_HOLDERS = f"""
MATCH (d:Department)-[h:HOLDS]->(u:Duty {{id: $id}}) WHERE {_DEPT}
RETURN u.id AS duty, u.code AS code, u.name AS name, u.list AS list, u.basis AS basis, d.id AS department,
       d.name AS department_name, h.role AS role, h.source AS source, h.locator AS locator,
       h.valid_from AS valid_from, h.valid_to AS valid_to, h.asserted_by AS asserted_by, h.key AS key
"""

DUTY_MATTERS = "MATCH (:Duty {id: $id})-[:ABOUT]->(m:Matter) RETURN m.id AS id, m.name AS name"

DUTY_BASES = """
UNWIND $duties AS uid
MATCH (u:Duty {id: uid})-[b:BASED_ON]->(a:Article)<-[:HAS_ARTICLE]-(l:Law)
OPTIONAL MATCH (n:Law)-[s:AMENDS|REPEALS]->(l)
RETURN u.id AS duty, a.id AS article, a.number AS number, l.id AS law, l.title AS title, l.status AS status,
       l.effective AS effective, b.locator AS locator, n.id AS successor, type(s) AS how,
       coalesce(n.effective, s.valid_from) AS successor_effective
"""

DESIGNATIONS = """
UNWIND $pairs AS p
MATCH (a:Article {id: p.article})-[g:DESIGNATES]->(au:Authority)
OPTIONAL MATCH (d:Department {id: p.department})-[x:ACTS_AS]->(au)
RETURN p.article AS article, p.department AS department, au.id AS authority, au.name AS name, g.role AS role,
       g.level AS level, g.duty_text AS duty_text, x IS NOT NULL AS acts_as, x.scope AS scope
"""

RULINGS = RULINGS_WITH_PRINCIPLES + """OPTIONAL MATCH (r)-[:SUPERSEDES]->(old:Ruling)
WITH r, principles, collect(DISTINCT old.id) AS supersedes
OPTIONAL MATCH (new:Ruling)-[:SUPERSEDES]->(r)
RETURN r.id AS id, r.title AS title, r.decided_on AS decided_on, r.decided_by AS decided_by,
       r.status AS status, r.jurisdiction AS jurisdiction, r.summary AS summary, principles, supersedes,
       collect(DISTINCT {id: new.id, title: new.title, decided_on: new.decided_on}) AS superseded_by
"""

RULING_CITES = """
UNWIND $ids AS rid
MATCH (ru:Ruling {id: rid})-[c:CITES]->(x)
OPTIONAL MATCH (l:Law)-[:HAS_ARTICLE]->(x)
OPTIONAL MATCH (dep:Department)-[:HAS_MANDATE]->(:Mandate)-[:HAS_CLAUSE]->(x)
RETURN ru.id AS ruling, x.id AS target, labels(x)[0] AS kind, c.locator AS locator, l.title AS law_title,
       l.status AS law_status, dep.name AS mandate_of, x.text AS text
"""

RULING_ASSIGNS = """
UNWIND $ids AS rid
MATCH (ru:Ruling {id: rid})-[a:ASSIGNS]->(x)
RETURN ru.id AS ruling, x.id AS target, x.name AS name, a.role AS role, a.duty_text AS duty_text,
       a.locator AS locator, a.key AS key
"""


def read(store: GraphStore, query: str, **params: Any) -> list[dict[str, Any]]:
    """Run one of this module's queries with its parameters."""
    return store.read(query, params)
