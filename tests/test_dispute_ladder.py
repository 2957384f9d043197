"""The review ladder (研判 → 审核 → 协调 → 裁决 → 反馈) and the follow-up of a decision, through the service
against the real FalkorDB server: every move the table allows and every one it refuses, for each role; the
change-log entries with their actors and reasons; acknowledgements and the overdue list counted on the
Chinese working-day calendar (国庆 2026 with its make-up Saturday); cases stored under the old states."""

from __future__ import annotations

import datetime as dt
import itertools
import json

import pytest

from api.users import ROLES, User
from cases import disputes as svc
from cases import ladder
from cases.followup import overdue
from cases.models import AcknowledgementCreate, DecisionCreate, PositionCreate, TransitionCreate
from cases.workdays import add_working_days, is_working_day, working_days_between
from graph.store.base import GraphStore
from tests import owners_kb as kb
from tests.test_disputes_service import ACTOR, REVIEWER, _open, can_all, to_coordination

ADMIN = "赵管理"
NATIONAL_DAY_EVE = dt.date(2026, 9, 30)  # a Wednesday; 10-01..10-07 off, Saturday 10-10 a make-up working day


def _user(role: str, name: str = "某用户") -> User:
    return User(name=name, role=role, created_at="2026-01-01T00:00:00+00:00")  # type: ignore[arg-type]


def _decision(**change) -> DecisionCreate:  # noqa: ANN003
    good = {"lead": [kb.ENFORCE.id], "cooperate": [kb.MARKET.id], "summary": "早市占道由执法局牵头，市场监管局配合。",
            "decided_by": "鲁安市委编办", "decided_on": NATIONAL_DAY_EVE}
    return DecisionCreate(**{**good, **change})


def _state_of(store: GraphStore, did: str) -> str:
    return svc.case_node(store, did)["state"]


def _log_size(store: GraphStore) -> int:
    return len(store.changelog.entries())


# -- the table, exhaustively ---------------------------------------------------------------------------
def test_every_move_for_every_role(kb_store: GraphStore) -> None:
    """Each (from, to) pair for each API role: allowed moves land and log one entry, others are refused with
    the right error and change nothing."""
    did = _open(kb_store).id
    svc.attach_proposal(kb_store, did, {"candidates": []}, ACTOR)
    rank = {r: i for i, r in enumerate(ROLES)}
    allowed = 0
    for src, dst, role in itertools.product(ladder.STATES, ladder.STATES, ROLES):
        kb_store.upsert_node_rows("Dispute", [{"id": did, "props": {"state": src, "submitted_by": "别人"}}])
        before, log = svc.case_node(kb_store, did), _log_size(kb_store)
        user = _user(role)
        body = TransitionCreate(to=dst, reason="理由")
        step = ladder.step(src, dst)
        if step is None or (step.via and rank[role] >= rank[step.role]):
            with pytest.raises(svc.DisputeConflict):
                svc.transition(kb_store, did, body, user.name, user.can)
        elif rank[role] < rank[step.role]:
            with pytest.raises(svc.DisputeForbidden, match=f"needs the role {step.role}"):
                svc.transition(kb_store, did, body, user.name, user.can)
        else:
            view = svc.transition(kb_store, did, body, user.name, user.can)
            assert view.state == dst and _log_size(kb_store) == log + 1, (src, dst, role)
            allowed += 1
            continue
        assert svc.case_node(kb_store, did) == before and _log_size(kb_store) == log, (src, dst, role, "changed")
    # submit: adjudicator, reviewer, admin; approve and 2 returns: reviewer, admin; 4 reopens: admin
    assert allowed == 3 + 2 * 3 + 4
    assert {(s.src, s.dst) for s in ladder.STEPS} >= {("researching", "reviewing"), ("reviewing", "coordinating"),
                                                       ("coordinating", "decided"), ("decided", "fed_back")}


def test_reader_role_may_move_nothing(kb_store: GraphStore) -> None:
    did = _open(kb_store).id
    svc.attach_proposal(kb_store, did, {"candidates": []}, ACTOR)
    reader = _user("reader")
    with pytest.raises(svc.DisputeForbidden):
        svc.transition(kb_store, did, TransitionCreate(to="reviewing"), reader.name, reader.can)
    assert _state_of(kb_store, did) == "researching"


