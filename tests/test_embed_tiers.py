"""The two vector tiers together: static vectors for every unit, e5 where available, rankings fused by rank."""

from __future__ import annotations

import json

import numpy as np
import pytest

from graph.settings import Settings
from graph.store.base import GraphStore
from search.embedders import make_embedder
from search.hybrid import fuse_ranks
from search.index_build import VECTORS_STATIC, build_indexes, index_dir
from search.retriever import Retriever
from tests import search_kb as kb
from tests.search_kb import CountingEmbedder


@pytest.fixture
def emb(settings: Settings) -> CountingEmbedder:
    return CountingEmbedder(make_embedder("e5q4", settings))


def test_fuse_ranks_is_weighted_reciprocal_rank() -> None:
    a, b = np.array([1, 2, 3]), np.array([3, 4, 1])
    # 1: 1/61 + 1/63, 3: 1/63 + 1/61 (a tie: the lower position first), 2: 1/62, 4: 1/62
    assert fuse_ranks([a, b], [0.5, 0.5], 60, 10).tolist() == [1, 3, 2, 4]
    assert fuse_ranks([a, b], [1.0, 0.0], 60, 2).tolist() == [1, 2]
    assert fuse_ranks([a, b], [0.1, 0.9], 60, 1).tolist() == [3]
    assert fuse_ranks([np.array([], dtype=np.int64), b], [0.5, 0.5], 60, 10).tolist() == [3, 4, 1]
    # 4 has no vector in the first tier: it stands in with what it earned in the second (1/62, at full weight)
    covered = np.array([True, True, True, True, False])
    assert fuse_ranks([a, b], [0.5, 0.5], 60, 10, [covered, None]).tolist() == [1, 3, 4, 2]


def test_without_the_static_tier_nothing_changes(store: GraphStore, settings: Settings, emb: CountingEmbedder) -> None:
    kb.build_kb(store)
    assert settings.static_tier  # the default: every index gets the static tier unless told otherwise
    m = build_indexes(store, settings, embedder=emb, static_tier=False)
    assert m.static is None and m.coverage() == {"e5q4": 1.0}
    assert not (index_dir(settings) / VECTORS_STATIC).exists()
    r = Retriever.open(settings, embedder=emb)
    try:
        assert len(r.tiers) == 1 and r.tiers[0].covered is None
    finally:
        r.close()


def test_both_tiers_cover_every_unit_and_fuse(store: GraphStore, settings: Settings, emb: CountingEmbedder) -> None:
    kb.build_kb(store)
    stages: dict[str, int] = {}
    m = build_indexes(store, settings, embedder=emb, static_tier=True,
                      progress=lambda s, n, t: stages.__setitem__(s, stages.get(s, 0) + n))
    assert m.static is not None and m.static.embedder_spec.startswith("static:") and m.static.units == 11
    assert m.coverage() == {"e5q4": 1.0, "static": 1.0} and m.model == emb.name and m.dim == 384
    assert stages["segment"] == stages["static"] == stages["embed"] == 11 and stages["distil"] > 0
    assert {"segment", "distil", "static", "embed"} <= set(m.seconds)
    assert (index_dir(settings) / VECTORS_STATIC).exists()
    assert (settings.data_dir / "models" / f"static-{m.static.embedder_spec.split(':')[1]}" / "static.json").exists()
    r = Retriever.open(settings, embedder=emb)
    try:
        assert [t.name for t in r.tiers] == ["e5q4", "static"] and r.tiers[1].index.dim == m.static.dim
        hits = r.search("路边有人摆摊卖东西占了人行道，该找谁", k=5)
        assert {kb.M_STALL.id, kb.D_STALL.id} & {h.unit.id for h in hits[:3]}
        for h in hits:
            assert h.score == pytest.approx(h.vector_part + h.lexical_part)
        vec = r.search("食品经营许可证", mode="vector", k=3)
        assert vec[0].unit.id == kb.D_FOOD.id and all(h.lexical_rank is None for h in vec)
        # the vector score column is the static tier's cosine: the same for a unit whatever the filter
        duties = {h.unit.id: h.vector_score for h in r.search("摆摊", kinds=["Duty"], mode="vector", k=10)}
        every = {h.unit.id: h.vector_score for h in r.search("摆摊", mode="vector", k=20)}
        assert duties and all(every[i] == pytest.approx(s) for i, s in duties.items())
    finally:
        r.close()
    again = build_indexes(store, settings, embedder=emb, static_tier=True)  # same corpus: the model is reused
    assert again.static is not None and again.static.embedder_spec == m.static.embedder_spec


def test_deferred_e5_units_are_found_through_the_static_tier(store: GraphStore, settings: Settings,
                                                             emb: CountingEmbedder) -> None:
    kb.build_kb(store)
    m = build_indexes(store, settings, embedder=emb, static_tier=True, embed_only=lambda u: u.kind == "Article")
    assert emb.passages == 3 and m.unembedded == 8
    assert m.coverage() == {"e5q4": pytest.approx(3 / 11), "static": 1.0}
    r = Retriever.open(settings, embedder=emb)
    try:
        assert r.tiers[0].covered is not None and int(r.tiers[0].covered.sum()) == 3
        vec = r.search("开饭店要办食品经营许可证", mode="vector", k=3)
        assert vec[0].unit.id == kb.D_FOOD.id  # no e5 vector: ranked by the static tier alone
        assert len(r.search("摆摊", mode="vector", k=20)) == 11  # every unit reachable by vectors
    finally:
        r.close()


