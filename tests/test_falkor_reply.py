"""The store's own parser of FalkorDB's compact replies gives what the `falkordb` client's parser gives."""

from __future__ import annotations

from typing import Any

import pytest
import redis

from graph.store.base import GraphStore
from graph.store.falkor import FalkorStore


def _client_rows(store: FalkorStore, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    return store._rows(store.graph.ro_query(cypher, params or None))


_QUERIES = [
    ("RETURN 'a\"b\\\\c 中文' AS s, 42 AS i, -7 AS neg, 2.5 AS f, true AS t, false AS no, null AS nothing", None),
    ("RETURN [1, 'x', [2.0, null], {k: 'v', n: [true]}] AS nested, {a: 1, b: {c: 'd'}} AS m, [] AS empty", None),
    ("UNWIND range(1, 3) AS x RETURN x, toString(x) AS s ORDER BY x", None),
    ("RETURN $text AS text, $n AS n, $xs AS xs, $m AS m",
     {"text": "含\"引号\"和\\反斜杠", "n": 3, "xs": ["a", 1, None], "m": {"k": "v"}}),
    ("MATCH (n:Nothing) RETURN n.id AS id", None),
]


@pytest.mark.parametrize(("cypher", "params"), _QUERIES)
def test_plain_values_match_the_client(store: GraphStore, cypher: str, params: dict[str, Any] | None) -> None:
    assert isinstance(store, FalkorStore)
    assert store.read(cypher, params) == _client_rows(store, cypher, params)


def test_nodes_and_edges_fall_back_to_the_client(store: GraphStore) -> None:
    store.run("CREATE (:Probe {id: 'p1', name: '甲'})-[:LINKS {w: 1.5}]->(:Probe {id: 'p2'})")
    rows = store.read("MATCH (a:Probe {id: 'p1'})-[e:LINKS]->(b) RETURN a, e, b.id AS bid")
    assert rows == [{"a": {"id": "p1", "name": "甲"}, "e": {"w": 1.5}, "bid": "p2"}]


def test_an_empty_result_has_no_rows(store: GraphStore) -> None:
    assert store.read("MATCH (n:Nothing) RETURN n") == []


def test_server_errors_are_raised(store: GraphStore) -> None:
    with pytest.raises(redis.ResponseError):
        store.read("RETURN nosuchfunction(1) AS x")
    with pytest.raises(redis.ResponseError):  # a run-time error arrives as the reply's last element
        store.read("UNWIND [1, 0] AS d RETURN 1 / d AS x, toInteger('a') + [1] AS y")


def test_parameter_names_must_be_identifiers(store: GraphStore) -> None:
    with pytest.raises(ValueError, match="identifiers"):
        store.read("RETURN 1 AS x", {"a` = 1 RETURN 2 //": 1})
