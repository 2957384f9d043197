"""The API's write side: who may write, uploads checked before anything is stored, dispute cases from
opening to a decision recorded as a Ruling, all against the real FalkorDB server."""

from __future__ import annotations

import io
import json
import time
import zipfile
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.users import KeyStore
from api.web.app import create_app
from graph.settings import Settings
from graph.store.base import GraphStore
from tests import owners_kb as kb

API = "/api/v1"
DUTY_HEADER = "事项编码,事项名称,事项类型,实施依据,责任部门,配合部门,大类,小类\n"
GOOD_DUTY_CSV = DUTY_HEADER + (
    "T-001,对夜间占道烧烤的处罚,行政处罚,,鲁安市综合行政执法局,鲁安市市场监督管理局,占道经营,夜间占道烧烤\n"
    "T-002,对店外经营的处罚,行政处罚,,市综合执法局,,占道经营,店外经营\n"
)


@pytest.fixture
def keys(settings: Settings) -> dict[str, str]:
    ks = KeyStore.for_data_dir(settings.data_dir)
    out = {role: ks.add(name, role) for name, role in
           (("李读者", "reader"), ("王审核", "adjudicator"), ("周复核", "reviewer"), ("赵管理", "admin"))}
    ks.close()
    return out


@pytest.fixture
def client(settings: Settings, kb_store: GraphStore) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as c:
        yield c


def _h(key: str) -> dict[str, str]:
    return {"X-API-Key": key}


def _upload(c: TestClient, kind: str, name: str, content: bytes, key: str | None, **form: str):
    return c.post(f"{API}/ingest/{kind}", files={"file": (name, content)}, data=form or None,
                  headers=_h(key) if key else {})


# -- who may write -----------------------------------------------------------------------------------
def test_writes_need_a_key_and_ingest_needs_admin(client: TestClient, kb_store: GraphStore, keys: dict[str, str]) -> None:
    before = kb_store.counts()
    r = client.post(f"{API}/disputes", json={"text": "夜市烧烤摊占道经营，油烟扰民"})
    assert r.status_code == 401 and r.headers["content-type"].startswith("application/problem+json")
    assert "adjudicator" in r.json()["detail"]
    assert _upload(client, "dutylist", "d.csv", GOOD_DUTY_CSV.encode(), None).status_code == 401
    for role in ("reader", "adjudicator"):
        r = _upload(client, "dutylist", "d.csv", GOOD_DUTY_CSV.encode(), keys[role])
        assert r.status_code == 403, r.text
        assert f"is {role}; this needs admin" in r.json()["detail"]
    r = client.post(f"{API}/disputes", json={"text": "夜市烧烤摊占道经营，油烟扰民"}, headers=_h(keys["reader"]))
    assert r.status_code == 403
    assert client.post(f"{API}/index/rebuild", headers=_h(keys["adjudicator"])).status_code == 403
    assert kb_store.counts() == before


