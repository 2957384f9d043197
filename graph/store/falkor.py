"""FalkorDB backend, through the `falkordb` client; embedded (own server) or an external one."""

from __future__ import annotations

from typing import Any

import redis
from falkordb import FalkorDB
from falkordb.edge import Edge as FEdge
from falkordb.helpers import stringify_param_value
from falkordb.node import Node as FNode
from falkordb.path import Path as FPath
from falkordb.query_result import QueryResult

from graph.errors import StoreUnavailable
from graph.store.base import GraphStore, ident
from graph.store.falkor_reply import NotPlain, plain_rows
from graph.store.falkor_server import EmbeddedFalkorDB

_SCALARS = (str, int, float, bool, type(None))


def _plain(value: Any) -> Any:
    if type(value) in _SCALARS:  # nearly every value: skip the isinstance chain
        return value
    if isinstance(value, (FNode, FEdge)):
        return dict(value.properties)
    if isinstance(value, FPath):
        return [_plain(n) for n in value.nodes()]
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


class FalkorStore(GraphStore):
    backend = "falkordb"

    def __init__(
        self,
        host: str,
        port: int,
        graph_name: str,
        batch_size: int = 5000,
        server: EmbeddedFalkorDB | None = None,
    ):
        super().__init__(batch_size)
        self.server = server
        self.host, self.port, self.graph_name = host, port, graph_name
        try:
            self.db = FalkorDB(host=host, port=port)
            self.db.connection.ping()
        except redis.ConnectionError as exc:
            raise StoreUnavailable(f"cannot reach FalkorDB at {host}:{port}: {exc}", "DUTYGRAPH_GRAPH_URI") from exc
        self.graph = self.db.select_graph(graph_name)

    def run(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        res = self.graph.query(cypher, params or None)
        return self._rows(res)

    def read(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        # the client's own ro_query, minus its per-value parser (see graph/store/falkor_reply.py)
        if params and not all(k.isidentifier() for k in params):
            raise ValueError(f"Cypher parameter names must be identifiers: {sorted(params)}")
        header = "".join(f"`{k}`={stringify_param_value(v)} " for k, v in (params or {}).items())
        query = f"CYPHER {header}{cypher}" if header else cypher
        reply = self.graph.execute_command("GRAPH.RO_QUERY", self.graph.name, query, "--compact")
        try:
            return plain_rows(reply)
        except NotPlain:
            return self._rows(QueryResult(self.graph, reply))

    @staticmethod
    def _rows(res: Any) -> list[dict[str, Any]]:
        if not res.header:
            return []
        names = [h[1] if isinstance(h, (list, tuple)) else h for h in res.header]
        names = [n.decode() if isinstance(n, bytes) else n for n in names]
        return [{k: _plain(v) for k, v in zip(names, row, strict=False)} for row in res.result_set]

    def _create_id_index(self, label: str) -> None:
        try:
            self.graph.query(f"CREATE INDEX FOR (n:{ident(label)}) ON (n.id)")
        except redis.ResponseError as exc:
            if "already indexed" not in str(exc):
                raise

    def clear(self) -> None:
        try:
            self.graph.delete()
        except redis.ResponseError as exc:
            if "empty key" not in str(exc) and "Invalid graph operation on empty key" not in str(exc):
                raise
        self.graph = self.db.select_graph(self.graph_name)
        self.ensure_schema()  # an empty graph keeps its id indexes, and read-only queries find a graph key

    def close(self) -> None:
        try:
            self.db.connection.close()
        finally:
            if self.server is not None:
                self.server.release()
                self.server = None
