"""Within the statutes a question reaches, the articles that fit its facts (within-statute ranking).

A caller describes conduct ("快递单堆在门口，谁都能翻"); the statute that governs it is usually found,
but the article that settles it — the one on that conduct's breach ("…泄露用户信息的，由邮政管理部门
责令改正…") — often is not among the articles the global ranking returns: across all statutes, a
general clause or another statute's near-match outranks it. Ranked against the other articles of its
own statute, it stands out. On the real-place dev split the settling article was in a retrieved
statute but not among the returned articles in about half the misses. Ranking each leading statute's
articles by their BM25 share of the statute's best, plus a bonus for an article that sanctions a
conduct (a sanction article says who acts on the breach, which is what the question asks), raised
basis-article recall@10 on that split from 0.509 to 0.640 with eight articles of each statute offered at
full weight (search.ask.FOCUS_*), but that pushed the clause in charge of the field out of the ten where
a question asks who is in charge (search bench, dev: 0.88 → 0.68). Four per statute at a lower weight
give 0.593 there and leave the search bench's 0.88 as it was. A sanction bonus of 1.0 beat 0.3 (0.612)
and 2.0 (0.636). Counting also how much of a sanction article's closest sentence the statute's
best-ranked article (the rule the caller describes) shares added nothing once the articles' shared
headings were left out. A sanction article that names its conduct only by the rule it cites ("违反本条例第
二十六条规定的，由…") shares no word with the caller; scored by that rule's match where higher, real-place dev
(419) basis recall@10 went 0.807 → 0.814 and owner top-1 0.780 → 0.785 (top-3 0.926 → 0.931).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from weakref import WeakKeyDictionary

import numpy as np

from search.owners.crossrefs import cited_articles
from search.owners.weights import sanctions
from search.unit_store import UnitStore
from search.units import TextUnit

SANCTION_BONUS = 1.0  # added to a sanction article's share of its statute's best BM25 score
# (Measured, not kept: the article's e5 cosine, min-max within its statute, added to the fit at 0.25 / 0.5 / 1.0 —
# real-place tune (580) 0.771 / 0.905 / 0.764 → 0.767 / 0.905 / 0.766, 0.766 / 0.903 / 0.762, 0.760 / 0.903 / 0.755.
# Of the 137 tune basis misses, the settling article is among its statute's first six by this BM25 fit in 99; the
# statute itself is among the first four retrieved in only 56, and beyond the first ten or absent in 58.)
_STATUTES_KEPT = 256  # statutes whose articles are kept per index


@dataclass(frozen=True)
class Focused:
    """An article of a leading statute, with its fit among that statute's articles (1 = the best) and its
    place in that order (0 = the best)."""

    position: int
    unit: TextUnit
    share: float
    place: int


@dataclass(frozen=True)
class _Statute:
    """A statute's articles as ranking them needs: index positions and which ones sanction a conduct,
    worked out once per index (the questions of a day keep reaching the same few hundred statutes)."""

    positions: np.ndarray
    units: list[TextUnit]
    sanction: np.ndarray
    cites: tuple[np.ndarray, np.ndarray]  # (sanction article, article of the statute it cites) index pairs

    @classmethod
    def of(cls, arts: list[tuple[int, TextUnit]]) -> _Statute:
        units = [u for _, u in arts]
        sanction = np.fromiter((sanctions(u.text) for u in units), dtype=bool, count=len(units))
        index = {str(u.meta.get("article")): i for i, u in enumerate(units)}
        pairs = [(i, index[n]) for i, u in enumerate(units) if sanction[i]
                 for n in cited_articles(u.text) if n in index and index[n] != i]
        cites = (np.array([i for i, _ in pairs], dtype=np.int64), np.array([j for _, j in pairs], dtype=np.int64))
        return cls(np.fromiter((p for p, _ in arts), dtype=np.int64, count=len(arts)), units, sanction, cites)


_features: WeakKeyDictionary[UnitStore, OrderedDict[str, _Statute]] = WeakKeyDictionary()
_lock = threading.Lock()


def _statute(units: UnitStore, law: str) -> _Statute:
    with _lock:
        kept = _features.setdefault(units, OrderedDict())
        if law in kept:
            kept.move_to_end(law)
            return kept[law]
    found = _Statute.of(units.law_articles(law))
    with _lock:
        kept[law] = found
        if len(kept) > _STATUTES_KEPT:
            kept.popitem(last=False)
    return found


def focus(units: UnitStore, lexical: np.ndarray, law_ids: list[str], per_law: int) -> dict[str, list[Focused]]:
    """For each statute, its `per_law` articles that fit the question best: BM25 (`lexical`, the question's
    scores over every unit) as a share of the statute's best, plus SANCTION_BONUS for a sanction article; a
    sanction article that cites rules of its statute scores the best of its own BM25 and theirs.
    A statute none of whose articles shares a word with the question gives none."""
    out: dict[str, list[Focused]] = {}
    for law in law_ids:
        st = _statute(units, law)
        inside = st.positions < len(lexical)
        if not inside.any():
            continue
        raw = np.where(inside, lexical[np.minimum(st.positions, len(lexical) - 1)], 0.0)
        best = float(raw.max())
        if best <= 0:
            continue
        if len(st.cites[0]):
            # a sanction that names its conduct only by the rule it cites (违反本条例第二十六条规定的，由…) fits as well
            # as that rule does
            raw = raw.copy()
            np.maximum.at(raw, st.cites[0], raw[st.cites[1]])
        fit = raw / best + SANCTION_BONUS * st.sanction
        top = float(fit.max())
        order = np.argsort(-fit, kind="stable")[:per_law]
        out[law] = [Focused(int(st.positions[i]), st.units[i], float(fit[i]) / top, k) for k, i in enumerate(order)]
    return out
