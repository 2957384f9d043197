"""Neo4j backend through the official `neo4j` driver (at scale: a Neo4j 5 server, cluster or Aura).

Its tests run against FalkorDB's Bolt listener. Two dialect differences are handled here: index DDL
(Neo4j uses named uniqueness constraints; FalkorDB its own index syntax) and clearing a graph.
FalkorDB's Bolt listener serves one graph, named `falkordb`, whatever database the driver names.
"""

from __future__ import annotations

import contextlib
from typing import Any

from neo4j import GraphDatabase
from neo4j.exceptions import AuthError, ClientError, DatabaseError, ServiceUnavailable

from graph.errors import StoreUnavailable
from graph.store.base import GraphStore, ident


class BoltStore(GraphStore):
    backend = "bolt"

    def __init__(self, uri: str, user: str, password: str, database: str | None, batch_size: int = 5000):
        super().__init__(batch_size)
        self.uri, self.database = uri, database
        try:
            self.driver = GraphDatabase.driver(uri, auth=(user, password))
            self.driver.verify_connectivity()
            self.agent = self.driver.get_server_info().agent or ""
        except (ServiceUnavailable, AuthError, OSError, ValueError) as exc:
            raise StoreUnavailable(f"cannot reach {uri}: {exc}", "DUTYGRAPH_GRAPH_URI") from exc
        self.is_falkordb = "falkor" in self.agent.lower()

    def run(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        records, _, _ = self.driver.execute_query(cypher, params or {}, database_=self.database)
        return [r.data() for r in records]

    def _create_id_index(self, label: str) -> None:
        if self.is_falkordb:
            # An "already indexed" error comes back without a finer code from FalkorDB's Bolt listener.
            with contextlib.suppress(ClientError, DatabaseError):
                self.run(f"CREATE INDEX FOR (n:{ident(label)}) ON (n.id)")
            return
        self.run(f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS FOR (n:{ident(label)}) REQUIRE n.id IS UNIQUE")

    def clear(self) -> None:
        while True:
            res = self.run("MATCH (n) WITH n LIMIT 10000 DETACH DELETE n RETURN count(*) AS c")
            if not res or int(res[0]["c"]) == 0:
                break

    def close(self) -> None:
        self.driver.close()
