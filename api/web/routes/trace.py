"""GET /trace: why a matter or duty belongs to a department — every supporting path, the change-log
timeline of its edges, and whether the hash chain is intact (audit.trace)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Query

from api.web.deps import StoreDep, read_router
from api.web.problems import FieldProblem, ProblemError
from audit.trace import Trace, TraceNotFound, trace
from graph.queries import provenance

# a busy /trace reads the whole change log at most once a minute (an edit around the program shows within it)
VERIFY_MAX_AGE_S = 60.0
router = read_router("trace")


@router.get("/trace", response_model=Trace, summary="Audit trace of an assignment")
def get_trace(
    store: StoreDep,
    matter: Annotated[str | None, Query(max_length=300, description="A matter id or name (give this or duty).",
                                        examples=["matter:噪声污染/社会生活噪声/广场舞噪声"])] = None,
    duty: Annotated[str | None, Query(max_length=300, description="A duty id, code or name (give this or matter).",
                                      examples=["CF-001"])] = None,
    department: Annotated[str | None, Query(max_length=200, description="Only this holder: id, name or alias.",
                                            examples=["鲁安市综合行政执法局"])] = None,
    as_of: Annotated[dt.date | None, Query(description="Mark paths in force on this date; default today.")] = None,
) -> Trace:
    """Every path that supports or once supported the assignment (rulings with their principles and
    citations, duty-list entries with their bases and the statutes' designations), each marked in force or
    not on the as-of date, and the timeline of those edges from the tamper-evident change log."""
    if (matter is None) == (duty is None):
        msg = "give exactly one of matter or duty"
        raise ProblemError(422, "Invalid request", msg, "validation",
                           [FieldProblem(field="query.matter", message=msg), FieldProblem(field="query.duty", message=msg)])
    if matter is not None:
        if not provenance.read(store, provenance.FIND_MATTER, q=matter):
            raise ProblemError(404, "Not Found", f"no matter {matter!r} (give an id or a name)", "not-found")
        target = matter
    else:
        found = provenance.read(store, provenance.FIND_DUTY, q=duty)
        if not found:
            raise ProblemError(404, "Not Found", f"no duty {duty!r} (give an id, a code or a name)", "not-found")
        if len(found) > 1:
            raise TraceNotFound(f"duty {duty!r} is ambiguous: {', '.join(r['id'] for r in found[:5])}")
        target = found[0]["id"]
    return trace(store, target, department=department, as_of=as_of, verify_max_age_s=VERIFY_MAX_AGE_S)