# -- uploads -----------------------------------------------------------------------------------------
def test_malformed_uploads_are_refused_and_store_nothing(settings: Settings, kb_store: GraphStore,
                                                         keys: dict[str, str]) -> None:
    admin = keys["admin"]
    before = kb_store.counts()
    small = settings.model_copy(update={"upload_max_bytes": 1000})
    with TestClient(create_app(small)) as c:
        # a duty list without its 责任部门 column
        r = _upload(c, "dutylist", "没有责任部门.csv", "事项编码,事项名称,配合部门\nX-1,某事项,鲁安市公安局\n".encode(), admin)
        assert r.status_code == 422, r.text
        body = r.json()
        assert body["type"].endswith("/ingest") and "没有责任部门.csv" in body["detail"]
        assert "no column for lead" in body["detail"] and body["errors"][0]["field"] == "file, field lead"
        assert "/uploads/" not in body["detail"], "the server's paths stay private"

        # a bad row: no department at all on row 3
        bad_row = DUTY_HEADER + "T-1,对占道的处罚,行政处罚,,鲁安市公安局,,占道经营,占道\nT-2,无人负责的事项,,,,,占道经营,x\n"
        r = _upload(c, "dutylist", "bad_row.csv", bad_row.encode(), admin)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "file, row 3, field 责任部门"
        assert "no responsible department" in r.json()["detail"]

        # a department the graph does not know
        unknown = DUTY_HEADER + "T-1,对占道的处罚,行政处罚,,鲁安市不存在局,,占道经营,占道\n"
        r = _upload(c, "dutylist", "unknown.csv", unknown.encode(), admin)
        assert r.status_code == 422 and "unknown department '鲁安市不存在局'" in r.json()["detail"]

        # an .xlsx that is not a zip package
        r = _upload(c, "dutylist", "清单.xlsx", b"this is plain text pretending to be a workbook", admin)
        assert r.status_code == 415, r.text
        assert "zip package" in r.json()["detail"] and ".csv, .xlsx" in r.json()["detail"]
        # a zip package that is not a workbook
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("hello.txt", "hi")
        r = _upload(c, "dutylist", "清单.xlsx", buf.getvalue(), admin)
        assert r.status_code == 415 and "not an Excel workbook" in r.json()["detail"]
        # binary content under a text extension, and an extension the kind does not read
        assert _upload(c, "matters", "m.yaml", b"\x00\x01\x02binary", admin).status_code == 415
        r = _upload(c, "matters", "m.pdf", b"%PDF-1.4", admin)
        assert r.status_code == 415 and ".yaml, .yml" in r.json()["detail"]

        # oversized: refused while streaming (Content-Length says so) and never stored
        r = _upload(c, "dutylist", "big.csv", (GOOD_DUTY_CSV * 40).encode(), admin)
        assert r.status_code == 413 and "1000 bytes" in r.json()["detail"]
        # just over the limit for the file itself, within the multipart envelope: counted while copying
        r = _upload(c, "dutylist", "big.csv", (DUTY_HEADER + "x" * 1000).encode(), admin)
        assert r.status_code == 413

        # not multipart at all
        r = c.post(f"{API}/ingest/dutylist", content=GOOD_DUTY_CSV.encode(), headers={**_h(admin), "Content-Type": "text/csv"})
        assert r.status_code == 415
        # an unknown kind is a validation problem naming the path parameter
        r = _upload(c, "spreadsheets", "d.csv", GOOD_DUTY_CSV.encode(), admin)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "path.kind"
    assert kb_store.counts() == before
    assert not (settings.data_dir / "uploads" / "dutylist").exists() or not any((settings.data_dir / "uploads" / "dutylist").iterdir())
    staging = settings.data_dir / "uploads" / ".staging"
    assert not staging.exists() or not any(staging.iterdir()), "staged files are removed"


