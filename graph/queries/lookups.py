"""Cypher for the API's lookups: lists (count + one page) and detail reads of rulings, departments,
matters, statutes, articles, mandate clauses, duties and jurisdictions.

Every filter travels as a parameter (substring filters use CONTAINS on a parameter, places use the
path-id prefix `jur + '/'`); lists count first, then read one page with SKIP/LIMIT so a large graph
is never read whole. Detail reads return nodes' fields plus the neighbours a reader needs to follow.
"""

from __future__ import annotations

from typing import Any

from graph.places import in_place, place_params
from graph.store.base import GraphStore


def _page(store: GraphStore, count_q: str, page_q: str, params: dict[str, Any], limit: int,
          offset: int) -> tuple[int, list[dict[str, Any]]]:
    total = int(store.read(count_q, params)[0]["n"])
    if offset >= total:
        return total, []
    return total, store.read(page_q, {**params, "skip": offset, "limit": limit})


# -- rulings -------------------------------------------------------------------------------------------

_RULINGS_WHERE = f"MATCH (r:Ruling) WHERE {in_place('r', optional=True)}"
RULINGS_COUNT = _RULINGS_WHERE + " RETURN count(r) AS n"
RULINGS_PAGE = _RULINGS_WHERE + """
RETURN r.id AS id ORDER BY coalesce(r.decided_on, '') DESC, r.id SKIP $skip LIMIT $limit
"""

RULING = """
MATCH (r:Ruling {id: $id})
OPTIONAL MATCH (j:Jurisdiction {id: r.jurisdiction})
RETURN r.id AS id, r.title AS title, r.summary AS summary, r.text AS text, r.jurisdiction AS jurisdiction,
       j.name AS jurisdiction_name, r.decided_on AS decided_on, r.decided_by AS decided_by, r.status AS status
"""

RULING_ASSIGNS = """
MATCH (:Ruling {id: $id})-[a:ASSIGNS]->(t)
RETURN t.id AS id, t.name AS name, labels(t)[0] AS kind, a.role AS role, a.duty_text AS duty_text,
       a.valid_from AS valid_from, a.valid_to AS valid_to
ORDER BY role, name
"""

RULING_MATTERS = """
MATCH (:Ruling {id: $id})-[:DECIDES]->(m:Matter)
RETURN m.id AS id, m.name AS name, m.path AS path ORDER BY id
"""

RULING_PRINCIPLES = """
MATCH (:Ruling {id: $id})-[:APPLIES]->(p:Principle)
RETURN p.id AS id, p.name AS name, p.description AS description ORDER BY name
"""

RULING_CITES = """
MATCH (:Ruling {id: $id})-[c:CITES]->(x)
OPTIONAL MATCH (l:Law)-[:HAS_ARTICLE]->(x)
OPTIONAL MATCH (dep:Department {id: x.department})
RETURN x.id AS id, labels(x)[0] AS kind, x.number AS number, x.title AS title, l.id AS law_id, l.title AS law_title,
       l.status AS law_status, dep.name AS department_name, c.locator AS locator
ORDER BY kind, id
"""

RULING_SUPERSEDES = """
MATCH (:Ruling {id: $id})-[:SUPERSEDES]->(o:Ruling)
RETURN o.id AS id, o.title AS title, o.decided_on AS decided_on, o.status AS status ORDER BY id
"""

RULING_SUPERSEDED_BY = """
MATCH (n:Ruling)-[:SUPERSEDES]->(:Ruling {id: $id})
RETURN n.id AS id, n.title AS title, n.decided_on AS decided_on, n.status AS status ORDER BY id
"""


def ruling_page(store: GraphStore, jur: str | None, limit: int, offset: int) -> tuple[int, list[str]]:
    """Ruling ids at or under a place (all without one), newest first."""
    total, rows = _page(store, RULINGS_COUNT, RULINGS_PAGE, place_params(jur), limit, offset)
    return total, [r["id"] for r in rows]


# -- departments ---------------------------------------------------------------------------------------

_DEPT_WHERE = (
    "MATCH (d:Department) WHERE ($q IS NULL OR d.name CONTAINS $q OR any(a IN coalesce(d.aliases, []) WHERE a CONTAINS $q)) "
    f"AND {in_place('d', optional=True)}"
)
DEPARTMENTS_COUNT = _DEPT_WHERE + " RETURN count(d) AS n"
DEPARTMENTS_PAGE = _DEPT_WHERE + """
RETURN d.id AS id, d.name AS name, d.aliases AS aliases, d.jurisdiction AS jurisdiction, d.kind AS kind,
       d.level AS level, d.parent AS parent
ORDER BY d.jurisdiction, d.name SKIP $skip LIMIT $limit
"""

