"""jieba words for the static tier: the same segmentation builds its vocabulary and embeds its texts.

Normalised as BM25 normalises (NFKC, lower case) and without punctuation, so a word the index knows
is the same string at distillation, at indexing and at query time.
"""

from __future__ import annotations

import re
import threading
import unicodedata

_WORDY = re.compile(r"\w", re.UNICODE)
_jieba = None
_lock = threading.Lock()


def _cutter():
    global _jieba
    if _jieba is None:
        with _lock:
            if _jieba is None:
                import logging

                import jieba

                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                _jieba = jieba
    return _jieba


def words(text: str) -> list[str]:
    """jieba words of `text` (NFKC, lower-cased), punctuation and whitespace dropped."""
    t = unicodedata.normalize("NFKC", text).lower()
    return [w for w in (x.strip() for x in _cutter().lcut(t)) if w and _WORDY.search(w)]


def chars(word: str) -> list[str]:
    """The word characters of a word: the fallback pieces of a word the vocabulary lacks."""
    return [c for c in word if _WORDY.match(c)]
