"""Statutes ranked as wholes by the vectors: a question's mean cosine with each statute's articles.

A caller's everyday words (芦苇水洼子, 拷满电影的U盘) often match no article of the statute that settles the question
closely enough for the article rankings, yet the statute as a whole (湿地保护法, 著作权法) is about what the caller
describes: the mean of its articles' cosines (its centroid's, up to the norm) ranks it near the top where no single
article does. On the real-place tune split the settling statute missing from the ask's ten statutes was among the
first ten by this ranking in 36 of 78 cases (e5 tier; the static tier's: 15).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from weakref import WeakKeyDictionary

import numpy as np

from search.filters import UnitTable
from search.unit_store import UnitStore


@dataclass(frozen=True)
class StatuteCodes:
    """Which statute each unit position's article belongs to (-1: not an article), each statute's id and place."""

    law_of: np.ndarray
    law_ids: list[str]
    places: list[str]

    @classmethod
    def of(cls, units: UnitStore, table: UnitTable) -> StatuteCodes:
        law_of = np.full(len(table.kind_codes), -1, dtype=np.int64)
        code: dict[str, int] = {}
        places: list[str] = []
        for pos, uid in units.article_ids():
            if pos >= len(law_of):
                continue
            law = uid.split("#", 1)[0]
            if law not in code:
                code[law] = len(code)
                places.append(table.jurisdictions[int(table.jur_codes[pos])])
            law_of[pos] = code[law]
        return cls(law_of, list(code), places)


_codes: WeakKeyDictionary[UnitStore, StatuteCodes] = WeakKeyDictionary()
_lock = threading.Lock()


def statute_codes(units: UnitStore, table: UnitTable) -> StatuteCodes:
    with _lock:
        found = _codes.get(units)
    if found is None:
        found = StatuteCodes.of(units, table)
        with _lock:
            _codes[units] = found
    return found


def by_mean_cosine(codes: StatuteCodes, cosines: np.ndarray, mask: np.ndarray | None,
                   n: int) -> list[tuple[str, str]]:
    """(id, place) of the `n` statutes whose allowed articles have the highest mean cosine with the question (NaN:
    no vector), best first."""
    ok = (codes.law_of[:len(cosines)] >= 0) & ~np.isnan(cosines)
    if mask is not None:
        ok &= mask[:len(cosines)]
    pos = np.flatnonzero(ok)
    if not pos.size:
        return []
    law = codes.law_of[pos]
    count = np.bincount(law, minlength=len(codes.law_ids))
    total = np.bincount(law, weights=cosines[pos].astype(np.float64), minlength=len(codes.law_ids))
    mean = np.where(count > 0, total / np.maximum(count, 1), -np.inf)
    top = np.argsort(-mean, kind="stable")[:n]
    return [(codes.law_ids[i], codes.places[i]) for i in top if count[i] > 0]

