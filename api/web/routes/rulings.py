"""GET /rulings and /rulings/{id}: analogous rulings for a text (home first), or every ruling newest first.

With `q` the ranking is the one /ask uses (search.rulings_similar): retrieval score relative to the best
hit, a bonus for deciding a matter the text retrieves, superseded rulings discounted. Without `q` the
list is the graph's rulings at or under `jurisdiction`, newest first.
"""

from __future__ import annotations

from typing import Annotated, Any

import anyio.to_thread
from fastapi import Path, Query
from pydantic import BaseModel, Field

from api.web.deps import ContextDep, PageDep, StoreDep, read_router
from api.web.pagination import Page
from api.web.routes.common import day, one_or_404, place_id
from graph.places import contains
from graph.queries import lookups as q
from graph.queries.evidence import RulingSummary, ruling_details

router = read_router("rulings")
# the path parameter of every /rulings/{id}… route (the effect route's too)
RulingId = Annotated[str, Path(description="A ruling id, e.g. ruling:064b1295ae6a802b.",
                               examples=["ruling:064b1295ae6a802b"])]



class RulingItem(RulingSummary):
    home: bool | None = Field(None, description="in the jurisdiction asked for (null without one)")
    similarity: float | None = Field(None, description="null when listing without q")
    why: list[str] = Field(default_factory=list)


class Party(BaseModel):
    id: str
    name: str | None = None
    kind: str = Field(description="Department or Authority")
    role: str | None = None
    duty_text: str | None = None
    valid_from: str | None = None
    valid_to: str | None = None


class MatterRef(BaseModel):
    id: str
    name: str | None = None
    path: list[str] = Field(default_factory=list)


class PrincipleRef(BaseModel):
    id: str
    name: str
    description: str = ""


class Citation(BaseModel):
    id: str
    kind: str = Field(description="Article, MandateClause or Ruling")
    number: str | None = None
    law_id: str | None = None
    law_title: str | None = None
    law_status: str | None = None
    department_name: str | None = Field(None, description="whose 三定 a cited clause belongs to")
    title: str | None = Field(None, description="a cited ruling's title")
    locator: str | None = None


class RulingRef(BaseModel):
    id: str
    title: str
    decided_on: str | None = None
    status: str | None = None


class RulingDetail(BaseModel):
    id: str
    title: str
    summary: str = ""
    text: str = ""
    jurisdiction: str
    jurisdiction_name: str | None = None
    decided_on: str | None = None
    decided_by: str | None = None
    status: str = "in_force"
    parties: list[Party]
    matters: list[MatterRef]
    principles: list[PrincipleRef]
    cites: list[Citation]
    supersedes: list[RulingRef]
    superseded_by: list[RulingRef]


def _listed(store: Any, ids: list[str], place: str | None) -> list[RulingItem]:
    details = {d["id"]: d for d in ruling_details(store, ids)}
    out = []
    for rid in ids:
        if (d := details.get(rid)) is None:
            continue
        out.append(RulingItem.of(d, home=contains(place, d.get("jurisdiction") or "") if place else None))
    return out


def _newest(store: Any, place: str | None, page: PageDep) -> Page[RulingItem]:
    total, ids = q.ruling_page(store, place, page.limit, page.offset)
    return Page[RulingItem].cut(_listed(store, ids, place), total, page)


@router.get("/rulings", response_model=Page[RulingItem], summary="Search or list rulings")
async def list_rulings(
    ctx: ContextDep,
    page: PageDep,
    q_: Annotated[str | None, Query(alias="q", min_length=2, max_length=2000,
                                    description="Rank rulings by similarity to this text (home rulings first).",
                                    openapi_examples={"escape-room": {"summary": "密室逃脱谁管",
                                                                      "value": "密室逃脱店的消防和内容谁来管"}})] = None,
    jurisdiction: Annotated[str | None, Query(max_length=200, description="鲁安市, 潍坊市 or an id: without q, only "
                                              "rulings at or under it; with q, its rulings first.",
                                              examples=["鲁安市"])] = None,
) -> Page[RulingItem]:
    """Rulings ranked by similarity to `q` (with `similarity` and `why`), or without `q` every ruling, newest first."""
    place = await anyio.to_thread.run_sync(place_id, ctx.store, jurisdiction)
    if not q_:
        return await anyio.to_thread.run_sync(_newest, ctx.store, place, page)
    ranked = await ctx.searches.rulings(q_, place or "")  # in the search processes, like every search
    items = [RulingItem(**{k: v for k, v in r.items() if k in RulingItem.model_fields} | {"home": r["home"] if place else None})
             for r in ranked]
    return Page[RulingItem].of(items, page)


@router.get("/rulings/{ruling_id:path}", response_model=RulingDetail, summary="One ruling in full")
def get_ruling(
    store: StoreDep,
    ruling_id: RulingId,
) -> RulingDetail:
    """Title, text, who decided, the parties assigned with their roles, matters decided, principles, the
    articles and clauses cited, and what it supersedes or is superseded by."""
    row = one_or_404(store, q.RULING, "ruling", ruling_id)
    return RulingDetail(
        **{**row, "decided_on": day(row["decided_on"]), "summary": row["summary"] or "", "text": row["text"] or "",
           "status": row["status"] or "in_force"},
        parties=[Party(**r) for r in q.rows(store, q.RULING_ASSIGNS, id=ruling_id)],
        matters=[MatterRef(**r) for r in q.rows(store, q.RULING_MATTERS, id=ruling_id)],
        principles=[PrincipleRef(**{**r, "description": r["description"] or ""})
                    for r in q.rows(store, q.RULING_PRINCIPLES, id=ruling_id)],
        cites=[Citation(**r) for r in q.rows(store, q.RULING_CITES, id=ruling_id)],
        supersedes=[RulingRef(**{**r, "decided_on": day(r["decided_on"])})
                    for r in q.rows(store, q.RULING_SUPERSEDES, id=ruling_id)],
        superseded_by=[RulingRef(**{**r, "decided_on": day(r["decided_on"])})
                       for r in q.rows(store, q.RULING_SUPERSEDED_BY, id=ruling_id)],
    )
