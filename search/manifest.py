"""The index manifest: which model, which dimensions, how many units, and which graph state built it.

The graph is the source of truth and the indexes are derived from it; the manifest is how a reader
knows whether the indexes still match the graph (counts + change-log head) and the embedder.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pydantic import BaseModel, Field

from graph.store.base import GraphStore

MANIFEST = "manifest.json"
FORMAT = 1
# what the units are read from: a change in any of these counts can change a unit's text or place
_WATCHED = ("Article", "Law", "MandateClause", "Department", "Duty", "Matter", "Ruling",
            "[:HOLDS]", "[:RESPONSIBLE_FOR]", "[:HAS_ARTICLE]")


class GraphState(BaseModel):
    counts: dict[str, int]
    changelog_seq: int = 0
    changelog_hash: str = ""


class Manifest(BaseModel):
    format: int = FORMAT
    built_at: str = Field(default_factory=lambda: dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
    embedder_spec: str = Field(description="setting value that rebuilds the embedder (e5q4, st:…)")
    model: str = Field(description="embedder name; keys the embedding cache")
    dim: int
    unit_count: int
    kinds: dict[str, int]
    index_type: str
    hnsw: dict[str, int] = Field(default_factory=dict)
    tokenizer: str
    graph: GraphState
    units_digest: str = Field(description="sha1 over (id, kind, place, status, sha1(text)) of every unit, in order")
    seconds: dict[str, float] = Field(default_factory=dict, description="build time per stage")
    unembedded: int = Field(default=0, description="units without a vector yet (deferred; BM25 still finds them)")

    def save(self, folder: Path) -> None:
        (folder / MANIFEST).write_text(self.model_dump_json(indent=2), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> Manifest:
        return cls.model_validate_json((folder / MANIFEST).read_text(encoding="utf-8"))


def graph_state(store: GraphStore) -> GraphState:
    counts = store.counts()
    seq, head = store.changelog.head() if store.changelog is not None else (0, "")
    return GraphState(counts={k: int(counts.get(k, 0)) for k in _WATCHED}, changelog_seq=seq, changelog_hash=head)


def stale_reasons(manifest: Manifest, store: GraphStore) -> list[str]:
    """Why the indexes no longer match the graph; empty when they do (as far as counts and log tell)."""
    now = graph_state(store)
    out = [f"{k}: {manifest.graph.counts.get(k, 0)} indexed, {v} in the graph"
           for k, v in now.counts.items() if manifest.graph.counts.get(k, 0) != v]
    if (now.changelog_seq, now.changelog_hash) != (manifest.graph.changelog_seq, manifest.graph.changelog_hash):
        out.append(f"change log moved from entry {manifest.graph.changelog_seq} to {now.changelog_seq}")
    return out