def test_good_upload_is_stored_and_logged_under_the_admin(client: TestClient, kb_store: GraphStore,
                                                         keys: dict[str, str], settings: Settings) -> None:
    before = kb_store.counts()
    seq_before, _ = kb_store.changelog.head()
    r = _upload(client, "dutylist", "占道清单.csv", GOOD_DUTY_CSV.encode(), keys["admin"], list_id="luan-upload-2025",
                effective="2025-01-01")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["index_stale"] is True and body["file"] == "占道清单.csv"
    assert body["report"]["read"] == 2 and body["report"]["skipped"] == 0 and body["report"]["source"] == "占道清单.csv"
    after = kb_store.counts()
    assert after["Duty"] == before["Duty"] + 2
    assert after["[:HOLDS]"] == before["[:HOLDS]"] + 3
    duty = kb_store.read("MATCH (d:Duty {list: 'luan-upload-2025'}) RETURN d.name AS n ORDER BY n")
    assert [x["n"] for x in duty] == ["对夜间占道烧烤的处罚", "对店外经营的处罚"]
    new = [e for e in kb_store.changelog.entries() if e.seq > seq_before]
    holds = [e for e in new if e.rel_type == "HOLDS"]
    assert len(holds) == 3 and {e.actor for e in holds} == {"赵管理"}
    (ingest,) = [e for e in new if e.action == "ingest"]
    assert ingest.actor == "赵管理" and ingest.rel_type == "dutylist" and ingest.seq == body["logged_as"]
    assert json.loads(ingest.payload)["sha256"] == body["sha256"]
    stored = settings.data_dir / "uploads" / "dutylist" / body["sha256"][:20] / "占道清单.csv"  # kept by content
    assert stored.read_text(encoding="utf-8") == GOOD_DUTY_CSV
    assert kb_store.changelog.verify().ok
    status = client.get(f"{API}/index/status").json()
    assert status["stale"] is True and status["running"] is False

    # the same file again changes nothing in the graph (content-derived ids) but is logged again
    r = _upload(client, "dutylist", "占道清单.csv", GOOD_DUTY_CSV.encode(), keys["admin"], list_id="luan-upload-2025",
                effective="2025-01-01")
    assert r.status_code == 200
    again = kb_store.counts()
    assert again.pop("ChangeLogEntry") == after.pop("ChangeLogEntry") + 1 and again == after


def test_upload_of_a_matter_taxonomy(client: TestClient, kb_store: GraphStore, keys: dict[str, str]) -> None:
    yaml_text = "matters:\n  - name: 噪声\n    children:\n      - name: 夜间施工噪声\n      - name: 广场舞噪声\n"
    r = _upload(client, "matters", "噪声.yaml", yaml_text.encode(), keys["admin"])
    assert r.status_code == 200, r.text
    assert r.json()["report"]["read"] == 3
    names = {x["n"] for x in kb_store.read("MATCH (m:Matter) RETURN m.name AS n")}
    assert {"噪声", "夜间施工噪声", "广场舞噪声"} <= names
    r = _upload(client, "matters", "坏.yaml", b"matters:\n  - name: a\n  - name: a\n", keys["admin"])
    assert r.status_code == 422 and "duplicate matter path" in r.json()["detail"]


