"""Embedding cache: (model name, sha1 of text) → vector, in SQLite under the data directory.

Re-indexing after a small change re-embeds only the texts that changed; everything else is a lookup.
Vectors are stored as raw float32 bytes with their dimension, so a model change never mixes shapes.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import numpy as np

from search.embedders.base import Embedder

_SCHEMA = """
CREATE TABLE IF NOT EXISTS vectors (
    model TEXT NOT NULL, sha TEXT NOT NULL, dim INTEGER NOT NULL, vec BLOB NOT NULL,
    PRIMARY KEY (model, sha)
) WITHOUT ROWID
"""
_CHUNK = 500  # stays under SQLite's bound-parameter limit


def text_sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class EmbeddingCache:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(path, check_same_thread=False, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(_SCHEMA)
        self._lock = threading.Lock()

    @classmethod
    def in_data_dir(cls, data_dir: Path) -> EmbeddingCache:
        return cls(Path(data_dir) / "cache" / "embeddings.sqlite")

    def get_many(self, model: str, shas: Iterable[str]) -> dict[str, np.ndarray]:
        shas = list(dict.fromkeys(shas))
        out: dict[str, np.ndarray] = {}
        with self._lock:
            for i in range(0, len(shas), _CHUNK):
                part = shas[i : i + _CHUNK]
                marks = ",".join("?" * len(part))
                q = f"SELECT sha, dim, vec FROM vectors WHERE model = ? AND sha IN ({marks})"
                for sha, dim, blob in self._db.execute(q, [model, *part]):
                    out[sha] = np.frombuffer(blob, dtype=np.float32, count=dim)
        return out

    def put_many(self, model: str, items: Iterable[tuple[str, np.ndarray]]) -> None:
        rows = [(model, sha, int(v.shape[0]), np.ascontiguousarray(v, dtype=np.float32).tobytes()) for sha, v in items]
        with self._lock, self._db:
            self._db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?, ?)", rows)

    def count(self, model: str | None = None) -> int:
        with self._lock:
            if model is None:
                return int(self._db.execute("SELECT count(*) FROM vectors").fetchone()[0])
            return int(self._db.execute("SELECT count(*) FROM vectors WHERE model = ?", (model,)).fetchone()[0])

    def close(self) -> None:
        self._db.close()


def embed_cached(
    embedder: Embedder,
    texts: list[str],
    cache: EmbeddingCache | None,
    *,
    batch_size: int = 64,
    progress: Callable[[int], None] | None = None,
    embed: Sequence[bool] | None = None,
) -> np.ndarray:
    """Vectors for `texts` in order: cached ones looked up, the rest embedded in batches and stored.

    `progress(n)` is called with the number of texts just finished (cache hits count at once).
    Identical texts are embedded once. Where `embed[i]` is False a text missing from the cache is not
    embedded now and keeps a zero vector (ranked last by vector search; BM25 still finds it).
    """
    out = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    shas = [text_sha1(t) for t in texts]
    found = cache.get_many(embedder.name, shas) if cache is not None else {}
    todo: dict[str, list[int]] = {}
    hits = 0
    for i, sha in enumerate(shas):
        v = found.get(sha)
        if v is not None and v.shape[0] == embedder.dim:
            out[i] = v
            hits += 1
        elif embed is None or embed[i]:
            todo.setdefault(sha, []).append(i)
        else:
            hits += 1  # deferred: counts as done for progress
    if progress and hits:
        progress(hits)
    pending = list(todo.items())
    for b in range(0, len(pending), batch_size):
        batch = pending[b : b + batch_size]
        vecs = embedder.embed_passages([texts[rows[0]] for _, rows in batch])
        for (_, rows), v in zip(batch, vecs, strict=True):
            out[rows] = v
        if cache is not None:
            cache.put_many(embedder.name, [(sha, v) for (sha, _), v in zip(batch, vecs, strict=True)])
        if progress:
            progress(sum(len(rows) for _, rows in batch))
    return out
