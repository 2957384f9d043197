"""Cypher for gap discovery (DESIGN §6): every count is aggregated in the database, as of a date.

`$as_of` is an ISO date; work orders are counted in [$since, $until) on their `received_at` (ISO
datetimes compare as strings). `$jur` (a jurisdiction id or null) keeps work orders of that place or
below it, and departments of that place, below it, or above it (a county's departments serve its towns).
"""

from __future__ import annotations

from typing import Any

from graph.places import in_place, place_params
from graph.queries.temporal import valid_at
from graph.store.base import GraphStore

_IN_JUR = in_place("d", optional=True, above=True)
_WO_IN_JUR = in_place("w", optional=True)
_LEAF = "NOT (m)<-[:PART_OF]-(:Matter)"

LEADS = f"""
MATCH (m:Matter) WHERE {_LEAF}
OPTIONAL MATCH (d:Department)-[r:RESPONSIBLE_FOR {{role: 'lead'}}]->(m)
WHERE {valid_at("r")} AND {_IN_JUR}
WITH m, collect(DISTINCT d.id) AS leads
WHERE size(leads) = 0 OR size(leads) >= 2
RETURN m.id AS matter, m.name AS name, leads
"""

LEAD_EDGES = f"""
UNWIND $matters AS mid
MATCH (d:Department)-[r:RESPONSIBLE_FOR {{role: 'lead'}}]->(m:Matter {{id: mid}})
WHERE {valid_at("r")} AND {_IN_JUR}
RETURN m.id AS matter, d.id AS department, d.name AS name, r.source AS source, r.locator AS locator,
       r.valid_from AS valid_from
"""

RULING_LEADS = f"""
MATCH (ru:Ruling)-[:DECIDES]->(m:Matter)<-[r:RESPONSIBLE_FOR {{role: 'lead'}}]-(d:Department)
WHERE r.source = ru.id AND {valid_at("r")} AND {_IN_JUR}
RETURN m.id AS matter, m.name AS name, collect(DISTINCT d.id) AS ruling_leads,
       collect(DISTINCT ru.id) AS rulings
"""

LIST_LEADS = f"""
UNWIND $matters AS mid
MATCH (d:Department)-[h:HOLDS {{role: 'lead'}}]->(u:Duty)-[:ABOUT]->(m:Matter {{id: mid}})
WHERE {valid_at("h")} AND {_IN_JUR}
RETURN m.id AS matter, d.id AS department, d.name AS name, collect(DISTINCT u.id) AS duties,
       collect(DISTINCT u.list) AS lists
"""

ORDERS_BY_MATTER = f"""
MATCH (w:WorkOrder)-[:ABOUT]->(m:Matter)
WHERE w.received_at >= $since AND w.received_at < $until
  AND {_WO_IN_JUR}
RETURN m.id AS matter, count(w) AS orders
"""

EVER_ASSIGNED = f"""
MATCH (d:Department)-[:RESPONSIBLE_FOR]->(m:Matter) WHERE {_IN_JUR}
RETURN DISTINCT m.id AS matter
"""

# counts per order come from OPTIONAL MATCH … count(), which both backends plan well (a pattern
# comprehension per order is several times slower on FalkorDB at a million orders)
PING_PONG = f"""
MATCH (w:WorkOrder)-[:ABOUT]->(m:Matter)
WHERE w.received_at >= $since AND w.received_at < $until AND {_WO_IN_JUR}
OPTIONAL MATCH (w)-[rb:RETURNED_BY]->()
WITH m, w, count(rb) AS returns
OPTIONAL MATCH (w)-[dt:DISPATCHED_TO]->()
WITH m, w, returns, count(dt) AS hops
WITH m, count(w) AS orders, sum(CASE WHEN returns > 0 THEN 1 ELSE 0 END) AS returned,
     sum(returns) AS returns, avg(hops) AS mean_hops, max(hops) AS max_hops
WHERE orders >= $min_orders AND toFloat(returned) / orders >= $min_rate
RETURN m.id AS matter, m.name AS name, orders, returned, returns, mean_hops, max_hops
"""

PING_PONG_MONTHS = f"""
MATCH (m:Matter) WHERE m.id IN $matters
MATCH (m)<-[:ABOUT]-(w:WorkOrder)
WHERE w.received_at >= $since AND w.received_at < $until AND {_WO_IN_JUR}
OPTIONAL MATCH (w)-[rb:RETURNED_BY]->()
WITH m, w, count(rb) AS returns
RETURN m.id AS matter, substring(w.received_at, 0, 7) AS month, count(w) AS orders,
       sum(CASE WHEN returns > 0 THEN 1 ELSE 0 END) AS returned
ORDER BY matter, month
"""

PING_PONG_DEPTS = f"""
MATCH (m:Matter) WHERE m.id IN $matters
MATCH (m)<-[:ABOUT]-(w:WorkOrder)-[:RETURNED_BY]->(d:Department)
WHERE w.received_at >= $since AND w.received_at < $until AND {_WO_IN_JUR}
RETURN m.id AS matter, d.id AS department, d.name AS name, count(*) AS returns
ORDER BY matter, returns DESC
"""

_STALE = """
OPTIONAL MATCH (n:Law)-[s:AMENDS|REPEALS]->(l) WHERE coalesce(n.promulgated, n.effective, s.valid_from) <= $as_of
WITH {keep}, l, n, s, size([(x:Law)-[:AMENDS|REPEALS]->(l) | 1]) AS successors
WITH {keep}, l, n, s, (n IS NOT NULL OR (successors = 0 AND l.status IN $stale_status)) AS stale
"""
# a law is stale on $as_of when a newer version or a repealing act was promulgated by then, or, where
# the graph knows no successor, when its recorded status says 已修改 / 已废止 / 失效 (date unknown)

