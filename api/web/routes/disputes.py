"""Dispute cases (争议) over HTTP: open one, record each party's position, attach the system's proposal, and
record the decision as a Ruling. The workflow itself (checks, graph writes, the change log) is
`cases.disputes`; these routes parse the request, find the jurisdiction and run `ask` (search layer),
call the service under the caller's name, and shape the answer.

Every write needs an adjudicator key. The service's errors become problem responses through
`api.web.problems.problem_for`: 404 for an unknown case, 422 naming the field, 409 for a step the case's
state does not allow.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

import anyio.to_thread
from fastapi import APIRouter, Body, Depends, Query, Request, Response
from pydantic import BaseModel, Field

from api.users import User
from api.web.context import AppContext
from api.web.deps import Adjudicator, ContextDep, CurrentUser, PageDep, StoreDep
from api.web.pagination import Page
from api.web.problems import PROBLEM_RESPONSES, Problem, problem_for
from cases import disputes as svc
from cases.models import DecisionCreate, DisputeCreate, DisputeSummary, DisputeView, PositionCreate
from graph.ontology.nodes import DisputeState
from graph.places import UnknownPlace, resolve_place

router = APIRouter(tags=["disputes"])
RESPONSES: dict[int | str, dict[str, Any]] = {
    **PROBLEM_RESPONSES, 409: {"model": Problem, "content": {"application/problem+json": {}}, "description": "Conflict"},
}


@dataclass(frozen=True)
class CaseStep:
    """A step on one case (a position, the proposal, the decision, a move on the ladder, an acknowledgement):
    which case, who makes it (an adjudicator key or above) and the app's store and settings."""

    ctx: AppContext
    dispute_id: str
    user: User


def case_step(ctx: ContextDep, dispute_id: str, user: Adjudicator) -> CaseStep:
    return CaseStep(ctx, dispute_id, user)


StepDep = Annotated[CaseStep, Depends(case_step)]


def _location(request: Request, dispute_id: str) -> str:
    return str(request.url_for("get_dispute", dispute_id=dispute_id).path)


OPEN_EXAMPLE = DisputeCreate(text="鲁城街道一家剧本杀店，消防检查和剧本内容审查归谁管，文旅局和消防救援大队互相推",
                             title="剧本杀店监管", jurisdiction="鲁安市")


@router.post("/disputes", status_code=201, responses=RESPONSES, response_model=DisputeView, summary="Open a dispute case")
def open_dispute(
    request: Request,
    response: Response,
    store: StoreDep,
    user: Adjudicator,
    body: Annotated[DisputeCreate, Body(openapi_examples={"script-murder": {"summary": "剧本杀店",
                                                                            "value": OPEN_EXAMPLE.model_dump(mode="json")}})],
) -> DisputeView:
    """A new case in 研判 (researching), dated today, CONCERNS its matter when one is given."""
    try:
        place = resolve_place(store, body.jurisdiction)
    except UnknownPlace as exc:
        raise svc.DisputeInvalid("jurisdiction", str(exc)) from None
    try:
        view = svc.open_case(store, body, place.id, user.name)
    except svc.DisputeConflict as exc:  # the same case opened today: point at it
        problem = problem_for(exc)
        problem.headers = {"Location": _location(request, exc.dispute_id or "")}
        raise problem from None
    response.headers["Location"] = _location(request, view.id)
    return view


@router.get("/disputes", responses=PROBLEM_RESPONSES, summary="Dispute cases, newest first")
def list_disputes(
    store: StoreDep,
    page: PageDep,
    _user: CurrentUser,
    state: Annotated[DisputeState | None, Query(description="Only cases in this state.")] = None,
) -> Page[DisputeSummary]:
    return Page[DisputeSummary].of(svc.list_cases(store, state), page)


@router.get("/disputes/{dispute_id}", responses=PROBLEM_RESPONSES, summary="One dispute case with its whole record")
def get_dispute(ctx: ContextDep, dispute_id: str, _user: CurrentUser) -> DisputeView:
    """Text, ladder state and its next steps, parties with stance and position, the proposal, the decision and
    its follow-up (each assigned department's answer, the due date), and who did what when."""
    return svc.case(ctx.store, dispute_id, ctx.settings.followup_working_days)


@router.post("/disputes/{dispute_id}/positions", status_code=201, responses=RESPONSES,
             summary="Record a party's position")
def add_position(
    step: StepDep,
    body: Annotated[PositionCreate, Body(openapi_examples={"refuses": {"summary": "文旅局不认领", "value": {
        "department": "鲁安市文化和旅游局", "stance": "refuses",
        "position": "剧本杀店不属于娱乐场所，本局没有执法依据。"}}})],
) -> DisputeView:
    """A PARTY edge from the dispute to the department; a later position from the same party ends the earlier."""
    return svc.add_position(step.ctx.store, step.dispute_id, body, step.user.name)


class AspectEdit(BaseModel):
    name: str = Field(min_length=1, max_length=60, description="the matter, as the adjudicator names it")
    text: str = Field(min_length=2, max_length=1000, description="the words of the dispute it covers (asked on its own)")


class ProposalRequest(BaseModel):
    aspects: list[AspectEdit] = Field(default_factory=list, max_length=12,
                                      description="the dispute's matters as drawn on the case page; empty: split automatically")


@router.post("/disputes/{dispute_id}/proposal", summary="Attach the system's proposal", responses={
    **RESPONSES, 503: {"model": Problem, "content": {"application/problem+json": {}}, "description": "No search index"}})
async def attach_proposal(step: StepDep, body: Annotated[ProposalRequest | None, Body()] = None) -> DisputeView:
    """Run `ask` on the dispute text (in the search processes, like every search) and keep a snapshot of the
    answer on the case — the /ask JSON as it was — so the record shows what the system proposed at the time
    even after the graph or index changes. A compound dispute is split into its matters (问题拆分法); `aspects`
    replaces that split with the adjudicator's own (merged, split or renamed), each answered on its own."""
    store, dispute_id = step.ctx.store, step.dispute_id
    node = await anyio.to_thread.run_sync(svc.case_node, store, dispute_id)
    given = [(a.name, a.text) for a in body.aspects] if body and body.aspects else None
    answer = await step.ctx.searches.ask(node["text"], node.get("jurisdiction"), None, 10, split=True, aspects=given)
    return await anyio.to_thread.run_sync(svc.attach_proposal, store, dispute_id, answer, step.user.name)


@router.post("/disputes/{dispute_id}/decision", status_code=201, responses=RESPONSES,
             summary="Record the decision as a Ruling")
def decide(request: Request, response: Response, step: StepDep, body: DecisionCreate) -> DisputeView:
    """A Ruling in the dispute's jurisdiction: ASSIGNS {role} to each department and RESPONSIBLE_FOR {role} on
    the matter (as a loaded ruling records ownership), DECIDES the matter, CITES the basis articles, APPLIES
    the principle; the dispute is RESOLVED_BY it and moves from 协调 (coordinating) to 裁决 (decided), where the
    follow-up starts. A case not yet approved by review, or already decided, is a 409."""
    view = svc.decide(step.ctx.store, step.dispute_id, body, step.user.name, step.ctx.settings.followup_working_days)
    response.headers["Location"] = _location(request, step.dispute_id)
    return view
