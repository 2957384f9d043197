"""GET /rulings/{id}/effect: did a ruling work — work orders about its matters before and after its decision
(audit.effect). Registered before /rulings/{id} so that route's path parameter does not take the suffix."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from api.web.deps import StoreDep, read_router
from api.web.routes.rulings import RulingId
from audit.effect import DEFAULT_MONTHS, Effect, ruling_effect

router = read_router("rulings")


@router.get("/rulings/{ruling_id:path}/effect", response_model=Effect, summary="Effect of a ruling on its work orders")
def get_effect(
    store: StoreDep,
    ruling_id: RulingId,
    months: Annotated[int, Query(ge=1, le=120, description="Months compared on each side of the decision date.")]
    = DEFAULT_MONTHS,
) -> Effect:
    """Overall, per matter and per department, before and after the decision: the share of orders first
    dispatched to the ruled lead, the share returned (退单), the mean number of departments an order passed
    through and the mean days to close; and a month-by-month series for a chart."""
    return ruling_effect(store, ruling_id, months)
