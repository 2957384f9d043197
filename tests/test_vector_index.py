"""FAISS index: exact vs HNSW recall, filters against brute force, persistence round trip."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from search.filters import UnitFilter, UnitTable
from search.vector import EXACT_SUBSET_MAX, VectorIndex


def clustered(n: int, d: int, queries: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Unit vectors around 50 topic centres, and queries from the same topics (as real embeddings are)."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((50, d)).astype(np.float32)

    def draw(m: int) -> np.ndarray:
        x = centres[rng.integers(0, 50, m)] + 0.6 * rng.standard_normal((m, d)).astype(np.float32)
        return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)

    return draw(n), draw(queries)


def brute(x: np.ndarray, q: np.ndarray, k: int, mask: np.ndarray | None = None) -> np.ndarray:
    s = x @ q
    if mask is not None:
        s = np.where(mask, s, -np.inf)
    return np.argsort(-s, kind="stable")[:k]


def recall(found: list[np.ndarray], truth: list[np.ndarray]) -> float:
    return float(np.mean([len(set(f.tolist()) & set(t.tolist())) / len(t) for f, t in zip(found, truth, strict=True)]))


@pytest.fixture(scope="module")
def data() -> tuple[np.ndarray, np.ndarray]:
    return clustered(30_000, 64, 100)


@pytest.fixture(scope="module")
def hnsw(data: tuple[np.ndarray, np.ndarray]) -> VectorIndex:
    return VectorIndex.build(data[0], flat_max=1000, m=32, ef_construction=128, ef_search=128)


def test_size_threshold_picks_the_index(data: tuple[np.ndarray, np.ndarray], hnsw: VectorIndex) -> None:
    assert VectorIndex.build(data[0][:1000], flat_max=1000).kind == "flat"
    assert hnsw.kind == "hnsw" and len(hnsw) == 30_000
    assert np.array_equal(hnsw.vectors(), data[0])


def test_hnsw_recall_against_exact(data: tuple[np.ndarray, np.ndarray], hnsw: VectorIndex) -> None:
    x, qs = data
    flat = VectorIndex.build(x, flat_max=len(x))
    truth = [flat.search(q, 10)[1] for q in qs]
    assert all(np.array_equal(t, brute(x, q, 10)) for t, q in zip(truth, qs, strict=True))  # flat is exact
    r = recall([hnsw.search(q, 10)[1] for q in qs], truth)
    assert r >= 0.95, f"HNSW recall@10 {r:.3f}"


def test_filters_match_brute_force(data: tuple[np.ndarray, np.ndarray], hnsw: VectorIndex) -> None:
    x, qs = data
    rng = np.random.default_rng(2)
    kinds = rng.choice(["Article", "Duty", "Matter", "Ruling"], len(x), p=[0.7, 0.2, 0.09, 0.01]).tolist()
    jurs = rng.choice(["jur:全国", "jur:全国/山东省", "jur:全国/山东省/潍坊市", "jur:全国/山东省/潍坊市/鲁安市"], len(x)).tolist()
    table = UnitTable.build(kinds, jurs)
    flat = VectorIndex.build(x, flat_max=len(x))
    small = table.mask(UnitFilter.of(kinds=["Ruling"]))  # ~300 rows: exact subset path on HNSW
    large = table.mask(UnitFilter.of(kinds=["Article", "Duty"], jurisdictions=["jur:全国/山东省"], descendants=True))
    assert small is not None and small.sum() < EXACT_SUBSET_MAX < large.sum()
    assert large.sum() == sum(k in ("Article", "Duty") and j != "jur:全国" for k, j in zip(kinds, jurs, strict=True))
    for mask in (small, large):
        truth = [brute(x, q, 10, mask) for q in qs[:30]]
        got = [flat.search(q, 10, mask)[1] for q in qs[:30]]
        assert all(np.array_equal(g, t) for g, t in zip(got, truth, strict=True))
        approx = [hnsw.search(q, 10, mask)[1] for q in qs[:30]]
        assert all(mask[a].all() for a in approx)
        assert recall(approx, truth) >= 0.95
    nothing = np.zeros(len(x), dtype=bool)
    assert len(flat.search(qs[0], 10, nothing)[1]) == 0


def test_persistence_round_trip(tmp_path: Path, data: tuple[np.ndarray, np.ndarray], hnsw: VectorIndex) -> None:
    x, qs = data
    for index, name in ((VectorIndex.build(x[:5000], flat_max=10_000), "flat.faiss"), (hnsw, "hnsw.faiss")):
        index.save(tmp_path / name)
        back = VectorIndex.load(tmp_path / name, ef_search=index.ef_search)
        assert back.kind == index.kind and len(back) == len(index)
        for q in qs[:10]:
            s1, i1 = index.search(q, 10)
            s2, i2 = back.search(q, 10)
            assert np.array_equal(i1, i2) and np.allclose(s1, s2)


def test_place_filters_exact_descendants_and_applicable() -> None:
    from graph.places import ancestors

    cn, sd, wf, luan = "jur:全国", "jur:全国/山东省", "jur:全国/山东省/潍坊市", "jur:全国/山东省/潍坊市/鲁安市"
    town, jn = luan + "/城关街道", "jur:全国/山东省/济南市"
    jurs = [cn, sd, wf, luan, town, jn, "", wf + "x"]
    table = UnitTable.build(["Article"] * len(jurs), jurs)

    def picked(f: UnitFilter) -> list[str]:
        m = table.mask(f)
        return jurs if m is None else [j for j, ok in zip(jurs, m, strict=True) if ok]

    assert ancestors(luan) == [cn, sd, wf, luan] and ancestors("") == []
    assert picked(UnitFilter.of(jurisdictions=[wf])) == [wf]
    assert picked(UnitFilter.of(jurisdictions=[wf], descendants=True)) == [wf, luan, town]  # not the "潍坊市x" sibling
    assert picked(UnitFilter.applicable_to(luan)) == [cn, sd, wf, luan, town]
    assert picked(UnitFilter.of(jurisdictions=[""])) == [""]
    assert table.mask(UnitFilter()) is None and table.mask(UnitFilter.of(kinds=["Article"])) is None


def test_similarities_once_then_top_per_filter_equals_search(data: tuple[np.ndarray, np.ndarray]) -> None:
    """An ask scans the exact index once and takes each filter's top from the same similarities."""
    x, queries = data
    index = VectorIndex.build(x)
    rng = np.random.default_rng(3)
    masks = [None, rng.random(len(x)) < 0.5, rng.random(len(x)) < 0.01, np.zeros(len(x), dtype=bool)]
    for q in queries[:20]:
        sims = index.similarities(q)
        assert sims is not None and sims.shape == (len(x),)
        for mask in masks:
            want_s, want_i = index.search(q, 25, mask)
            got_s, got_i = VectorIndex.top(sims, 25, mask)
            assert got_i.tolist() == want_i.tolist()
            np.testing.assert_allclose(got_s, want_s, rtol=1e-5, atol=1e-6)
            if mask is not None:
                assert mask[got_i].all()


def test_hnsw_has_no_full_scan() -> None:
    x, _ = clustered(500, 16, 1)
    assert VectorIndex.build(x, flat_max=100).similarities(x[0]) is None
    assert VectorIndex.build(x, flat_max=100).similarities_many(x[:2]) is None


def test_queries_scanned_together_get_each_ones_similarities_exactly(monkeypatch: pytest.MonkeyPatch) -> None:
    """One pass in blocks for several queries (a dispute and its statements) gives each the very numbers a scan
    of its own gives, whatever the block size (here blocks of 7 rows, the last one shorter)."""
    import search.vector.index as vi

    x, queries = clustered(1000, 16, 3)
    index = VectorIndex.build(x)
    alone = np.stack([index.similarities(q) for q in queries])
    for block_bytes in (7 * 4 * 16, 1 << 20):
        monkeypatch.setattr(vi, "SCAN_BLOCK_BYTES", block_bytes)
        together = index.similarities_many(queries)
        assert together is not None and together.shape == (3, 1000)
        assert np.array_equal(together, alone)
