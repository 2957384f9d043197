"""Both backends (FalkorDB client, Neo4j driver over FalkorDB's Bolt port) give the same answers."""

from __future__ import annotations

import pytest

from graph.queries.assignments import owners_of_matter
from graph.store.base import GraphStore
from tests import owners_kb as kb

pytestmark = pytest.mark.slow

# Over the owner-ranking test KB: every node label and relationship type the ask path reads, validity
# intervals (the early market changed owner on 2022-01-01) and a ruling assigning authorities.
QUERIES = [
    ("MATCH (a:Article)-[d:DESIGNATES]->(au:Authority)<-[:ACTS_AS]-(dep:Department)-[:IN]->(j:Jurisdiction) "
     "RETURN au.name AS authority, d.role AS role, dep.name AS dept, j.name AS place ORDER BY authority, dept", {}),
    ("MATCH (n) RETURN labels(n)[0] AS label, count(n) AS c ORDER BY label", {}),
    ("MATCH (l:Law {title: $t})-[:HAS_ARTICLE]->(a) RETURN a.id AS id, a.text AS text", {"t": kb.JN_DOGS.title}),
    ("MATCH (d:Department) WHERE d.name CONTAINS $q RETURN d.name AS name, properties(d) AS props ORDER BY name",
     {"q": "鲁安"}),
    ("MATCH (r:Ruling)-[a:ASSIGNS]->(x) RETURN r.title AS ruling, a.role AS role, x.name AS party "
     "ORDER BY ruling, party", {}),
]


def test_same_answers_on_both_backends(store: GraphStore, bolt_store: GraphStore) -> None:
    kb.build_kb(store)
    kb.build_kb(bolt_store)
    assert store.counts() == bolt_store.counts()
    for cypher, params in QUERIES:
        rows = store.read(cypher, params)
        assert rows and rows == bolt_store.read(cypher, params), cypher
    for as_of in ("2020-06-01", "2025-06-01", "2018-01-01"):
        assert owners_of_matter(store, "早市", as_of) == owners_of_matter(bolt_store, "早市", as_of)
    assert [r["department"] for r in owners_of_matter(bolt_store, "早市", "2020-06-01")] == [kb.MARKET.name]
    assert [r["department"] for r in owners_of_matter(bolt_store, "早市", "2025-06-01")] == [kb.ENFORCE.name]


def test_bolt_backend_is_idempotent_and_logs(bolt_store: GraphStore) -> None:
    kb.build_kb(bolt_store)
    first = bolt_store.counts()
    kb.build_kb(bolt_store)
    assert bolt_store.counts() == first
    assert bolt_store.changelog.verify().ok


def test_both_backends_index_a_statutes_title(bolt_store: GraphStore) -> None:
    assert bolt_store.is_falkordb and ("Law", "title") in bolt_store._falkor_indexes  # type: ignore[attr-defined]
    bolt_store.ensure_schema()  # again: the Bolt listener must not be asked to create it twice
