"""Dispute cases (争议) as a service: open one, record each party's position, attach the system's proposal,
move it up the review ladder (`cases.ladder`: 研判 → 审核 → 协调 → 裁决 → 反馈), record the decision as a Ruling
that assigns the matter, and record each assigned department's acknowledgement (`cases.followup`).

Every write goes into the hash-chained change log under the actor's name: the case's own steps through
`changelog.record`, the decision's ASSIGNS / RESPONSIBLE_FOR edges through `upsert_edges(actor=…)`.
Nothing is deleted: a party's new position ends the old PARTY edge (`valid_to`) and adds a new one.

This module knows nothing of HTTP. It takes request models (`cases.models`) that say what the caller wants
and raises domain errors (`cases.errors`) the web layer turns into problem responses: `DisputeNotFound`,
`DisputeInvalid` (naming the request field), `DisputeConflict` (the case's state does not allow the step) and
`DisputeForbidden` (the caller's role may not make it). Finding the jurisdiction a caller typed, and running `ask` for
a proposal, belong to the search layer; the caller passes their results in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
from collections.abc import Callable
from typing import Any

from cases import followup, ladder
from cases.errors import DisputeConflict, DisputeForbidden, DisputeInvalid, DisputeNotFound
from cases.models import (
    ROLE_FIELDS,
    AcknowledgementCreate,
    Assignment,
    DecisionCreate,
    DecisionView,
    DisputeCreate,
    DisputeSummary,
    DisputeView,
    HistoryEntry,
    NextStep,
    PartyView,
    PositionCreate,
    TransitionCreate,
)
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
    Supersedes,
)
from graph.ontology.nodes import DisputeState
from graph.places import NATIONAL
from graph.queries import disputes as q
from graph.queries.temporal import today as china_today
from graph.store.base import GraphStore
from ingest.rulings.loader import apply_supersessions, ownership_edges
from ingest.rulings.principles import canonical_principle, principle_node

# One dispute write at a time in this process: "is it decided yet?" and the decision must not interleave.
_WRITES = threading.Lock()


# -- reads -------------------------------------------------------------------------------------------
def case_node(store: GraphStore, dispute_id: str) -> dict[str, Any]:
    """The Dispute node's properties; raises DisputeNotFound."""
    node = store.get_node("Dispute", dispute_id)
    if node is None:
        raise DisputeNotFound(dispute_id)
    return node


def list_cases(store: GraphStore, state: DisputeState | None = None) -> list[DisputeSummary]:
    """Every case, newest first, optionally only those in one ladder state (cases stored under an older
    state name are listed under the state it maps to)."""
    return [DisputeSummary(id=r["id"], title=r["title"] or r["text"][:30], state=ladder.canonical(r["state"]),
                           jurisdiction=r["jurisdiction"], opened_at=r["opened_at"])
            for r in q.list_disputes(store, ladder.stored_values(state) if state else None)]


def case(store: GraphStore, dispute_id: str, default_days: int | None = None) -> DisputeView:
    """The whole record: text, state, parties, the proposal snapshot, the decision, its follow-up, the ladder's
    next steps, and who did what when. `default_days` is the follow-up limit for a case decided without one."""
    node = case_node(store, dispute_id)
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
    state = ladder.canonical(node["state"])
    return DisputeView(
        id=did, title=node.get("title", ""), text=node["text"], state=state,
        jurisdiction=node.get("jurisdiction"), opened_at=node.get("opened_at"), matter=q.dispute_matter(store, did),
        parties=parties, proposal=json.loads(proposal) if proposal else None, proposal_at=node.get("proposal_at"),
        decision=decision, history=history,
        next_steps=[NextStep(to=s.dst, action=s.action, role=s.role, reason_required=s.reason_required, via=s.via)
                    for s in ladder.steps_from(state)],
        follow_up=followup.follow_up(node, decided, default_days),
    )


