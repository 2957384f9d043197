"""Cypher for the effect of a ruling (抓落实): its matters, its lead bodies, and the work orders about those
matters with their dispatch and return hops, over a window around the decision.

Matter ids are category paths (matter:噪声/社会生活噪声/广场舞噪声), so a matter's sub-matters are the ids
under it. Work-order times are ISO text and compare as strings (as in graph.queries.gaps).
"""

from __future__ import annotations

from typing import Any

from graph.store.base import GraphStore

RULING = """
MATCH (r:Ruling {id: $id})
OPTIONAL MATCH (r)-[:DECIDES]->(m:Matter)
RETURN r.id AS id, r.title AS title, r.decided_on AS decided_on, r.jurisdiction AS jurisdiction,
       r.status AS status, collect(DISTINCT {id: m.id, name: m.name}) AS matters
"""

# the ruled lead: departments assigned the lead, and the departments at or under the ruling's place that act
# as an authority it assigned (a precedent from elsewhere names 公安机关, the county's 公安局 acts as it)
LEADS = """
MATCH (r:Ruling {id: $id})-[a:ASSIGNS]->(x:Department) WHERE a.role = 'lead'
RETURN x.id AS id, x.name AS name
UNION
MATCH (r:Ruling {id: $id})-[a:ASSIGNS]->(:Authority)<-[:ACTS_AS]-(d:Department)
WHERE a.role = 'lead' AND (d.jurisdiction = r.jurisdiction OR d.jurisdiction STARTS WITH (r.jurisdiction + '/'))
RETURN d.id AS id, d.name AS name
"""

ORDERS = """
MATCH (m:Matter)
WHERE any(mid IN $matters WHERE m.id = mid OR m.id STARTS WITH (mid + '/'))
MATCH (w:WorkOrder)-[:ABOUT]->(m)
WHERE w.received_at >= $since AND w.received_at < $until
OPTIONAL MATCH (w)-[h:DISPATCHED_TO]->(d:Department)
WITH w, m, collect({at: h.at, id: d.id, name: d.name}) AS dispatched
OPTIONAL MATCH (w)-[b:RETURNED_BY]->(e:Department)
RETURN w.id AS id, w.received_at AS received_at, w.closed_at AS closed_at, m.id AS matter, m.name AS matter_name,
       dispatched, collect({at: b.at, id: e.id, name: e.name}) AS returned
"""


def ruling(store: GraphStore, ruling_id: str) -> dict[str, Any] | None:
    rows = store.read(RULING, {"id": ruling_id})
    if not rows or rows[0]["id"] is None:
        return None
    row = dict(rows[0])
    row["matters"] = [m for m in row["matters"] if m.get("id")]
    return row


def leads(store: GraphStore, ruling_id: str) -> list[dict[str, Any]]:
    return [r for r in store.read(LEADS, {"id": ruling_id}) if r["id"]]


def orders(store: GraphStore, matters: list[str], since: str, until: str) -> list[dict[str, Any]]:
    """Work orders about the matters (or under them) received in [since, until), with their hops."""
    if not matters:
        return []
    rows = store.read(ORDERS, {"matters": matters, "since": since, "until": until})
    for r in rows:  # an order with no hop of a kind collects one all-null map
        r["dispatched"] = sorted((h for h in r["dispatched"] if h.get("id")), key=lambda h: str(h.get("at") or ""))
        r["returned"] = [h for h in r["returned"] if h.get("id")]
    return rows