# -- dispute cases -----------------------------------------------------------------------------------
def test_dispute_flow_open_positions_decision(client: TestClient, kb_store: GraphStore, keys: dict[str, str]) -> None:
    adj = _h(keys["adjudicator"])
    r = client.post(f"{API}/disputes", json={"text": "鲁城街道夜市烧烤摊占道经营，执法局说归市场监管，市场监管局说归执法局",
                                             "title": "夜市占道烧烤", "jurisdiction": "鲁安市", "matter": kb.M_STALL.id},
                    headers=adj)
    assert r.status_code == 201, r.text
    case = r.json()
    did = case["id"]
    assert r.headers["location"] == f"{API}/disputes/{did}"
    assert case["state"] == "researching" and case["jurisdiction"] == kb.LUAN.id and case["matter"]["id"] == kb.M_STALL.id
    assert [h["action"] for h in case["history"]] == ["open"] and case["history"][0]["actor"] == "王审核"

    # validation names the field
    r = client.post(f"{API}/disputes", json={"text": "另一起争议", "matter": "matter:nothing"}, headers=adj)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "body.matter"
    r = client.post(f"{API}/disputes", json={"text": "另一起争议", "jurisdiction": "火星市"}, headers=adj)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "body.jurisdiction"
    r = client.post(f"{API}/disputes/{did}/positions", json={"department": "鲁安市不存在局", "stance": "refuses"}, headers=adj)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "body.department"
    r = client.post(f"{API}/disputes/{did}/positions", json={"department": kb.MARKET.id, "stance": "maybe"}, headers=adj)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "body.stance"

    # two parties: by alias and by id; the enforcement bureau later changes its position
    r = client.post(f"{API}/disputes/{did}/positions", json={"department": "市综合执法局", "stance": "refuses",
                                                             "position": "烧烤油烟属于餐饮经营，应由市场监管处理。"}, headers=adj)
    assert r.status_code == 201, r.text
    r = client.post(f"{API}/disputes/{did}/positions", json={"department": kb.MARKET.id, "stance": "refuses",
                                                             "position": "占道属于市容管理。"}, headers=adj)
    assert r.status_code == 201
    r = client.post(f"{API}/disputes/{did}/positions", json={"department": kb.ENFORCE.id, "stance": "claims",
                                                             "position": "同意牵头查处占道，油烟由市场监管配合。"}, headers=adj)
    view = r.json()
    assert view["state"] == "researching"
    current = {p["department"]: p for p in view["parties"] if p["until"] is None}
    assert current[kb.ENFORCE.id]["stance"] == "claims" and current[kb.MARKET.id]["stance"] == "refuses"
    assert len(view["parties"]) == 3 and all(p["asserted_by"] == "王审核" for p in view["parties"])

    decision = {"lead": [kb.ENFORCE.id], "cooperate": ["鲁安市市场监督管理局"], "territorial": [kb.STREET.id],
                "principle": "谁出面处置最有效", "basis": [kb.A_STALL.id], "summary": "夜市占道烧烤由综合执法局牵头查处，"
                "市场监管局配合查处油烟，街道属地巡查。", "decided_by": "鲁安市委编办", "decided_on": "2025-03-01"}
    r = client.post(f"{API}/disputes/{did}/decision", json=decision, headers=adj)
    assert r.status_code == 409 and "a decision is recorded at coordination" in r.json()["detail"], "not reviewed yet"
    _climb_to_coordination(client, kb_store, did, keys)
    r = client.post(f"{API}/disputes/{did}/decision", json={**decision, "basis": ["art:nothing#第1条"]}, headers=adj)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "body.basis.0"
    r = client.post(f"{API}/disputes/{did}/decision", json={**decision, "cooperate": [kb.ENFORCE.id]}, headers=adj)
    assert r.status_code == 422 and "two roles" in r.json()["detail"]
    assert client.post(f"{API}/disputes/{did}/decision", json=decision).status_code == 401

    r = client.post(f"{API}/disputes/{did}/decision", json=decision, headers=adj)
    assert r.status_code == 201, r.text
    view = r.json()
    assert view["state"] == "decided"
    rid = view["decision"]["ruling"]
    assert {(a["department"], a["role"]) for a in view["decision"]["assigns"]} == {
        (kb.ENFORCE.id, "lead"), (kb.MARKET.id, "cooperate"), (kb.STREET.id, "territorial")}
    assert view["decision"]["principles"] == ["谁出面处置最有效"] and view["decision"]["basis"] == [kb.A_STALL.id]

    ruling = kb_store.get_node("Ruling", rid)
    assert ruling["jurisdiction"] == kb.LUAN.id and ruling["decided_by"] == "鲁安市委编办"
    assert ruling["decided_on"] == "2025-03-01"
    links = kb_store.read(
        "MATCH (d:Dispute {id: $d})-[:RESOLVED_BY]->(r:Ruling {id: $r}) "
        "OPTIONAL MATCH (r)-[:DECIDES]->(m:Matter) OPTIONAL MATCH (r)-[:IN]->(j:Jurisdiction) "
        "RETURN m.id AS m, j.id AS j", {"d": did, "r": rid})
    assert links == [{"m": kb.M_STALL.id, "j": kb.LUAN.id}]
    owners = kb_store.read("MATCH (x:Department)-[e:RESPONSIBLE_FOR]->(:Matter {id: $m}) WHERE e.source = $r "
                           "RETURN x.id AS d, e.role AS role, e.asserted_by AS by", {"m": kb.M_STALL.id, "r": rid})
    assert {(o["d"], o["role"]) for o in owners} == {(kb.ENFORCE.id, "lead"), (kb.MARKET.id, "cooperate"),
                                                    (kb.STREET.id, "territorial")}
    assert {o["by"] for o in owners} == {"王审核"}

    assigns = [e for e in kb_store.changelog.entries() if e.rel_type == "ASSIGNS" and e.src == rid]
    assert len(assigns) == 3 and {e.actor for e in assigns} == {"王审核"}
    assert kb_store.changelog.verify().ok

    # the case page's history: who did what, including the ruling's assignments
    view = client.get(f"{API}/disputes/{did}").json()
    actions = [(h["action"], h["what"]) for h in view["history"]]
    assert ("transition", "Dispute") in actions
    assert actions[:4] == [("open", "Dispute"), ("position", "Dispute"), ("position", "Dispute"), ("position", "Dispute")]
    assert ("decide", "Dispute") in actions and actions.count(("assert", "ASSIGNS")) == 3
    assert {h["actor"] for h in view["history"]} == {"王审核", "周复核"}

    # decided once: a second decision and new positions are conflicts
    r = client.post(f"{API}/disputes/{did}/decision", json={**decision, "decided_on": "2025-03-02"}, headers=adj)
    assert r.status_code == 409 and r.headers["content-type"].startswith("application/problem+json")
    r = client.post(f"{API}/disputes/{did}/positions", json={"department": kb.POLICE.id, "stance": "neutral"}, headers=adj)
    assert r.status_code == 409

    # listing and filtering (reads are open)
    page = client.get(f"{API}/disputes", params={"state": "decided"}).json()
    assert page["total"] == 1 and page["items"][0]["id"] == did
    assert client.get(f"{API}/disputes", params={"state": "researching"}).json()["total"] == 0
    assert client.get(f"{API}/disputes", params={"state": "lost"}).status_code == 422
    assert client.get(f"{API}/disputes/dispute:nothing").status_code == 404