STALE_DUTIES = f"""
MATCH (d:Department)-[h:HOLDS]->(u:Duty)-[:BASED_ON]->(a:Article)<-[:HAS_ARTICLE]-(l:Law)
WHERE {valid_at("h")} AND {_IN_JUR}
WITH u, a, l, collect(DISTINCT d.id) AS holders
{_STALE.format(keep="u, a, holders")}
WITH u, holders, collect(CASE WHEN stale THEN {{article: a.id, law: l.id, title: l.title, status: l.status,
     successor: n.id, how: type(s), successor_effective: coalesce(n.effective, s.valid_from)}} END) AS stale_cites,
     count(a) AS cites
WHERE size(stale_cites) > 0
OPTIONAL MATCH (u)-[:ABOUT]->(m:Matter)
RETURN u.id AS id, u.code AS code, u.name AS name, u.list AS list, holders, stale_cites, cites,
       collect(DISTINCT m.id) AS matters
"""

STALE_RULINGS = f"""
MATCH (ru:Ruling)-[:CITES]->(a:Article)<-[:HAS_ARTICLE]-(l:Law)
WHERE (ru.decided_on IS NULL OR ru.decided_on <= $as_of)
  AND {in_place('ru', optional=True)}
OPTIONAL MATCH (later:Ruling)-[:SUPERSEDES]->(ru) WHERE later.decided_on <= $as_of
WITH ru, a, l, count(later) AS later
WHERE later = 0
{_STALE.format(keep="ru, a")}
WITH ru, collect(CASE WHEN stale THEN {{article: a.id, law: l.id, title: l.title, status: l.status,
     successor: n.id, how: type(s), successor_effective: coalesce(n.effective, s.valid_from)}} END) AS stale_cites,
     count(a) AS cites
WHERE size(stale_cites) > 0
OPTIONAL MATCH (ru)-[:DECIDES]->(m:Matter)
RETURN ru.id AS id, ru.title AS name, ru.decided_on AS decided_on, ru.decided_by AS decided_by, stale_cites, cites,
       collect(DISTINCT m.id) AS matters
"""

PUSH_DOWN = f"""
MATCH (d:Department {{kind: 'township'}})-[h:HOLDS {{role: 'lead'}}]->(u:Duty)-[:BASED_ON]->(a:Article)
      -[g:DESIGNATES]->(au:Authority)
WHERE {valid_at("h")} AND {_IN_JUR}
WITH d, u, a, collect(DISTINCT {{authority: au.id, name: au.name, role: g.role, level: g.level,
                                 own: size([(d)-[:ACTS_AS]->(au) | 1])}}) AS designated
WHERE all(x IN designated WHERE x.own = 0 AND coalesce(x.level, '') <> '乡镇')
OPTIONAL MATCH (l:Law)-[:HAS_ARTICLE]->(a)
OPTIONAL MATCH (u)-[:ABOUT]->(m:Matter)
RETURN u.id AS duty, u.code AS code, u.name AS name, d.id AS holder, d.name AS holder_name, a.id AS article,
       l.title AS law_title, designated, collect(DISTINCT m.id) AS matters
"""

UNCLASSIFIED_ORDERS = """
MATCH (w:WorkOrder)
WHERE w.received_at >= $since AND w.received_at < $until
OPTIONAL MATCH (w)-[a:ABOUT]->(:Matter)
WITH w, count(a) AS classified
WHERE classified = 0
RETURN w.id AS id, w.text AS text, w.received_at AS received_at, null AS matter
ORDER BY received_at DESC LIMIT $limit
"""

ORDERS_OF_MATTERS = """
MATCH (m:Matter) WHERE m.id IN $matters
MATCH (m)<-[:ABOUT]-(w:WorkOrder)
WHERE w.received_at >= $since AND w.received_at < $until
RETURN w.id AS id, w.text AS text, w.received_at AS received_at, m.id AS matter
ORDER BY received_at DESC LIMIT $limit
"""

REFERENCE_ORDERS = f"""
MATCH (w:WorkOrder)-[:ABOUT]->(m:Matter)<-[r:RESPONSIBLE_FOR {{role: 'lead'}}]-(:Department)
WHERE w.received_at >= $since AND w.received_at < $until AND {valid_at("r")}
RETURN DISTINCT w.id AS id, w.text AS text ORDER BY id LIMIT $limit
"""

ORDER_DEPTS = """
UNWIND $ids AS wid
MATCH (w:WorkOrder {id: wid})-[e:DISPATCHED_TO|RETURNED_BY]->(d:Department)
RETURN d.id AS department, d.name AS name, type(e) AS how, count(*) AS n ORDER BY n DESC
"""

DUTY_LEADS = f"""
UNWIND $ids AS uid
MATCH (d:Department)-[h:HOLDS]->(u:Duty {{id: uid}})
WHERE {valid_at("h")}
RETURN u.id AS duty, u.name AS name, d.id AS department, d.name AS department_name, h.role AS role
"""

MATTER_LEADS = f"""
UNWIND $ids AS mid
MATCH (d:Department)-[r:RESPONSIBLE_FOR]->(m:Matter {{id: mid}})
WHERE {valid_at("r")}
RETURN m.id AS matter, m.name AS name, d.id AS department, d.name AS department_name, r.role AS role
"""


def params(as_of: str, jurisdiction: str | None = None, **extra: Any) -> dict[str, Any]:
    """The common parameters of every gap query."""
    return {"as_of": as_of, **place_params(jurisdiction, above=True), **extra}


def run(store: GraphStore, query: str, p: dict[str, Any]) -> list[dict[str, Any]]:
    """Read one of this module's queries (kept as a function so callers never hold Cypher)."""
    return store.read(query, p)
