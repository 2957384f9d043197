"""Query vectors are embedded once per process and question: the same answer, one model call."""

from __future__ import annotations

import numpy as np
import pytest

from graph.settings import Settings
from graph.store.base import GraphStore
from search.embedders import make_embedder
from search.embedders.query_cache import QueryVectors
from search.index_build import build_indexes
from search.retriever import Retriever
from tests import search_kb as kb
from tests.search_kb import CountingEmbedder

QUESTION = "路边有人摆摊卖东西占了人行道，该找谁"


def test_least_recently_used_goes_first() -> None:
    calls: list[str] = []

    def embed(text: str) -> np.ndarray:
        calls.append(text)
        return np.full(3, float(len(calls)), dtype=np.float32)

    cache = QueryVectors(2)
    a = cache.get("m", "a", embed)
    cache.get("m", "b", embed)
    assert cache.get("m", "a", embed) is a  # a hit: "a" is now the most recent
    cache.get("m", "c", embed)  # full: "b", the least recently used, goes
    cache.get("m", "a", embed)
    cache.get("m", "b", embed)
    assert calls == ["a", "b", "c", "b"] and (cache.hits, cache.misses) == (2, 4) and len(cache) == 2
    cache.get("other model", "a", embed)  # the model is part of the key
    assert calls[-1] == "a"
    cache.clear()
    cache.get("m", "c", embed)
    assert calls[-1] == "c" and len(cache) == 1
    with pytest.raises(ValueError):
        a[0] = 0.0  # shared between asks: read-only
    off = QueryVectors(0)
    off.get("m", "a", embed)
    off.get("m", "a", embed)
    assert calls[-2:] == ["a", "a"] and len(off) == 0


@pytest.mark.parametrize("size", [0, 16])
def test_a_question_asked_again_is_not_embedded_again(store: GraphStore, settings: Settings, size: int) -> None:
    kb.build_kb(store)
    emb = CountingEmbedder(make_embedder("e5q4", settings))
    build_indexes(store, settings, embedder=emb, static_tier=False)
    r = Retriever.open(settings.model_copy(update={"query_cache": size}), embedder=emb)
    try:
        first = r.search(QUESTION, k=5)
        again = r.search(QUESTION, k=5)
        assert [(h.unit.id, h.score) for h in again] == [(h.unit.id, h.score) for h in first]
        assert {kb.M_STALL.id, kb.D_STALL.id} & {h.unit.id for h in first[:3]}
        assert emb.queries == (1 if size else 2)
        with r.embedded_together(["路边有人摆摊", "占了人行道"]):  # embedded and scanned together: kept as well
            pass
        r.search("占了人行道", k=5)
        assert emb.queries == (3 if size else 5)
    finally:
        r.close()


def test_vectors_held_for_one_request_are_taken_before_embedding() -> None:
    calls: list[str] = []

    def embed(text: str) -> np.ndarray:
        calls.append(text)
        return np.zeros(3, dtype=np.float32)

    cache = QueryVectors(0)
    held = {"a": np.ones(3, dtype=np.float32)}
    with cache.held("m", held):
        assert cache.get("m", "a", embed) is held["a"] and calls == []
        cache.get("other model", "a", embed)  # held for one model only
        cache.get("m", "b", embed)
    cache.get("m", "a", embed)  # the block is over
    assert calls == ["a", "b", "a"]


def test_texts_embedded_together_search_as_each_alone(store: GraphStore, settings: Settings) -> None:
    """The texts one request searches (a dispute, its statements), embedded in one batch: each search ranks as
    it does with its text embedded alone, and nothing is embedded again."""
    kb.build_kb(store)
    emb = CountingEmbedder(make_embedder("e5q4", settings))
    build_indexes(store, settings, embedder=emb, static_tier=False)
    r = Retriever.open(settings.model_copy(update={"query_cache": 0}), embedder=emb)
    texts = [QUESTION, "路边有人摆摊", "占了人行道"]
    try:
        alone = [[h.model_dump() for h in r.search(t, k=5)] for t in texts]
        emb.queries = 0
        with r.embedded_together(texts):
            assert emb.queries == 3  # the batch
            assert all(r.held_scan(r.tiers[0].name, t) is not None for t in texts)  # scanned in one pass too
            together = [[h.model_dump() for h in r.search(t, k=5)] for t in texts]
        assert together == alone and emb.queries == 3
        assert r.held_scan(r.tiers[0].name, texts[0]) is None
        r.search(texts[0], k=5)
        assert emb.queries == 4  # held for the block only
    finally:
        r.close()