# -- helpers -----------------------------------------------------------------------------------------
def _department(store: GraphStore, text: str, jurisdiction: str, field: str) -> dict[str, Any]:
    """The one department `text` names in the jurisdiction (id, exact name or alias)."""
    found = q.find_departments(store, text, jurisdiction)
    if not found:
        raise DisputeInvalid(field, f"no department {text!r} (an id, or an exact name or alias in {jurisdiction})")
    if len(found) > 1:
        raise DisputeInvalid(field, f"{text!r} names {len(found)} departments "
                                    f"({', '.join(d['id'] for d in found[:5])}); give the id")
    return found[0]


def _check_matter(store: GraphStore, matter: str | None) -> None:
    if matter and not q.existing_ids(store, "Matter", [matter]):
        raise DisputeInvalid("matter", f"no matter {matter!r} in the graph")


def _log(store: GraphStore, action: str, dispute_id: str, payload: dict[str, Any], actor: str) -> None:
    store.changelog.record(action, "Dispute", dispute_id, payload, actor=actor)


def _set(store: GraphStore, dispute_id: str, **props: Any) -> None:
    store.upsert_node_rows("Dispute", [{"id": dispute_id, "props": props}])


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _decision_key(dispute_id: str, body: DecisionCreate) -> str:
    """What makes two decision requests the same request: the case and the decision as sent."""
    sent = json.dumps({"dispute": dispute_id, "decision": body.model_dump(mode="json")}, sort_keys=True,
                      ensure_ascii=False)
    return hashlib.sha256(sent.encode()).hexdigest()


def _state(node: dict[str, Any]) -> ladder.State:
    return ladder.canonical(node.get("state"))


def _require_state(node: dict[str, Any], allowed: tuple[ladder.State, ...], what: str) -> None:
    state = _state(node)
    if state not in allowed:
        raise DisputeConflict(f"dispute {node['id']} is {ladder.describe(state)}; {what} "
                              f"(only in {', '.join(ladder.describe(s) for s in allowed)})", node["id"])


def _move(store: GraphStore, dispute_id: str, src: ladder.State, dst: ladder.State, action: str, actor: str,
          reason: str = "", **props: Any) -> None:
    """Write the new state and its change-log entry (from, to, step, reason, under the actor's name)."""
    _set(store, dispute_id, state=dst, state_at=_now(), **props)
    _log(store, "transition", dispute_id, {"from": src, "to": dst, "step": action, "reason": reason}, actor)


# -- writes ------------------------------------------------------------------------------------------
def open_case(store: GraphStore, body: DisputeCreate, jurisdiction: str, actor: str) -> DisputeView:
    """A new case in 研判 (researching), dated today, CONCERNS its matter when one is given.

    `jurisdiction` is the id the caller resolved from `body.jurisdiction`. The case id derives from the text,
    place and date, so the same dispute opened twice on one day is a DisputeConflict carrying that id."""
    _check_matter(store, body.matter)
    title = body.title.strip() or body.text.strip()[:30]
    dispute = Dispute(text=body.text.strip(), title=title, jurisdiction=jurisdiction, state="researching",
                      opened_at=china_today())
    with _WRITES:
        if store.get_node("Dispute", dispute.id) is not None:
            raise DisputeConflict(f"this dispute was already opened today as {dispute.id}", dispute.id)
        store.upsert_nodes([dispute])
        if body.matter:
            store.upsert_edges([Concerns(src=dispute.id, dst=body.matter, source=dispute.id, locator="opened",
                                         valid_from=dispute.opened_at, asserted_by=actor)], actor=actor)
        _log(store, "open", dispute.id, {"title": title, "jurisdiction": jurisdiction, "matter": body.matter}, actor)
    return case(store, dispute.id)


