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
    def search(self, query: np.ndarray, k: int, mask: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Top `k` (scores, positions) among the allowed units, best first; fewer if fewer are allowed."""
        n = len(self)
        q = np.ascontiguousarray(query, dtype=np.float32).reshape(1, self.dim)
        allowed = n if mask is None else int(mask.sum())
        k = min(k, allowed)
        if k <= 0:
            return np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.int64)
        if mask is None:
            params = self._params(None, k, n)
            d, i = self.index.search(q, k, params=params) if params is not None else self.index.search(q, k)
        elif self.kind == "hnsw" and allowed <= EXACT_SUBSET_MAX:
            return self._exact_subset(q[0], k, np.flatnonzero(mask))
        else:
            bitmap = np.packbits(mask, bitorder="little")
            sel = faiss.IDSelectorBitmap(n, faiss.swig_ptr(bitmap))
            d, i = self.index.search(q, k, params=self._params(sel, k, allowed))
        keep = i[0] >= 0
        return d[0][keep], i[0][keep]

    def _params(self, sel: faiss.IDSelector | None, k: int, allowed: int) -> faiss.SearchParameters | None:
        if self.kind == "hnsw":
            # a filter that keeps a fraction f of the graph needs about 1/f times the breadth to find k
            widen = len(self) / max(allowed, 1)
            ef = int(min(max(self.ef_search, k) * widen, 16 * max(self.ef_search, k)))
            return faiss.SearchParametersHNSW(efSearch=max(ef, k), sel=sel) if sel is not None else \
                faiss.SearchParametersHNSW(efSearch=max(self.ef_search, k))
        return faiss.SearchParameters(sel=sel) if sel is not None else None

    def _exact_subset(self, q: np.ndarray, k: int, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        scores = self.vectors()[rows] @ q
        top = np.argpartition(-scores, k - 1)[:k] if k < len(rows) else np.arange(len(rows))
        top = top[np.argsort(-scores[top], kind="stable")]
        return scores[top].astype(np.float32), rows[top].astype(np.int64)
