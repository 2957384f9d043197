"""Build the search indexes from the graph: read units, embed (through the cache), FAISS + BM25, manifest.

Everything is written to a fresh folder and swapped in at the end, so a reader never sees half an
index and a failed build leaves the previous one in place.
"""

from __future__ import annotations

import glob
import hashlib
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from graph.settings import Settings
from graph.store.base import GraphStore
from search.embedders import Embedder, EmbeddingCache, embed_cached, make_embedder
from search.embedders.cache import text_sha1
from search.embedders.static_tier import is_static_spec, static_vectors
from search.filters import UnitTable
from search.index_refresh import build_key, rebuild_reason, record_state
from search.lexical import TOKENIZER, LexicalBuilder
from search.manifest import Manifest, TierInfo, graph_state
from search.unit_store import write_units
from search.units import TextUnit, count_units, read_units
from search.vector import VectorIndex

# progress(stage, advance, total): stages are "read", "segment", "distil", "static", "embed", "tokenise", "index"
Progress = Callable[[str, int, int | None], None]

VECTORS = "vectors.faiss"
VECTORS_STATIC = "vectors-static.faiss"
LEXICAL = "lexical"
TABLE = "table.npz"
UNITS = "units.sqlite"


def index_dir(settings: Settings) -> Path:
    """Where the indexes of the configured graph live: one folder per graph name."""
    return Path(settings.data_dir) / "index" / settings.graph_name


def units_digest(units: list[TextUnit]) -> str:
    h = hashlib.sha1()
    for u in units:
        h.update(f"{u.id}\t{u.kind}\t{u.jurisdiction}\t{u.status}\t{int(u.valid)}\t{text_sha1(u.text)}\n".encode())
    return h.hexdigest()


KEEP_VERSIONS = 2  # the version in use and the one before it, which a reader that opened it may still be reading


def swap_in(tmp: Path, final: Path) -> None:
    """Make the finished folder `tmp` the index at `final` in one step.

    `final` is a symbolic link to a versioned folder (`<name>@<ns>`); the new version gets its own folder and the
    link is replaced by one rename, which is atomic: a reader opening the index sees the old version or the new,
    never a missing or half-moved one (two renames would leave a moment with no index). Versions older
    than the previous one are removed; a process still holding files of one keeps them open until it lets go."""
    version = final.with_name(f"{final.name}@{time.time_ns()}")
    tmp.rename(version)
    if final.exists() and not final.is_symlink():  # a folder from before versioned indexes becomes a version
        final.rename(final.with_name(f"{final.name}@0"))
    link = final.with_name(f".{final.name}.link-{os.getpid()}")
    link.unlink(missing_ok=True)
    link.symlink_to(version.name)
    os.replace(link, final)
    versions = sorted(final.parent.glob(f"{glob.escape(final.name)}@*"), key=lambda p: int(p.name.rsplit("@", 1)[1]))
    for stale in versions[:-KEEP_VERSIONS]:
        shutil.rmtree(stale, ignore_errors=True)


def _vector_index(vecs, settings: Settings, dim: int) -> VectorIndex:
    return VectorIndex.build(vecs, flat_max=settings.index_flat_max, m=settings.hnsw_m,
                             ef_construction=settings.hnsw_ef_construction, ef_search=settings.hnsw_ef_search, dim=dim)


