"""The 鲁安市 sample with the national laws, indexed as the demo indexes it: the knowledge base that the
API, browser and notebook tests share (built once per test session, on the shared FalkorDB server)."""

from __future__ import annotations

from pathlib import Path

from graph.settings import Settings
from graph.store import open_store
from ingest.sample import load_sample
from search.index_build import build_indexes

GRAPH = "sample_kb"


def build_sample_kb(data_dir: Path, port: int) -> Settings:
    from api.demo import _embed_first

    settings = Settings(data_dir=data_dir, graph_uri=f"falkordb://127.0.0.1:{port}", graph_name=GRAPH)
    with open_store(settings) as store:
        store.clear()
        load_sample(store, settings=settings)
        build_indexes(store, settings, embed_only=_embed_first(store), static_tier=False)  # as the demo does
    return settings
