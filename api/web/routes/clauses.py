"""GET /clauses/{id}: one 三定 mandate clause (what /ask cites as mandate evidence) and the departments it bounds."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

from api.web.deps import StoreDep, read_router
from api.web.lookup_models import ClauseDetail
from api.web.routes.common import clean, one_or_404
from graph.queries import lookups as q

router = read_router("lookups")


@router.get("/clauses/{clause_id:path}", response_model=ClauseDetail, summary="One 三定 clause")
def get_clause(
    store: StoreDep,
    clause_id: Annotated[str, Path(description="A mandate clause id `<mandate id>#<number>`, percent-encoded.",
                                   examples=["mandate:3f825b6eb617aa28#（三）"])],
) -> ClauseDetail:
    """A department's mandate clause (what /ask cites as 三定 evidence) with the departments it bounds."""
    row = one_or_404(store, q.CLAUSE, "mandate clause", clause_id)
    return ClauseDetail(**clean(row, "issued", "mandate_issued", text="") | {"boundary_with": q.present(row["boundary_with"])})