def add_position(store: GraphStore, dispute_id: str, body: PositionCreate, actor: str) -> DisputeView:
    """A PARTY edge from the case to the department; a later position from the same party ends the earlier.
    Positions are gathered while researching (研判) and at coordination (协调); a case under review, decided
    or fed back takes none."""
    with _WRITES:
        node = case_node(store, dispute_id)
        _require_state(node, ("researching", "coordinating"), "positions are closed")
        dept = _department(store, body.department, node.get("jurisdiction") or NATIONAL, "department")
        earlier = q.dispute_parties(store, dispute_id)
        today = china_today()
        current = [p for p in earlier if p["id"] == dept["id"] and p["valid_to"] is None]
        if current:
            store.supersede([Party(src=dispute_id, dst=dept["id"], source=dispute_id, locator=p["locator"])
                             for p in current], today, actor=actor)
        locator = f"position {len(earlier) + 1:03d}"
        store.upsert_edges([Party(src=dispute_id, dst=dept["id"], stance=body.stance, position=body.position,
                                  source=dispute_id, locator=locator, valid_from=today, asserted_by=actor)],
                           actor=actor)
        _log(store, "position", dispute_id, {"department": dept["id"], "stance": body.stance, "position": body.position,
                                             "replaces": [p["locator"] for p in current]}, actor)
    return case(store, dispute_id)


def attach_proposal(store: GraphStore, dispute_id: str, snapshot: dict[str, Any], actor: str) -> DisputeView:
    """Keep a snapshot of the system's answer (the /ask JSON for the case's text) on the case, so the
    record shows what was proposed at the time even after the graph or index changes. Only while researching
    (研判): the proposal is what a reviewer approves, so it does not change under review or later."""
    at = _now()
    with _WRITES:
        node = case_node(store, dispute_id)
        _require_state(node, ("researching",), "the proposal is kept as reviewed")
        _set(store, dispute_id, proposal=json.dumps(snapshot, ensure_ascii=False), proposal_at=at,
             state="researching")
        _log(store, "propose", dispute_id, {"proposal_at": at, "candidates": [
            {"id": c["id"], "name": c["name"], "role": c["role"]} for c in snapshot.get("candidates", [])[:5]]}, actor)
    return case(store, dispute_id)


