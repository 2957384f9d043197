"""Cypher for statutes: versions of one title, closing an older version, the version in force.

Dates are ISO strings (see graph.queries.temporal), so string order is date order.
"""

from __future__ import annotations

from typing import Any

from graph.ontology.nodes import AMENDED, REPEALED
from graph.store.base import GraphStore


def law_index(store: GraphStore) -> list[dict[str, Any]]:
    """Every statute version: id, title, version, effective, status, jurisdiction (for resolving citations)."""
    return store.read(
        "MATCH (l:Law) RETURN l.id AS id, l.title AS title, l.version AS version, "
        "l.effective AS effective, l.status AS status, l.jurisdiction AS jurisdiction"
    )


def repeal_clauses(store: GraphStore) -> list[dict[str, Any]]:
    """Articles that may repeal a statute (they name one and say 废止), with their statute's id, dates,
    status and place (ingest.laws.repeals reads which)."""
    return store.read(
        "MATCH (l:Law)-[:HAS_ARTICLE]->(a:Article) WHERE a.text CONTAINS '废止' AND a.text CONTAINS '》' "
        "RETURN l.id AS id, l.title AS title, l.version AS version, l.effective AS effective, "
        "l.status AS status, l.jurisdiction AS jurisdiction, a.id AS article, a.text AS text ORDER BY a.id"
    )


def law_statuses(store: GraphStore, law_ids: list[str]) -> dict[str, str]:
    """The stored status of each statute version that the graph already holds."""
    if not law_ids:
        return {}
    rows = store.read("UNWIND $ids AS i MATCH (l:Law {id: i}) RETURN l.id AS id, l.status AS status", {"ids": law_ids})
    return {r["id"]: r["status"] for r in rows if r["status"]}


def versions_of(store: GraphStore, titles: list[str]) -> list[dict[str, Any]]:
    return store.read(
        "UNWIND $titles AS t MATCH (l:Law {title: t}) RETURN l.id AS id, l.title AS title, l.version AS version, "
        "l.effective AS effective, l.status AS status",
        {"titles": titles},
    )


# the title passed on as a value: matched against `l.title` in the same MATCH, FalkorDB scanned every Law for each
# statute asked and joined on the place, with or without the title index (graph.store.base._PROPERTY_INDEXES)
_SPANS = """
UNWIND $ids AS i
MATCH (l:Law {id: i})
WITH i, l.title AS title, coalesce(l.jurisdiction, '') AS place
MATCH (v:Law)
WHERE v.title = title AND coalesce(v.jurisdiction, '') = place
OPTIONAL MATCH (:Law)-[s:AMENDS|REPEALS]->(v)
RETURN i AS asked, v.id AS id, v.version AS version, v.effective AS effective, v.status AS status,
       min(s.valid_from) AS ended
"""


def version_spans(store: GraphStore, law_ids: list[str]) -> list[dict[str, Any]]:
    """For each statute version asked, every version of its statute (same title and place) with its dates,
    its stored status and when it ended (`ended`: the earliest AMENDS / REPEALS start into it, None where
    nothing in the graph ends it) — what an ask as of a date needs to tell which version was in force then."""
    return store.read(_SPANS, {"ids": law_ids}) if law_ids else []


def close_versions(store: GraphStore, rows: list[dict[str, Any]]) -> int:
    """Mark older versions 已修改 (a repealed one keeps 已废止) and end their edges at `to`.

    Rows are `{"id": law id, "to": ISO date}`; HAS_ARTICLE, and the DESIGNATES / CITES edges of the
    version's articles, get `valid_to` unless they already end earlier. Nothing is deleted.
    """
    if not rows:
        return 0
    repealed = {r["id"] for r in store.read("UNWIND $ids AS i MATCH (l:Law {id: i}) WHERE l.status = $repealed "
                                             "RETURN l.id AS id", {"ids": [r["id"] for r in rows], "repealed": REPEALED})}
    store.set_node_props("Law", [{"id": r["id"], "props": {"status": AMENDED}} for r in rows if r["id"] not in repealed],
                         actor="ingest:laws")
    total = 0
    for rel in ("HAS_ARTICLE", "DESIGNATES", "CITES"):
        if rel == "HAS_ARTICLE":
            q = ("UNWIND $rows AS r MATCH (l:Law {id: r.id})-[e:HAS_ARTICLE]->(a:Article) "
                 "SET a.status = l.status WITH e, r WHERE e.valid_to IS NULL OR e.valid_to > r.to "
                 "SET e.valid_to = r.to RETURN count(e) AS n")
        else:
            q = (f"UNWIND $rows AS r MATCH (:Law {{id: r.id}})-[:HAS_ARTICLE]->(:Article)-[e:{rel}]->() "
                 "WHERE e.valid_to IS NULL OR e.valid_to > r.to SET e.valid_to = r.to RETURN count(e) AS n")
        res = store.run(q, {"rows": rows})
        total += int(res[0]["n"]) if res else 0
    return total


def retract_designations(store: GraphStore, kept: dict[str, list[str]]) -> int:
    """Remove the DESIGNATES edges of these articles whose keys are not the ones just extracted (`kept`:
    article id → edge keys). Designations are what extraction reads in an article's current text, not
    assignments anyone made: an article extracted again by a better extractor (or a changed authority
    table) should not keep what the old one read into it. Returns how many were removed."""
    if not kept:
        return 0
    res = store.run("UNWIND $rows AS r MATCH (:Article {id: r.id})-[e:DESIGNATES]->(:Authority) "
                    "WHERE NOT e.key IN r.keys DELETE e RETURN count(e) AS n",
                    {"rows": [{"id": a, "keys": keys} for a, keys in kept.items()]})
    return int(res[0]["n"]) if res else 0


def articles_exist(store: GraphStore, ids: list[str]) -> set[str]:
    rows = store.read("UNWIND $ids AS i MATCH (a:Article {id: i}) RETURN a.id AS id", {"ids": ids})
    return {r["id"] for r in rows}
