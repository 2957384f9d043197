"""Pseudo-relevance feedback for BM25: the statute words the question's first retrieved articles share.

A caller says 没人带队 and 出了国门; the statute says 领队 and 出境旅游. Where the colloquial lexicon knows none of
the question's words, the units the question reaches first (by BM25 and the vectors together, before any place
filter: another province's statute on the same thing uses the same terms) often include some in the statute's
words; the words several of them share, and the question lacks, are searched too, at FEEDBACK_WEIGHT.
Real-place tune (580) owner top-1 / top-3 / basis@10 0.771 / 0.905 / 0.764 → 0.779 / 0.912 / 0.767, the fresh
dev7 (80) 0.537 / 0.762 / 0.625 → 0.588 / 0.812 / 0.650. Fed back for every question, the lexicon's terms
included, dev7 gained more (0.600 / 0.825) but the older tuned cases lost five owners (0.808 → 0.798); weights
0.3 / 0.6 / 1.5 / 2.0 for every question: tune top-1 0.760 / 0.769 / 0.752 / 0.757; words shared by two of ten
units instead of three, or twenty units read: no better. Words are read from an article's text, not its
statute's title, and count once per statute (review7a: three articles of one statute fed back 杭州市, 保护法):
tune at the session's end 0.778 / 0.912 / 0.772 this way, 0.781 / 0.916 / 0.772 counting title words (places and
statute-type words left out) per unit, 0.776 / 0.779 with one of the two — within two cases.
"""

from __future__ import annotations

import re

import numpy as np

from search.lexical import LexicalIndex
from search.tokens import words
from search.unit_store import UnitStore
from search.units import TextUnit

FEEDBACK_WEIGHT = 1.0  # the feedback words' BM25, times this, is added to the question's own
FEEDBACK_DOCS = 10  # first units read for feedback words
FEEDBACK_MIN_DOCS = 3  # … a word must be in the text of at least this many statutes' units among them
FEEDBACK_TERMS = 6  # at most this many words, the most shared first
FEEDBACK_MAX_DF = 0.02  # … and none held by more than this share of all units (中国, 违反, 罚款 say nothing)
_RRF_K = 60
_CJK_WORD = re.compile(r"[\u4e00-\u9fff]{2,}")


def feedback_words(found: list[TextUnit], query: str, lexical: LexicalIndex) -> list[str]:
    """Chinese words (two characters or more) that units of at least FEEDBACK_MIN_DOCS statutes among `found` use
    in their text and `query` does not, held by at most FEEDBACK_MAX_DF of the index's units; the most shared
    first, then in code-point order. A statute's title words are not its text (each unit opens with
    `<title> 第N条`: three articles of one statute would feed back 杭州市 or 保护法), and a statute's articles
    count once between them."""
    holders: dict[str, set[str]] = {}
    for u in found:
        title = f"{u.title} {u.meta.get('law_title') or ''}"
        source = str(u.meta.get("law_title") or u.id)  # a statute's versions are one statute
        for w in words(u.text):
            if _CJK_WORD.fullmatch(w) and w not in query and w not in title:
                holders.setdefault(w, set()).add(source)
    shared = sorted(((len(s), w) for w, s in holders.items() if len(s) >= FEEDBACK_MIN_DOCS),
                    key=lambda t: (-t[0], t[1]))
    return [w for _, w in shared if lexical.share_holding(w) <= FEEDBACK_MAX_DF][:FEEDBACK_TERMS]


def first_positions(lexical: np.ndarray, cosines: np.ndarray | None, n: int) -> list[int]:
    """The first `n` unit positions by reciprocal rank over the BM25 scores and, where given, the cosines (NaN: a
    unit without a vector); no filter."""
    rankings = [(lexical, np.flatnonzero(lexical > 0))]  # a unit BM25 scores 0 was not reached by it
    if cosines is not None:
        rankings.append((cosines, np.flatnonzero(~np.isnan(cosines))))  # read only where allowed: no NaN
    score: dict[int, float] = {}
    for s, allowed in rankings:
        top = allowed[np.argpartition(-s[allowed], 3 * n)[:3 * n]] if len(allowed) > 3 * n else allowed
        top = top[np.lexsort((top, -s[top]))]
        for rank, p in enumerate(top.tolist(), start=1):
            score[p] = score.get(p, 0.0) + 1.0 / (_RRF_K + rank)
    return [p for p, _ in sorted(score.items(), key=lambda t: (-t[1], t[0]))[:n]]


def with_feedback(own: np.ndarray, cosines: np.ndarray | None, query: str, lexical: LexicalIndex,
                  units: UnitStore) -> tuple[np.ndarray, list[str]]:
    """The question's BM25 scores (`own`, over every unit) plus FEEDBACK_WEIGHT times the feedback words'; and
    those words. Unchanged where BM25 reaches nothing or no word is shared enough."""
    if not own.size or own.max() <= 0:
        return own, []
    firsts = first_positions(own, cosines, FEEDBACK_DOCS)
    found = units.get(firsts)
    extra = feedback_words([found[p] for p in firsts if p in found], query, lexical)
    if not extra:
        return own, []
    out = own + np.float32(FEEDBACK_WEIGHT) * lexical.scores(" ".join(extra), bigrams=False)
    out.flags.writeable = False
    return out, extra
