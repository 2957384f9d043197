"""The graph store against a real FalkorDB server: idempotent upserts, as-of reads, superseding."""

from __future__ import annotations

import datetime as dt

from graph.ontology import Department, DepartmentIn, Jurisdiction, Matter, ResponsibleFor
from graph.queries.assignments import owners_of_matter
from graph.settings import Settings
from graph.store import open_store
from graph.store.base import GraphStore

CITY = Jurisdiction(name="鲁安市", level="县", parent="jur:全国/山东省/潍坊市")


def _rows() -> tuple[list, list]:
    depts = [Department(name=n, jurisdiction=CITY.id) for n in ("鲁安市公安局", "鲁安市综合行政执法局")]
    matter = Matter(name="广场舞噪声", path=["噪声", "社会生活噪声", "广场舞噪声"])
    edges = [
        *(DepartmentIn(src=d.id, dst=CITY.id, source="dir") for d in depts),
        ResponsibleFor(src=depts[0].id, dst=matter.id, source="ruling:1", role="lead", valid_from=dt.date(2020, 1, 1)),
        ResponsibleFor(src=depts[1].id, dst=matter.id, source="ruling:1", role="cooperate", valid_from=dt.date(2020, 1, 1)),
    ]
    return [CITY, matter, *depts], edges


def test_upserting_twice_leaves_the_same_counts(store: GraphStore) -> None:
    nodes, edges = _rows()
    store.upsert_nodes(nodes)
    assert store.upsert_edges(edges) == 4
    first = store.counts()
    store.upsert_nodes(nodes)
    store.upsert_edges(edges)
    assert store.counts() == first
    assert first["Department"] == 2 and first["[:RESPONSIBLE_FOR]"] == 2
    assert first["ChangeLogEntry"] == 2  # only assignments are logged, and only once


def test_edge_to_missing_node_is_not_written(store: GraphStore) -> None:
    nodes, edges = _rows()
    store.upsert_nodes(nodes)
    ghost = ResponsibleFor(src="dept:ghost", dst=nodes[1].id, source="s")
    assert store.upsert_edges([ghost]) == 0


def test_as_of_reads_and_superseding(store: GraphStore) -> None:
    nodes, edges = _rows()
    store.upsert_nodes(nodes)
    store.upsert_edges(edges)
    lead = edges[2]
    assert store.supersede([lead], dt.date(2023, 7, 1), actor="auditor") == 1
    assert store.supersede([lead], dt.date(2023, 7, 1)) == 0  # already ended then
    before = owners_of_matter(store, "广场舞", "2022-12-31")
    after = owners_of_matter(store, "广场舞", "2024-01-01")
    ancient = owners_of_matter(store, "广场舞", "2019-01-01")
    assert [(r["department"], r["role"]) for r in before] == [("鲁安市公安局", "lead"), ("鲁安市综合行政执法局", "cooperate")]
    assert [(r["department"], r["role"]) for r in after] == [("鲁安市综合行政执法局", "cooperate")]
    assert ancient == []
    # nothing was deleted: the superseded edge is still there, with its end date
    rows = store.read("MATCH ()-[r:RESPONSIBLE_FOR {role: 'lead'}]->() RETURN r.valid_to AS to")
    assert rows == [{"to": "2023-07-01"}]
    # re-ingesting the source does not revive it
    store.upsert_edges([lead])
    assert [r["department"] for r in owners_of_matter(store, "广场舞", "2024-01-01")] == ["鲁安市综合行政执法局"]


def test_user_text_travels_as_a_parameter(store: GraphStore) -> None:
    nodes, edges = _rows()
    store.upsert_nodes(nodes)
    store.upsert_edges(edges)
    hostile = "x' OR 1=1 WITH 1 AS a MATCH (n) DETACH DELETE n //"
    assert owners_of_matter(store, hostile) == []
    assert store.counts()["Department"] == 2


def test_one_version_reads_the_graph_version_once(store: GraphStore, settings: Settings) -> None:
    """Within the block this thread sees the version read at its start (one search keys what it reads under one
    version); a write is seen once it ends."""
    store.upsert_nodes([CITY])
    start = store.version()
    with open_store(settings, schema=False) as other:
        with store.one_version() as held:
            assert held == start
            other.upsert_nodes([Jurisdiction(name="鲁西县", level="县", parent=CITY.id)])  # another process writes
            assert store.version() == held != other.version()
            with store.one_version() as inner:  # nested: the same
                assert inner == held
        assert store.version() == other.version() != start


def _indexed(store: GraphStore) -> set[tuple[str, str]]:
    rows = store.run("CALL db.indexes() YIELD label, properties RETURN label, properties")
    return {(r["label"], p) for r in rows for p in r["properties"]}


def test_a_statutes_versions_are_found_by_title_through_an_index(store: GraphStore) -> None:
    """version_spans (every ask's statutes) looks a statute's versions up by title: indexed, not a scan of the laws."""
    from graph.queries.laws import _SPANS

    assert ("Law", "title") in _indexed(store) and ("Law", "id") in _indexed(store)
    store.ensure_schema()  # again, on a graph that has them: nothing fails
    plan = str(store.graph.explain(_SPANS, {"ids": ["law:x"]}))  # type: ignore[attr-defined]
    assert "Node By Index Scan | (v:Law)" in plan and "Label Scan" not in plan, plan
