"""A dispute decision is safe to send again: a client that retries `POST /disputes/{id}/decision` after a dropped
connection gets the decision its first request made, and nothing is written twice (one ruling, one change-log entry
each); a decision cut short between its writes (the deciding process killed) is finished by the retry, on the same
ruling."""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import time
from typing import Any

import pytest
from fastapi.testclient import TestClient

from cases import disputes as svc
from cases.models import DecisionCreate
from graph.settings import Settings
from graph.store import open_store
from graph.store.base import GraphStore
from tests import owners_kb as kb
from tests.test_api_write import _climb_to_coordination, _h
from tests.test_disputes_service import ACTOR, _open, to_coordination

pytest_plugins = ["tests.test_api_write"]  # its kb_store, keys and client fixtures

API = "/api/v1"
DECISION = {"lead": [kb.ENFORCE.id], "cooperate": ["鲁安市市场监督管理局"], "territorial": [kb.STREET.id],
            "principle": "职责就近", "basis": [kb.A_STALL.id], "summary": "早市占道由执法局牵头，市场监管局配合，街道属地巡查。",
            "decided_by": "鲁安市委编办"}


def _rulings_of(store: GraphStore, did: str) -> list[str]:
    return [r["r"] for r in store.read("MATCH (:Dispute {id: $d})-[:RESOLVED_BY]->(r:Ruling) RETURN r.id AS r",
                                       {"d": did})]


def test_a_retried_decision_returns_the_first_and_writes_nothing(client: TestClient, kb_store: GraphStore,
                                                                 keys: dict[str, str]) -> None:
    adj = _h(keys["adjudicator"])
    r = client.post(f"{API}/disputes", json={"text": "鲁城街道早市占道摆摊，执法局和市场监管局互相推诿",
                                             "jurisdiction": "鲁安市", "matter": kb.M_STALL.id}, headers=adj)
    did = r.json()["id"]
    _climb_to_coordination(client, kb_store, did, keys)
    first = client.post(f"{API}/disputes/{did}/decision", json=DECISION, headers=adj)
    assert first.status_code == 201, first.text
    log, counts = kb_store.changelog.head(), kb_store.counts()

    again = client.post(f"{API}/disputes/{did}/decision", json=DECISION, headers=adj)  # the response was lost
    assert again.status_code == 201, again.text
    assert again.json()["decision"] == first.json()["decision"] and again.json()["state"] == "decided"
    assert kb_store.changelog.head() == log and kb_store.counts() == counts
    assert _rulings_of(kb_store, did) == [first.json()["decision"]["ruling"]]

    # another decision on a decided case is still a conflict, not a replay
    other = client.post(f"{API}/disputes/{did}/decision", json={**DECISION, "lead": [kb.MARKET.id],
                                                                 "cooperate": [kb.ENFORCE.id]}, headers=adj)
    assert other.status_code == 409
    assert kb_store.changelog.head() == log
    assert kb_store.changelog.verify().ok


def _decide(settings_json: str, did: str, body: dict[str, Any]) -> None:
    with open_store(Settings.model_validate_json(settings_json)) as store:
        svc.decide(store, did, DecisionCreate(**body), ACTOR)


@pytest.mark.slow
def test_a_decision_cut_short_is_finished_by_the_retry(settings: Settings, kb_store: GraphStore) -> None:
    """The deciding process is killed as soon as its ruling is in the graph, before the case has moved."""
    for attempt in range(5):  # the kill must land between the decision's writes: try a few cases
        did = _open(kb_store, f"鲁城街道早市占道摆摊第{attempt}起，执法局和市场监管局互相推诿").id
        to_coordination(kb_store, did)
        body = {**DECISION, "summary": f"{DECISION['summary']}（{attempt}）"}
        child = mp.get_context("spawn").Process(target=_decide, args=(settings.model_dump_json(), did, body))
        child.start()
        deadline = time.monotonic() + 120
        while child.is_alive() and time.monotonic() < deadline:
            if kb_store.read("MATCH (r:Ruling) WHERE r.summary = $s RETURN r.id AS r", {"s": body["summary"]}):
                os.kill(child.pid, signal.SIGKILL)
                break
            time.sleep(0.002)
        child.join()
        if svc.case_node(kb_store, did)["state"] == "coordinating":
            break
    else:
        pytest.fail("the deciding process finished before it could be killed, 5 times")
    cut = _rulings_of(kb_store, did)
    view = svc.decide(kb_store, did, DecisionCreate(**body), ACTOR)  # the retry
    assert view.state == "decided"
    assert _rulings_of(kb_store, did) == [view.decision.ruling] and set(cut) <= {view.decision.ruling}
    assert len(kb_store.read("MATCH (r:Ruling) WHERE r.summary = $s RETURN r.id AS r", {"s": body["summary"]})) == 1
    decides = [h for h in view.history if h.action == "decide"]
    assert len(decides) == 1
    assigns = [e for e in kb_store.changelog.entries() if e.rel_type == "ASSIGNS" and e.src == view.decision.ruling]
    assert len(assigns) == 3  # written once, by the killed process or by the retry
    report = kb_store.changelog.verify()
    assert report.ok, report.problems