def _climb_to_coordination(client: TestClient, store: GraphStore, did: str, keys: dict[str, str]) -> None:
    """研判 → 审核 → 协调 over the API: a proposal snapshot is kept (no search index in these tests), the
    adjudicator submits, the reviewer approves."""
    store.upsert_node_rows("Dispute", [{"id": did, "props": {"proposal": json.dumps({"candidates": []})}}])
    for to, key in (("reviewing", "adjudicator"), ("coordinating", "reviewer")):
        r = client.post(f"{API}/disputes/{did}/transitions", json={"to": to}, headers=_h(keys[key]))
        assert r.status_code == 201 and r.json()["state"] == to, r.text


def test_review_ladder_and_follow_up_over_http(client: TestClient, kb_store: GraphStore, keys: dict[str, str]) -> None:
    adj, rev, admin, reader = (_h(keys[k]) for k in ("adjudicator", "reviewer", "admin", "reader"))
    did = client.post(f"{API}/disputes", json={"text": "早市占道摆摊，两个部门互相推", "jurisdiction": "鲁安市",
                                               "matter": kb.M_STALL.id}, headers=adj).json()["id"]
    url = f"{API}/disputes/{did}/transitions"

    def refused(r, status: int, what: str) -> None:  # noqa: ANN001
        assert r.status_code == status and r.headers["content-type"].startswith("application/problem+json"), r.text
        assert what in r.json()["detail"] and r.json()["status"] == status

    before = client.get(f"{API}/disputes/{did}").json()
    refused(client.post(url, json={"to": "reviewing"}, headers=adj), 409, "attach the system's proposal")
    kb_store.upsert_node_rows("Dispute", [{"id": did, "props": {"proposal": json.dumps({"candidates": []})}}])
    before = client.get(f"{API}/disputes/{did}").json()
    refused(client.post(url, json={"to": "reviewing"}, headers=reader), 403, "needs adjudicator or above")
    assert client.post(url, json={"to": "reviewing"}).status_code == 401
    refused(client.post(url, json={"to": "decided"}, headers=adj), 409, "cannot move to 裁决 (decided)")
    r = client.post(url, json={"to": "sideways"}, headers=adj)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "body.to"
    assert client.get(f"{API}/disputes/{did}").json() == before, "refused moves change nothing"

    r = client.post(url, json={"to": "reviewing"}, headers=adj)
    assert r.status_code == 201 and r.json()["state"] == "reviewing"
    assert {(n["to"], n["role"], n["reason_required"]) for n in r.json()["next_steps"]} == {
        ("coordinating", "reviewer", False), ("researching", "reviewer", True)}
    before = client.get(f"{API}/disputes/{did}").json()
    refused(client.post(url, json={"to": "coordinating"}, headers=adj), 403, "needs the role reviewer")
    r = client.post(url, json={"to": "researching"}, headers=rev)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "body.reason"
    assert client.get(f"{API}/disputes/{did}").json() == before
    assert client.post(url, json={"to": "coordinating"}, headers=rev).json()["state"] == "coordinating"

    decision = {"lead": [kb.ENFORCE.id], "cooperate": [kb.MARKET.id], "summary": "由执法局牵头，市场监管局配合。",
                "decided_by": "鲁安市委编办", "decided_on": "2026-09-30", "ack_days": 3}
    view = client.post(f"{API}/disputes/{did}/decision", json=decision, headers=adj).json()
    assert view["state"] == "decided" and view["follow_up"]["due"] == "2026-10-10"

    acks = f"{API}/disputes/{did}/acknowledgements"
    r = client.post(acks, json={"department": kb.MARKET.id, "answer": "objected"}, headers=adj)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "body.reason"
    r = client.post(acks, json={"department": kb.POLICE.id, "answer": "accepted"}, headers=adj)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "body.department"
    assert client.post(acks, json={"department": kb.MARKET.id, "answer": "accepted"}, headers=reader).status_code == 403

    late = client.get(f"{API}/disputes/overdue", params={"as_of": "2026-10-12"}).json()
    assert late["total"] == 2 and {i["department"] for i in late["items"]} == {kb.ENFORCE.id, kb.MARKET.id}
    assert client.get(f"{API}/disputes/overdue", params={"as_of": "2026-10-10"}).json()["total"] == 0
    for bad in ("10/12", "2026-13-45"):
        r = client.get(f"{API}/disputes/overdue", params={"as_of": bad})
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "query.as_of"

    assert client.post(acks, json={"department": "市综合执法局", "answer": "accepted"}, headers=adj).status_code == 201
    r = client.post(acks, json={"department": kb.MARKET.id, "answer": "accepted"}, headers=adj)
    assert r.status_code == 201 and r.json()["state"] == "fed_back"
    assert client.get(f"{API}/disputes/overdue", params={"as_of": "2026-10-12"}).json()["total"] == 0
    refused(client.post(url, json={"to": "coordinating", "reason": "异议"}, headers=rev), 403, "needs the role admin")
    r = client.post(url, json={"to": "coordinating", "reason": "市场监管局提出新情况"}, headers=admin)
    assert r.status_code == 201 and r.json()["state"] == "coordinating"
    moves = [(h["actor"], h["payload"]["to"], h["payload"]["reason"]) for h in r.json()["history"]
             if h["action"] == "transition"]
    assert moves == [("王审核", "reviewing", ""), ("周复核", "coordinating", ""), ("王审核", "decided", ""),
                     ("王审核", "fed_back", "every assigned department accepted"),
                     ("赵管理", "coordinating", "市场监管局提出新情况")]
    assert client.get(f"{API}/disputes", params={"state": "coordinating"}).json()["total"] == 1


