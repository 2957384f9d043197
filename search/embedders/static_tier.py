"""The static tier at index build: segment the corpus once, distil (or reuse) its model, embed every unit.

One jieba pass serves both the vocabulary and the vectors; the teacher's vectors of vocabulary items
go through the embedding cache, so a grown corpus only embeds its new words. Unit vectors are not
cached: recomputing them costs less than a cache lookup would.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from graph.settings import Settings
from search.embedders.cache import EmbeddingCache
from search.embedders.static import StaticEmbedder
from search.tokens import words

Tick = Callable[[str, int, int | None], None]
_CHUNK = 2000


def is_static_spec(spec: str | None) -> bool:
    return bool(spec) and (spec == "static" or spec.startswith("static:"))


def static_vectors(
    texts: list[str], settings: Settings, cache: EmbeddingCache | None, *, tick: Tick | None = None,
    seconds: dict[str, float] | None = None, notice: Callable[[str], None] | None = None,
) -> tuple[StaticEmbedder, np.ndarray]:
    """(the corpus's static model, one L2-normalised row per text); stages "segment", "distil", "static"."""
    from search.embedders import make_embedder
    from search.embedders.distil import distil

    report: Tick = tick or (lambda stage, n, total: None)
    secs = seconds if seconds is not None else {}
    t = time.perf_counter()
    segs: list[list[str]] = []
    for i in range(0, len(texts), _CHUNK):
        segs.extend(words(x) for x in texts[i : i + _CHUNK])
        report("segment", min(_CHUNK, len(texts) - i), len(texts))
    secs["segment"] = time.perf_counter() - t

    t = time.perf_counter()
    teacher = make_embedder("e5q4", settings, notice=notice)
    model = distil(texts, teacher, settings.data_dir, cache=cache, dims=settings.static_dims,
                   min_count=settings.static_min_count, segmented=segs,
                   progress=lambda n: report("distil", n, None))
    secs["distil"] = time.perf_counter() - t

    t = time.perf_counter()
    parts = []
    for i in range(0, len(segs), _CHUNK):
        parts.append(model.embed_segmented([model.join(s) for s in segs[i : i + _CHUNK]]))
        report("static", len(parts[-1]), len(texts))
    secs["static"] = time.perf_counter() - t
    vecs = np.concatenate(parts) if parts else np.zeros((0, model.dim), dtype=np.float32)
    return model, vecs
