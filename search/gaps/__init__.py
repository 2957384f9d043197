"""Gap discovery (找空白, DESIGN §6): `find_gaps(store, kinds=None, jurisdiction=None, as_of=None)`.

Kinds: unowned (空白), overlap (交叉), stale_basis (依据失效), ping_pong (推诿热点), new_business (新业态),
push_down (属地下压). The graph aggregates; Python only shapes items and suggests next steps.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from graph.store.base import GraphStore
from search.gaps.context import GapContext
from search.gaps.model import KINDS, GapItem, sort_items
from search.gaps.newbusiness import find_new_business
from search.gaps.ownership import find_overlaps, find_unowned
from search.gaps.pingpong import find_ping_pong
from search.gaps.pushdown import find_push_down
from search.gaps.space import UnitSpace
from search.gaps.stale import find_stale
from search.gaps.suggest import OwnerRanking, Suggester

__all__ = ["KINDS", "GapItem", "find_gaps"]
SUGGEST_TOP = 25  # candidate owners are looked up for this many unowned matters (highest impact first)
_SIMPLE: dict[str, Callable[[GapContext], list[GapItem]]] = {
    "unowned": find_unowned, "overlap": find_overlaps, "stale_basis": find_stale,
    "ping_pong": find_ping_pong, "push_down": find_push_down,
}


def _home(store: GraphStore, ctx: GapContext) -> str | None:
    if ctx.jurisdiction:
        return ctx.jurisdiction
    rows = store.read("MATCH (d:Department) WHERE d.kind <> 'township' RETURN d.jurisdiction AS j, count(d) AS n "
                      "ORDER BY n DESC LIMIT 1")
    return rows[0]["j"] if rows else None


def find_gaps(
    store: GraphStore,
    kinds: Iterable[str] | None = None,
    jurisdiction: str | None = None,
    as_of: dt.date | str | None = None,
    *,
    settings: Any = None,
    embedder: Any = None,
    suggest: bool = True,
    progress: Callable[[str], None] | None = None,
    options: dict[str, dict[str, Any]] | None = None,
    owners: OwnerRanking | None = None,
) -> list[GapItem]:
    """Every gap of the given kinds (default all) as of a date (default today), highest impact first.

    `embedder` (default: the configured one) embeds work orders and units for new_business and for the
    fallback owner suggestions; `options` passes keyword overrides per kind (thresholds); `owners` ranks a
    gap's candidate owners (SearchService.owners, the ask's own recipe) — without it, or where it fails, the
    departments leading the nearest duties and matters are suggested.
    """
    wanted = list(kinds) if kinds else list(KINDS)
    unknown = [k for k in wanted if k not in KINDS]
    if unknown:
        raise ValueError(f"unknown gap kind(s) {unknown}; choose from {', '.join(KINDS)}")
    ctx = GapContext.make(store, as_of, jurisdiction, settings=settings, embedder=embedder)
    options = options or {}
    items: list[GapItem] = []
    for kind in wanted:
        if kind in _SIMPLE:
            if progress:
                progress(kind)
            items += _SIMPLE[kind](ctx, **options.get(kind, {}))
    need_space = "new_business" in wanted or (suggest and any(i.kind == "unowned" for i in items))
    if not need_space:
        return sort_items(items)
    space = _space(ctx, store, settings, embedder)
    suggester = Suggester(ctx, space, _home(store, ctx), owners) if suggest else None
    if "new_business" in wanted:
        if progress:
            progress("new_business")
        items += find_new_business(ctx, space, suggester, **options.get("new_business", {}))
    if suggester is not None:
        if progress:
            progress("suggestions")
        _suggest_unowned(items, space, suggester)
    return sort_items(items)


def _space(ctx: GapContext, store: GraphStore, settings: Any, embedder: Any) -> UnitSpace:
    from graph.settings import get_settings
    from search.embedders import make_embedder
    from search.embedders.cache import EmbeddingCache

    s = settings or get_settings()
    emb = embedder or make_embedder(None, s)
    ctx.embedder = emb
    return UnitSpace(store, emb, EmbeddingCache.in_data_dir(s.data_dir))


def _suggest_unowned(items: list[GapItem], space: UnitSpace, suggester: Suggester) -> None:
    unowned = sorted((i for i in items if i.kind == "unowned"), key=lambda i: -i.impact)[:SUGGEST_TOP]
    for item in unowned:
        pos = space.position.get(item.subject)
        unit = space.units[pos] if pos is not None else None
        vec = space.vectors[pos] if pos is not None else None
        item.candidates = suggester.owners(unit.text if unit else item.title, vec, exclude={item.subject})
        if suggester.note:
            item.data["suggestion_note"] = suggester.note
        if item.candidates:
            item.next_step += "：" + "、".join(c["name"] for c in item.candidates[:3])