def test_opening_the_same_dispute_twice_is_a_conflict(client: TestClient, keys: dict[str, str]) -> None:
    body = {"text": "小区门口早市占道，垃圾无人清理", "jurisdiction": "鲁安市"}
    first = client.post(f"{API}/disputes", json=body, headers=_h(keys["adjudicator"]))
    assert first.status_code == 201
    again = client.post(f"{API}/disputes", json=body, headers=_h(keys["adjudicator"]))
    assert again.status_code == 409 and again.headers["location"] == first.headers["location"]


def test_proposal_without_an_index_is_a_503(client: TestClient, keys: dict[str, str]) -> None:
    did = client.post(f"{API}/disputes", json={"text": "夜市烧烤摊占道经营"}, headers=_h(keys["adjudicator"])).json()["id"]
    r = client.post(f"{API}/disputes/{did}/proposal", headers=_h(keys["adjudicator"]))
    assert r.status_code == 503 and r.json()["title"] == "Search index unavailable"


@pytest.mark.slow
def test_index_rebuild_then_proposal(client: TestClient, kb_store: GraphStore, keys: dict[str, str]) -> None:
    admin, adj = _h(keys["admin"]), _h(keys["adjudicator"])
    r = client.post(f"{API}/index/rebuild", headers=admin)
    assert r.status_code == 202 and r.json()["running"] is True
    assert client.post(f"{API}/index/rebuild", headers=admin).status_code == 409, "one rebuild at a time"
    deadline = time.monotonic() + 300
    while (status := client.get(f"{API}/index/status").json())["running"]:
        assert time.monotonic() < deadline, "index rebuild did not finish in 5 minutes"
        time.sleep(0.5)
    assert status["error"] is None and status["units"] and status["started_by"] == "赵管理"
    assert status["stale"] is False, status["stale_reasons"]

    did = client.post(f"{API}/disputes", json={"text": "夜里有人在马路上摆摊卖烧烤，占道经营谁来管", "jurisdiction": "鲁安市"},
                      headers=adj).json()["id"]
    r = client.post(f"{API}/disputes/{did}/proposal", headers=adj)
    assert r.status_code == 200, r.text
    view = r.json()
    assert view["state"] == "researching" and view["proposal_at"]
    proposal = view["proposal"]
    assert proposal["jurisdiction"] == kb.LUAN.id and proposal["candidates"]
    assert proposal["candidates"][0]["id"] == kb.ENFORCE.id
    again = client.get(f"{API}/disputes/{did}").json()
    assert again["proposal"] == proposal
    (entry,) = [h for h in again["history"] if h["action"] == "propose"]
    assert entry["actor"] == "王审核" and entry["payload"]["candidates"][0]["id"] == kb.ENFORCE.id


