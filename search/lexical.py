"""BM25 (bm25s) over the project's one tokenizer (search.tokens: jieba words plus character bigrams)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from search.tokens import TOKENIZER, tokenize, words


class LexicalBuilder:
    """Tokenises units one at a time into integer ids, so a large corpus never holds its token strings."""

    def __init__(self) -> None:
        self.vocab: dict[str, int] = {}
        self.docs: list[list[int]] = []

    def add(self, text: str) -> None:
        vocab = self.vocab
        self.docs.append([vocab.setdefault(t, len(vocab)) for t in tokenize(text)])

    def finish(self) -> LexicalIndex:
        import bm25s

        bm25 = bm25s.BM25()
        if self.docs:
            bm25.index((self.docs, self.vocab), create_empty_token=False, show_progress=False)
        return LexicalIndex(bm25, len(self.docs))


class LexicalIndex:
    def __init__(self, bm25: object, n: int):
        self.bm25 = bm25
        self.n = n

    @classmethod
    def build(cls, texts: list[str]) -> LexicalIndex:
        builder = LexicalBuilder()
        for t in texts:
            builder.add(t)
        return builder.finish()

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        if self.n:
            self.bm25.save(str(folder), show_progress=False)
        (folder / "lexical.json").write_text(json.dumps({"tokenizer": TOKENIZER, "units": self.n}))

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        import bm25s

        info = json.loads((folder / "lexical.json").read_text())
        if info.get("tokenizer") != TOKENIZER:
            raise ValueError(f"lexical index in {folder} was built with {info.get('tokenizer')!r}, not {TOKENIZER!r}")
        n = int(info["units"])
        bm25 = bm25s.BM25.load(str(folder), mmap=False, show_progress=False) if n else bm25s.BM25()
        return cls(bm25, n)

    def __len__(self) -> int:
        return self.n

    def scores(self, query: str, bigrams: bool = True) -> np.ndarray:
        """BM25 score of every unit for `query` (0 where no token matches); without `bigrams`, its words alone."""
        if not self.n:
            return np.zeros(0, dtype=np.float32)
        vocab = self.bm25.vocab_dict
        ids = [vocab[t] for t in dict.fromkeys(tokenize(query) if bigrams else words(query)) if t in vocab]
        s = (np.asarray(self.bm25.get_scores_from_ids(ids), dtype=np.float32) if ids
             else np.zeros(self.n, dtype=np.float32))
        s.flags.writeable = False  # shared by the searches of one prepared query
        return s

    def share_holding(self, token: str) -> float:
        """The share of units that hold `token` (1.0 for one the index does not know: nothing to learn from it).
        bm25s keeps a token's scores as a sparse column: its length is the token's document frequency."""
        tid = self.bm25.vocab_dict.get(token) if self.n else None
        if tid is None:
            return 1.0
        indptr = self.bm25.scores["indptr"]
        return float(indptr[tid + 1] - indptr[tid]) / self.n

    def search(self, query: str, k: int, mask: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Top `k` (scores, positions) with a positive score among allowed units, best first."""
        return self.top(self.scores(query), k, mask)

    @staticmethod
    def top(s: np.ndarray, k: int, mask: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Top `k` of precomputed scores `s` (see `scores`) among allowed units, best first."""
        if mask is not None and s.size:
            s = np.where(mask, s, 0.0)
        hits = np.flatnonzero(s > 0)
        if hits.size == 0 or k <= 0:
            return np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.int64)
        if hits.size > k:
            hits = hits[np.argpartition(-s[hits], k - 1)[:k]]
        order = np.lexsort((hits, -s[hits]))  # score desc, position asc on ties: deterministic
        hits = hits[order]
        return s[hits], hits.astype(np.int64)