def test_guards_refuse_and_change_nothing(kb_store: GraphStore) -> None:
    did = _open(kb_store).id
    adj, rev = _user("adjudicator", ACTOR), _user("reviewer", REVIEWER)
    log = _log_size(kb_store)
    with pytest.raises(svc.DisputeConflict, match="attach the system's proposal"):
        svc.transition(kb_store, did, TransitionCreate(to="reviewing"), adj.name, adj.can)
    assert _log_size(kb_store) == log and _state_of(kb_store, did) == "researching"

    svc.attach_proposal(kb_store, did, {"candidates": []}, ACTOR)
    svc.transition(kb_store, did, TransitionCreate(to="reviewing"), adj.name, adj.can)
    log = _log_size(kb_store)
    with pytest.raises(svc.DisputeInvalid) as caught:  # a return needs its reason
        svc.transition(kb_store, did, TransitionCreate(to="researching", reason="  "), rev.name, rev.can)
    assert caught.value.field == "reason"
    same = _user("reviewer", ACTOR)  # the submitter holding a reviewer key too: four eyes
    with pytest.raises(svc.DisputeForbidden, match="another reviewer approves it"):
        svc.transition(kb_store, did, TransitionCreate(to="coordinating"), same.name, same.can)
    with pytest.raises(svc.DisputeConflict, match="the proposal is kept as reviewed"):
        svc.attach_proposal(kb_store, did, {"candidates": [{"id": "x", "name": "x", "role": "lead"}]}, ACTOR)
    with pytest.raises(svc.DisputeConflict, match="positions are closed"):
        svc.add_position(kb_store, did, PositionCreate(department=kb.POLICE.id, stance="neutral"), ACTOR)
    with pytest.raises(svc.DisputeConflict, match="a decision is recorded at coordination"):
        svc.decide(kb_store, did, _decision(), ACTOR)
    assert _log_size(kb_store) == log and _state_of(kb_store, did) == "reviewing"


# -- the whole ladder with its change log ----------------------------------------------------------------
def test_the_ladder_end_to_end_with_actors_and_reasons(kb_store: GraphStore) -> None:
    adj, rev, admin = _user("adjudicator", ACTOR), _user("reviewer", REVIEWER), _user("admin", ADMIN)
    did = _open(kb_store).id
    svc.add_position(kb_store, did, PositionCreate(department=kb.MARKET.id, stance="refuses", position="占道归执法局"), ACTOR)
    svc.attach_proposal(kb_store, did, {"candidates": []}, ACTOR)
    svc.transition(kb_store, did, TransitionCreate(to="reviewing"), adj.name, adj.can)
    view = svc.transition(kb_store, did, TransitionCreate(to="researching", reason="缺少三定依据"), rev.name, rev.can)
    assert view.state == "researching" and view.next_steps[0].to == "reviewing"
    svc.transition(kb_store, did, TransitionCreate(to="reviewing"), adj.name, adj.can)
    view = svc.transition(kb_store, did, TransitionCreate(to="coordinating"), rev.name, rev.can)
    assert view.state == "coordinating"
    svc.add_position(kb_store, did, PositionCreate(department=kb.ENFORCE.id, stance="claims"), ACTOR)  # at the meeting
    view = svc.decide(kb_store, did, _decision(ack_days=3), ACTOR)
    assert view.state == "decided" and view.follow_up is not None
    assert [d.department for d in view.follow_up.departments] and all(d.answer is None for d in view.follow_up.departments)
    assert {(n.to, n.role) for n in view.next_steps} == {("fed_back", "adjudicator"), ("coordinating", "admin"),
                                                         ("researching", "admin")}

    moves = [(h.actor, h.payload["from"], h.payload["to"], h.payload["reason"]) for h in view.history
             if h.action == "transition"]
    assert moves == [(ACTOR, "researching", "reviewing", ""), (REVIEWER, "reviewing", "researching", "缺少三定依据"),
                     (ACTOR, "researching", "reviewing", ""), (REVIEWER, "reviewing", "coordinating", ""),
                     (ACTOR, "coordinating", "decided", "")]
    assert kb_store.changelog.verify().ok

    # follow-up: an objection needs its grounds, a stranger to the decision cannot answer
    with pytest.raises(svc.DisputeInvalid) as caught:
        svc.acknowledge(kb_store, did, AcknowledgementCreate(department=kb.MARKET.id, answer="objected"), ACTOR)
    assert caught.value.field == "reason"
    with pytest.raises(svc.DisputeInvalid, match="not assigned by the decision") as caught:
        svc.acknowledge(kb_store, did, AcknowledgementCreate(department=kb.POLICE.id, answer="accepted"), ACTOR)
    assert caught.value.field == "department"
    view = svc.acknowledge(kb_store, did, AcknowledgementCreate(department="市市场监管局", answer="objected",
                                                                reason="油烟不属本局"), "市场监管联络员")
    view = svc.acknowledge(kb_store, did, AcknowledgementCreate(department=kb.ENFORCE.id, answer="accepted"), ACTOR)
    assert view.state == "decided", "an objection stands: not every department has accepted"
    with pytest.raises(svc.DisputeConflict, match="every assigned department has accepted.*鲁安市市场监督管理局"):
        svc.transition(kb_store, did, TransitionCreate(to="fed_back"), adj.name, adj.can)
    view = svc.acknowledge(kb_store, did, AcknowledgementCreate(department=kb.MARKET.id, answer="accepted"), "市场监管联络员")
    assert view.state == "fed_back", "the last acceptance closes the loop"
    answers = {d.department: (d.answer, d.recorded_by) for d in view.follow_up.departments}
    assert answers == {kb.ENFORCE.id: ("accepted", ACTOR), kb.MARKET.id: ("accepted", "市场监管联络员")}
    acks = [(h.actor, h.payload["department"], h.payload["answer"], h.payload["reason"]) for h in view.history
            if h.action == "acknowledge"]
    assert acks == [("市场监管联络员", kb.MARKET.id, "objected", "油烟不属本局"), (ACTOR, kb.ENFORCE.id, "accepted", ""),
                    ("市场监管联络员", kb.MARKET.id, "accepted", "")]
    last = [h for h in view.history if h.action == "transition"][-1]
    assert (last.actor, last.payload["to"]) == ("市场监管联络员", "fed_back")
    with pytest.raises(svc.DisputeConflict):
        svc.acknowledge(kb_store, did, AcknowledgementCreate(department=kb.MARKET.id, answer="accepted"), ACTOR)

    # an admin reopens it; the new decision supersedes the first ruling, whose assignments end
    first = view.decision.ruling
    with pytest.raises(svc.DisputeForbidden):
        svc.transition(kb_store, did, TransitionCreate(to="coordinating", reason="异议"), rev.name, rev.can)
    view = svc.transition(kb_store, did, TransitionCreate(to="coordinating", reason="市场监管局提出新情况"), ADMIN, admin.can)
    assert view.state == "coordinating" and view.follow_up is None
    view = svc.decide(kb_store, did, _decision(lead=[kb.MARKET.id], cooperate=[kb.ENFORCE.id],
                                               decided_on=dt.date(2026, 10, 12)), ACTOR)
    assert view.decision.ruling != first and view.decision.title.endswith("（第2次）")
    assert kb_store.get_node("Ruling", first)["status"] == "superseded"
    ended = kb_store.read("MATCH (:Ruling {id: $r})-[a:ASSIGNS]->() RETURN a.valid_to AS to", {"r": first})
    assert ended and all(r["to"] == "2026-10-12" for r in ended)
    assert {d.department: d.role for d in view.follow_up.departments} == {kb.MARKET.id: "lead", kb.ENFORCE.id: "cooperate"}
    assert all(d.answer is None for d in view.follow_up.departments), "answers to the old ruling do not count"
    assert kb_store.changelog.verify().ok