def test_upload_of_a_ruling_uses_the_rulings_loader(client: TestClient, kb_store: GraphStore, keys: dict[str, str]) -> None:
    text = ("title: 关于早市占道管理职责的意见\njurisdiction: 全国/山东省/潍坊市/鲁安市\ndecided_on: 2024-05-01\n"
            "decided_by: 鲁安市委编办\nmatter: 早市管理\nparties:\n  - {name: 鲁安市综合行政执法局, role: lead}\n"
            "  - {name: 鲁安市市场监督管理局, role: cooperate}\nprinciples: [属地管理]\n")
    r = _upload(client, "rulings", "早市.yaml", text.encode(), keys["admin"])
    assert r.status_code == 200, r.text
    assert r.json()["report"]["written"] == 1
    rows = kb_store.read("MATCH (r:Ruling {title: '关于早市占道管理职责的意见'})-[a:ASSIGNS]->(d:Department) "
                         "RETURN d.id AS d, a.role AS role, a.asserted_by AS by")
    assert {(x["d"], x["role"], x["by"]) for x in rows} == {(kb.ENFORCE.id, "lead", "赵管理"),
                                                          (kb.MARKET.id, "cooperate", "赵管理")}
    r = _upload(client, "rulings", "坏.yaml", "title: x\nparties: [{name: 某局, role: boss}]\n".encode(), keys["admin"])
    assert r.status_code == 422 and r.json()["errors"][0]["field"].startswith("file")
