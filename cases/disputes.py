"""Dispute cases (争议) as a service: open one, record each party's position, attach the system's proposal,
and record the decision as a Ruling that assigns the matter.

Every write goes into the hash-chained change log under the actor's name: the case's own steps through
`changelog.record`, the decision's ASSIGNS / RESPONSIBLE_FOR edges through `upsert_edges(actor=…)`.
Nothing is deleted: a party's new position ends the old PARTY edge (`valid_to`) and adds a new one.

This module knows nothing of HTTP. It takes request models (`cases.models`) that say what the caller wants
and raises domain errors (`cases.errors`) the web layer turns into problem responses: `DisputeNotFound`,
`DisputeInvalid` (naming the request field) and `DisputeConflict`. Finding the jurisdiction a caller typed, and running `ask` for
a proposal, belong to the search layer; the caller passes their results in.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from typing import Any

from cases.errors import DisputeConflict, DisputeInvalid, DisputeNotFound
from cases.models import (
    ROLE_FIELDS,
    Assignment,
    DecisionCreate,
    DecisionView,
    DisputeCreate,
    DisputeSummary,
    DisputeView,
    HistoryEntry,
    PartyView,
    PositionCreate,
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
)
from graph.ontology.nodes import DisputeState
from graph.places import NATIONAL
from graph.queries import disputes as q
from graph.store.base import GraphStore
from ingest.rulings.loader import ownership_edges
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
    """Every case, newest first, optionally only those in one state."""
    return [DisputeSummary(id=r["id"], title=r["title"] or r["text"][:30], state=r["state"],
                           jurisdiction=r["jurisdiction"], opened_at=r["opened_at"])
            for r in q.list_disputes(store, state)]


def case(store: GraphStore, dispute_id: str) -> DisputeView:
    """The whole record: text, state, parties, the proposal snapshot, the decision, and who did what when."""
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
    return DisputeView(
        id=did, title=node.get("title", ""), text=node["text"], state=node["state"],
        jurisdiction=node.get("jurisdiction"), opened_at=node.get("opened_at"), matter=q.dispute_matter(store, did),
        parties=parties, proposal=json.loads(proposal) if proposal else None, proposal_at=node.get("proposal_at"),
        decision=decision, history=history,
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


# -- writes ------------------------------------------------------------------------------------------
def open_case(store: GraphStore, body: DisputeCreate, jurisdiction: str, actor: str) -> DisputeView:
    """A new case in state `open`, dated today, CONCERNS its matter when one is given.

    `jurisdiction` is the id the caller resolved from `body.jurisdiction`. The case id derives from the text,
    place and date, so the same dispute opened twice on one day is a DisputeConflict carrying that id."""
    _check_matter(store, body.matter)
    title = body.title.strip() or body.text.strip()[:30]
    dispute = Dispute(text=body.text.strip(), title=title, jurisdiction=jurisdiction, state="open",
                      opened_at=dt.date.today())
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
    An open case moves to `researching`; a decided or closed one takes no more positions."""
    with _WRITES:
        node = case_node(store, dispute_id)
        if node["state"] in ("decided", "closed"):
            raise DisputeConflict(f"dispute {dispute_id} is {node['state']}; positions are closed", dispute_id)
        dept = _department(store, body.department, node.get("jurisdiction") or NATIONAL, "department")
        earlier = q.dispute_parties(store, dispute_id)
        today = dt.date.today()
        current = [p for p in earlier if p["id"] == dept["id"] and p["valid_to"] is None]
        if current:
            store.supersede([Party(src=dispute_id, dst=dept["id"], source=dispute_id, locator=p["locator"])
                             for p in current], today, actor=actor)
        locator = f"position {len(earlier) + 1:03d}"
        store.upsert_edges([Party(src=dispute_id, dst=dept["id"], stance=body.stance, position=body.position,
                                  source=dispute_id, locator=locator, valid_from=today, asserted_by=actor)],
                           actor=actor)
        if node["state"] == "open":
            _set(store, dispute_id, state="researching")
        _log(store, "position", dispute_id, {"department": dept["id"], "stance": body.stance, "position": body.position,
                                             "replaces": [p["locator"] for p in current]}, actor)
    return case(store, dispute_id)


def attach_proposal(store: GraphStore, dispute_id: str, snapshot: dict[str, Any], actor: str) -> DisputeView:
    """Keep a snapshot of the system's answer (the /ask JSON for the case's text) on the case, so the
    record shows what was proposed at the time even after the graph or index changes. An open or
    researching case becomes `proposed`; a later state is kept."""
    at = _now()
    with _WRITES:
        node = case_node(store, dispute_id)
        state = "proposed" if node["state"] in ("open", "researching") else node["state"]
        _set(store, dispute_id, proposal=json.dumps(snapshot, ensure_ascii=False), proposal_at=at, state=state)
        _log(store, "propose", dispute_id, {"proposal_at": at, "candidates": [
            {"id": c["id"], "name": c["name"], "role": c["role"]} for c in snapshot.get("candidates", [])[:5]]}, actor)
    return case(store, dispute_id)


def decide(store: GraphStore, dispute_id: str, body: DecisionCreate, actor: str) -> DisputeView:
    """Record the decision as a Ruling in the case's jurisdiction: ASSIGNS {role} to each department and
    RESPONSIBLE_FOR {role} on the matter (as a loaded ruling records ownership), DECIDES the matter, CITES the
    basis articles, APPLIES the principle; the case is RESOLVED_BY it and becomes `decided`.

    Everything is checked before anything is written; a second decision is a DisputeConflict."""
    with _WRITES:
        node = case_node(store, dispute_id)
        if node["state"] in ("decided", "closed") or q.dispute_ruling(store, dispute_id):
            raise DisputeConflict(f"dispute {dispute_id} is already {node['state']}", dispute_id)
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
        decided_on = body.decided_on or dt.date.today()
        title = f"关于{node.get('title') or node['text'][:30]}的职责分工裁决"
        ruling = Ruling(title=title, jurisdiction=jur, decided_on=decided_on, decided_by=body.decided_by,
                        summary=body.summary, text=f"{body.summary}\n\n争议：{node['text']}", status="in_force")
        if store.get_node("Ruling", ruling.id) is not None:
            raise DisputeConflict(f"a ruling {title!r} of {decided_on} already exists ({ruling.id})", dispute_id)
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
        store.upsert_nodes(nodes)
        store.upsert_edges(edges, actor=actor)
        _set(store, dispute_id, state="decided", decided_at=_now())
        _log(store, "decide", dispute_id, {"ruling": ruling.id, "matter": matter, "principle": body.principle,
                                           "roles": {f: getattr(body, f) for f in ROLE_FIELDS},
                                           "basis": body.basis}, actor)
    return case(store, dispute_id)
