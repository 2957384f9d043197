"""Matter taxonomy (大类 → 小类 → 情形): read, load, and match category paths."""

from ingest.matters.taxonomy import MatterIndex, load_matters, matter_chain, read_taxonomy

__all__ = ["MatterIndex", "load_matters", "matter_chain", "read_taxonomy"]
