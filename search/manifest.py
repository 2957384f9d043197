"""The index manifest: which model, which dimensions, how many units, and which graph state built it.

The graph is the source of truth and the indexes are derived from it; the manifest is how a reader
knows whether the indexes still match the graph (counts + change-log head) and the embedder.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import ClassVar, Self

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


class TierInfo(BaseModel):
    """A second vector space beside the main one (the static tier): its model and how many units it covers."""

    embedder_spec: str = Field(description="rebuilds the embedder: static:<hash>")
    model: str
    dim: int
    index_type: str
    units: int = Field(description="units with a vector in this tier")


def tier_label(spec: str) -> str:
    """`static` for any static model, else the embedder spec (e5q4, st:…): the key of `coverage`."""
    return "static" if spec == "static" or spec.startswith("static:") else spec


class FolderFile(BaseModel):
    """A model kept as one JSON file (`FILE`) in an index or model folder, written and read whole."""

    FILE: ClassVar[str]

    def save(self, folder: Path) -> None:
        (folder / self.FILE).write_text(self.model_dump_json(indent=2), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> Self:
        return cls.model_validate_json((folder / cls.FILE).read_text(encoding="utf-8"))


class Manifest(FolderFile):
    FILE: ClassVar[str] = MANIFEST

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
    static: TierInfo | None = Field(default=None, description="the static tier beside the main vectors, if built")
    build_key: str = Field(default="", description="sha1 of the build inputs besides the units (index_refresh.build_key)")
    refreshed_at: str | None = Field(
        default=None, description="when a rebuild found the same units and settings and only recorded the graph's state")

    def coverage(self) -> dict[str, float]:
        """Fraction of units with a vector, per tier (main first)."""
        n = self.unit_count
        out = {tier_label(self.embedder_spec): (n - self.unembedded) / n if n else 1.0}
        if self.static is not None:
            out["static"] = self.static.units / n if n else 1.0
        return out


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
