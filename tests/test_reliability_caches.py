"""The two mechanisms that keep busy readers from redoing whole-graph work: /gaps computes one question (kinds,
place, date, graph version) once however many callers ask it at the same moment, while different dates are
computed side by side; /trace reads the whole change log to verify it only when the log or the graph moved."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.web.app import create_app
from graph.changelog import ChangeLog
from graph.ontology import Department, Matter, ResponsibleFor
from graph.settings import Settings
from graph.store.base import GraphStore

HOLD_S = 3.0  # how long a gap computation is held open, so a second caller surely arrives while it runs
DEPT = Department(name="鲁安市综合行政执法局", jurisdiction="jur:全国/测试市")
OTHER = Department(name="鲁安市市场监督管理局", jurisdiction="jur:全国/测试市")
MATTER = Matter(name="占道经营", path=["市容", "占道经营"])


@pytest.fixture
def client(settings: Settings, store: GraphStore) -> Iterator[TestClient]:
    store.upsert_nodes([MATTER, DEPT, OTHER])
    store.upsert_edges([ResponsibleFor(src=DEPT.id, dst=MATTER.id, source="ruling:a", role="lead")], actor="test")
    with TestClient(create_app(settings)) as c:
        yield c


class _Held:
    """Wraps the app's real gap computation: records how many run at once and holds each open for HOLD_S."""

    def __init__(self, client: TestClient) -> None:
        self.searches = client.app.state.ctx.searches
        self.real = self.searches.gaps
        self.started, self.active, self.peak, self.calls = threading.Event(), 0, 0, 0
        self.searches.gaps = self.gaps

    async def gaps(self, *args: Any) -> Any:
        self.calls += 1
        self.active += 1
        self.peak = max(self.peak, self.active)
        self.started.set()
        try:
            out = await self.real(*args)
            await asyncio.sleep(HOLD_S)
            return out
        finally:
            self.active -= 1


def _two_callers(client: TestClient, held: _Held, first: str, second: str) -> list[int]:
    """GET /gaps as of `first`, and as of `second` once the first is being computed; their statuses."""
    statuses: list[int] = []

    def get(day: str) -> None:
        statuses.append(client.get("/api/v1/gaps", params={"kind": "overlap", "as_of": day}).status_code)

    one = threading.Thread(target=get, args=(first,))
    one.start()
    assert held.started.wait(60), "the first caller's computation never started"
    two = threading.Thread(target=get, args=(second,))
    two.start()
    one.join(120)
    two.join(120)
    return statuses


@pytest.mark.slow
def test_two_callers_of_one_new_date_compute_it_once(client: TestClient) -> None:
    held = _Held(client)
    assert _two_callers(client, held, "2024-05-01", "2024-05-01") == [200, 200]
    assert held.calls == 1 and client.app.state.gaps.computed == 1, "the second caller computed it again"


@pytest.mark.slow
def test_callers_of_different_dates_are_computed_side_by_side(client: TestClient) -> None:
    held = _Held(client)
    assert _two_callers(client, held, "2024-05-01", "2024-06-01") == [200, 200]
    assert held.calls == 2 and held.peak == 2, "the second date waited for the first one's computation"


def test_a_second_trace_reuses_the_check_until_the_log_moves(client: TestClient, store: GraphStore,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Whole-log reads (the chain's check) are counted: one for the first /trace, none for the second, one again
    after a write, whose entry the answer then counts."""
    whole_reads = 0
    entries = ChangeLog.entries

    def counted(self: ChangeLog, edge_keys: list[str] | None = None) -> Any:
        nonlocal whole_reads
        whole_reads += edge_keys is None
        return entries(self, edge_keys)

    monkeypatch.setattr(ChangeLog, "entries", counted)

    def integrity() -> dict[str, Any]:
        r = client.get("/api/v1/trace", params={"matter": MATTER.id})
        assert r.status_code == 200, r.text
        return r.json()["integrity"]

    first = integrity()
    assert whole_reads == 1 and first["ok"], first
    assert integrity() == first and whole_reads == 1, "the second trace read the whole log again"
    store.upsert_edges([ResponsibleFor(src=OTHER.id, dst=MATTER.id, source="ruling:b", role="cooperate")],
                       actor="test")
    after = integrity()
    assert whole_reads == 2, "a trace after a write did not check the log again"
    assert after["ok"] and after["entries"] == first["entries"] + 1 and after["head_seq"] == first["head_seq"] + 1
