"""The dispute-case service (cases.disputes) called directly, without HTTP, against the real FalkorDB server:
each step's graph writes and change-log entries, the checks that come before any write, and the errors."""

from __future__ import annotations

import datetime as dt

import pytest

from cases import disputes as svc
from cases.models import DecisionCreate, DisputeCreate, PositionCreate, TransitionCreate
from graph.settings import Settings
from graph.store.base import GraphStore
from tests import owners_kb as kb

ACTOR = "孙审核"
REVIEWER = "周复核"


def can_all(_role: str) -> bool:
    return True


def to_coordination(store: GraphStore, did: str, actor: str = ACTOR) -> svc.DisputeView:
    """Submit the case (a proposal attached) and have another user approve it: 研判 → 审核 → 协调."""
    if not svc.case_node(store, did).get("proposal"):
        svc.attach_proposal(store, did, {"candidates": []}, actor)
    svc.transition(store, did, TransitionCreate(to="reviewing"), actor, can_all)
    return svc.transition(store, did, TransitionCreate(to="coordinating"), REVIEWER, can_all)


def _open(store: GraphStore, text: str = "鲁城街道早市占道摆摊，执法局和市场监管局互相推诿") -> svc.DisputeView:
    return svc.open_case(store, DisputeCreate(text=text, matter=kb.M_STALL.id), kb.LUAN.id, ACTOR)


def test_a_case_from_opening_to_its_ruling(kb_store: GraphStore) -> None:
    view = _open(kb_store)
    did = view.id
    assert view.state == "researching" and view.jurisdiction == kb.LUAN.id and view.matter["id"] == kb.M_STALL.id
    assert view.title == "鲁城街道早市占道摆摊，执法局和市场监管局互相推诿"[:30]
    assert [(h.action, h.actor) for h in view.history] == [("open", ACTOR)]

    # by alias, then the same party changes its mind: the first PARTY edge is ended, not deleted
    svc.add_position(kb_store, did, PositionCreate(department="市综合执法局", stance="refuses", position="不归我们"), ACTOR)
    view = svc.add_position(kb_store, did, PositionCreate(department=kb.ENFORCE.id, stance="claims"), ACTOR)
    assert view.state == "researching"
    assert [(p.stance, p.until is None) for p in view.parties] == [("refuses", False), ("claims", True)]
    assert all(p.department == kb.ENFORCE.id and p.asserted_by == ACTOR for p in view.parties)

    snapshot = {"jurisdiction": kb.LUAN.id, "candidates": [{"id": kb.ENFORCE.id, "name": kb.ENFORCE.name, "role": "lead",
                                                            "score": 0.9}]}
    view = svc.attach_proposal(kb_store, did, snapshot, ACTOR)
    assert view.state == "researching" and view.proposal == snapshot and view.proposal_at
    view = to_coordination(kb_store, did)
    assert view.state == "coordinating"

    decision = DecisionCreate(lead=[kb.ENFORCE.id], cooperate=["市市场监管局"], principle="职责就近",
                              basis=[kb.A_STALL.id], summary="早市占道由执法局牵头，市场监管局配合。",
                              decided_by="鲁安市委编办", decided_on=dt.date(2025, 4, 1))
    view = svc.decide(kb_store, did, decision, ACTOR)
    assert view.state == "decided" and view.decision is not None
    assert {(a.department, a.role) for a in view.decision.assigns} == {(kb.ENFORCE.id, "lead"),
                                                                      (kb.MARKET.id, "cooperate")}
    assert view.decision.basis == [kb.A_STALL.id] and view.decision.principles == ["职责就近"]
    assert view.decision.matters == [kb.M_STALL.id] and view.decision.decided_on == "2025-04-01"
    owners = kb_store.read("MATCH (d:Department)-[e:RESPONSIBLE_FOR]->(:Matter {id: $m}) WHERE e.source = $r "
                           "RETURN d.id AS d, e.role AS role, e.asserted_by AS by",
                           {"m": kb.M_STALL.id, "r": view.decision.ruling})
    assert {(o["d"], o["role"], o["by"]) for o in owners} == {(kb.ENFORCE.id, "lead", ACTOR),
                                                              (kb.MARKET.id, "cooperate", ACTOR)}
    actions = [h.action for h in view.history if h.what == "Dispute"]
    assert actions == ["open", "position", "position", "propose", "transition", "transition", "transition", "decide"]
    assert kb_store.changelog.verify().ok

    # decided: no second decision (the same one again is its retry), no new positions; the listing shows it
    with pytest.raises(svc.DisputeConflict, match="is 裁决 \\(decided\\); a decision is recorded at coordination"):
        svc.decide(kb_store, did, decision.model_copy(update={"decided_on": dt.date(2025, 4, 2)}), ACTOR)
    with pytest.raises(svc.DisputeConflict, match="positions are closed"):
        svc.add_position(kb_store, did, PositionCreate(department=kb.POLICE.id, stance="neutral"), ACTOR)
    assert [c.id for c in svc.list_cases(kb_store, "decided")] == [did]
    assert svc.list_cases(kb_store, "open") == []


