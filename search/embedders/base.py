"""The embedder interface: every backend turns passages and queries into L2-normalised float32 rows.

Passages and queries are embedded separately because retrieval models (e5, bge) expect different
prefixes or instructions for the two sides; callers never add prefixes themselves.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

import numpy as np


class Embedder(ABC):
    """`name` identifies the vectors (it keys the cache and the index manifest); `spec` rebuilds it."""

    name: str
    spec: str
    dim: int

    @abstractmethod
    def embed_passages(self, texts: list[str]) -> np.ndarray:
        """(len(texts), dim) float32, rows L2-normalised."""

    @abstractmethod
    def embed_query(self, text: str) -> np.ndarray:
        """(dim,) float32, L2-normalised."""

    def embed_queries(self, texts: list[str]) -> list[np.ndarray]:
        """`embed_query` of each text; a backend that embeds several texts at once for less overrides it
        (each vector still exactly `embed_query`'s)."""
        return [self.embed_query(t) for t in texts]


def normalise_rows(x: np.ndarray) -> np.ndarray:
    """Unit-length rows (inner product = cosine), float32, C-contiguous for FAISS."""
    x = np.ascontiguousarray(x, dtype=np.float32)
    if x.size:
        norms = np.linalg.norm(x, axis=-1, keepdims=True)
        x = x / np.maximum(norms, 1e-12)
    return np.ascontiguousarray(x, dtype=np.float32)
