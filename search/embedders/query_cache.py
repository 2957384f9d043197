"""Query vectors kept per process, least recently used first out: a question asked again is not embedded again.

Embedding the question is most of an ask's CPU (e5q4: ~1.2 ms a token, 15–40 ms for a dispute on one core),
and questions repeat: callers ask the same thing again, a bulk dispatch asks one templated order text after
another, a compound dispute's aspect is often one of the statements it was split into. A vector depends only
on the model and the text, so it is keyed by both and never goes stale (an index rebuild changes neither).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import numpy as np


class QueryVectors:
    """At most `size` (model name, text) → vector entries; `size` 0 keeps none."""

    def __init__(self, size: int):
        self.size = max(0, int(size))
        self.hits = self.misses = 0
        self._items: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self._held = threading.local()  # vectors embedded together for the searches of one request (`held`)

    @contextmanager
    def held(self, model: str, vectors: dict[str, np.ndarray]) -> Iterator[None]:
        """In this thread, until the block ends, `get` takes these vectors of `model` (embedded in one batch:
        a compound dispute and its statements) instead of embedding their texts one by one."""
        before = getattr(self._held, "vectors", {})
        self._held.vectors = {**before, **{(model, t): v for t, v in vectors.items()}}
        try:
            yield
        finally:
            self._held.vectors = before

    def get(self, model: str, text: str, embed: Callable[[str], np.ndarray]) -> np.ndarray:
        """The vector of `text` by `model`, from the cache or from `embed(text)` (then kept)."""
        key = (model, text)
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                self.hits += 1
                return found
            self.misses += 1
        held = getattr(self._held, "vectors", None)
        vec = held.get(key) if held else None
        if vec is None:
            vec = embed(text)
        if self.size:
            vec.setflags(write=False)  # shared between asks: nobody may change it in place
            with self._lock:
                self._items[key] = vec
                self._items.move_to_end(key)
                while len(self._items) > self.size:
                    self._items.popitem(last=False)
        return vec

    def has(self, model: str, text: str) -> bool:
        """Whether `get` has the vector without embedding: kept, or held for this thread (a batch of asks)."""
        if (model, text) in getattr(self._held, "vectors", {}):
            return True
        with self._lock:
            return (model, text) in self._items

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)
