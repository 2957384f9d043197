"""GET /departments and /departments/{id}: find departments; one department with the authorities it acts as,
the duties it holds, the matters it owns and the 三定 clauses that bound it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

from api.web.deps import StoreDep, TextPage, read_router, text_page
from api.web.lookup_models import (
    DUTIES_CAP,
    AuthorityRef,
    BoundaryClause,
    ClauseItem,
    DepartmentDetail,
    DepartmentItem,
    HeldDuty,
    OwnedMatter,
    Ref,
)
from api.web.pagination import Page
from api.web.routes.common import clean, in_force, one_or_404, place_id
from graph.queries import lookups as q

router = read_router("lookups")



@router.get("/departments", response_model=Page[DepartmentItem], summary="Find departments")
def list_departments(
    store: StoreDep,
    find: Annotated[TextPage, text_page("Substring of the name or an alias.", "执法局")],
    jurisdiction: Annotated[str | None, Query(max_length=200, description="Place (and the places under it).",
                                              examples=["鲁安市"])] = None,
) -> Page[DepartmentItem]:
    """Departments whose name or alias contains `q`, in `jurisdiction` or below it."""
    total, rows = q.department_page(store, find.q, place_id(store, jurisdiction), find.limit, find.offset)
    return Page[DepartmentItem].cut([DepartmentItem(**clean(r, aliases=[])) for r in rows], total, find)


@router.get("/departments/{department_id:path}", response_model=DepartmentDetail,
            summary="One department: authorities, duties, matters, 三定 clauses")
def get_department(
    store: StoreDep,
    department_id: Annotated[str, Path(description="A department id.", examples=["dept:2615e0f2624ef299"])],
    duties_limit: Annotated[int, Query(ge=0, le=500, description="How many held duties to list.")] = DUTIES_CAP,
    duties_offset: Annotated[int, Query(ge=0, description="Held duties to skip.")] = 0,
) -> DepartmentDetail:
    """What the department is, what it acts as, what it holds and owns, and the 三定 clauses that bound it."""
    row = one_or_404(store, q.DEPARTMENT, "department", department_id)
    duties_total, duties = q.department_duties(store, department_id, duties_limit, duties_offset) \
        if duties_limit else (int(q.rows(store, q.DEPARTMENT_DUTIES_COUNT, id=department_id)[0]["n"]), [])
    clauses = [ClauseItem(**clean(c, "issued", text="")) for c in
               ({**c, "boundary_with": q.present(c["boundary_with"])} for c in q.rows(store, q.DEPARTMENT_CLAUSES,
                                                                                      id=department_id))]
    boundaries = [BoundaryClause(id=c.id, number=c.number, text=c.text, department=department_id,
                                 department_name=row["name"], boundary_with=c.boundary_with)
                  for c in clauses if c.kind == "boundary" or c.boundary_with]
    boundaries += [BoundaryClause(**clean(b, text=""), boundary_with=[Ref(id=department_id, name=row["name"])])
                   for b in q.rows(store, q.BOUNDARIES_NAMING, id=department_id) if b["department"] != department_id]
    return DepartmentDetail(
        **clean(row, aliases=[]),
        divisions=[Ref(**r) for r in q.rows(store, q.DEPARTMENT_DIVISIONS, id=department_id)],
        authorities=[AuthorityRef(**r) for r in q.rows(store, q.DEPARTMENT_AUTHORITIES, id=department_id)],
        duties=[HeldDuty(**d, in_force=in_force(d["valid_from"], d["valid_to"])) for d in duties],
        duties_total=duties_total,
        matters=[OwnedMatter(**clean(m, path=[]), in_force=in_force(m["valid_from"], m["valid_to"]))
                 for m in q.rows(store, q.DEPARTMENT_MATTERS, id=department_id)],
        mandate_clauses=clauses, boundaries=boundaries,
    )
