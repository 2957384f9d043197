"""Open the graph store the settings name: `falkordb` (embedded), `falkordb://host:port`, `bolt://…`."""

from __future__ import annotations

from urllib.parse import unquote, urlparse

from graph.settings import Settings, get_settings
from graph.store.base import GraphStore


def open_store(settings: Settings | None = None, *, schema: bool = True) -> GraphStore:
    """Build the store (starting the embedded server when asked), its change log, and its indexes."""
    from graph.changelog import ChangeLog

    s = settings or get_settings()
    uri = s.graph_uri
    if uri == "falkordb":
        from graph.store.falkor import FalkorStore
        from graph.store.falkor_server import EmbeddedFalkorDB

        server = EmbeddedFalkorDB(s.data_dir, s.falkordb_port, s.falkordb_bolt_port, s.falkordb_start_timeout)
        info = server.acquire()
        try:
            store: GraphStore = FalkorStore("127.0.0.1", info.port, s.graph_name, s.batch_size, server=server,
                                            password=info.password, timeout_ms=s.query_timeout_ms)
        except Exception:
            server.release()
            raise
    elif uri.startswith(("falkordb://", "redis://")):
        from graph.store.falkor import FalkorStore

        u = urlparse(uri)
        password = unquote(u.password) if u.password else s.falkordb_password
        store = FalkorStore(u.hostname or "127.0.0.1", u.port or 6379, s.graph_name, s.batch_size, password=password,
                            timeout_ms=s.query_timeout_ms)
    else:
        from graph.store.bolt import BoltStore

        store = BoltStore(uri, s.neo4j_user, s.neo4j_password, s.graph_name, s.batch_size)
    store.changelog = ChangeLog(store, s.data_dir / f"changelog-{s.graph_name}.head")
    if schema:
        store.ensure_schema()
    return store


__all__ = ["GraphStore", "open_store"]
