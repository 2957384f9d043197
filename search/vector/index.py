"""FAISS vector index over unit positions: exact (IndexFlatIP) up to a size threshold, HNSW above.

Vectors are L2-normalised, so inner product is cosine similarity. Filters arrive as a boolean mask:
the exact index scans only allowed rows (an `IDSelectorBitmap`); HNSW searches its graph with the
same selector and a search breadth widened for selective filters, and a filter that leaves only a
few rows is answered exactly from the stored vectors instead (a graph walk would miss them).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import faiss
import numpy as np

IndexType = Literal["flat", "hnsw"]
EXACT_SUBSET_MAX = 20_000  # below this many allowed rows, brute force on the subset beats a filtered walk
SCAN_BLOCK_BYTES = 1 << 20  # stored vectors scanned per block by `similarities_many`: well inside a core's L2


class VectorIndex:
    def __init__(self, index: faiss.Index, kind: IndexType, ef_search: int = 128):
        self.index = index
        self.kind: IndexType = kind
        self.ef_search = ef_search
        self.dim = int(index.d)

    # -- build / persist -------------------------------------------------------------------------
    @classmethod
    def build(cls, vectors: np.ndarray, *, flat_max: int = 200_000, m: int = 32, ef_construction: int = 128,
              ef_search: int = 128, dim: int | None = None) -> VectorIndex:
        """Exact when there are at most `flat_max` vectors, HNSW (M=`m`) above."""
        x = np.ascontiguousarray(vectors, dtype=np.float32)
        d = int(x.shape[1]) if x.ndim == 2 and x.shape[1] else int(dim or 0)
        if d <= 0:
            raise ValueError("cannot build a vector index without knowing the dimension")
        if x.shape[0] <= flat_max:
            index: faiss.Index = faiss.IndexFlatIP(d)
            kind: IndexType = "flat"
        else:
            index = faiss.IndexHNSWFlat(d, m, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = ef_construction
            kind = "hnsw"
        if x.shape[0]:
            index.add(x)
        return cls(index, kind, ef_search)

    def save(self, path: Path) -> None:
        faiss.write_index(self.index, str(path))

    @classmethod
    def load(cls, path: Path, ef_search: int = 128) -> VectorIndex:
        index = faiss.read_index(str(path))
        kind: IndexType = "hnsw" if isinstance(index, faiss.IndexHNSW) else "flat"
        return cls(index, kind, ef_search)

    def __len__(self) -> int:
        return int(self.index.ntotal)

    def vectors(self) -> np.ndarray:
        """The stored vectors as a zero-copy (n, dim) view."""
        flat = self.index if self.kind == "flat" else faiss.downcast_index(self.index.storage)
        n = len(self)
        if n == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        return faiss.rev_swig_ptr(flat.get_xb(), n * self.dim).reshape(n, self.dim)

    # -- search ----------------------------------------------------------------------------------
    def _flat(self) -> faiss.Index:
        return self.index if self.kind == "flat" else faiss.downcast_index(self.index.storage)

    def search(self, query: np.ndarray, k: int, mask: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Top `k` (scores, positions) among the allowed units, best first; fewer if fewer are allowed."""
        n = len(self)
        q = np.ascontiguousarray(query, dtype=np.float32).reshape(1, self.dim)
        allowed = n if mask is None else int(mask.sum())
        k = min(k, allowed)
        if k <= 0:
            return np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.int64)
        if mask is None:
            # a selector that admits everything keeps one query on one thread: faster on a busy 2-core box
            sel: faiss.IDSelector = faiss.IDSelectorAll()
            index = self.index
        else:
            bitmap = np.packbits(mask, bitorder="little")
            sel = faiss.IDSelectorBitmap(n, faiss.swig_ptr(bitmap))
            # few allowed rows: scan just those exactly (an HNSW walk that skips most nodes misses them)
            index = self._flat() if allowed <= EXACT_SUBSET_MAX else self.index
        if isinstance(index, faiss.IndexHNSW):
            params: faiss.SearchParameters = faiss.SearchParametersHNSW(efSearch=self._ef(k, allowed), sel=sel)
        else:
            params = faiss.SearchParameters(sel=sel)
        d, i = index.search(q, k, params=params)
        keep = i[0] >= 0
        return d[0][keep], i[0][keep]

    def similarities(self, query: np.ndarray) -> np.ndarray | None:
        """Cosine of `query` with every stored vector, when the index is exact (None for HNSW).

        A query searched under several filters (an ask: all units, articles, rulings) then scans the
        vectors once instead of once per filter: one matrix-vector product, then `top` per filter.
        """
        n = len(self)
        if self.kind != "flat" or not n:
            return None
        q = np.ascontiguousarray(query, dtype=np.float32).reshape(self.dim)
        out = np.empty(n, dtype=np.float32)
        # FAISS's own single-threaded kernel: numpy's BLAS would start threads that spin on a busy server
        faiss.fvec_inner_products_ny(faiss.swig_ptr(out), faiss.swig_ptr(q), self._flat().get_xb(), self.dim, n)
        return out

    def similarities_many(self, queries: np.ndarray) -> np.ndarray | None:
        """`similarities` of each row of `queries` (m, dim), as an (m, n) array, from one pass over the stored
        vectors: each block of them is scanned for every query while it is in the core's cache, so the
        queries of one request (a compound dispute and its statements) read the vectors from memory once
        instead of once each (3 queries: ~40% less CPU). The same kernel per vector pair: equal bit for bit."""
        n = len(self)
        if self.kind != "flat" or not n:
            return None
        qs = np.ascontiguousarray(queries, dtype=np.float32).reshape(-1, self.dim)
        out = np.empty((len(qs), n), dtype=np.float32)
        xb = self.vectors()
        step = max(1, SCAN_BLOCK_BYTES // (4 * self.dim))
        for start in range(0, n, step):
            block = xb[start:start + step]
            for q, row in zip(qs, out, strict=True):
                faiss.fvec_inner_products_ny(faiss.swig_ptr(row[start:]), faiss.swig_ptr(q), faiss.swig_ptr(block),
                                             self.dim, len(block))
        return out

    @staticmethod
    def top(sims: np.ndarray, k: int, mask: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Top `k` (scores, positions) of precomputed `similarities` among allowed units, best first."""
        allowed = np.flatnonzero(mask) if mask is not None else np.arange(sims.size)
        k = min(k, allowed.size)
        if k <= 0:
            return np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.int64)
        s = sims[allowed]
        if allowed.size > k:
            best = np.argpartition(-s, k - 1)[:k]
            allowed, s = allowed[best], s[best]
        order = np.lexsort((allowed, -s))  # score desc, position asc on ties: deterministic
        return s[order].astype(np.float32), allowed[order].astype(np.int64)

    def _ef(self, k: int, allowed: int) -> int:
        """Search breadth: a filter that keeps a fraction f of the graph needs about 1/f times more."""
        base = max(self.ef_search, k)
        return int(min(base * len(self) / max(allowed, 1), 16 * base))
