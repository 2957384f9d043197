"""GET /gaps and /gaps/summary: gap discovery (找空白) as pages, computed once per question and graph state.

A gap report can take seconds (new_business embeds work orders, unowned matters get suggested owners), so
the search processes compute it and its result is kept in memory on the app, keyed by (kinds, place, as-of
date, the graph's write version): paging, filtering by kind and the summary then cost nothing, and any
write to the graph makes a fresh key.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import OrderedDict
from dataclasses import dataclass
from typing import Annotated

import anyio.to_thread
from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from api.web.context import AppContext
from api.web.deps import ContextDep, CurrentUser, PageDep, SearchDep, per_app
from api.web.pagination import Page
from api.web.problems import PROBLEM_RESPONSES, FieldProblem, ProblemError
from api.web.searches import Searches
from graph.places import resolve_place
from graph.queries.temporal import as_of_param
from search.gaps import KINDS, GapItem

router = APIRouter(tags=["gaps"])

CACHE_SIZE = 16
_Key = tuple[tuple[str, ...], str | None, str, str]


class GapCache:
    """Computed gap lists by (kinds, place, date, graph version). Each list is computed once, by the search
    processes (one computation per key at a time; different dates run side by side)."""

    def __init__(self) -> None:
        self._items: OrderedDict[_Key, list[GapItem]] = OrderedDict()
        self._pending: dict[_Key, asyncio.Lock] = {}
        self.computed = 0  # how many times a gap report was computed (tests check paging does not recompute)

    async def get(self, ctx: AppContext, searches: Searches, kinds: tuple[str, ...], jurisdiction: str | None,
                  as_of: str) -> list[GapItem]:
        version = await anyio.to_thread.run_sync(ctx.store.version)
        every = self._items.get((KINDS, jurisdiction, as_of, version))
        if every is not None:  # all kinds already known: a subset is a filter
            return [i for i in every if i.kind in kinds]
        key = (kinds, jurisdiction, as_of, version)
        async with self._pending.setdefault(key, asyncio.Lock()):
            if key not in self._items:
                self._items[key] = await searches.gaps(kinds, jurisdiction, as_of)
                self.computed += 1
                while len(self._items) > CACHE_SIZE:
                    self._items.popitem(last=False)
        self._pending.pop(key, None)
        self._items.move_to_end(key)
        return self._items[key]


def gap_cache(request: Request) -> GapCache:
    return per_app(request, "gaps", GapCache)


def _kinds(kind: list[str] | None) -> tuple[str, ...]:
    wanted = list(dict.fromkeys(kind or []))
    bad = [k for k in wanted if k not in KINDS]
    if bad:
        msg = f"unknown gap kind {', '.join(map(repr, bad))}; choose from {', '.join(KINDS)}"
        raise ProblemError(422, "Invalid request", f"query.kind: {msg}", "validation",
                           [FieldProblem(field="query.kind", message=msg)])
    return tuple(k for k in KINDS if k in wanted) if wanted else KINDS


def _place(ctx: AppContext, jurisdiction: str | None) -> str | None:
    """The place's id, resolved as /ask resolves it (an unknown place is the same problem there and here)."""
    return resolve_place(ctx.store, jurisdiction).id if jurisdiction else None


KindQuery = Annotated[list[str] | None, Query(
    description=f"Repeatable; one of {', '.join(KINDS)}. Default: every kind.",
    openapi_examples={"unowned": {"summary": "matters with no lead (空白)", "value": ["unowned"]},
                      "crossing": {"summary": "two leads and ping-pong", "value": ["overlap", "ping_pong"]}})]
JurQuery = Annotated[str | None, Query(max_length=200, description="鲁安市 or a place id; default: everywhere.",
                                       examples=["鲁安市"])]
AsOfQuery = Annotated[dt.date | None, Query(description="Read the graph as of this date; default today.")]
GapCacheDep = Annotated[GapCache, Depends(gap_cache)]


@dataclass
class AnsweredGaps:
    """One gap question (kinds, place, as-of date) and its items, as every /gaps route reads it."""

    kinds: tuple[str, ...]
    place: str | None
    day: str
    items: list[GapItem]


async def answered_gaps(ctx: ContextDep, searches: SearchDep, cache: GapCacheDep, kind: KindQuery = None,
                        jurisdiction: JurQuery = None, as_of: AsOfQuery = None) -> AnsweredGaps:
    kinds = _kinds(kind)
    place = await anyio.to_thread.run_sync(_place, ctx, jurisdiction)
    day = as_of_param(as_of)
    return AnsweredGaps(kinds, place, day, await cache.get(ctx, searches, kinds, place, day))


GapsDep = Annotated[AnsweredGaps, Depends(answered_gaps)]


@router.get("/gaps", response_model=Page[GapItem], responses=PROBLEM_RESPONSES, summary="Gaps, highest impact first")
async def list_gaps(gaps: GapsDep, page: PageDep, _user: CurrentUser) -> Page[GapItem]:
    """Unowned matters (空白), two leads or a list that disagrees with a ruling (交叉), duties on repealed law
    (依据失效), ping-pong hot spots (推诿热点), new kinds of business (新业态) and duties pushed down to towns
    (属地下压); each with why, the ids behind it, its impact and a next step."""
    return Page[GapItem].of(gaps.items, page)


class GapSummary(BaseModel):
    as_of: str
    jurisdiction: str | None = None
    total: int
    counts: dict[str, int] = Field(description="items per kind, every kind listed (0 when none)",
                                   examples=[{"unowned": 4, "overlap": 2, "stale_basis": 3, "ping_pong": 1,
                                              "new_business": 2, "push_down": 1}])
    impact: dict[str, float] = Field(description="summed impact per kind")


@router.get("/gaps/summary", response_model=GapSummary, responses=PROBLEM_RESPONSES, summary="How many gaps of each kind")
async def gaps_summary(gaps: GapsDep, _user: CurrentUser) -> GapSummary:
    """Counts and summed impact per kind, for the dashboard's filter badges."""
    kinds, place, day, items = gaps.kinds, gaps.place, gaps.day, gaps.items
    counts = {k: 0 for k in kinds}
    impact = {k: 0.0 for k in kinds}
    for i in items:
        counts[i.kind] += 1
        impact[i.kind] = round(impact[i.kind] + i.impact, 6)
    return GapSummary(as_of=day, jurisdiction=place, total=len(items), counts=counts, impact=impact)
