"""Duty and matter units embedded once per run with the project's embedder (cached on disk by text)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property

import numpy as np

from graph.store.base import GraphStore
from search.embedders import Embedder
from search.embedders.cache import EmbeddingCache, embed_cached
from search.units import TextUnit, read_units

SPACE_KINDS = ("Duty", "Matter")


class UnitSpace:
    """Nearest duty/matter units for any vectors; work orders are compared against it."""

    def __init__(self, store: GraphStore, embedder: Embedder, cache: EmbeddingCache | None = None,
                 progress: Callable[[int], None] | None = None):
        self.store, self.embedder, self.cache, self.progress = store, embedder, cache, progress

    @cached_property
    def units(self) -> list[TextUnit]:
        return list(read_units(self.store, SPACE_KINDS))

    @cached_property
    def vectors(self) -> np.ndarray:
        return self.embed([u.text for u in self.units])

    @cached_property
    def position(self) -> dict[str, int]:
        return {u.id: i for i, u in enumerate(self.units)}

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.embedder.dim), dtype=np.float32)
        return embed_cached(self.embedder, texts, self.cache, progress=self.progress)

    def best(self, vecs: np.ndarray, chunk: int = 4096) -> np.ndarray:
        """Each row's highest cosine similarity to any unit."""
        if not len(self.units) or not len(vecs):
            return np.zeros(len(vecs), dtype=np.float32)
        return np.concatenate([(vecs[i : i + chunk] @ self.vectors.T).max(axis=1) for i in range(0, len(vecs), chunk)])

    def nearest(self, vec: np.ndarray, k: int = 5, kind: str | None = None, exclude: set[str] | None = None,
                ) -> list[tuple[TextUnit, float]]:
        if not len(self.units):
            return []
        sims = self.vectors @ vec
        out = []
        for i in np.argsort(-sims):
            u = self.units[int(i)]
            if (kind and u.kind != kind) or (exclude and u.id in exclude):
                continue
            out.append((u, float(sims[i])))
            if len(out) >= k:
                break
        return out
