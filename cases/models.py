"""The dispute case's request models (what a caller asks for) and views (the case record it gets back).

They are the JSON contract of `/api/v1/disputes` and of `dutygraph dispute show --format json`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, model_validator

from graph.ontology import Role
from graph.ontology.edges import Stance
from graph.ontology.nodes import DisputeState

Answer = Literal["accepted", "objected"]
# a department or other body as a caller names it in a case: an id, or an exact name or alias
BodyName = Annotated[str, Field(min_length=2, max_length=200)]
# why a caller took a step, in its own words
Reason = Annotated[str, Field(max_length=2000)]


# -- request models ----------------------------------------------------------------------------------
class DisputeCreate(BaseModel):
    text: str = Field(min_length=2, max_length=4000, description="The dispute as the parties or the public tell it.")
    title: str = Field("", max_length=200, description="A short name for lists; default: the text's opening.")
    jurisdiction: str | None = Field(None, max_length=200,
                                     description="鲁安市, 潍坊市 or an id; default: the loaded directory's place.")
    matter: str | None = Field(None, max_length=300, description="Id of the Matter the dispute concerns, if known.")


class PositionCreate(BaseModel):
    department: BodyName = Field(description="A department id, or its exact name or alias in the dispute's jurisdiction.")
    stance: Stance = Field(description="claims (it is ours) / refuses (not ours) / neutral / proposes (someone else).")
    position: str = Field("", max_length=4000, description="The party's position in its own words, with its reasons.")


class DecisionCreate(BaseModel):
    lead: list[str] = Field(min_length=1, max_length=20, description="Lead (牵头) department ids or names.")
    cooperate: list[str] = Field(default_factory=list, max_length=50, description="Cooperating (配合) departments.")
    territorial: list[str] = Field(default_factory=list, max_length=200, description="Territorial (属地) bodies.")
    principle: str | None = Field(None, max_length=100, description="The principle applied: 职责就近, 谁审批谁监管 …")
    basis: list[str] = Field(default_factory=list, max_length=50, description="Article ids the decision rests on.")
    summary: str = Field(min_length=2, max_length=4000, description="What was decided, in a sentence or two.")
    decided_by: BodyName = Field(description="The body that decided: 鲁安市委编办 …")
    decided_on: dt.date | None = Field(None, description="Date of the decision; default today.")
    matter: str | None = Field(None, max_length=300, description="Matter id decided; default: the dispute's matter.")
    ack_days: int | None = Field(None, ge=1, le=60, description="Working days the assigned departments have to accept "
                                 "or object; default: the setting DUTYGRAPH_FOLLOWUP_WORKING_DAYS.")

    @model_validator(mode="after")
    def _one_role_each(self) -> DecisionCreate:
        seen: set[str] = set()
        for field in ("lead", "cooperate", "territorial"):
            for d in getattr(self, field):
                if d in seen:
                    raise ValueError(f"{d!r} is named in two roles; give each department one role")
                seen.add(d)
        return self


ROLE_FIELDS: tuple[Role, ...] = ("lead", "cooperate", "territorial")


class TransitionCreate(BaseModel):
    to: DisputeState = Field(description="The ladder state to move to: researching (研判), reviewing (审核), "
                                         "coordinating (协调), decided (裁决), fed_back (反馈).")
    reason: Reason = Field("", description="Why; required to return a case or to reopen one.")


class AcknowledgementCreate(BaseModel):
    department: BodyName = Field(description="An assigned department: its id, or its exact name or alias.")
    answer: Answer = Field(description="accepted (接受) or objected (有异议).")
    reason: Reason = Field("", description="The objection's grounds; required when objecting.")


# -- the case record ---------------------------------------------------------------------------------
class DisputeSummary(BaseModel):
    id: str
    title: str
    state: str
    jurisdiction: str | None = None
    opened_at: str | None = None


class PartyView(BaseModel):
    department: str
    name: str
    stance: str
    position: str = ""
    asserted_by: str
    since: str | None = None
    until: str | None = Field(None, description="set when the party later stated a new position")


class Assignment(BaseModel):
    department: str
    name: str | None = None
    role: str


class DecisionView(BaseModel):
    ruling: str
    title: str
    decided_on: str | None = None
    decided_by: str | None = None
    summary: str = ""
    assigns: list[Assignment]
    principles: list[str]
    basis: list[str]
    matters: list[str]


class HistoryEntry(BaseModel):
    seq: int
    at: str
    actor: str
    action: str
    what: str = Field(description="the label or relationship type written")
    src: str
    dst: str = ""
    payload: dict[str, Any]


class NextStep(BaseModel):
    to: str
    action: str
    role: str = Field(description="the least API-key role that may make this step")
    reason_required: bool = False
    via: str | None = Field(None, description="the endpoint that makes it when not /transitions: decision, acknowledgements")


class FollowUpDepartment(BaseModel):
    department: str
    name: str | None = None
    role: str
    answer: Answer | None = Field(None, description="the department's latest answer; None while it has not answered")
    reason: str = ""
    at: str | None = None
    recorded_by: str | None = None
    overdue: bool = False


class FollowUp(BaseModel):
    """抓落实: each department the decision assigns accepts it or objects within `limit_days` working days."""

    ruling: str
    since: dt.date = Field(description="the decision's date; the limit counts working days after it")
    limit_days: int
    due: dt.date
    estimated: bool = Field(False, description="the holiday calendar has no data for part of the period (weekdays counted)")
    departments: list[FollowUpDepartment]


class OverdueItem(BaseModel):
    dispute: str
    title: str
    department: str
    name: str | None = None
    role: str
    since: dt.date
    due: dt.date
    working_days_late: int
    estimated: bool = False


class DisputeView(DisputeSummary):
    text: str
    matter: dict[str, Any] | None = None
    parties: list[PartyView]
    proposal: dict[str, Any] | None = Field(None, description="snapshot of the ask result, as `POST /ask` returns it")
    proposal_at: str | None = None
    decision: DecisionView | None = None
    history: list[HistoryEntry] = Field(description="change-log entries about this dispute and its ruling")
    next_steps: list[NextStep] = Field(default_factory=list, description="the moves the review ladder allows from here")
    follow_up: FollowUp | None = Field(None, description="the assigned departments' acknowledgements, once decided")
