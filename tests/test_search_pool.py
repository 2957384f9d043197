"""`dutygraph serve` answers asks in search processes: same answers as in-process, errors as problems,
and a search process that dies is replaced."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import time

import pytest
from fastapi.testclient import TestClient

from api.web.app import create_app
from api.web.problems import ProblemError
from api.web.searches import ASK_BATCH, SearchPool, _worker_asks, ask_contract
from graph.settings import Settings

ASK = {"text": "小区旁边的停车场每天夜里货车进进出出，噪音吵得睡不着", "jurisdiction": "鲁安市", "top": 5}


def _owners(body: dict) -> list[tuple[str, str, float]]:
    return [(c["id"], c["role"], round(c["score"], 6)) for c in body["candidates"]]


@pytest.mark.slow
def test_pool_answers_like_the_server_process(sample_kb: Settings) -> None:
    with TestClient(create_app(sample_kb)) as inline:
        want = inline.post("/api/v1/ask", json=ASK)
        bad_want = inline.post("/api/v1/ask", json={**ASK, "jurisdiction": "没有这个地方"})
    with TestClient(create_app(sample_kb, search_processes=2)) as pooled:
        pool = pooled.app.state.ctx.searches
        assert isinstance(pool, SearchPool) and len(pool.pids()) == 2 and os.getpid() not in pool.pids()
        got = pooled.post("/api/v1/ask", json=ASK)
        assert got.status_code == want.status_code == 200
        assert _owners(got.json()) and _owners(got.json()) == _owners(want.json())
        assert [r["id"] for r in got.json()["rulings"]] == [r["id"] for r in want.json()["rulings"]]
        bad = pooled.post("/api/v1/ask", json={**ASK, "jurisdiction": "没有这个地方"})
        assert bad.status_code == bad_want.status_code == 404
        assert bad.headers["content-type"].startswith("application/problem+json")
        assert bad.json()["detail"] == bad_want.json()["detail"] and "没有这个地方" in bad.json()["detail"]


@pytest.mark.slow
def test_ask_sends_the_contract_encoded_in_the_search_process(sample_kb: Settings) -> None:
    """POST /ask's body, encoded once by the search process, is the contract a proposal keeps: the same JSON
    (timings aside) as `ask_contract`, aspects included, sent as application/json."""
    compound = {**ASK, "text": "新开的密室逃脱店，里面消防通道堵死了，另外营业执照好像也没有", "split": True}
    with TestClient(create_app(sample_kb)) as inline:
        service = inline.app.state.ctx.searches.service
        want = ask_contract(service, compound["text"], "鲁安市", None, 5, True)
    with TestClient(create_app(sample_kb, search_processes=1)) as pooled:
        got = pooled.post("/api/v1/ask", json=compound)
        assert got.status_code == 200 and got.headers["content-type"] == "application/json"
        assert pooled.app.state.ctx.searches.served == {"ask_json": 1}
    body = got.json()
    assert len(body["aspects"]) >= 2 and body.pop("timings_ms") and want.pop("timings_ms")
    assert body == want


@pytest.mark.slow
def test_a_dead_search_process_is_replaced(sample_kb: Settings) -> None:
    with TestClient(create_app(sample_kb, search_processes=1)) as c:
        pool = c.app.state.ctx.searches
        (pid,) = pool.pids()
        os.kill(pid, signal.SIGKILL)
        time.sleep(0.5)
        r = c.post("/api/v1/ask", json=ASK)
        assert r.status_code == 503 and "restarted" in r.json()["detail"]
        again = c.post("/api/v1/ask", json=ASK)
        assert again.status_code == 200 and again.json()["candidates"]
        assert pool.pids() and pool.pids() != [pid]


@pytest.mark.slow
def test_search_processes_wait_for_an_index_then_pick_up_a_rebuild(settings: Settings, store) -> None:
    """Before any index the pool answers 503 as a problem; after a rebuild its processes reopen the new one."""
    from api.users import KeyStore
    from tests import owners_kb as kb

    kb.build_kb(store)
    keys = KeyStore.for_data_dir(settings.data_dir)
    admin = {"X-API-Key": keys.add("赵管理", "admin")}
    keys.close()
    ask = {"text": "夜里有人在马路上摆摊卖烧烤，占道经营谁来管", "jurisdiction": "鲁安市", "top": 3}
    with TestClient(create_app(settings, search_processes=1)) as c:
        r = c.post("/api/v1/ask", json=ask)
        assert r.status_code == 503 and r.json()["title"] == "Search index unavailable"
        assert c.post("/api/v1/index/rebuild", headers=admin).status_code == 202
        deadline = time.monotonic() + 300
        while c.get("/api/v1/index/status").json()["running"]:
            assert time.monotonic() < deadline, "index rebuild did not finish in 5 minutes"
            time.sleep(0.5)
        r = c.post("/api/v1/ask", json=ask)
        assert r.status_code == 200, r.text
        assert r.json()["candidates"][0]["id"] == kb.ENFORCE.id


@pytest.mark.slow
def test_rulings_and_proposals_are_searched_in_the_search_processes(sample_kb: Settings) -> None:
    """Every search the server runs goes through the pool: /rulings?q= and a dispute's proposal too, with the
    same answers as in-process."""
    with TestClient(create_app(sample_kb)) as inline:
        want = inline.get("/api/v1/rulings", params={"q": "密室逃脱店的消防和内容谁来管", "jurisdiction": "鲁安市"})
    with TestClient(create_app(sample_kb, search_processes=1)) as pooled:
        pool = pooled.app.state.ctx.searches
        got = pooled.get("/api/v1/rulings", params={"q": "密室逃脱店的消防和内容谁来管", "jurisdiction": "鲁安市"})
        assert got.status_code == want.status_code == 200 and pool.served == {"rulings": 1}
        assert [r["id"] for r in got.json()["items"]] == [r["id"] for r in want.json()["items"]] != []
        from api.users import KeyStore

        keys = KeyStore.for_data_dir(sample_kb.data_dir)
        adj = {"X-API-Key": keys.add(f"池测试{os.getpid()}", "adjudicator")}
        keys.close()
        did = pooled.post("/api/v1/disputes", json={"text": "夜市烧烤摊占道经营，油烟扰民"}, headers=adj).json()["id"]
        r = pooled.post(f"/api/v1/disputes/{did}/proposal", headers=adj)
        assert r.status_code == 200, r.text
        assert pool.served == {"rulings": 1, "ask": 1} and r.json()["proposal"]["candidates"]
        # one answer shape: the proposal kept is what /ask answers (and what `dutygraph ask --json` prints)
        answer = pooled.post("/api/v1/ask", json=ASK).json()
        assert set(r.json()["proposal"]) == set(answer) >= {"jurisdiction_name", "timings_ms", "candidates"}
        # gap reports too (their owner suggestions are asks)
        gaps = pooled.get("/api/v1/gaps", params={"kind": "unowned", "jurisdiction": "鲁安"})
        assert gaps.status_code == 200, gaps.text
        assert pool.served.get("gaps") == 1


def _no_timings(body: bytes) -> dict:
    out = json.loads(body)
    out.pop("timings_ms")
    return out


@pytest.mark.slow
def test_asks_that_queue_go_to_a_search_process_together(sample_kb: Settings) -> None:
    """Asks waiting behind a busy search process go to it together, up to ASK_BATCH in one job, and each gets the
    answer it gets alone; one of an unknown place in the same job fails alone, as a problem."""
    texts = [ASK["text"], "新开的密室逃脱店，里面消防通道堵死了，另外营业执照好像也没有", "夜里有人在马路上摆摊卖烧烤，占道经营谁来管",
             "楼下烧烤店油烟大、占道摆桌子、半夜还吵", "小区里有人养狗不拴绳，还到处拉屎"]
    pool = SearchPool(sample_kb, 1)
    sizes: list[int] = []
    submit = pool._executor.submit
    pool._executor.submit = lambda fn, *a: (fn is _worker_asks and sizes.append(len(a[0]))) or submit(fn, *a)

    async def run() -> tuple[list[bytes], list[bytes | BaseException]]:
        await pool.start()
        alone = [await pool.ask_json(t, "鲁安市", None, 5, True) for t in texts]
        sizes.clear()
        together = await asyncio.gather(*(pool.ask_json(t, "鲁安市", None, 5, True) for t in texts),
                                        pool.ask_json("噪音扰民", "没有这个地方", None, 5, True), return_exceptions=True)
        return alone, together

    try:
        alone, together = asyncio.run(run())
    finally:
        pool.close()
    assert sizes == [1, ASK_BATCH, len(texts) + 1 - 1 - ASK_BATCH]  # the first alone (the process was free)
    assert [_no_timings(b) for b in together[:-1]] == [_no_timings(b) for b in alone]  # type: ignore[arg-type]
    assert isinstance(together[-1], ProblemError) and together[-1].status == 404
    assert pool.served == {"ask_json": 2 * len(texts)}


@pytest.mark.slow
def test_asks_a_pool_cannot_take_fail_at_once_each_of_them(sample_kb: Settings) -> None:
    """Asks queued behind a busy process whose batch the executor then refuses (a pool shutting down) each fail
    with that error: none of them waits for ever."""
    pool = SearchPool(sample_kb, 1)

    def refused(fn: object, *args: object) -> None:
        raise RuntimeError("cannot schedule new futures after shutdown")

    async def run() -> list[bytes | BaseException]:
        await pool.start()
        first = asyncio.ensure_future(pool.ask_json(ASK["text"], "鲁安市", None, 5, False))
        await asyncio.sleep(0)  # the first ask is in the one process; the next ones queue behind it
        pool._executor.submit = refused
        queued = [pool.ask_json(t, "鲁安市", None, 5, False) for t in ("噪音扰民", "占道经营", "油烟太大")]
        return await asyncio.wait_for(asyncio.gather(first, *queued, return_exceptions=True), timeout=60)

    try:
        got = asyncio.run(run())
    finally:
        del pool._executor.submit  # the instance attribute goes; the executor's own method is back
        pool.close()
    assert isinstance(got[0], bytes)
    assert len(got) == 4 and all(isinstance(g, RuntimeError) and "shutdown" in str(g) for g in got[1:])
