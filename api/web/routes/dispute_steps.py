"""A dispute case's review ladder and follow-up over HTTP: move it a step (研判 → 审核 → 协调 → 裁决 → 反馈),
record an assigned department's acknowledgement of the decision, and list the departments that are overdue.

The rules live in `cases.ladder` and `cases.disputes`; a step the case's state does not allow is a 409
problem, one the caller's role may not make a 403, a missing reason a 422 on `body.reason` — and none of
them changes anything. Mounted before `disputes.router`, so `/disputes/overdue` is not read as a case id.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Body, Query

from api.web.deps import ContextDep, CurrentUser, PageDep
from api.web.pagination import Page
from api.web.routes.disputes import RESPONSES, StepDep
from cases import disputes as svc
from cases.followup import overdue
from cases.models import AcknowledgementCreate, DisputeView, OverdueItem, TransitionCreate
from cases.workdays import today

router = APIRouter(tags=["disputes"])


@router.get("/disputes/overdue", responses=RESPONSES, summary="Assigned departments that have not acknowledged in time")
def list_overdue(
    ctx: ContextDep,
    page: PageDep,
    _user: CurrentUser,
    as_of: Annotated[dt.date | None, Query(description="Count as of this date (YYYY-MM-DD); default today in China.")] = None,
) -> Page[OverdueItem]:
    """Every department a decided case assigns that has neither accepted nor objected within the case's limit in
    working days (DUTYGRAPH_FOLLOWUP_WORKING_DAYS unless the decision set its own), earliest due first."""
    return Page[OverdueItem].of(overdue(ctx.store, ctx.settings.followup_working_days, as_of or today()), page)


@router.post("/disputes/{dispute_id}/transitions", status_code=201, responses=RESPONSES,
             summary="Move the case a step on the review ladder")
def add_transition(
    step: StepDep,
    body: Annotated[TransitionCreate, Body(openapi_examples={
        "submit": {"summary": "研判 → 审核 (adjudicator)", "value": {"to": "reviewing"}},
        "approve": {"summary": "审核 → 协调 (reviewer)", "value": {"to": "coordinating"}},
        "return": {"summary": "退回研判 (reviewer)", "value": {"to": "researching", "reason": "依据条文不全，请补充三定规定。"}},
        "reopen": {"summary": "重新协调 (admin)", "value": {"to": "coordinating", "reason": "配合部门提出异议。"}}})],
) -> DisputeView:
    """Submit for review (adjudicator, with a proposal attached), approve (a reviewer other than the submitter),
    return with a reason (reviewer), reopen a decided case with a reason (admin). The decision (协调 → 裁决) is
    `POST /disputes/{id}/decision`; 反馈 follows when every assigned department has accepted."""
    return svc.transition(step.ctx.store, step.dispute_id, body, step.user.name, step.user.can)


@router.post("/disputes/{dispute_id}/acknowledgements", status_code=201, responses=RESPONSES,
             summary="Record an assigned department's acceptance or objection")
def add_acknowledgement(
    step: StepDep,
    body: Annotated[AcknowledgementCreate, Body(openapi_examples={
        "accepted": {"summary": "接受", "value": {"department": "鲁安市综合行政执法局", "answer": "accepted"}},
        "objected": {"summary": "有异议", "value": {"department": "鲁安市市场监督管理局", "answer": "objected",
                                                  "reason": "油烟属生态环境部门职责。"}}})],
) -> DisputeView:
    """Accepted, or objected with its grounds; the latest answer of a department counts. When every assigned
    department has accepted, the case moves to 反馈 (fed back)."""
    return svc.acknowledge(step.ctx.store, step.dispute_id, body, step.user.name, step.ctx.settings.followup_working_days)
