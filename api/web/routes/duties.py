"""GET /duties/{id}: one duty-list item (what /ask cites as duty evidence) with its holders, matters and
basis articles.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

from api.web.deps import StoreDep, read_router
from api.web.lookup_models import DutyDetail
from api.web.routes.common import clean, one_or_404
from graph.queries import lookups as q

router = read_router("lookups")


@router.get("/duties/{duty_id:path}", response_model=DutyDetail, summary="One duty-list item")
def get_duty(
    store: StoreDep,
    duty_id: Annotated[str, Path(description="A duty id.", examples=["duty:511d3b6a445aeede"])],
) -> DutyDetail:
    """A duty-list entry (what /ask cites as duty evidence): holders with role, matters, basis articles."""
    row = one_or_404(store, q.DUTY, "duty", duty_id)
    return DutyDetail(**clean(row, text="", basis="") | {
        "holders": q.present(row["holders"]), "matters": q.present(row["matters"]),
        "articles": q.present(row["articles"])})
