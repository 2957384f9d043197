"""Both backends (FalkorDB client, Neo4j driver over FalkorDB's Bolt port) give the same answers."""

from __future__ import annotations

import datetime as dt

import pytest

from graph.ontology import (
    ActsAs,
    Article,
    Authority,
    Department,
    DepartmentIn,
    Designates,
    HasArticle,
    Jurisdiction,
    Law,
    Matter,
    ResponsibleFor,
)
from graph.queries.assignments import owners_of_matter
from graph.store.base import GraphStore

pytestmark = pytest.mark.slow


def _load(store: GraphStore) -> None:
    city = Jurisdiction(name="鲁安市", level="县", parent="jur:全国/山东省/潍坊市")
    law = Law(title="某市养犬管理条例", version="2017-10-11", status="现行有效")
    art = Article(law=law.id, number="5", text="公安机关是养犬管理工作的主管部门……")
    police = Authority(name="公安机关")
    urban = Authority(name="城市管理部门")
    d_police = Department(name="鲁安市公安局", jurisdiction=city.id)
    d_urban = Department(name="鲁安市综合行政执法局", jurisdiction=city.id)
    matter = Matter(name="不拴绳遛犬", path=["养犬", "不拴绳遛犬"])
    store.upsert_nodes([city, law, art, police, urban, d_police, d_urban, matter])
    store.upsert_edges([
        HasArticle(src=law.id, dst=art.id, source=law.id),
        Designates(src=art.id, dst=police.id, source=law.id, locator="第五条", role="lead", duty_text="养犬登记"),
        Designates(src=art.id, dst=urban.id, source=law.id, locator="第五条", role="lead", duty_text="犬粪清理"),
        ActsAs(src=d_police.id, dst=police.id, source="dir"),
        ActsAs(src=d_urban.id, dst=urban.id, source="dir"),
        DepartmentIn(src=d_police.id, dst=city.id, source="dir"),
        DepartmentIn(src=d_urban.id, dst=city.id, source="dir"),
        ResponsibleFor(src=d_police.id, dst=matter.id, source="ruling:1", role="lead", valid_from=dt.date(2019, 1, 1),
                       valid_to=dt.date(2024, 1, 1)),
        ResponsibleFor(src=d_urban.id, dst=matter.id, source="ruling:2", role="lead", valid_from=dt.date(2024, 1, 1)),
    ])


QUERIES = [
    ("MATCH (a:Article)-[d:DESIGNATES]->(au:Authority)<-[:ACTS_AS]-(dep:Department)-[:IN]->(j:Jurisdiction) "
     "RETURN au.name AS authority, d.duty_text AS duty, dep.name AS dept, j.name AS place ORDER BY duty", {}),
    ("MATCH (n) RETURN labels(n)[0] AS label, count(n) AS c ORDER BY label", {}),
    ("MATCH (l:Law {title: $t})-[:HAS_ARTICLE]->(a) RETURN a.id AS id, a.text AS text", {"t": "某市养犬管理条例"}),
    ("MATCH (d:Department) WHERE d.name CONTAINS $q RETURN d.name AS name, properties(d) AS props ORDER BY name",
     {"q": "鲁安"}),
]


def test_same_answers_on_both_backends(store: GraphStore, bolt_store: GraphStore) -> None:
    _load(store)
    _load(bolt_store)
    assert store.counts() == bolt_store.counts()
    for cypher, params in QUERIES:
        assert store.read(cypher, params) == bolt_store.read(cypher, params), cypher
    for as_of in ("2020-06-01", "2025-06-01", "2018-01-01"):
        assert owners_of_matter(store, "遛犬", as_of) == owners_of_matter(bolt_store, "遛犬", as_of)
    assert [r["department"] for r in owners_of_matter(bolt_store, "遛犬", "2020-06-01")] == ["鲁安市公安局"]


def test_bolt_backend_is_idempotent_and_logs(bolt_store: GraphStore) -> None:
    _load(bolt_store)
    first = bolt_store.counts()
    _load(bolt_store)
    assert bolt_store.counts() == first
    assert bolt_store.changelog.verify().ok