# -- working days and the overdue list -------------------------------------------------------------------
def test_working_days_follow_the_holiday_notice() -> None:
    assert is_working_day(dt.date(2026, 10, 10)) == (True, False), "Saturday 10-10 is a make-up working day"
    assert is_working_day(dt.date(2026, 10, 5)) == (False, False), "Monday 10-05 is National Day holiday"
    assert is_working_day(dt.date(2026, 9, 20)) == (True, False), "Sunday 09-20 is a make-up working day"
    assert add_working_days(dt.date(2026, 9, 24), 1) == (dt.date(2026, 9, 28), False), "Mid-autumn 09-25..27 off"
    assert add_working_days(NATIONAL_DAY_EVE, 3) == (dt.date(2026, 10, 10), False)
    assert add_working_days(NATIONAL_DAY_EVE, 1) == (dt.date(2026, 10, 8), False)
    assert working_days_between(dt.date(2026, 10, 10), dt.date(2026, 10, 12)) == 1  # Sunday 10-11 off
    # a year the package has no notice for: weekdays, flagged
    due, estimated = add_working_days(dt.date(2099, 1, 2), 1)  # a Friday
    assert (due, estimated) == (dt.date(2099, 1, 5), True)


def test_overdue_across_national_day_and_a_make_up_saturday(kb_store: GraphStore) -> None:
    did = _open(kb_store).id
    to_coordination(kb_store, did)
    view = svc.decide(kb_store, did, _decision(territorial=[kb.STREET.id], ack_days=3), ACTOR)
    assert view.follow_up.due == dt.date(2026, 10, 10) and not view.follow_up.estimated
    svc.acknowledge(kb_store, did, AcknowledgementCreate(department=kb.STREET.id, answer="accepted"), ACTOR)

    assert overdue(kb_store, as_of=dt.date(2026, 10, 5)) == [], "weekdays alone would make it due on 10-05"
    assert overdue(kb_store, as_of=dt.date(2026, 10, 10)) == [], "the make-up Saturday is the last day"
    late = overdue(kb_store, as_of=dt.date(2026, 10, 11))
    assert {(i.department, i.role) for i in late} == {(kb.ENFORCE.id, "lead"), (kb.MARKET.id, "cooperate")}
    assert all(i.dispute == did and i.due == dt.date(2026, 10, 10) and i.working_days_late == 0 for i in late)
    assert {i.working_days_late for i in overdue(kb_store, as_of=dt.date(2026, 10, 13))} == {2}  # Mon, Tue

    # an objection is an answer: no longer overdue; the default limit applies where the decision set none
    svc.acknowledge(kb_store, did, AcknowledgementCreate(department=kb.MARKET.id, answer="objected", reason="不同意"), ACTOR)
    assert [i.department for i in overdue(kb_store, as_of=dt.date(2026, 10, 11))] == [kb.ENFORCE.id]
    kb_store.upsert_node_rows("Dispute", [{"id": did, "props": {"ack_days": None}}])
    assert overdue(kb_store, default_days=5, as_of=dt.date(2026, 10, 13)) == []
    assert [i.due for i in overdue(kb_store, default_days=5, as_of=dt.date(2026, 10, 14))] == [dt.date(2026, 10, 13)]


