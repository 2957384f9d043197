"""The one tokenizer: jieba words (NFKC, lower case, no punctuation) and, for BM25, character bigrams.

Every part that cuts text into words uses these — BM25 (`tokenize`, its name saved with the index), the
static tier's vocabulary and vectors (`words`, `chars`), analogous rulings' shared words and gap terms — so
a word is the same string at indexing, at distillation and at query time.

jieba splits unseen names badly (鲁安市综合行政执法局, 占道经营 variants), and citizens write the same
thing in other words; bigrams of every run of Chinese characters catch partial matches that whole
words miss. Bigrams carry a `#` prefix so a two-character word and the same bigram count separately.
"""

from __future__ import annotations

import re
import threading
import unicodedata

TOKENIZER = "jieba+cjk-bigram/v1"  # saved with a BM25 index; an index of another tokenizer is refused
_WORDY = re.compile(r"\w", re.UNICODE)
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
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


def tokenize(text: str) -> list[str]:
    """BM25's tokens: the words, then `#`-prefixed bigrams of each run of Chinese characters."""
    t = unicodedata.normalize("NFKC", text).lower()
    grams = [f"#{run[i:i + 2]}" for run in _CJK_RUN.findall(t) for i in range(len(run) - 1)]
    return words(t) + grams
