"""Fusion of the vector and the lexical ranking into one, keeping each part's number.

Two methods: reciprocal-rank fusion (rank-based, robust to the two scores' different scales) and
normalised score mixing (min-max within each list). Either way the fused score is exactly
`vector_part + lexical_part`, and both parts are returned with the raw scores and ranks they came
from, so every number shown later can be traced.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field


class FusionParams(BaseModel):
    model_config = ConfigDict(frozen=True)

    method: Literal["rrf", "mix"] = "rrf"
    weight: float = Field(default=0.5, ge=0.0, le=1.0, description="share of the vector ranking; 1 - weight goes to BM25")
    rrf_k: int = Field(default=60, ge=1, description="RRF damping constant: 1 / (rrf_k + rank)")


class Scores(BaseModel):
    """Where a fused score comes from: score = vector_part + lexical_part. Ranks are 1-based; None = absent."""

    model_config = ConfigDict(frozen=True)

    score: float
    vector_score: float | None = None
    vector_rank: int | None = None
    vector_part: float = 0.0
    lexical_score: float | None = None
    lexical_rank: int | None = None
    lexical_part: float = 0.0


def _minmax(scores: np.ndarray) -> np.ndarray:
    if scores.size == 0:
        return scores
    lo, hi = float(scores.min()), float(scores.max())
    return np.ones_like(scores) if hi - lo < 1e-12 else (scores - lo) / (hi - lo)


def fused_top(
    vector: tuple[np.ndarray, np.ndarray], lexical: tuple[np.ndarray, np.ndarray], params: FusionParams, k: int,
) -> list[tuple[int, dict[str, float | int | None]]]:
    """Fuse two best-first (scores, positions) lists: the top `k` as (position, the `Scores` fields) pairs, ties
    broken by position; a search makes its hits from them without a model per fused row in between. Array
    arithmetic over the ~1,000 positions an ask fuses, in float64 as Python's floats would do it, so the numbers
    are the same bit for bit."""
    lists = [(np.asarray(scores), np.asarray(positions, dtype=np.int64)) for scores, positions in (vector, lexical)]
    pos, where = np.unique(np.concatenate([p for _, p in lists]), return_inverse=True)
    sides: list[tuple[list[float], np.ndarray, np.ndarray]] = []
    start = 0
    for (scores, positions), w in zip(lists, (params.weight, 1 - params.weight), strict=True):
        ranks = np.arange(1, positions.size + 1)
        contrib = (w / (params.rrf_k + ranks) if params.method == "rrf"
                   else w * _minmax(scores.astype(np.float64)))
        at = where[start:start + positions.size]
        start += positions.size
        part, rank = np.zeros(pos.size), np.zeros(pos.size, dtype=np.int64)
        part[at], rank[at] = contrib, ranks
        sides.append((scores.tolist(), part, rank))
    (v_scores, v_part, v_rank), (l_scores, l_part, l_rank) = sides
    total = v_part + l_part
    best = np.lexsort((pos, -total))[:k]
    return [(p, {"score": t, "vector_score": float(v_scores[vr - 1]) if vr else None, "vector_rank": vr or None,
                 "vector_part": vp, "lexical_score": float(l_scores[lr - 1]) if lr else None, "lexical_rank": lr or None,
                 "lexical_part": lp})
            for p, t, vr, vp, lr, lp in zip(pos[best].tolist(), total[best].tolist(), v_rank[best].tolist(),
                                            v_part[best].tolist(), l_rank[best].tolist(), l_part[best].tolist(),
                                            strict=True)]


def fuse_ranks(rankings: Sequence[np.ndarray], weights: Sequence[float], rrf_k: int, n: int,
               covered: Sequence[np.ndarray | None] | None = None) -> np.ndarray:
    """Positions of the top `n` by weighted reciprocal rank over several best-first position lists.

    For the vector tiers: only ranks enter, so cosines of two embedding spaces are never compared. A
    unit a list ranked too low to include gets nothing from it; a unit a tier cannot rank because it
    has no vector there (`covered[i][pos]` False: e5 not computed yet) gets, in that tier's stead, the
    mean of the terms it earned elsewhere, so partial e5 coverage never buries the units it lacks.
    Ties go to the lower position.
    """
    earned: dict[int, list[tuple[int, float]]] = {}
    for i, positions in enumerate(rankings):
        for rank, p in enumerate(np.asarray(positions).tolist(), start=1):
            earned.setdefault(p, []).append((i, 1.0 / (rrf_k + rank)))
    masks = list(covered) if covered is not None else [None] * len(rankings)
    total: dict[int, float] = {}
    for p, terms in earned.items():
        score = sum(weights[i] * rr for i, rr in terms)
        mean = sum(rr for _, rr in terms) / len(terms)
        ranked = {i for i, _ in terms}
        score += sum(w * mean for i, (w, m) in enumerate(zip(weights, masks, strict=True))
                     if i not in ranked and m is not None and not m[p])
        total[p] = score
    best = sorted(total.items(), key=lambda t: (-t[1], t[0]))[:n]
    return np.array([p for p, _ in best], dtype=np.int64)
