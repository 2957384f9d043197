"""Suggested owners for a gap: the ask's own owner ranking (SearchService.owners) when a search service is
given and its indexes are built, otherwise the departments that lead the nearest duties and matters in the
unit space."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

import numpy as np

from graph.queries import gaps as q
from search.gaps.context import GapContext
from search.gaps.space import UnitSpace
from search.owners import Candidate

# (text, place id, as-of date, how many) -> candidates, best first
OwnerRanking = Callable[[str, str, str, int], list[Candidate]]


class Suggester:
    def __init__(self, ctx: GapContext, space: UnitSpace | None, place: str | None,
                 ranking: OwnerRanking | None = None):
        self.ctx, self.space, self.place = ctx, space, place
        self.ranking = ranking if place else None
        self.note = ""

    def owners(self, text: str, vec: np.ndarray | None = None, exclude: set[str] | None = None,
               limit: int = 5) -> list[dict[str, Any]]:
        if self.ranking is not None and self.place is not None:
            try:
                cands = self.ranking(text, self.place, self.ctx.as_of, limit)
                return [{"id": c.id, "name": c.name, "role": c.role, "score": round(c.score, 4),
                         "via": "search.owners", "evidence": [e.citation for e in c.evidence[:3]]} for c in cands]
            except Exception as exc:  # noqa: BLE001 - no index, or a failing ranker: keep the gap report
                self.note = f"候选部门排序不可用（{type(exc).__name__}: {exc}），改按最接近的权责事项推荐"
                self.ranking = None
        return self.nearest_owners(text, vec, exclude, limit)

    def nearest_owners(self, text: str, vec: np.ndarray | None, exclude: set[str] | None,
                       limit: int) -> list[dict[str, Any]]:
        """Departments leading the nearest duties/matters, scored by summed similarity."""
        if self.space is None:
            return []
        if vec is None:
            vec = self.space.embed([text])[0]
        near = self.space.nearest(vec, k=10, exclude=exclude)
        sims = {u.id: s for u, s in near}
        duties = [u.id for u, _ in near if u.kind == "Duty"]
        matters = [u.id for u, _ in near if u.kind == "Matter"]
        score: dict[str, float] = defaultdict(float)
        names: dict[str, str] = {}
        via: dict[str, list[str]] = defaultdict(list)
        rows = [*self.ctx.read(q.DUTY_LEADS, ids=duties), *self.ctx.read(q.MATTER_LEADS, ids=matters)]
        for r in rows:
            if r["role"] != "lead":
                continue
            unit = r.get("duty") or r.get("matter")
            score[r["department"]] += sims.get(unit, 0.0)
            names[r["department"]] = r["department_name"]
            via[r["department"]].append(r["name"])
        best = sorted(score, key=lambda d: -score[d])[:limit]
        return [{"id": d, "name": names[d], "role": "lead", "score": round(score[d], 4), "via": "nearest duties",
                 "evidence": via[d][:3]} for d in best]
