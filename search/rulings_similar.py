"""Analogous rulings for a dispute: home first, then elsewhere (DESIGN §6, 参照类比).

A ruling's similarity is its retrieval score relative to the best ruling hit, plus a bonus when it
decides the same matter (or the same matter category) as the matters the dispute retrieves. A
superseded ruling stays visible but counts little. Each result says what was decided (lead,
cooperating), the principle, the basis cited, and why it is similar (shared matter, shared words).
"""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field

from graph.places import contains
from graph.queries.evidence import RulingSummary, ruling_details, rulings_on_matters
from graph.store.base import GraphStore
from search.owners.rank import similarities
from search.owners.rows import UNIT_ROWS
from search.retriever import Hit
from search.tokens import words

RANK_DECAY = 4.0
MATTER_BONUS = 0.3
SUPERSEDED = 0.2
ELSEWHERE = 0.85
HOME_FIRST = 0.5  # a home ruling within this share of the best score is shown before precedents
_STATUS = {"superseded": "已被取代", "draft": "尚为草案"}


class AnalogousRuling(RulingSummary):
    home: bool
    similarity: float
    why: list[str] = Field(default_factory=list)


@lru_cache(maxsize=8192)
def _terms(text: str) -> frozenset[str]:
    """Words of a text; remembered, since the same rulings come back for many disputes (segmenting their
    titles and summaries again was a fifth of a query's CPU)."""
    return frozenset(t for t in words(text) if len(t) >= 2 and not t.isdigit())


def similar_rulings(
    store: GraphStore, text: str, place: str, ruling_hits: list[Hit], matter_hits: list[Hit], *, k: int = 10,
) -> list[AnalogousRuling]:
    sims = similarities(ruling_hits, RANK_DECAY)  # rank × relevance, as for owners
    matter_names = {h.unit.id: h.unit.meta.get("name") or h.unit.title for h in matter_hits[:3]}
    shared: dict[str, str] = {}
    # the rulings on each matter and each ruling's details are kept under the graph's version (search.owners.rows)
    version = store.version()
    on_matters = UNIT_ROWS.rows(store, version, "matter_rulings", rulings_on_matters, "matter", list(matter_names))
    for r in on_matters:  # the first matter a ruling shares, in the dispute's ranking, is shown
        shared.setdefault(r["ruling"], matter_names.get(r["matter"], ""))
    ids = list(dict.fromkeys([*sims, *shared]))
    details = {d["id"]: d for d in UNIT_ROWS.rows(store, version, "ruling_details", ruling_details, "id", ids)}
    query_terms = _terms(text)
    # (similarity, id, home, why) for every ruling; models only for the k shown
    scored: list[tuple[float, str, bool, list[str]]] = []
    for rid in ids:
        d = details.get(rid)
        if d is None:
            continue
        why: list[str] = []
        score = sims.get(rid, 0.0)
        if score:
            why.append(f"文本相似度 {score:.2f}")
        if rid in shared:
            score += MATTER_BONUS
            why.append(f"同一事项：{shared[rid]}")
        # longest first, then by character: a set's order changes from run to run with string hashing
        common = sorted(query_terms & _terms(f"{d['title']} {d.get('summary') or ''}"), key=lambda t: (-len(t), t))[:5]
        if common:
            why.append("共同词语：" + "、".join(common))
        status = d.get("status") or "in_force"
        if status != "in_force":
            score *= SUPERSEDED
            why.append(f"{_STATUS.get(status, status)}，权重很低")
        home = contains(place, d.get("jurisdiction") or "")
        scored.append((round(score * (1.0 if home else ELSEWHERE), 6), rid, home, why))
    scored.sort(key=lambda t: (-t[0], t[1]))
    best = scored[0][0] if scored else 0.0
    first = [t for t in scored if t[2] and t[0] >= HOME_FIRST * best]
    rest = [t for t in scored if not (t[2] and t[0] >= HOME_FIRST * best)]
    return [AnalogousRuling.of(details[rid], home=home, similarity=similarity, why=why)
            for similarity, rid, home, why in [*first, *rest][:k]]
