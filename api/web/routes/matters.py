"""GET /matters and /matters/{id}: find matters (事项); one matter with its owners, the rulings deciding it,
the duties about it and how its work orders fared.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

from api.web.deps import StoreDep, TextPage, read_router, text_page
from api.web.lookup_models import (
    MatterDetail,
    MatterDuty,
    MatterItem,
    MatterOwner,
    MatterRuling,
    WorkOrderCounts,
)
from api.web.pagination import Page
from api.web.routes.common import clean, in_force, one_or_404
from graph.queries import lookups as q

router = read_router("lookups")


@router.get("/matters", response_model=Page[MatterItem], summary="Find matters")
def list_matters(
    store: StoreDep,
    find: Annotated[TextPage, text_page("Substring of the name or a category.", "噪声")],
) -> Page[MatterItem]:
    """Matters (事项) whose name or category chain contains `q`, in id (category) order."""
    total, rows = q.matter_page(store, find.q, find.limit, find.offset)
    return Page[MatterItem].cut([MatterItem(**clean(r, description="", path=[])) for r in rows], total, find)


@router.get("/matters/{matter_id:path}", response_model=MatterDetail,
            summary="One matter: owners, rulings, duties, work orders")
def get_matter(
    store: StoreDep,
    matter_id: Annotated[str, Path(description="A matter id (its category path).", examples=["matter:占道经营/占道摆摊"])],
) -> MatterDetail:
    """Who owns the matter (every role, source and interval), the rulings deciding it, the duties about it
    and how its work orders fared."""
    row = one_or_404(store, q.MATTER, "matter", matter_id)
    orders = q.rows(store, q.MATTER_ORDERS, id=matter_id)[0]
    return MatterDetail(
        **clean(row, description="", path=[]) | {"parents": q.present(row["parents"]),
                                                  "children": q.present(row["children"])},
        owners=[MatterOwner(**o, in_force=in_force(o["valid_from"], o["valid_to"]))
                for o in q.rows(store, q.MATTER_OWNERS, id=matter_id)],
        rulings=[MatterRuling(**clean(r, "decided_on")) for r in q.rows(store, q.MATTER_RULINGS, id=matter_id)],
        duties=[MatterDuty(**d | {"holders": q.present(d["holders"])}) for d in q.rows(store, q.MATTER_DUTIES, id=matter_id)],
        work_orders=WorkOrderCounts(total=int(orders["total"] or 0), returned=int(orders["returned"] or 0),
                                    returns=int(orders["returns"] or 0), last_received=orders["last_received"]),
    )