DEPARTMENT = """
MATCH (d:Department {id: $id})
OPTIONAL MATCH (j:Jurisdiction {id: d.jurisdiction})
OPTIONAL MATCH (p:Department {id: d.parent})
RETURN d.id AS id, d.name AS name, d.aliases AS aliases, d.jurisdiction AS jurisdiction, j.name AS jurisdiction_name,
       d.kind AS kind, d.level AS level, d.parent AS parent, p.name AS parent_name
"""

DEPARTMENT_DIVISIONS = """
MATCH (c:Department {parent: $id}) RETURN c.id AS id, c.name AS name ORDER BY name
"""

DEPARTMENT_AUTHORITIES = """
MATCH (:Department {id: $id})-[x:ACTS_AS]->(au:Authority)
RETURN au.id AS id, au.name AS name, x.scope AS scope, x.valid_from AS valid_from, x.valid_to AS valid_to
ORDER BY name
"""

DEPARTMENT_DUTIES_COUNT = "MATCH (:Department {id: $id})-[h:HOLDS]->(:Duty) RETURN count(h) AS n"
DEPARTMENT_DUTIES = """
MATCH (:Department {id: $id})-[h:HOLDS]->(u:Duty)
RETURN u.id AS id, u.code AS code, u.name AS name, u.type AS type, u.list AS list, h.role AS role,
       h.valid_from AS valid_from, h.valid_to AS valid_to
ORDER BY list, code, name SKIP $skip LIMIT $limit
"""

DEPARTMENT_MATTERS = """
MATCH (:Department {id: $id})-[r:RESPONSIBLE_FOR]->(m:Matter)
RETURN m.id AS id, m.name AS name, m.path AS path, r.role AS role, r.source AS source,
       r.valid_from AS valid_from, r.valid_to AS valid_to
ORDER BY id, role
"""

DEPARTMENT_CLAUSES = """
MATCH (:Department {id: $id})-[:HAS_MANDATE]->(md:Mandate)-[:HAS_CLAUSE]->(c:MandateClause)
OPTIONAL MATCH (c)-[:BOUNDARY_WITH]->(o:Department)
RETURN c.id AS id, c.number AS number, c.kind AS kind, c.text AS text, md.id AS mandate, md.title AS mandate_title,
       md.issued AS issued, collect(DISTINCT {id: o.id, name: o.name}) AS boundary_with
ORDER BY mandate, id
"""

BOUNDARIES_NAMING = """
MATCH (c:MandateClause)-[:BOUNDARY_WITH]->(:Department {id: $id})
OPTIONAL MATCH (owner:Department {id: c.department})
RETURN c.id AS id, c.number AS number, c.kind AS kind, c.text AS text, c.mandate AS mandate,
       owner.id AS department, owner.name AS department_name
ORDER BY id
"""


def department_page(store: GraphStore, q: str | None, jur: str | None, limit: int,
                    offset: int) -> tuple[int, list[dict[str, Any]]]:
    return _page(store, DEPARTMENTS_COUNT, DEPARTMENTS_PAGE, {"q": q or None, **place_params(jur)}, limit, offset)


def department_duties(store: GraphStore, dept: str, limit: int, offset: int) -> tuple[int, list[dict[str, Any]]]:
    return _page(store, DEPARTMENT_DUTIES_COUNT, DEPARTMENT_DUTIES, {"id": dept}, limit, offset)


# -- matters -------------------------------------------------------------------------------------------

_MATTER_WHERE = "MATCH (m:Matter) WHERE ($q IS NULL OR m.name CONTAINS $q OR any(p IN coalesce(m.path, []) WHERE p CONTAINS $q))"
MATTERS_COUNT = _MATTER_WHERE + " RETURN count(m) AS n"
MATTERS_PAGE = _MATTER_WHERE + """
RETURN m.id AS id, m.name AS name, m.path AS path, coalesce(m.description, '') AS description ORDER BY id SKIP $skip LIMIT $limit
"""

MATTER = """
MATCH (m:Matter {id: $id})
OPTIONAL MATCH (m)-[:PART_OF]->(p:Matter)
WITH m, collect(DISTINCT {id: p.id, name: p.name}) AS parents
OPTIONAL MATCH (c:Matter)-[:PART_OF]->(m)
RETURN m.id AS id, m.name AS name, m.path AS path, coalesce(m.description, '') AS description, parents,
       collect(DISTINCT {id: c.id, name: c.name}) AS children
"""

