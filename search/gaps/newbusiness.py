"""新业态: clusters of recent work orders that match no duty or matter well.

Recent orders that are unclassified, or classified to a matter nobody leads, are compared with every
duty and matter unit twice: by the project's embedder (cosine) and by tf-idf over jieba tokens. An order
is poorly matched when either best similarity falls below the `quantile` of the same figure for orders
classified to a matter with a lead (so the thresholds follow whatever embedder is configured). Poorly
matched orders are clustered by their embeddings (average linkage on cosine distance); each cluster of at least `min_size` orders is labelled by its characteristic
terms and given its nearest duties and candidate owners.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage

from graph.queries import gaps as q
from search.gaps.context import GapContext
from search.gaps.model import GapItem
from search.gaps.space import UnitSpace
from search.gaps.suggest import Suggester
from search.gaps.terms import characteristic_terms, label_terms, lexical_space, tokens

WINDOW_DAYS = 180
MAX_ORDERS = 2000
REFERENCE_ORDERS = 300
QUANTILE = 0.05
CLUSTER_DISTANCE = 0.3
MIN_SIZE = 5
MAX_CLUSTERED = 2000  # the most recent poorly matched orders that are clustered (linkage is quadratic)


def _clusters(vecs: np.ndarray, distance: float) -> np.ndarray:
    if len(vecs) == 1:
        return np.ones(1, dtype=int)
    return fcluster(linkage(vecs.astype(np.float64), method="average", metric="cosine"), t=distance,
                    criterion="distance")


def find_new_business(ctx: GapContext, space: UnitSpace, suggester: Suggester | None = None, *,
                      window_days: int = WINDOW_DAYS, max_orders: int = MAX_ORDERS, min_size: int = MIN_SIZE,
                      quantile: float = QUANTILE, distance: float = CLUSTER_DISTANCE) -> list[GapItem]:
    since = (dt.date.fromisoformat(ctx.as_of) - dt.timedelta(days=window_days)).isoformat()
    unowned = [r["matter"] for r in ctx.read(q.LEADS) if not r["leads"]]
    cands = [*ctx.store.read(q.UNCLASSIFIED_ORDERS, ctx.params(since=since, limit=max_orders)),
             *ctx.store.read(q.ORDERS_OF_MATTERS, ctx.params(since=since, limit=max_orders, matters=unowned))]
    cands = sorted(cands, key=lambda c: c["received_at"], reverse=True)[:max_orders]
    if len(cands) < min_size:
        return []
    refs = ctx.store.read(q.REFERENCE_ORDERS, ctx.params(since=since, limit=REFERENCE_ORDERS))
    cvec = space.embed([c["text"] for c in cands])
    best = space.best(cvec)
    ref_best = space.best(space.embed([r["text"] for r in refs])) if refs else np.zeros(0)
    toks = [tokens(c["text"]) for c in cands]
    ref_toks = [tokens(r["text"]) for r in refs]
    lex = lexical_space([tokens(u.text) for u in space.units])
    _, lbest = lex.best(toks)
    ref_lbest = lex.best(ref_toks)[1] if refs else np.zeros(0)
    threshold = float(np.quantile(ref_best, quantile)) if len(ref_best) else float(np.median(best))
    lthreshold = float(np.quantile(ref_lbest, quantile)) if len(ref_lbest) else float(np.median(lbest))
    poor = np.flatnonzero((best < threshold) | (lbest < lthreshold))
    if len(poor) < min_size:
        return []
    poor = poor[:MAX_CLUSTERED]
    labels = _clusters(cvec[poor], distance)
    words = [label_terms(c["text"]) for c in cands]
    corpus = words + [label_terms(r["text"]) for r in refs]
    items = []
    for lab, size in Counter(labels.tolist()).most_common():
        if size < min_size:
            break
        members = poor[labels == lab]
        orders = [cands[i] for i in members]
        terms = characteristic_terms([words[i] for i in members], corpus)
        centroid = cvec[members].mean(axis=0)
        centroid /= max(float(np.linalg.norm(centroid)), 1e-12)
        near = space.nearest(centroid, k=5, kind="Duty")
        months = Counter(o["received_at"][:7] for o in orders)
        series = [{"month": m, "orders": months[m]} for m in sorted(months)]
        half = len(series) // 2
        rising = half > 0 and sum(s["orders"] for s in series[half:]) > sum(s["orders"] for s in series[:half])
        dispatched = ctx.store.read(q.ORDER_DEPTS, {"ids": [o["id"] for o in orders]})
        label = "、".join(terms[:3])
        owners = suggester.owners(" ".join(terms), centroid) if suggester else []
        items.append(GapItem(
            kind="new_business", subject=f"cluster:{'/'.join(terms[:3])}", title=f"新业态：{label}",
            why=(f"自{since}以来有{size}件工单与现有权责事项、事项都对不上（最高向量相似度低于{threshold:.3f}"
                 f"或最高tf-idf相似度低于{lthreshold:.3f}，即已正常归类工单的{quantile:.0%}分位数）；"
                 f"其中{sum(1 for o in orders if not o['matter'])}件未归类；"
                 f"统计期内{'呈上升趋势' if rising else '未见上升'}"),
            refs={"work_orders": [o["id"] for o in orders], "nearest_duties": [u.id for u, _ in near],
                  "departments": sorted({d["department"] for d in dispatched})},
            data={"terms": terms, "orders": size, "months": series, "threshold": round(threshold, 4),
                  "lexical_threshold": round(lthreshold, 4),
                  "mean_best_similarity": round(float(best[members].mean()), 4),
                  "mean_best_lexical": round(float(lbest[members].mean()), 4),
                  "nearest_duties": [{"id": u.id, "title": u.title, "similarity": round(s, 4)} for u, s in near],
                  "handled_by": [{k: d[k] for k in ("department", "name", "how", "n")} for d in dispatched[:10]],
                  "examples": [o["text"] for o in orders[:3]]},
            impact=size, impact_note=f"{window_days}天内工单{size}件",
            next_step="判断现有权责事项能否覆盖（见最接近的权责事项）；不能覆盖的，新增事项并明确牵头部门",
            candidates=owners,
        ))
    return items
