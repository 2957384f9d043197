"""FalkorDB backend, through the `falkordb` client; embedded (own server) or an external one.

The store outlives its server: a lost connection is a `StoreUnavailable` (the API's 503) and the next call
reconnects — to the embedded server restarted on its data directory, possibly on another port — at most
once a second, so callers are answered at once while the server is down. Reads are retried once after a
reconnect; writes are not (the caller sees the 503 and may repeat an idempotent write).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

import redis
from falkordb import FalkorDB
from falkordb.edge import Edge as FEdge
from falkordb.helpers import stringify_param_value
from falkordb.node import Node as FNode
from falkordb.path import Path as FPath
from falkordb.query_result import QueryResult

from graph.errors import InvalidInput, StoreUnavailable
from graph.store.base import GraphStore, ident
from graph.store.falkor_reply import NotPlain, plain_rows
from graph.store.falkor_server import EmbeddedFalkorDB

_SCALARS = (str, int, float, bool, type(None))
_DOWN = (redis.ConnectionError, redis.TimeoutError, redis.BusyLoadingError, ConnectionError, OSError)
RECONNECT_EVERY_S = 1.0
RECONNECT_LOCK_WAIT_S = 2.0  # a request waits this long for another process restarting the server, then gets a 503
SOCKET_TIMEOUT_S = 60.0  # no reply in this long: the server is hung, and the caller gets a 503, not a wait
T = TypeVar("T")


def _nul_param(params: dict[str, Any] | None) -> str | None:
    """The name of a parameter holding a NUL character somewhere (FalkorDB's query header cannot carry one)."""
    def has(v: Any) -> bool:
        if isinstance(v, str):
            return "\x00" in v
        if isinstance(v, dict):
            return any(has(x) for x in v.values())
        if isinstance(v, (list, tuple)):
            return any(has(x) for x in v)
        return False
    return next((k for k, v in (params or {}).items() if has(v)), None)


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
        password: str | None = None,
        timeout_ms: int = 0,
    ):
        super().__init__(batch_size)
        self.timeout_ms = timeout_ms  # reads only: a write is never cut off half-way
        self.server = server
        self.host, self.port, self.graph_name, self.password = host, port, graph_name, password
        self._reconnecting = threading.Lock()
        self._next_try = 0.0
        self._connect()

    def _connect(self) -> None:
        try:
            db = FalkorDB(host=self.host, port=self.port, password=self.password or None,
                          socket_timeout=SOCKET_TIMEOUT_S, socket_connect_timeout=5)
            db.connection.ping()
        except redis.AuthenticationError as exc:
            raise StoreUnavailable(f"FalkorDB at {self.host}:{self.port} refused the password: {exc}",
                                   "DUTYGRAPH_FALKORDB_PASSWORD") from exc
        except _DOWN as exc:
            raise StoreUnavailable(f"cannot reach FalkorDB at {self.host}:{self.port}: {exc}", "DUTYGRAPH_GRAPH_URI") from exc
        self.db, self.graph = db, db.select_graph(self.graph_name)

    def _reconnect(self) -> None:
        """Find the server again: the embedded one is re-acquired (restarted if it died, waited for while it
        loads); an external one is pinged. One thread tries at a time, at most once a second."""
        if not self._reconnecting.acquire(blocking=False):
            raise StoreUnavailable(f"reconnecting to FalkorDB at {self.host}:{self.port}", "DUTYGRAPH_GRAPH_URI")
        try:
            if time.monotonic() < self._next_try:
                raise StoreUnavailable(f"FalkorDB at {self.host}:{self.port} is not answering", "DUTYGRAPH_GRAPH_URI")
            self._next_try = time.monotonic() + RECONNECT_EVERY_S
            if self.server is not None:
                self.server.info = None  # its old entry is gone with the old server; acquire registers anew
                info = self.server.acquire(lock_wait=RECONNECT_LOCK_WAIT_S)
                self.port, self.password = info.port, info.password
            self._connect()
        finally:
            self._reconnecting.release()

    def _call(self, op: Callable[[], T], params: dict[str, Any] | None, retry: bool) -> T:
        try:
            return op()
        except redis.ResponseError as exc:
            name = _nul_param(params)
            if name is not None:
                raise InvalidInput(name, "a text value holds a NUL character (\\x00)") from None
            if "timed out" in str(exc).lower():
                raise StoreUnavailable(f"the query took too long ({exc})", "DUTYGRAPH_QUERY_TIMEOUT_MS") from None
            raise
        except _DOWN as exc:
            self._reconnect()  # raises StoreUnavailable while the server is unreachable
            if not retry:
                raise StoreUnavailable(f"the connection to FalkorDB was lost ({exc}); reconnected, try again",
                                       "DUTYGRAPH_GRAPH_URI") from None
            try:
                return op()
            except _DOWN as again:
                raise StoreUnavailable(f"FalkorDB is not answering: {again}", "DUTYGRAPH_GRAPH_URI") from None

    def run(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        return self._call(lambda: self._rows(self.graph.query(cypher, params or None)), params, retry=False)

    def read(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        # the client's own ro_query, minus its per-value parser (see graph/store/falkor_reply.py)
        if params and not all(k.isidentifier() for k in params):
            raise ValueError(f"Cypher parameter names must be identifiers: {sorted(params)}")
        header = "".join(f"`{k}`={stringify_param_value(v)} " for k, v in (params or {}).items())
        query = f"CYPHER {header}{cypher}" if header else cypher
        args = ("--compact", "timeout", self.timeout_ms) if self.timeout_ms else ("--compact",)

        def go() -> list[dict[str, Any]]:
            reply = self.graph.execute_command("GRAPH.RO_QUERY", self.graph.name, query, *args)
            try:
                return plain_rows(reply)
            except NotPlain:
                return self._rows(QueryResult(self.graph, reply))
        return self._call(go, params, retry=True)

    @staticmethod
    def _rows(res: Any) -> list[dict[str, Any]]:
        if not res.header:
            return []
        names = [h[1] if isinstance(h, (list, tuple)) else h for h in res.header]
        names = [n.decode() if isinstance(n, bytes) else n for n in names]
        return [{k: _plain(v) for k, v in zip(names, row, strict=False)} for row in res.result_set]

    def _create_id_index(self, label: str) -> None:
        self._create_index(label, "id")

    def _create_index(self, label: str, prop: str) -> None:
        try:
            self.graph.query(f"CREATE INDEX FOR (n:{ident(label)}) ON (n.{ident(prop)})")
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