def test_static_alone(store: GraphStore, settings: Settings) -> None:
    kb.build_kb(store)
    m = build_indexes(store, settings, embedder="static")
    assert m.embedder_spec.startswith("static:") and m.static is None and m.dim == settings.static_dims
    assert m.coverage() == {"static": 1.0} and "embed" not in m.seconds
    r = Retriever.open(settings)  # the model named by the manifest, from the data directory
    try:
        assert r.embedder.spec == m.embedder_spec and len(r.tiers) == 1
        assert r.search("食品经营许可证", mode="vector", k=1)[0].unit.id == kb.D_FOOD.id
    finally:
        r.close()


def test_cli_rebuild_with_the_static_tier_reports_coverage(store: GraphStore, cli_env: Settings,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from api.cli import app

    kb.build_kb(store)
    monkeypatch.setenv("DUTYGRAPH_STATIC_TIER", "true")  # read on the command's first get_settings()
    res = CliRunner().invoke(app, ["index", "rebuild", "--cached-only"])
    assert res.exit_code == 0, res.output
    assert "e5q4 0.0% (0/11)" in res.output and "static 100.0% (11/11)" in res.output
    status = CliRunner().invoke(app, ["index", "status", "--json"])
    assert status.exit_code == 0, status.output
    assert json.loads(status.stdout)["coverage"] == {"e5q4": 0.0, "static": 1.0}
    res = CliRunner().invoke(app, ["index", "rebuild"])  # fills in the e5 vectors
    assert res.exit_code == 0 and "e5q4 100.0% (11/11)" in res.output


def test_fill_adds_main_vectors_most_useful_first_and_keeps_them_when_stopped(
        store: GraphStore, settings: Settings, emb: CountingEmbedder) -> None:
    from search.index_fill import IndexChanged, fill_main_tier, priority, write_vectors
    from search.manifest import Manifest

    kb.build_kb(store)
    m = build_indexes(store, settings, embedder=emb, static_tier=True, embed_only=lambda u: False)
    assert m.unembedded == 11 and emb.passages == 0
    # the first pass is stopped after 4 units: the non-article units go first, and the index keeps them
    part = fill_main_tier(settings, embedder=emb, limit=4)
    assert part.unembedded == 7 and Manifest.load(index_dir(settings)).unembedded == 7
    r = Retriever.open(settings, embedder=emb)
    try:
        covered = {h.unit.kind for h in r.search("摆摊", mode="vector", k=20) if r.tiers[0].covered[
            r.units.positions([h.unit.id])[h.unit.id]]}
        assert "Article" not in covered and covered
    finally:
        r.close()
    # the rest, written back after every chunk
    full = fill_main_tier(settings, embedder=emb, checkpoint_s=0)
    assert full.unembedded == 0 and full.coverage() == {"e5q4": 1.0, "static": 1.0}
    assert fill_main_tier(settings, embedder=emb) == full  # nothing left: nothing written
    assert priority("Duty", True, "") < priority("Article", True, "某市养犬管理条例 第2条\n本条例适用于本市养犬管理") \
        < priority("Article", True, "某市养犬管理条例 第30条\n由市场监督管理部门责令改正") \
        < priority("Article", True, "某市养犬管理条例 第50条\n本条例自公布之日起施行") \
        < priority("Article", False, "某市养犬管理条例 第2条\n由公安机关处罚")
    # a pass over an index that was rebuilt meanwhile does not overwrite it
    stale = full.model_copy(update={"units_digest": "something else"})
    with pytest.raises(IndexChanged):
        write_vectors(index_dir(settings), np.zeros((11, 384), dtype=np.float32), stale, settings)
    assert Manifest.load(index_dir(settings)).unembedded == 0


@pytest.mark.slow
def test_fill_in_worker_processes_gives_the_vectors_of_one(
        store: GraphStore, settings: Settings, emb: CountingEmbedder, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two processes embed and this one stores: every unit gets the vector one process would give it, and the
    embedding cache holds them (a second index of the same texts embeds nothing)."""
    from search import index_fill
    from search.embedders import EmbeddingCache
    from search.vector import VectorIndex

    kb.build_kb(store)
    build_indexes(store, settings, embedder=emb, static_tier=True, embed_only=lambda u: False)
    monkeypatch.setattr(index_fill, "CHUNK", 4)  # several chunks in flight on 11 units
    monkeypatch.setattr(index_fill, "MIN_PARALLEL", 0)
    full = index_fill.fill_main_tier(settings, workers=2, checkpoint_s=0)
    assert full.unembedded == 0 and emb.passages == 0  # embedded in the workers, not here
    live = VectorIndex.load(index_dir(settings) / "vectors.faiss")
    got = live.vectors().copy()
    del live
    r = Retriever.open(settings, embedder=emb)
    try:
        texts = [row[3][: settings.embed_max_chars] for row in r.units.rows()]
    finally:
        r.close()
    alone = emb.inner.embed_passages(texts)
    assert np.min(np.sum(got * alone, axis=1)) > 0.999
    cache = EmbeddingCache.in_data_dir(settings.data_dir)
    try:
        assert cache.count(emb.name) >= len(set(texts))
    finally:
        cache.close()
