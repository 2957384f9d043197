"""A test module's own knowledge base with search indexes, on the session's graph server.

Modules whose tests only read (ask, bases, owners) build one such KB and share it: a graph of their own on the
shared FalkorDB server, indexed with e5q4 as the product indexes, and a retriever over it. The graph is cleared
when the module is done.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from graph.settings import Settings
from graph.store import open_store
from graph.store.base import GraphStore
from graph.store.falkor_server import ServerInfo
from search.embedders import make_embedder
from search.index_build import build_indexes
from search.retriever import Retriever


@contextmanager
def indexed_kb(server: ServerInfo, tmp: Path, name: str,
               build: Callable[[GraphStore], None], **index: Any) -> Iterator[tuple[Settings, GraphStore, Retriever]]:
    """The graph `name` (one per test process) that `build` writes, its indexes under `tmp`, and a retriever;
    `index`: build_indexes' options (static_tier, embed_only: a KB whose e5 vectors are not filled in)."""
    settings = Settings(data_dir=tmp / "data", graph_uri=f"falkordb://127.0.0.1:{server.port}",
                        graph_name=f"{name}_{os.getpid()}")
    store = open_store(settings)
    try:
        build(store)
        emb = make_embedder("e5q4", settings)
        build_indexes(store, settings, embedder=emb, **index)
        retriever = Retriever.open(settings, embedder=emb)
        try:
            yield settings, store, retriever
        finally:
            retriever.close()
    finally:
        store.clear()
        store.close()
