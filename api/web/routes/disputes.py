"""Dispute cases (争议): open one, record each party's position, attach the system's proposal, and record
the decision as a Ruling that assigns the matter.

Every write needs an adjudicator key and goes into the hash-chained change log under the caller's name:
the dispute's own steps through `changelog.record`, the decision's ASSIGNS / RESPONSIBLE_FOR edges
through `upsert_edges(actor=…)`. Nothing is deleted: a party's new position ends the old PARTY edge
(`valid_to`) and adds a new one.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query, Request, Response
from pydantic import BaseModel, Field, model_validator

from api.users import User
from api.web.auth import reader, require
from api.web.pagination import Page, PageParams, page_params
from api.web.problems import PROBLEM_RESPONSES, FieldProblem, Problem, ProblemError
from graph.changelog import ChangeEntry
from graph.ontology import (
    Applies,
    Cites,
    Concerns,
    Decides,
    Dispute,
    Edge,
    Party,
    ResolvedBy,
    Role,
    Ruling,
    RulingIn,
)
from graph.ontology.edges import Stance
from graph.ontology.nodes import DisputeState
from graph.queries import disputes as q
from graph.store.base import GraphStore
from ingest.rulings.loader import ownership_edges
from ingest.rulings.principles import canonical_principle, principle_node
from search.ask import ask
from search.places import UnknownPlace, resolve_place

router = APIRouter(tags=["disputes"])
RESPONSES: dict[int | str, dict[str, Any]] = {
    **PROBLEM_RESPONSES, 409: {"model": Problem, "content": {"application/problem+json": {}}, "description": "Conflict"},
}
# One dispute write at a time in this process: "is it decided yet?" and the decision must not interleave.
_WRITES = threading.Lock()


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


# -- response models ---------------------------------------------------------------------------------
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


# -- helpers -----------------------------------------------------------------------------------------
def _store(request: Request) -> GraphStore:
    return request.app.state.ctx.store


def _dispute(store: GraphStore, dispute_id: str) -> dict[str, Any]:
    node = store.get_node("Dispute", dispute_id)
    if node is None:
        raise ProblemError(404, "Not Found", f"no dispute {dispute_id!r}", "not-found")
    return node


def _invalid(field: str, message: str) -> ProblemError:
    return ProblemError(422, "Invalid request", f"{field}: {message}", "validation", [FieldProblem(field=field, message=message)])


def _department(store: GraphStore, text: str, jurisdiction: str, field: str) -> dict[str, Any]:
    found = q.find_departments(store, text, jurisdiction)
    if not found:
        raise _invalid(field, f"no department {text!r} (an id, or an exact name or alias in {jurisdiction})")
    if len(found) > 1:
        raise _invalid(field, f"{text!r} names {len(found)} departments ({', '.join(d['id'] for d in found[:5])}); "
                              "give the id")
    return found[0]


def _log(store: GraphStore, action: str, dispute_id: str, payload: dict[str, Any], user: User) -> ChangeEntry:
    return store.changelog.record(action, "Dispute", dispute_id, payload, actor=user.name)


def _view(store: GraphStore, node: dict[str, Any]) -> DisputeView:
    did = node["id"]
    parties = [
        PartyView(department=p["id"], name=p["name"], stance=p["stance"], position=p["position"] or "",
                  asserted_by=p["asserted_by"], since=p["valid_from"], until=p["valid_to"])
        for p in q.dispute_parties(store, did)
    ]
    decided = q.dispute_ruling(store, did)
    decision = None
    keys = [did]
    if decided:
        r = decided["ruling"]
        decision = DecisionView(
            ruling=r["id"], title=r["title"], decided_on=r.get("decided_on"), decided_by=r.get("decided_by"),
            summary=r.get("summary", ""), principles=decided["principles"], basis=decided["basis"],
            matters=decided["matters"],
            assigns=[Assignment(department=a["id"], name=a["name"], role=a["role"]) for a in decided["assigns"]],
        )
        keys += [a["key"] for a in decided["assigns"]] + decided["ownership_keys"]
    history = [
        HistoryEntry(seq=e.seq, at=e.at, actor=e.actor, action=e.action, what=e.rel_type, src=e.src, dst=e.dst,
                     payload=json.loads(e.payload))
        for e in store.changelog.entries(keys)
    ]
    proposal = node.get("proposal")
    return DisputeView(
        id=did, title=node.get("title", ""), text=node["text"], state=node["state"],
        jurisdiction=node.get("jurisdiction"), opened_at=node.get("opened_at"), matter=q.dispute_matter(store, did),
        parties=parties, proposal=json.loads(proposal) if proposal else None, proposal_at=node.get("proposal_at"),
        decision=decision, history=history,
    )


def _set(store: GraphStore, dispute_id: str, **props: Any) -> None:
    store.upsert_node_rows("Dispute", [{"id": dispute_id, "props": props}])


# -- routes ------------------------------------------------------------------------------------------
OPEN_EXAMPLE = DisputeCreate(text="鲁城街道一家剧本杀店，消防检查和剧本内容审查归谁管，文旅局和消防救援大队互相推",
                             title="剧本杀店监管", jurisdiction="鲁安市")


@router.post("/disputes", status_code=201, responses=RESPONSES, response_model=DisputeView, summary="Open a dispute case")
def open_dispute(
    request: Request,
    response: Response,
    body: Annotated[DisputeCreate, Body(openapi_examples={"script-murder": {"summary": "剧本杀店",
                                                                            "value": OPEN_EXAMPLE.model_dump(mode="json")}})],
    user: User = Depends(require("adjudicator")),
) -> DisputeView:
    """A new case in state `open`, dated today, CONCERNS its matter when one is given."""
    store = _store(request)
    try:
        place = resolve_place(store, body.jurisdiction)
    except UnknownPlace as exc:
        raise _invalid("body.jurisdiction", str(exc)) from None
    if body.matter and not q.existing_ids(store, "Matter", [body.matter]):
        raise _invalid("body.matter", f"no matter {body.matter!r} in the graph")
    title = body.title.strip() or body.text.strip()[:30]
    dispute = Dispute(text=body.text.strip(), title=title, jurisdiction=place.id, state="open", opened_at=dt.date.today())
    with _WRITES:
        if store.get_node("Dispute", dispute.id) is not None:
            raise ProblemError(409, "Conflict", f"this dispute was already opened today as {dispute.id}", "conflict",
                               headers={"Location": str(request.url_for("get_dispute", dispute_id=dispute.id).path)})
        store.upsert_nodes([dispute])
        if body.matter:
            store.upsert_edges([Concerns(src=dispute.id, dst=body.matter, source=dispute.id, locator="opened",
                                         valid_from=dispute.opened_at, asserted_by=user.name)], actor=user.name)
        _log(store, "open", dispute.id, {"title": title, "jurisdiction": place.id, "matter": body.matter}, user)
    response.headers["Location"] = str(request.url_for("get_dispute", dispute_id=dispute.id).path)
    return _view(store, _dispute(store, dispute.id))


@router.get("/disputes", responses=PROBLEM_RESPONSES, summary="Dispute cases, newest first")
def list_disputes(
    request: Request,
    state: Annotated[DisputeState | None, Query(description="Only cases in this state.")] = None,
    page: PageParams = Depends(page_params),
    _user: User | None = Depends(reader),
) -> Page[DisputeSummary]:
    rows = q.list_disputes(_store(request), state)
    items = [DisputeSummary(id=r["id"], title=r["title"] or r["text"][:30], state=r["state"],
                            jurisdiction=r["jurisdiction"], opened_at=r["opened_at"]) for r in rows]
    return Page[DisputeSummary].of(items, page)


@router.get("/disputes/{dispute_id}", responses=PROBLEM_RESPONSES, summary="One dispute case with its whole record")
def get_dispute(request: Request, dispute_id: str, _user: User | None = Depends(reader)) -> DisputeView:
    """Text, state, parties with stance and position, the proposal, the decision, and who did what when."""
    store = _store(request)
    return _view(store, _dispute(store, dispute_id))


@router.post("/disputes/{dispute_id}/positions", status_code=201, responses=RESPONSES,
             summary="Record a party's position")
def add_position(
    request: Request,
    dispute_id: str,
    body: Annotated[PositionCreate, Body(openapi_examples={"refuses": {"summary": "文旅局不认领", "value": {
        "department": "鲁安市文化和旅游局", "stance": "refuses",
        "position": "剧本杀店不属于娱乐场所，本局没有执法依据。"}}})],
    user: User = Depends(require("adjudicator")),
) -> DisputeView:
    """A PARTY edge from the dispute to the department; a later position from the same party ends the earlier."""
    store = _store(request)
    with _WRITES:
        node = _dispute(store, dispute_id)
        if node["state"] in ("decided", "closed"):
            raise ProblemError(409, "Conflict", f"dispute {dispute_id} is {node['state']}; positions are closed", "conflict")
        dept = _department(store, body.department, node.get("jurisdiction") or "jur:全国", "body.department")
        earlier = q.dispute_parties(store, dispute_id)
        today = dt.date.today()
        current = [p for p in earlier if p["id"] == dept["id"] and p["valid_to"] is None]
        if current:
            store.supersede([Party(src=dispute_id, dst=dept["id"], source=dispute_id, locator=p["locator"])
                             for p in current], today, actor=user.name)
        locator = f"position {len(earlier) + 1:03d}"
        store.upsert_edges([Party(src=dispute_id, dst=dept["id"], stance=body.stance, position=body.position,
                                  source=dispute_id, locator=locator, valid_from=today, asserted_by=user.name)],
                           actor=user.name)
        if node["state"] == "open":
            _set(store, dispute_id, state="researching")
        _log(store, "position", dispute_id, {"department": dept["id"], "stance": body.stance, "position": body.position,
                                             "replaces": [p["locator"] for p in current]}, user)
    return _view(store, _dispute(store, dispute_id))


@router.post("/disputes/{dispute_id}/proposal", summary="Attach the system's proposal", responses={
    **RESPONSES, 503: {"model": Problem, "content": {"application/problem+json": {}}, "description": "No search index"}})
def attach_proposal(request: Request, dispute_id: str, user: User = Depends(require("adjudicator"))) -> DisputeView:
    """Run `ask` on the dispute text and keep a snapshot of the answer on the case, so the record shows
    what the system proposed at the time even after the graph or index changes."""
    ctx = request.app.state.ctx
    store = _store(request)
    node = _dispute(store, dispute_id)
    result = ask(store, ctx.retriever(), node["text"], jurisdiction=node.get("jurisdiction"))
    snapshot = result.contract()
    at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    with _WRITES:
        node = _dispute(store, dispute_id)
        state = "proposed" if node["state"] in ("open", "researching") else node["state"]
        _set(store, dispute_id, proposal=json.dumps(snapshot, ensure_ascii=False), proposal_at=at, state=state)
        _log(store, "propose", dispute_id, {"proposal_at": at, "candidates": [
            {"id": c["id"], "name": c["name"], "role": c["role"]} for c in snapshot["candidates"][:5]]}, user)
    return _view(store, _dispute(store, dispute_id))


@router.post("/disputes/{dispute_id}/decision", status_code=201, responses=RESPONSES,
             summary="Record the decision as a Ruling")
def decide(
    request: Request,
    response: Response,
    dispute_id: str,
    body: DecisionCreate,
    user: User = Depends(require("adjudicator")),
) -> DisputeView:
    """A Ruling in the dispute's jurisdiction: ASSIGNS {role} to each department and RESPONSIBLE_FOR {role} on
    the matter (as a loaded ruling records ownership), DECIDES the matter, CITES the basis articles, APPLIES
    the principle; the dispute is RESOLVED_BY it and becomes `decided`. A second decision is a 409."""
    store = _store(request)
    with _WRITES:
        node = _dispute(store, dispute_id)
        if node["state"] in ("decided", "closed") or q.dispute_ruling(store, dispute_id):
            raise ProblemError(409, "Conflict", f"dispute {dispute_id} is already {node['state']}", "conflict")
        jur = node.get("jurisdiction") or "jur:全国"
        roles: list[tuple[str, Role, int]] = []
        for field in ("lead", "cooperate", "territorial"):
            for i, text in enumerate(getattr(body, field)):
                roles.append((_department(store, text, jur, f"body.{field}.{i}")["id"], field, i))  # type: ignore[arg-type]
        if len({d for d, _, _ in roles}) < len(roles):
            raise _invalid("body", "a department is named twice (by id and by name); give each one role")
        known = q.existing_ids(store, "Article", body.basis)
        for i, art in enumerate(body.basis):
            if art not in known:
                raise _invalid(f"body.basis.{i}", f"no article {art!r} in the graph")
        matter = body.matter or (q.dispute_matter(store, dispute_id) or {}).get("id")
        if body.matter and not q.existing_ids(store, "Matter", [body.matter]):
            raise _invalid("body.matter", f"no matter {body.matter!r} in the graph")
        decided_on = body.decided_on or dt.date.today()
        title = f"关于{node.get('title') or node['text'][:30]}的职责分工裁决"
        ruling = Ruling(title=title, jurisdiction=jur, decided_on=decided_on, decided_by=body.decided_by,
                        summary=body.summary, text=f"{body.summary}\n\n争议：{node['text']}", status="in_force")
        if store.get_node("Ruling", ruling.id) is not None:
            raise ProblemError(409, "Conflict", f"a ruling {title!r} of {decided_on} already exists ({ruling.id})",
                               "conflict")
        prov: dict[str, Any] = {"source": ruling.id, "valid_from": decided_on, "asserted_by": user.name}
        nodes: list[Any] = [ruling]
        edges: list[Edge] = [RulingIn(src=ruling.id, dst=jur, **prov)]
        if matter:
            edges.append(Decides(src=ruling.id, dst=matter, **prov))
        for dept, role, i in roles:
            edges += ownership_edges(ruling.id, dept, role, matter, f"{role}[{i + 1}]", prov)
        if body.principle:
            principle = principle_node(canonical_principle(body.principle))
            nodes.append(principle)
            edges.append(Applies(src=ruling.id, dst=principle.id, **prov))
        edges += [Cites(src=ruling.id, src_label="Ruling", dst=a, dst_label="Article", locator=a, **prov)
                  for a in body.basis]
        edges.append(ResolvedBy(src=dispute_id, dst=ruling.id, source=dispute_id, locator="decision",
                                valid_from=decided_on, asserted_by=user.name))
        store.upsert_nodes(nodes)
        store.upsert_edges(edges, actor=user.name)
        _set(store, dispute_id, state="decided", decided_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
        _log(store, "decide", dispute_id, {"ruling": ruling.id, "matter": matter, "principle": body.principle,
                                           "roles": {f: getattr(body, f) for f in ("lead", "cooperate", "territorial")},
                                           "basis": body.basis}, user)
    response.headers["Location"] = str(request.url_for("get_dispute", dispute_id=dispute_id).path)
    return _view(store, _dispute(store, dispute_id))