MATTER_OWNERS = """
MATCH (d:Department)-[r:RESPONSIBLE_FOR]->(:Matter {id: $id})
RETURN d.id AS id, d.name AS name, d.jurisdiction AS jurisdiction, r.role AS role, r.source AS source,
       r.locator AS locator, r.valid_from AS valid_from, r.valid_to AS valid_to
ORDER BY coalesce(r.valid_from, ''), role, name
"""

MATTER_RULINGS = """
MATCH (r:Ruling)-[:DECIDES]->(:Matter {id: $id})
RETURN r.id AS id, r.title AS title, r.jurisdiction AS jurisdiction, r.decided_on AS decided_on, r.status AS status
ORDER BY coalesce(r.decided_on, '') DESC, id
"""

MATTER_DUTIES = """
MATCH (u:Duty)-[:ABOUT]->(:Matter {id: $id})
OPTIONAL MATCH (d:Department)-[h:HOLDS]->(u)
RETURN u.id AS id, u.code AS code, u.name AS name, u.list AS list,
       collect(DISTINCT {id: d.id, name: d.name, role: h.role}) AS holders
ORDER BY list, code
"""

MATTER_ORDERS = """
MATCH (w:WorkOrder)-[:ABOUT]->(:Matter {id: $id})
OPTIONAL MATCH (w)-[rb:RETURNED_BY]->(:Department)
WITH w, count(rb) AS returns
RETURN count(w) AS total, sum(CASE WHEN returns > 0 THEN 1 ELSE 0 END) AS returned, sum(returns) AS returns,
       max(w.received_at) AS last_received
"""


def matter_page(store: GraphStore, q: str | None, limit: int, offset: int) -> tuple[int, list[dict[str, Any]]]:
    return _page(store, MATTERS_COUNT, MATTERS_PAGE, {"q": q or None}, limit, offset)


# -- statutes and articles -----------------------------------------------------------------------------

_LAW_WHERE = ("MATCH (l:Law) WHERE ($q IS NULL OR l.title CONTAINS $q) AND ($level IS NULL OR l.level = $level) "
              "AND ($status IS NULL OR l.status = $status)")
LAWS_COUNT = _LAW_WHERE + " RETURN count(l) AS n"
LAWS_PAGE = _LAW_WHERE + """
RETURN l.id AS id, l.title AS title, l.version AS version, l.level AS level, l.status AS status,
       l.jurisdiction AS jurisdiction, l.effective AS effective
ORDER BY title, version DESC SKIP $skip LIMIT $limit
"""

LAW = """
MATCH (l:Law {id: $id})
OPTIONAL MATCH (l)-[:HAS_ARTICLE]->(a:Article)
RETURN l.id AS id, l.title AS title, l.subtitle AS subtitle, l.version AS version, l.level AS level,
       l.issuer AS issuer, l.jurisdiction AS jurisdiction, l.status AS status, l.promulgated AS promulgated,
       l.effective AS effective, count(a) AS article_count
"""

LAW_ARTICLES = """
MATCH (:Law {id: $id})-[:HAS_ARTICLE]->(a:Article)
RETURN a.id AS id, a.number AS number, a.chapter AS chapter ORDER BY a.ordinal, id LIMIT $limit
"""

LAW_VERSIONS = """
MATCH (l:Law {id: $id}) MATCH (o:Law {title: l.title}) WHERE o.id <> l.id
RETURN o.id AS id, o.version AS version, o.status AS status, o.effective AS effective ORDER BY version DESC
"""

LAW_LINKS = """
MATCH (l:Law {id: $id})-[e:AMENDS|REPEALS|IMPLEMENTS]-(o:Law)
RETURN type(e) AS type, startNode(e).id = l.id AS outgoing, o.id AS id, o.title AS title, o.version AS version,
       o.status AS status, e.valid_from AS valid_from
ORDER BY type, id
"""

ARTICLE = """
MATCH (a:Article {id: $id})
OPTIONAL MATCH (l:Law {id: a.law})
RETURN a.id AS id, a.number AS number, a.ordinal AS ordinal, a.chapter AS chapter, a.section AS section,
       a.text AS text, a.status AS status, l.id AS law_id, l.title AS law_title, l.status AS law_status,
       l.version AS law_version, l.level AS law_level, l.effective AS law_effective, l.jurisdiction AS jurisdiction
"""