def decide(store: GraphStore, dispute_id: str, body: DecisionCreate, actor: str,
           default_days: int | None = None) -> DisputeView:
    """Record the decision as a Ruling in the case's jurisdiction: ASSIGNS {role} to each department and
    RESPONSIBLE_FOR {role} on the matter (as a loaded ruling records ownership), DECIDES the matter, CITES the
    basis articles, APPLIES the principle; the case is RESOLVED_BY it and moves from 协调 to 裁决 (decided), where
    its follow-up starts: `body.ack_days` (else `default_days`) working days for the departments to answer.

    Only at coordination (协调): a case not yet reviewed, or already decided, is a DisputeConflict. A case an
    admin reopened after a decision gets a new ruling that SUPERSEDES the earlier one (whose assignments end,
    as a loaded superseding ruling ends them). Everything is checked before anything is written.

    Retryable: the request's key (the case and the decision as sent) is kept on the case before the writes. The
    same request again after the decision answers the case as it is, writing nothing; after a decision cut short
    (a crash between the writes) it finishes that decision on the same ruling."""
    key = _decision_key(dispute_id, body)
    with _WRITES:
        node = case_node(store, dispute_id)
        if node.get("decision_key") == key and _state(node) in ("decided", "fed_back"):
            return case(store, dispute_id, default_days)  # a retry of the request that decided it
        _require_state(node, ("coordinating",), "a decision is recorded at coordination, after review")
        pending = node.get("decision_ruling") if node.get("decision_key") == key else None  # cut short before
        resolutions = [r for r in q.resolutions(store, dispute_id) if r["id"] != pending]
        earlier = [r["id"] for r in resolutions if r["valid_to"] is None]
        jur = node.get("jurisdiction") or NATIONAL
        roles: list[tuple[str, Role, int]] = []
        for field in ROLE_FIELDS:
            for i, text in enumerate(getattr(body, field)):
                roles.append((_department(store, text, jur, f"{field}.{i}")["id"], field, i))
        if len({d for d, _, _ in roles}) < len(roles):
            raise DisputeInvalid("", "a department is named twice (by id and by name); give each one role")
        known = q.existing_ids(store, "Article", body.basis)
        for i, art in enumerate(body.basis):
            if art not in known:
                raise DisputeInvalid(f"basis.{i}", f"no article {art!r} in the graph")
        matter = body.matter or (q.dispute_matter(store, dispute_id) or {}).get("id")
        _check_matter(store, body.matter)
        started = store.get_node("Ruling", pending) if pending else None
        decided_on = body.decided_on or (dt.date.fromisoformat(started["decided_on"]) if started else china_today())
        title = f"关于{node.get('title') or node['text'][:30]}的职责分工裁决"
        if rounds := len(resolutions):
            title += f"（第{rounds + 1}次）"
        ruling = Ruling(title=title, jurisdiction=jur, decided_on=decided_on, decided_by=body.decided_by,
                        summary=body.summary, text=f"{body.summary}\n\n争议：{node['text']}", status="in_force")
        if ruling.id != pending and store.get_node("Ruling", ruling.id) is not None:
            raise DisputeConflict(f"a ruling {title!r} of {decided_on} already exists ({ruling.id})", dispute_id)
        _set(store, dispute_id, decision_key=key, decision_ruling=ruling.id)
        prov: dict[str, Any] = {"source": ruling.id, "valid_from": decided_on, "asserted_by": actor}
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
                                valid_from=decided_on, asserted_by=actor))
        edges += [Supersedes(src=ruling.id, dst=old, source=ruling.id, locator="reopened case", **{
            k: v for k, v in prov.items() if k != "source"}) for old in earlier]
        store.upsert_nodes(nodes, actor=actor)
        store.upsert_edges(edges, actor=actor)
        if earlier:
            store.supersede([ResolvedBy(src=dispute_id, dst=old, source=dispute_id, locator="decision")
                             for old in earlier], decided_on, actor=actor)
            apply_supersessions(store, actor)
        days = body.ack_days or default_days or followup.DEFAULT_DAYS
        _move(store, dispute_id, "coordinating", "decided", "decide", actor, decided_at=_now(), ack_days=days)
        _log(store, "decide", dispute_id, {"ruling": ruling.id, "matter": matter, "principle": body.principle,
                                           "roles": {f: getattr(body, f) for f in ROLE_FIELDS},
                                           "basis": body.basis, "ack_days": days, "supersedes": earlier}, actor)
    return case(store, dispute_id, default_days)


