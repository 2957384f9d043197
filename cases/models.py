"""The dispute case's request models (what a caller asks for) and views (the case record it gets back).

They are the JSON contract of `/api/v1/disputes` and of `dutygraph dispute show --format json`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field, model_validator

from graph.ontology import Role
from graph.ontology.edges import Stance


# -- request models ----------------------------------------------------------------------------------
class DisputeCreate(BaseModel):
    text: str = Field(min_length=2, max_length=4000, description="The dispute as the parties or the public tell it.")
    title: str = Field("", max_length=200, description="A short name for lists; default: the text's opening.")
    jurisdiction: str | None = Field(None, max_length=200,
                                     description="鲁安市, 潍坊市 or an id; default: the loaded directory's place.")
    matter: str | None = Field(None, max_length=300, description="Id of the Matter the dispute concerns, if known.")


class PositionCreate(BaseModel):
    department: str = Field(min_length=2, max_length=200,
                            description="A department id, or its exact name or alias in the dispute's jurisdiction.")
    stance: Stance = Field(description="claims (it is ours) / refuses (not ours) / neutral / proposes (someone else).")
    position: str = Field("", max_length=4000, description="The party's position in its own words, with its reasons.")


class DecisionCreate(BaseModel):
    lead: list[str] = Field(min_length=1, max_length=20, description="Lead (牵头) department ids or names.")
    cooperate: list[str] = Field(default_factory=list, max_length=50, description="Cooperating (配合) departments.")
    territorial: list[str] = Field(default_factory=list, max_length=200, description="Territorial (属地) bodies.")
    principle: str | None = Field(None, max_length=100, description="The principle applied: 职责就近, 谁审批谁监管 …")
    basis: list[str] = Field(default_factory=list, max_length=50, description="Article ids the decision rests on.")
    summary: str = Field(min_length=2, max_length=4000, description="What was decided, in a sentence or two.")
    decided_by: str = Field(min_length=2, max_length=200, description="The body that decided: 鲁安市委编办 …")
    decided_on: dt.date | None = Field(None, description="Date of the decision; default today.")
    matter: str | None = Field(None, max_length=300, description="Matter id decided; default: the dispute's matter.")

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


class DisputeView(DisputeSummary):
    text: str
    matter: dict[str, Any] | None = None
    parties: list[PartyView]
    proposal: dict[str, Any] | None = Field(None, description="snapshot of the ask result, as `POST /ask` returns it")
    proposal_at: str | None = None
    decision: DecisionView | None = None
    history: list[HistoryEntry] = Field(description="change-log entries about this dispute and its ruling")