ARTICLE_VERSIONS = """
MATCH (a:Article {id: $id}) MATCH (l:Law {id: a.law}) MATCH (o:Law {title: l.title}) WHERE o.id <> l.id
OPTIONAL MATCH (o)-[:HAS_ARTICLE]->(x:Article {number: a.number})
RETURN o.id AS law_id, o.version AS version, o.status AS status, o.effective AS effective, x.id AS id, x.text AS text
ORDER BY version DESC
"""

ARTICLE_DESIGNATES = """
MATCH (:Article {id: $id})-[g:DESIGNATES]->(au:Authority)
RETURN au.id AS id, au.name AS name, g.role AS role, g.duty_text AS duty_text, g.level AS level,
       g.valid_from AS valid_from, g.valid_to AS valid_to
ORDER BY role, name
"""


def law_page(store: GraphStore, q: str | None, level: str | None, status: str | None, limit: int,
             offset: int) -> tuple[int, list[dict[str, Any]]]:
    return _page(store, LAWS_COUNT, LAWS_PAGE, {"q": q or None, "level": level, "status": status}, limit, offset)


# -- mandate clauses and duties (the other units /ask cites as evidence) --------------------------------

CLAUSE = """
MATCH (c:MandateClause {id: $id})
OPTIONAL MATCH (d:Department {id: c.department})
OPTIONAL MATCH (md:Mandate {id: c.mandate})
OPTIONAL MATCH (c)-[:BOUNDARY_WITH]->(o:Department)
RETURN c.id AS id, c.number AS number, c.kind AS kind, c.text AS text, c.issued AS issued, c.mandate AS mandate,
       md.title AS mandate_title, md.issued AS mandate_issued, d.id AS department, d.name AS department_name,
       collect(DISTINCT {id: o.id, name: o.name}) AS boundary_with
"""

DUTY = """
MATCH (u:Duty {id: $id})
OPTIONAL MATCH (d:Department)-[h:HOLDS]->(u)
WITH u, collect(DISTINCT {id: d.id, name: d.name, role: h.role, valid_from: h.valid_from, valid_to: h.valid_to}) AS holders
OPTIONAL MATCH (u)-[:ABOUT]->(m:Matter)
WITH u, holders, collect(DISTINCT {id: m.id, name: m.name}) AS matters
OPTIONAL MATCH (u)-[:BASED_ON]->(a:Article)
WITH u, holders, matters, a  // FalkorDB cannot look an index up by a value of an OPTIONAL MATCH that matched nothing
OPTIONAL MATCH (l:Law {id: a.law})
RETURN u.id AS id, u.code AS code, u.name AS name, u.type AS type, u.text AS text, u.list AS list, u.basis AS basis,
       holders, matters, collect(DISTINCT {id: a.id, number: a.number, law_title: l.title, law_status: l.status}) AS articles
"""

# -- jurisdictions -------------------------------------------------------------------------------------

JURISDICTIONS = """
MATCH (j:Jurisdiction)
OPTIONAL MATCH (d:Department {jurisdiction: j.id})
RETURN j.id AS id, j.name AS name, j.level AS level, j.parent AS parent, j.code AS code, count(d) AS departments
ORDER BY id
"""


def one(store: GraphStore, query: str, **params: Any) -> dict[str, Any] | None:
    """The single row of a detail read, or None when the node is absent."""
    rows = store.read(query, params)
    return rows[0] if rows and rows[0].get("id") is not None else None


def rows(store: GraphStore, query: str, **params: Any) -> list[dict[str, Any]]:
    return store.read(query, params)


def present(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Drop the all-null maps an OPTIONAL MATCH + collect({...}) leaves when nothing matched."""
    return [i for i in items or [] if i.get("id") is not None]


# -- graph state (for caches of derived results) -------------------------------------------------------

_NODE_COUNT = "MATCH (n) RETURN count(n) AS n"
_EDGE_COUNT = "MATCH ()-[e]->() RETURN count(e) AS n"


def graph_state(store: GraphStore) -> tuple[int, int, int]:
    """(nodes, relationships, change-log head): cheap, and it moves on every ingest or assignment write."""
    head = store.changelog.head()[0] if store.changelog is not None else 0
    return int(store.read(_NODE_COUNT)[0]["n"]), int(store.read(_EDGE_COUNT)[0]["n"]), int(head)
