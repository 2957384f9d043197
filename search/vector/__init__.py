"""The vector index (FAISS): exact or HNSW by size, filtered by unit masks, saved beside the graph."""

from search.vector.index import EXACT_SUBSET_MAX, IndexType, VectorIndex

__all__ = ["EXACT_SUBSET_MAX", "IndexType", "VectorIndex"]