def transition(store: GraphStore, dispute_id: str, body: TransitionCreate, actor: str,
               can: Callable[[str], bool]) -> DisputeView:
    """Move the case one step on the review ladder, as `cases.ladder.STEPS` allows: submit for review
    (adjudicator; a proposal must be attached), approve (reviewer, not the one who submitted it) or return
    with a reason (reviewer), reopen a decided case with a reason (admin). `can(role)` says whether the caller
    holds that role or a higher one.

    A step the table lacks, or one made through another endpoint (the decision, the acknowledgements), is a
    DisputeConflict; a role too low is DisputeForbidden; a missing reason is DisputeInvalid on `reason`.
    Nothing is written unless every check passes; the move is a change-log entry with its actor and reason."""
    reason = body.reason.strip()
    with _WRITES:
        node = case_node(store, dispute_id)
        src = _state(node)
        found = ladder.step(src, body.to)
        if found is None:
            allowed = ", ".join(ladder.describe(s.dst) for s in ladder.steps_from(src)) or "none"
            raise DisputeConflict(f"dispute {dispute_id} is {ladder.describe(src)}: it cannot move to "
                                  f"{ladder.describe(body.to)} (next: {allowed})", dispute_id)
        if not can(found.role):
            raise DisputeForbidden(f"{actor!r} may not {found.action} this case: moving from {ladder.describe(src)} to "
                                   f"{ladder.describe(body.to)} needs the role {found.role} or above", dispute_id)
        if found.via == "decision":
            raise DisputeConflict(f"a case moves to {ladder.describe(body.to)} when its decision is recorded "
                                  f"(POST /disputes/{{id}}/decision)", dispute_id)
        if found.via == "acknowledgements":
            view = followup.follow_up(node, q.dispute_ruling(store, dispute_id))
            pending = [d.name or d.department for d in view.departments if d.answer != "accepted"] if view else []
            raise DisputeConflict(f"a case moves to {ladder.describe(body.to)} when every assigned department has "
                                  f"accepted the decision (not yet: {', '.join(pending) or '—'})", dispute_id)
        if found.reason_required and not reason:
            raise DisputeInvalid("reason", f"to {found.action} a case, say why")
        if found.action == "submit" and not node.get("proposal"):
            raise DisputeConflict("attach the system's proposal before submitting the case for review", dispute_id)
        if found.action == "approve" and node.get("submitted_by") == actor:
            raise DisputeForbidden(f"{actor!r} submitted this case; another reviewer approves it", dispute_id)
        extra = {"submitted_by": actor} if found.action == "submit" else {}
        if found.action == "reopen":  # the next decision is a new one, even if sent as the last was
            extra |= {"decision_key": "", "decision_ruling": ""}
        _move(store, dispute_id, src, body.to, found.action, actor, reason, **extra)
    return case(store, dispute_id)


def acknowledge(store: GraphStore, dispute_id: str, body: AcknowledgementCreate, actor: str,
                default_days: int | None = None) -> DisputeView:
    """Record an assigned department's answer to the decision: accepted, or objected with a reason. A later
    answer from the same department replaces the earlier one (both stay in the record and the change log).
    When every assigned department has accepted, the case moves to 反馈 (fed back) under the same actor.

    Only while decided (裁决): before a decision there is nothing to accept, after feedback it is settled
    (an admin reopens it). A department the decision does not assign is DisputeInvalid on `department`."""
    reason = body.reason.strip()
    if body.answer == "objected" and not reason:
        raise DisputeInvalid("reason", "an objection needs its grounds")
    with _WRITES:
        node = case_node(store, dispute_id)
        _require_state(node, ("decided",), "acknowledgements are taken after the decision, until feedback")
        decided = q.dispute_ruling(store, dispute_id)
        if decided is None:
            raise DisputeConflict(f"dispute {dispute_id} has no ruling to acknowledge", dispute_id)
        dept = _department(store, body.department, node.get("jurisdiction") or NATIONAL, "department")
        assigned = {a["id"] for a in decided["assigns"]}
        if dept["id"] not in assigned:
            raise DisputeInvalid("department", f"{dept['name']} is not assigned by the decision "
                                               f"(assigned: {', '.join(sorted(assigned))})")
        ruling = decided["ruling"]["id"]
        entry = {"ruling": ruling, "department": dept["id"], "answer": body.answer, "reason": reason, "at": _now(),
                 "recorded_by": actor}
        answers = [*followup.acknowledgements(node), entry]
        _set(store, dispute_id, acknowledgements=json.dumps(answers, ensure_ascii=False))
        _log(store, "acknowledge", dispute_id, {k: v for k, v in entry.items() if k != "at"}, actor)
        latest = followup.latest_answers({"acknowledgements": json.dumps(answers)}, ruling)
        if all(latest.get(d, {}).get("answer") == "accepted" for d in assigned):
            _move(store, dispute_id, "decided", "fed_back", "feed_back", actor, "every assigned department accepted")
    return case(store, dispute_id, default_days)
