"""Bounded work under load: per-caller rate limits (an anonymous flood does not slow a keyed caller), and a
bound on waiting searches that answers 503 with Retry-After instead of queueing without end."""

from __future__ import annotations

import asyncio

import pytest
from fastapi.testclient import TestClient

from api.users import KeyStore
from api.web.app import create_app
from api.web.problems import ProblemError
from api.web.searches import Admission
from graph.settings import Settings
from graph.store.base import GraphStore


def test_an_anonymous_flood_is_refused_per_caller_and_a_keyed_reader_is_not(settings: Settings,
                                                                            store: GraphStore) -> None:
    limited = settings.model_copy(update={"api_rate_anonymous": 20.0, "api_rate_keyed": 600.0})
    ks = KeyStore.for_data_dir(settings.data_dir)
    key = ks.add("读者", "reader")
    ks.close()
    with TestClient(create_app(limited)) as c:
        anonymous = [c.get("/api/v1/departments") for _ in range(12)]
        assert [r.status_code for r in anonymous[:5]] == [200] * 5  # the burst: a quarter minute's worth, at least 5
        refused = [r for r in anonymous if r.status_code == 429]
        assert refused, [r.status_code for r in anonymous]
        assert refused[0].headers["content-type"].startswith("application/problem+json")
        assert int(refused[0].headers["Retry-After"]) >= 1 and "20 requests a minute" in refused[0].json()["detail"]
        # an invented key does not buy a bucket of its own
        assert c.get("/api/v1/departments", headers={"X-API-Key": "dg_invented"}).status_code == 429
        keyed = [c.get("/api/v1/departments", headers={"X-API-Key": key}) for _ in range(12)]
        assert all(r.status_code == 200 for r in keyed), [r.status_code for r in keyed]
        assert c.get("/").status_code == 200  # pages are not limited


def test_searches_past_the_bound_are_refused_at_once() -> None:
    admission = Admission(2)

    async def hold(release: asyncio.Event) -> None:
        with admission.slot():
            await release.wait()

    async def scenario() -> None:
        release = asyncio.Event()
        held = [asyncio.create_task(hold(release)) for _ in range(2)]
        await asyncio.sleep(0)
        with pytest.raises(ProblemError) as refused, admission.slot():
            pass
        assert refused.value.status == 503 and int(refused.value.headers["Retry-After"]) > 0
        release.set()
        await asyncio.gather(*held)
        with admission.slot():  # room again once they are done
            assert admission.active == 1

    asyncio.run(scenario())
