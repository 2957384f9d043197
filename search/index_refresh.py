"""Skip a rebuild that would write the same indexes: only record the graph's new state in the manifest.

A change-log move that changes no unit (a re-extraction of statutes' designations, say) makes the index
look stale, and rebuilding the whole snapshot takes minutes for files that would come out the same.
The build compares, right after reading the units, what the current index was built from (the units'
digest and `build_key`: embedder, static tier and its settings, vector index settings, tokenizer,
manifest format) with what it would be built from now; only when all match — and no unit that lacks a
main vector would get one now — does it keep the files and rewrite the manifest. When unsure, rebuild.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path

from graph.settings import Settings
from search.embedders import EmbeddingCache
from search.embedders.cache import text_sha1
from search.embedders.static import MANIFEST as MODEL_MANIFEST
from search.embedders.static import model_folder
from search.lexical import TOKENIZER
from search.manifest import FORMAT, MANIFEST, GraphState, Manifest
from search.units import TextUnit
from search.vector import VectorIndex


def build_key(settings: Settings, spec: str, *, static_only: bool, static_tier: bool) -> str:
    """sha1 over every build input besides the units that can change an index file (the units are `units_digest`)."""
    inputs = {
        "format": FORMAT, "spec": spec, "static_only": static_only, "static_tier": static_tier,
        "static_dims": settings.static_dims, "static_min_count": settings.static_min_count,
        "embed_max_chars": settings.embed_max_chars, "flat_max": settings.index_flat_max,
        "hnsw": [settings.hnsw_m, settings.hnsw_ef_construction, settings.hnsw_ef_search], "tokenizer": TOKENIZER,
    }
    return hashlib.sha1(json.dumps(inputs, sort_keys=True).encode()).hexdigest()


def rebuild_reason(
    folder: Path, settings: Settings, *, key: str, digest: str, units: list[TextUnit], files: list[str],
    cache: EmbeddingCache, model: str | None, embed_only: Callable[[TextUnit], bool] | None, static_only: bool,
) -> tuple[Manifest | None, str | None]:
    """(the current manifest, None) when a build now would write the same files; else (…, why it must rebuild).

    `model` is the main embedder's name when known up front (an embedder object), else None."""
    try:
        current = Manifest.load(folder)
    except (OSError, ValueError):
        return None, "no readable manifest"
    if current.format != FORMAT or current.build_key != key:
        return current, "built with other settings (or before build keys)"
    if current.units_digest != digest or current.unit_count != len(units):
        return current, "the units changed"
    if model is not None and current.model != model:
        return current, "another embedder"
    missing = [f for f in files if not (folder / f).exists()]
    if missing:
        return current, f"index files missing: {', '.join(missing)}"
    static_specs = [current.static.embedder_spec] if current.static is not None else []
    if static_only:
        static_specs.append(current.embedder_spec)
    for spec in static_specs:  # queries need the static model the vectors came from
        digest_part = spec.partition(":")[2]
        if not digest_part or not (model_folder(settings.data_dir, digest_part) / MODEL_MANIFEST).exists():
            return current, f"static model {spec} not found"
    if current.unembedded and not static_only:
        if embed_only is None:
            return current, f"{current.unembedded:,} units lack a {current.model} vector and this build embeds them"
        lacking = _unembedded(folder / files[0], units)
        if any(embed_only(units[i]) for i in lacking):
            return current, "this build embeds units the index lacks vectors for"
        texts = {text_sha1(units[i].text[: settings.embed_max_chars]) for i in lacking}
        if cache.get_many(current.model, texts):
            return current, "the embedding cache has vectors the index lacks"
    return current, None


def _unembedded(vectors_file: Path, units: list[TextUnit]) -> list[int]:
    """Positions whose main vector is all zeros (deferred: not embedded yet)."""
    index = VectorIndex.load(vectors_file)  # `vectors()` is a view into it: keep it alive while reading
    vecs = index.vectors()
    if len(vecs) != len(units):
        return list(range(len(units)))
    lacking = [int(i) for i in (~vecs.any(axis=1)).nonzero()[0]]
    del vecs, index
    return lacking


def record_state(folder: Path, current: Manifest, state: GraphState) -> Manifest:
    """Write `current` with the graph's new state into `folder` (the version in use) in one rename."""
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    fresh = current.model_copy(update={"graph": state, "refreshed_at": now})
    real = folder.resolve()
    tmp = real / f".{MANIFEST}.tmp-{os.getpid()}"
    tmp.write_text(fresh.model_dump_json(indent=2), encoding="utf-8")
    os.replace(tmp, real / MANIFEST)
    return fresh