# -- cases stored before the ladder ----------------------------------------------------------------------
@pytest.mark.parametrize(("old", "new"), [("open", "researching"), ("researching", "researching"),
                                          ("proposed", "researching"), ("decided", "decided"), ("closed", "fed_back")])
def test_cases_in_old_states_still_load(kb_store: GraphStore, old: str, new: str) -> None:
    did = _open(kb_store).id
    kb_store.upsert_node_rows("Dispute", [{"id": did, "props": {"state": old, "proposal": json.dumps({"candidates": []})}}])
    view = svc.case(kb_store, did)
    assert view.state == new and view.text and view.proposal == {"candidates": []}
    assert [c.id for c in svc.list_cases(kb_store, new)] == [did]
    assert [c.state for c in svc.list_cases(kb_store)] == [new]
    assert svc.case_node(kb_store, did)["state"] == old, "read as the new state, nothing rewritten"
    if new == "researching":  # it climbs on from where it is, and then stores the new state
        adj = _user("adjudicator", ACTOR)
        assert svc.transition(kb_store, did, TransitionCreate(to="reviewing"), adj.name, adj.can).state == "reviewing"
        assert _state_of(kb_store, did) == "reviewing"


def test_cli_shows_the_ladder_and_lists_overdue(kb_store: GraphStore, cli_env) -> None:  # noqa: ANN001
    from typer.testing import CliRunner

    from api.cli import app

    did = _open(kb_store).id
    svc.attach_proposal(kb_store, did, {"candidates": []}, ACTOR)
    svc.transition(kb_store, did, TransitionCreate(to="reviewing"), ACTOR, can_all)
    svc.transition(kb_store, did, TransitionCreate(to="researching", reason="补充各方意见"), REVIEWER, can_all)
    to_coordination(kb_store, did)
    svc.decide(kb_store, did, _decision(), ACTOR)
    runner = CliRunner()
    shown = runner.invoke(app, ["dispute", "show", did], env={"COLUMNS": "200"})
    assert shown.exit_code == 0, shown.output
    assert "state 裁决 (decided)" in shown.output
    assert f"{REVIEWER}: transition Dispute 审核 (reviewing) → 研判 (researching) — 补充各方意见" in shown.output
    assert "due 2026-10-10" in shown.output and f"{kb.MARKET.name} (cooperate): " in shown.output

    late = runner.invoke(app, ["dispute", "overdue", "--as-of", "2026-10-12", "--format", "json"])
    assert late.exit_code == 0, late.output
    assert {(i["department"], i["working_days_late"]) for i in json.loads(late.output)} == {(kb.ENFORCE.id, 1),
                                                                                           (kb.MARKET.id, 1)}
    table = runner.invoke(app, ["dispute", "overdue", "--as-of", "2026-10-12"], env={"COLUMNS": "200"})
    assert table.exit_code == 0 and kb.ENFORCE.name in table.output and "2026-10-10" in table.output
    assert "no overdue" in runner.invoke(app, ["dispute", "overdue", "--as-of", "2026-10-10"]).output
    bad = runner.invoke(app, ["dispute", "overdue", "--as-of", "10/12"])
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output
