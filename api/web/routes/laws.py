"""GET /laws and /laws/{id}: find statute versions; one version with its article ids, its other versions and
the statutes that amend, repeal or implement it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

from api.web.deps import StoreDep, TextPage, read_router, text_page
from api.web.lookup_models import ArticleRef, LawDetail, LawItem, LawLink, LawVersion
from api.web.pagination import Page
from api.web.routes.common import clean, one_or_404
from graph.ontology.nodes import LawLevel, LawStatus
from graph.queries import lookups as q

router = read_router("lookups")


@router.get("/laws", response_model=Page[LawItem], summary="Find statutes")
def list_laws(
    store: StoreDep,
    find: Annotated[TextPage, text_page("Substring of the title.", "食品安全")],
    level: Annotated[LawLevel | None, Query(description="法律, 行政法规, 地方性法规, 规章 …")] = None,
    status: Annotated[LawStatus | None, Query(description="现行有效, 已修改, 已废止 …",
                                              openapi_examples={"in-force": {"value": "现行有效"}})] = None,
) -> Page[LawItem]:
    """Statute versions by title, newest version first within a title."""
    total, rows = q.law_page(store, find.q, level, status, find.limit, find.offset)
    return Page[LawItem].cut([LawItem(**clean(r, "effective")) for r in rows], total, find)


@router.get("/laws/{law_id:path}", response_model=LawDetail,
            summary="One statute version: status, versions, amendments")
def get_law(
    store: StoreDep,
    law_id: Annotated[str, Path(description="A statute version id.", examples=["law:d01cf9fd4abcae88"])],
    articles_limit: Annotated[int, Query(ge=0, le=2000, description="How many article ids to list.")] = 1000,
) -> LawDetail:
    """The statute version's facts, its article ids in order, its other versions and the statutes that
    amend, repeal or implement it (or that it amends)."""
    row = one_or_404(store, q.LAW, "statute", law_id)
    return LawDetail(
        **clean(row, "effective", "promulgated"),
        articles=[ArticleRef(**a) for a in q.rows(store, q.LAW_ARTICLES, id=law_id, limit=articles_limit)]
        if articles_limit else [],
        versions=[LawVersion(**clean(v, "effective")) for v in q.rows(store, q.LAW_VERSIONS, id=law_id)],
        links=[LawLink(**clean(x, "valid_from"), direction="out" if x["outgoing"] else "in")
               for x in q.rows(store, q.LAW_LINKS, id=law_id)],
    )
