"""Characteristic terms of a group of texts: jieba tokens scored by tf-idf against the other texts."""

from __future__ import annotations

import math
import re
from collections import Counter

import numpy as np
from scipy import sparse

from search.tokens import words as cut

_WORD = re.compile(r"[\u4e00-\u9fffa-z]{2,}")  # words are lower-cased
_CJK = re.compile(r"[\u4e00-\u9fffa-z]+")
# words of the hotline's own phrasing (how a complaint is worded, not what it is about)
GENERIC = frozenset([
    "市民", "反映", "要求", "处理", "问题", "尽快", "部门", "相关", "希望", "有关", "核实", "影响", "正常", "生活",
    "请求", "多次", "解决", "安排", "人员", "查看", "附近", "这个", "没有", "一直", "现在", "已经", "我们", "他们",
    "还是", "情况", "投诉", "举报",
])
FUNCTION = frozenset("了的在把被和就都也还很说是有让给对从到与及或")


def tokens(text: str) -> list[str]:
    return [t for t in cut(text) if _WORD.fullmatch(t)]


def label_terms(text: str) -> list[str]:
    """Words and adjacent-word pairs (jieba splits new names: 萌宠|互动|馆, 撸|猫), minus hotline phrasing."""
    words = [t for t in cut(text) if _CJK.fullmatch(t)]
    pairs = [a + b for a, b in zip(words, words[1:], strict=False)
             if len(a + b) <= 5 and a not in FUNCTION and b not in FUNCTION and a not in GENERIC and b not in GENERIC]
    return [t for t in [*words, *pairs] if len(t) >= 2 and t not in GENERIC]


def characteristic_terms(group: list[list[str]], corpus: list[list[str]], k: int = 6) -> list[str]:
    """Terms frequent in `group` (share of its texts) and rare in `corpus` (smoothed idf); best first."""
    n = len(corpus) + len(group)
    df = Counter(t for doc in corpus for t in set(doc))
    gdf = Counter(t for doc in group for t in set(doc))
    score = {t: (c / len(group)) * math.log((n + 1) / (df[t] + c + 1)) for t, c in gdf.items()}
    out: list[str] = []
    for t, _ in sorted(score.items(), key=lambda kv: (-kv[1], kv[0])):
        if not any(t in o or o in t for o in out):  # 互动 and 互动馆: keep the better-scored one only
            out.append(t)
        if len(out) >= k:
            break
    return out


class LexicalSpace:
    """Tf-idf vectors (jieba tokens, idf from the units) of units; best cosine of any token lists against them."""

    def __init__(self, units: list[list[str]]):
        n = len(units)
        df = Counter(t for doc in units for t in set(doc))
        self.vocab = {t: i for i, t in enumerate(sorted(df))}
        self.idf = np.array([math.log((n + 1) / (df[t] + 1)) + 1 for t in sorted(df)], dtype=np.float32)
        self.oov_idf = float(math.log(n + 1) + 1)
        self.matrix = self.vectors(units)

    def vectors(self, docs: list[list[str]]) -> sparse.csr_matrix:
        rows, cols, vals = [], [], []
        for i, doc in enumerate(docs):
            counts = Counter(doc)
            known = {t: c for t, c in counts.items() if t in self.vocab}
            if not known:
                continue
            js = [self.vocab[t] for t in known]
            v = np.array([c * self.idf[j] for c, j in zip(known.values(), js, strict=True)], dtype=np.float32)
            # words the units never use count in the length (as the rarest words), so a text that shares one
            # word with the units and says much else is not a close match
            unseen = sum((c * self.oov_idf) ** 2 for t, c in counts.items() if t not in self.vocab)
            v /= max(float(np.sqrt(float(v @ v) + unseen)), 1e-12)
            rows += [i] * len(js)
            cols += js
            vals += v.tolist()
        return sparse.csr_matrix((vals, (rows, cols)), shape=(len(docs), len(self.vocab)), dtype=np.float32)

    def best(self, docs: list[list[str]]) -> tuple[sparse.csr_matrix, np.ndarray]:
        """(the docs' vectors, each doc's best cosine to any unit)."""
        vecs = self.vectors(docs)
        if not len(docs) or not self.matrix.shape[0]:
            return vecs, np.zeros(len(docs), dtype=np.float32)
        sims = vecs @ self.matrix.T
        return vecs, np.asarray(sims.max(axis=1).todense()).ravel()


def lexical_space(units: list[list[str]]) -> LexicalSpace:
    return LexicalSpace(units)