def test_a_refused_decision_names_the_field_and_writes_nothing(kb_store: GraphStore) -> None:
    did = _open(kb_store).id
    to_coordination(kb_store, did)
    before = kb_store.counts()
    good = {"lead": [kb.ENFORCE.id], "summary": "由执法局牵头。", "decided_by": "鲁安市委编办"}
    cases = [
        ({"lead": ["鲁安市不存在局"]}, "lead.0", "no department '鲁安市不存在局'"),
        ({"cooperate": [kb.MARKET.id, "鲁安市公安部门"]}, "cooperate.1", "no department"),
        ({"cooperate": [kb.ENFORCE.name]}, "", "named twice"),
        ({"basis": [kb.A_STALL.id, "art:nothing#第1条"]}, "basis.1", "no article 'art:nothing#第1条'"),
        ({"matter": "matter:nothing"}, "matter", "no matter 'matter:nothing'"),
    ]
    for change, field, message in cases:
        with pytest.raises(svc.DisputeInvalid) as caught:
            svc.decide(kb_store, did, DecisionCreate(**{**good, **change}), ACTOR)
        assert caught.value.field == field and message in caught.value.reason, change
    assert kb_store.counts() == before
    assert svc.case(kb_store, did).state == "coordinating"


def test_unknown_cases_and_a_case_opened_twice(kb_store: GraphStore) -> None:
    with pytest.raises(svc.DisputeNotFound, match="no dispute 'dispute:nothing'"):
        svc.case(kb_store, "dispute:nothing")
    with pytest.raises(svc.DisputeNotFound):
        svc.add_position(kb_store, "dispute:nothing", PositionCreate(department=kb.ENFORCE.id, stance="claims"), ACTOR)
    with pytest.raises(svc.DisputeInvalid) as caught:
        svc.open_case(kb_store, DisputeCreate(text="某争议", matter="matter:nothing"), kb.LUAN.id, ACTOR)
    assert caught.value.field == "matter"

    first = _open(kb_store)
    with pytest.raises(svc.DisputeConflict) as again:
        _open(kb_store)
    assert again.value.dispute_id == first.id
    assert len(svc.list_cases(kb_store)) == 1


def test_cli_dispute_show(kb_store: GraphStore, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from api.cli import app
    from graph.settings import get_settings

    did = _open(kb_store).id
    svc.add_position(kb_store, did, PositionCreate(department=kb.MARKET.id, stance="refuses", position="占道归执法局"), ACTOR)
    for key, value in {"DUTYGRAPH_DATA_DIR": str(settings.data_dir), "DUTYGRAPH_GRAPH_URI": settings.graph_uri,
                       "DUTYGRAPH_GRAPH_NAME": settings.graph_name, "COLUMNS": "200"}.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        shown = runner.invoke(app, ["dispute", "show", did])
        assert shown.exit_code == 0, shown.output
        assert f"({did})" in shown.output and "state 研判 (researching)" in shown.output
        assert f"- {kb.MARKET.name}: refuses — 占道归执法局" in shown.output and f"{ACTOR}: position Dispute" in shown.output
        as_json = runner.invoke(app, ["dispute", "show", did, "--format", "json"])
        assert svc.DisputeView.model_validate_json(as_json.output) == svc.case(kb_store, did)
        missing = runner.invoke(app, ["dispute", "show", "dispute:nothing"])
        assert missing.exit_code == 1 and "no dispute 'dispute:nothing'" in missing.output
    finally:
        get_settings.cache_clear()
