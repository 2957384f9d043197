"""Fill in the main (transformer) vectors of a built index behind the static tier, most useful units first.

A transformer embeds tens of units a second on 2 cores, so a province's statutes take hours. The static
tier gives every unit a vector at once (`index_build`); this pass then embeds, through the cache, the
units that still lack the main embedder's vector and writes the index back every `checkpoint_s`
seconds, so search improves while it runs and an interrupted pass (Ctrl-C, SIGTERM) keeps what it did.

Order: what owner ranking walks from first — duty-list items, matters, 三定 clauses and rulings, then
the opening articles of every statute in force (its purpose, scope and who administers it: what makes
the statute findable by meaning at all), then articles in force that name a body (the ones that can
designate an owner), then the other articles in force, then repealed ones. A random order would spend
the first hour on articles that lead nowhere; statute by statute, the last province loaded would wait
hours before any of its statutes could be found by meaning.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import shutil
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

import numpy as np

from graph.settings import Settings
from search.embedders import Embedder, EmbeddingCache, embed_cached, make_embedder
from search.embedders.cache import text_sha1
from search.index_build import UNITS, VECTORS, index_dir, swap_in
from search.manifest import MANIFEST, Manifest
from search.unit_store import UnitStore
from search.vector import VectorIndex

_NAMES_A_BODY = re.compile(r"部门|机关|机构|人民政府|办事处|委员会|管理局")
_OPENING = re.compile(r"^\S* ?第[1-3]条\s")  # a unit's text starts with its title: "<statute> 第N条"
CHUNK = 256  # units embedded between two looks at the clock
MAX_WORKERS = 4  # `fill_workers` 0 = one per core, at most this many
MIN_PARALLEL = 1024  # fewer units than this are embedded in the calling process: starting workers costs seconds


class IndexChanged(RuntimeError):
    """The index was rebuilt by someone else while this pass ran: its vectors no longer fit."""


def priority(kind: str, valid: bool, text: str) -> int:
    """Lower first: units owner ranking reaches departments from, then articles that can designate one."""
    if kind != "Article":
        return 0
    if not valid:
        return 4
    if _OPENING.match(text):
        return 1
    return 2 if _NAMES_A_BODY.search(text) else 3


def fill_main_tier(
    settings: Settings,
    *,
    embedder: Embedder | None = None,
    cache: EmbeddingCache | None = None,
    checkpoint_s: float = 300.0,
    progress: Callable[[int, int], None] | None = None,
    folder: Path | None = None,
    limit: int | None = None,
    workers: int | None = None,
) -> Manifest:
    """Embed the units the index's main tier lacks; write the index back every `checkpoint_s` and at the end.

    `progress(done, total)` after each chunk. `limit` stops after that many units (tests, a timed pass).
    `workers`: processes that embed (default: the setting `fill_workers`); a given `embedder` embeds here.
    Returns the manifest last written (the one found if nothing was missing)."""
    final = folder or index_dir(settings)
    manifest = Manifest.load(final)
    if not manifest.unembedded:
        return manifest
    live = VectorIndex.load(final / VECTORS)  # held while copying: `vectors()` is a view into its memory
    vectors = live.vectors().copy()
    del live
    units = UnitStore(final / UNITS)
    try:
        rows = units.rows()
    finally:
        units.close()
    missing = [r for r in rows if not vectors[r[0]].any()]
    missing.sort(key=lambda r: (priority(r[1], r[2], r[3]), r[0]))
    if limit is not None:
        missing = missing[:limit]
    emb = embedder or make_embedder(manifest.embedder_spec, settings)
    if emb.name != manifest.model:
        raise ValueError(f"the index in {final} was built with {manifest.model}, not {emb.name}")
    own_cache = cache is None
    cache = cache or EmbeddingCache.in_data_dir(settings.data_dir)
    done, written, last = 0, 0, time.monotonic()
    started, before = last, manifest.seconds.get("fill", 0.0)
    chunks = [missing[start : start + CHUNK] for start in range(0, len(missing), CHUNK)]
    texts = [[r[3][: settings.embed_max_chars] for r in chunk] for chunk in chunks]
    workers = 1 if embedder is not None else (workers or fill_workers(settings))
    if workers > 1 and len(missing) >= MIN_PARALLEL:
        embedded = _embedded_in_workers(manifest.embedder_spec, settings, texts, cache, emb.name, workers)
    else:
        embedded = (embed_cached(emb, t, cache, batch_size=settings.embed_batch_size) for t in texts)
    try:
        for chunk, vecs in zip(chunks, embedded, strict=False):
            vectors[[r[0] for r in chunk]] = vecs
            done += len(chunk)
            if progress:
                progress(done, len(missing))
            if time.monotonic() - last >= checkpoint_s:
                manifest = write_vectors(final, vectors, manifest, settings, before + time.monotonic() - started)
                written, last = done, time.monotonic()
    finally:  # an interrupted pass keeps what it embedded
        close = getattr(embedded, "close", None)
        if close is not None:
            close()  # the workers stop before the index is written
        if done > written:
            manifest = write_vectors(final, vectors, manifest, settings, before + time.monotonic() - started)
        if own_cache:
            cache.close()
    return manifest


def fill_workers(settings: Settings) -> int:
    """Processes that embed for a fill: the setting, 0 meaning one per core (at most MAX_WORKERS)."""
    return settings.fill_workers or max(1, min(os.cpu_count() or 1, MAX_WORKERS))


_WORKER_EMBEDDER: Embedder | None = None


def _start_worker(spec: str, settings: dict) -> None:
    """A fill worker: one thread of its own (the workers are the parallelism), its own copy of the model."""
    global _WORKER_EMBEDDER
    os.environ["OMP_NUM_THREADS"] = "1"
    _WORKER_EMBEDDER = make_embedder(spec, Settings(**settings))


def _embed_in_worker(texts: list[str]) -> np.ndarray:
    assert _WORKER_EMBEDDER is not None
    return _WORKER_EMBEDDER.embed_passages(texts)


def _embedded_in_workers(spec: str, settings: Settings, chunks: list[list[str]], cache: EmbeddingCache,
                         model: str, workers: int) -> Iterator[np.ndarray]:
    """Each chunk's vectors in order, its uncached texts embedded by `workers` processes (a batch each at a
    time, a few chunks ahead) and stored in the cache here: one writer, however many embed."""
    ctx = multiprocessing.get_context("spawn")  # a fork would copy this process's threads and open files
    pool = ProcessPoolExecutor(workers, mp_context=ctx, initializer=_start_worker,
                               initargs=(spec, settings.model_dump(mode="json")))
    # per chunk ahead: its texts' hashes, the cached vectors, and the batches sent out (their hashes, the job)
    ahead: deque[tuple[list[str], dict[str, np.ndarray], list[tuple[list[str], Future]]]] = deque()
    batch = settings.embed_batch_size
    try:
        for chunk in [*chunks, None]:
            if chunk is not None:
                shas = [text_sha1(t) for t in chunk]
                found = cache.get_many(model, shas)
                todo = {sha: t for t, sha in zip(chunk, shas, strict=True) if sha not in found}  # each text once
                keys, texts = list(todo), list(todo.values())
                ahead.append((shas, found, [(keys[b : b + batch], pool.submit(_embed_in_worker, texts[b : b + batch]))
                                            for b in range(0, len(todo), batch)]))
            while ahead and (chunk is None or len(ahead) > workers):
                shas, found, jobs = ahead.popleft()
                new = {sha: v for keys, job in jobs for sha, v in zip(keys, job.result(), strict=True)}
                cache.put_many(model, new.items())
                yield np.stack([found.get(sha, new.get(sha)) for sha in shas]).astype(np.float32)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def write_vectors(final: Path, vectors: np.ndarray, manifest: Manifest, settings: Settings,
                  fill_s: float | None = None) -> Manifest:
    """A new version of the index folder with these main-tier vectors, swapped in whole.

    Every other file is hard-linked from the current version (no copy of the BM25 index or the units);
    the vector file and the manifest are written fresh, so the live version is never modified in place."""
    if Manifest.load(final).units_digest != manifest.units_digest:
        raise IndexChanged(f"the index in {final} was rebuilt meanwhile; run the fill again on the new one")
    tmp = final.with_name(f"{final.name}.fill-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(final, tmp, copy_function=os.link)
    try:
        (tmp / VECTORS).unlink()
        VectorIndex.build(vectors, flat_max=settings.index_flat_max, m=settings.hnsw_m,
                          ef_construction=settings.hnsw_ef_construction, ef_search=settings.hnsw_ef_search,
                          dim=manifest.dim).save(tmp / VECTORS)
        seconds = manifest.seconds if fill_s is None else {**manifest.seconds, "fill": round(fill_s, 3)}
        fresh = manifest.model_copy(update={"unembedded": int((~vectors.any(axis=1)).sum()), "seconds": seconds})
        (tmp / MANIFEST).unlink()  # replaced, not written through the link
        fresh.save(tmp)
        swap_in(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return fresh