def build_indexes(
    store: GraphStore,
    settings: Settings,
    *,
    embedder: Embedder | str | None = None,
    cache: EmbeddingCache | None = None,
    progress: Progress | None = None,
    notice: Callable[[str], None] | None = None,
    folder: Path | None = None,
    embed_only: Callable[[TextUnit], bool] | None = None,
    static_tier: bool | None = None,
    force: bool = False,
) -> Manifest:
    """Rebuild the vector and lexical indexes of the whole graph; returns the manifest written.

    `embedder` is an embedder or a spec (default: the setting). `embed_only` defers embedding: units it
    rejects get a vector only if the cache already has one (else a zero vector, ranked last by vector
    search while BM25 still finds them). The demo uses it to answer within minutes and embed the rest
    afterwards. With the static tier (`static_tier`, default the setting) every unit also gets a static
    vector at once; with the spec `static` that tier is the only one.

    When the index in `folder` was built from the same units with the same settings (`index_refresh`),
    only the graph's new state is written to its manifest (`refreshed_at` set); `force` rebuilds anyway.
    """
    tick: Progress = progress or (lambda stage, n, total: None)
    seconds: dict[str, float] = {}
    t = time.perf_counter()
    state = graph_state(store)
    total = sum(count_units(store).values())
    units = list(read_units(store, page=min(settings.batch_size, 5000), progress=lambda n: tick("read", n, total)))
    seconds["read"] = time.perf_counter() - t

    spec = embedder if isinstance(embedder, str) else (embedder.spec if embedder is not None else settings.embedder)
    static_only = isinstance(embedder, str | None) and is_static_spec(spec)
    tiered = not static_only and (settings.static_tier if static_tier is None else static_tier)
    key = build_key(settings, spec, static_only=static_only, static_tier=tiered)
    digest = units_digest(units)
    final = folder or index_dir(settings)
    # long rulings cost e5 one 512-token window per ~700 characters; their head says what they are about
    texts = [u.text[: settings.embed_max_chars] for u in units]
    own_cache = cache is None
    cache = cache or EmbeddingCache.in_data_dir(settings.data_dir)
    try:
        if not force:
            current, why = rebuild_reason(
                final, settings, key=key, digest=digest, units=units,
                files=[VECTORS, LEXICAL, TABLE, UNITS] + ([VECTORS_STATIC] if tiered else []), cache=cache,
                model=embedder.name if isinstance(embedder, Embedder) else None, embed_only=embed_only,
                static_only=static_only)
            if current is not None and why is None:
                fresh = record_state(final, current, state)
                if notice is not None:
                    notice(f"the index was built from these same units and settings: recorded the graph's new state "
                           f"only, in {time.perf_counter() - t:.1f}s (`--force` rebuilds anyway)")
                return fresh
        static = None
        if static_only:  # the static tier is the one tier: stored as the main vectors
            emb, vecs = static_vectors(texts, settings, cache, tick=tick, seconds=seconds, notice=notice)
        else:
            if tiered:
                static = static_vectors(texts, settings, cache, tick=tick, seconds=seconds, notice=notice)
            t = time.perf_counter()
            emb = embedder if isinstance(embedder, Embedder) else make_embedder(spec, settings, notice=notice)
            vecs = embed_cached(emb, texts, cache, batch_size=settings.embed_batch_size,
                                progress=lambda n: tick("embed", n, len(units)),
                                embed=None if embed_only is None else [embed_only(u) for u in units])
            seconds["embed"] = time.perf_counter() - t
    finally:
        if own_cache:
            cache.close()

    t = time.perf_counter()
    lexical = LexicalBuilder()
    for i, u in enumerate(units, start=1):
        lexical.add(u.text)
        if i % 500 == 0:
            tick("tokenise", 500, len(units))
    if len(units) % 500:
        tick("tokenise", len(units) % 500, len(units))
    seconds["tokenise"] = time.perf_counter() - t

    t = time.perf_counter()
    tick("index", 0, 3)
    vindex = _vector_index(vecs, settings, emb.dim)
    sindex = _vector_index(static[1], settings, static[0].dim) if static is not None else None
    tick("index", 1, 3)
    lindex = lexical.finish()
    tick("index", 1, 3)
    table = UnitTable.build([u.kind for u in units], [u.jurisdiction for u in units])

    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = final.with_name(f"{final.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        vindex.save(tmp / VECTORS)
        if sindex is not None:
            sindex.save(tmp / VECTORS_STATIC)
        lindex.save(tmp / LEXICAL)
        table.save(tmp / TABLE)
        write_units(tmp / UNITS, units)
        kinds: dict[str, int] = {}
        for u in units:
            kinds[u.kind] = kinds.get(u.kind, 0) + 1
        seconds["index"] = time.perf_counter() - t
        manifest = Manifest(
            embedder_spec=emb.spec, model=emb.name, dim=emb.dim, unit_count=len(units), kinds=kinds,
            index_type=vindex.kind,
            hnsw={"m": settings.hnsw_m, "ef_construction": settings.hnsw_ef_construction,
                  "ef_search": settings.hnsw_ef_search} if vindex.kind == "hnsw" else {},
            tokenizer=TOKENIZER, graph=state, units_digest=digest, build_key=key,
            unembedded=int((~vecs.any(axis=1)).sum()),
            seconds={k: round(v, 3) for k, v in seconds.items()},
            static=None if static is None or sindex is None else TierInfo(
                embedder_spec=static[0].spec, model=static[0].name, dim=static[0].dim, index_type=sindex.kind,
                units=int(static[1].any(axis=1).sum())),
        )
        manifest.save(tmp)
        swap_in(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    tick("index", 1, 3)
    return manifest
