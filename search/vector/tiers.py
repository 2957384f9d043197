"""Vector tiers: one FAISS index per embedding space (the static tier, the transformer tier), searched apart.

Their cosines live in different spaces and are never compared: each tier ranks the allowed units it
has vectors for, and the rankings are fused by rank (`search.hybrid.fuse_ranks`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from search.embedders import Embedder
from search.vector.index import VectorIndex


@dataclass
class VectorTier:
    """`covered` marks the units that have a vector in this tier (None = all); the rest are never ranked by it."""

    name: str
    embedder: Embedder
    index: VectorIndex
    weight: float
    covered: np.ndarray | None = None

    def allowed(self, mask: np.ndarray | None) -> np.ndarray | None:
        if self.covered is None:
            return mask
        return self.covered if mask is None else mask & self.covered


def covered_rows(index: VectorIndex, unembedded: int) -> np.ndarray | None:
    """Rows with a vector (deferred units were stored as zeros); None when the manifest says all have one."""
    if unembedded <= 0 or not len(index):
        return None
    return np.ascontiguousarray(index.vectors().any(axis=1))
