"""One search service, one place model: a place given as full name, short name or id answers alike on every
route and the CLI, and a running server's next ask sees a write made by an upload."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.users import KeyStore
from api.web.app import create_app
from graph.settings import Settings, get_settings
from graph.store import open_store

API = "/api/v1"
DISPUTE = "夜市烧烤摊占着马路经营，油烟和噪音扰民，到底谁来管"


def _place_forms(settings: Settings) -> list[str]:
    with open_store(settings, schema=False) as store:
        rows = store.read("MATCH (j:Jurisdiction {name: $n}) RETURN j.id AS id", {"n": "鲁安市"})
    return ["鲁安市", "鲁安", rows[0]["id"]]


@pytest.fixture(scope="module")
def sample_client(sample_kb: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(sample_kb)) as c:
        yield c


@pytest.mark.slow
def test_a_place_three_ways_answers_alike_on_every_route(sample_kb: Settings, sample_client: TestClient) -> None:
    forms = _place_forms(sample_kb)
    asks = [sample_client.post(f"{API}/ask", json={"text": DISPUTE, "jurisdiction": f, "top": 5}) for f in forms]
    assert all(r.status_code == 200 for r in asks), [r.text for r in asks]
    owners = [[(c["id"], c["role"], c["score"]) for c in r.json()["candidates"]] for r in asks]
    assert owners[0] and owners[0] == owners[1] == owners[2]
    assert {r.json()["jurisdiction"] for r in asks} == {forms[2]}
    assert {r.json()["jurisdiction_name"] for r in asks} == {"鲁安市"}

    def same(path: str, key: str, **params: str) -> None:
        answers = [sample_client.get(f"{API}{path}", params={**params, "jurisdiction": f}) for f in forms]
        assert all(r.status_code == 200 for r in answers), [r.text for r in answers]
        ids = [[i[key] for i in r.json()["items"]] for r in answers]
        assert ids[0] == ids[1] == ids[2], path

    same("/gaps", "subject", kind="unowned")
    same("/rulings", "id", q=DISPUTE)
    same("/rulings", "id")
    same("/departments", "id")
    # an unknown place is the same problem on every route, naming what was given
    bad = [sample_client.post(f"{API}/ask", json={"text": DISPUTE, "jurisdiction": "鲁安县城"}),
           sample_client.get(f"{API}/gaps", params={"jurisdiction": "鲁安县城"}),
           sample_client.get(f"{API}/rulings", params={"q": DISPUTE, "jurisdiction": "鲁安县城"})]
    assert {r.status_code for r in bad} == {404}
    assert all("鲁安县城" in r.json()["detail"] and r.json()["type"].endswith("unknown-place") for r in bad)


@pytest.mark.slow
def test_a_place_three_ways_answers_alike_in_the_cli(sample_kb: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    from api.cli import app

    monkeypatch.setenv("DUTYGRAPH_GRAPH_URI", sample_kb.graph_uri)
    monkeypatch.setenv("DUTYGRAPH_GRAPH_NAME", sample_kb.graph_name)
    monkeypatch.setenv("DUTYGRAPH_DATA_DIR", str(sample_kb.data_dir))
    get_settings.cache_clear()
    try:
        outs = [CliRunner().invoke(app, ["ask", DISPUTE, "-j", f, "--top", "5", "--json"])
                for f in _place_forms(sample_kb)]
        assert all(o.exit_code == 0 for o in outs), [o.output[-500:] for o in outs]
        owners = [[c["id"] for c in json.loads(o.output)["candidates"]] for o in outs]
        assert owners[0] and owners[0] == owners[1] == owners[2]
        gaps = [CliRunner().invoke(app, ["gaps", "--kind", "unowned", "--jurisdiction", f, "--json"])
                for f in _place_forms(sample_kb)]
        assert all(o.exit_code == 0 for o in gaps), [o.output[-500:] for o in gaps]
        subjects = [[i["subject"] for i in json.loads(o.output)] for o in gaps]
        assert subjects[0] == subjects[1] == subjects[2]
    finally:
        get_settings.cache_clear()


RENAMED = """
jurisdiction:
  - {name: 全国, level: 全国}
  - {name: 山东省, level: 省}
  - {name: 潍坊市, level: 市}
  - {name: 鲁安市, level: 县}
departments:
  - name: 鲁安市城市管理局
    short: [市城管局]
    former:
      - {name: 鲁安市综合行政执法局, until: 2026}
"""


@pytest.mark.slow
def test_an_upload_that_renames_a_department_is_seen_by_the_next_ask(settings: Settings, store) -> None:
    """The search processes keep what they derive from the graph only while it is unchanged: after an upload
    renames a department (the directory's new name, its old one as `former`), the very next ask — in another
    process — knows the new short name."""
    from search.embedders import make_embedder
    from search.index_build import build_indexes
    from tests import owners_kb as kb

    kb.build_kb(store)
    build_indexes(store, settings, embedder=make_embedder("e5q4", settings))
    keys = KeyStore.for_data_dir(settings.data_dir)
    admin = {"X-API-Key": keys.add("孙管理", "admin")}
    keys.close()
    ask = {"text": "夜里有人在马路上摆摊卖烧烤，占道经营谁来管", "jurisdiction": "鲁安市", "top": 3}
    with TestClient(create_app(settings, search_processes=1)) as c:
        before = c.post(f"{API}/ask", json=ask).json()["candidates"][0]
        assert before["name"] == "鲁安市综合行政执法局"
        named = c.post(f"{API}/ask", json={**ask, "text": "市城管局说占道摆摊不归它管"}).json()
        assert "市城管局" not in named["named_departments"]
        up = c.post(f"{API}/ingest/departments", files={"file": ("部门.yaml", RENAMED.encode())}, headers=admin)
        assert up.status_code in (200, 201), up.text
        named = c.post(f"{API}/ask", json={**ask, "text": "市城管局说占道摆摊不归它管"}).json()
        assert "市城管局" in named["named_departments"]
        assert c.app.state.ctx.searches.served["ask_json"] == 3


@pytest.mark.slow
def test_a_compound_dispute_is_answered_per_aspect(sample_client: TestClient) -> None:
    """问题拆分法: each matter its own lead, cooperating bodies with their task, basis and rulings; a dispute of
    one matter answers as before, and `split: false` turns splitting off."""
    text = "新开的密室逃脱店，里面消防通道堵死了，另外营业执照好像也没有"
    body = sample_client.post(f"{API}/ask", json={"text": text, "jurisdiction": "鲁安市", "top": 5}).json()
    aspects = body["aspects"]
    assert len(aspects) >= 2 and len({a["name"] for a in aspects}) == len(aspects)
    leads = {a["text"]: a["lead"][0]["name"] for a in aspects}
    assert leads["里面消防通道堵死了"] == "鲁安市消防救援大队"
    assert leads["营业执照好像也没有"] == "鲁安市市场监督管理局"
    terms = {a["text"]: a["searched_terms"] for a in aspects}  # each aspect's own words, as the lexicon read them
    assert "消防车通道" in terms["里面消防通道堵死了"] and "无照经营" in terms["营业执照好像也没有"]
    for a in aspects:
        assert a["candidates"] and a["lead"][0]["id"] == a["candidates"][0]["id"] or a["lead"][0]["id"] in {
            c["id"] for c in a["candidates"]}
        assert all(p["task"] for p in a["cooperating"]), "a cooperating body is named with its task"
    off = sample_client.post(f"{API}/ask", json={"text": text, "jurisdiction": "鲁安市", "top": 5, "split": False}).json()
    assert off["aspects"] == [] and off["candidates"] == body["candidates"]
    single = sample_client.post(f"{API}/ask", json={"text": "楼下饭店的油烟机正对着我家窗户排", "jurisdiction": "鲁安市"})
    assert single.json()["aspects"] == []


@pytest.mark.slow
def test_an_adjudicator_redraws_the_aspects_before_the_proposal(sample_kb: Settings, sample_client: TestClient) -> None:
    """Merged, split or renamed on the case page, the aspects sent with the proposal replace the automatic split,
    each answered on its own; without them the proposal is split automatically."""
    keys = KeyStore.for_data_dir(sample_kb.data_dir)
    adj = {"X-API-Key": keys.add("周研判", "adjudicator")}
    keys.close()
    text = "楼下烧烤店油烟大、占道摆桌子、半夜还吵"
    case = sample_client.post(f"{API}/disputes", json={"text": text, "jurisdiction": "鲁安市"}, headers=adj)
    assert case.status_code in (200, 201), case.text
    did = case.json()["id"]
    auto = sample_client.post(f"{API}/disputes/{did}/proposal", headers=adj)
    assert auto.status_code == 200, auto.text
    assert len(auto.json()["proposal"]["aspects"]) >= 2
    drawn = [{"name": "油烟和噪声扰民", "text": "楼下烧烤店油烟大；楼下烧烤店半夜还吵"},
             {"name": "占道经营", "text": "楼下烧烤店占道摆桌子"}]
    redrawn = sample_client.post(f"{API}/disputes/{did}/proposal", json={"aspects": drawn}, headers=adj)
    assert redrawn.status_code == 200, redrawn.text
    got = redrawn.json()["proposal"]["aspects"]
    assert [(a["name"], a["text"]) for a in got] == [(a["name"], a["text"]) for a in drawn]
    assert all(a["lead"] and a["candidates"] for a in got)
    bad = sample_client.post(f"{API}/disputes/{did}/proposal", json={"aspects": [{"name": "", "text": "x"}]},
                             headers=adj)
    assert bad.status_code == 422


@pytest.mark.slow
def test_a_split_ask_embeds_once_and_reads_the_graph_version_once(sample_kb: Settings,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A compound dispute and its statements are embedded in one batch and the graph's version is read once for
    the whole ask, and the answer is the one the dispute got with each embedded and each version read alone. An
    aspect that joins statements (油烟大；半夜还吵) is asked on their joined text, known only once the split is made:
    that text, and only that, is embedded on its own."""
    import contextlib

    from graph.store.base import _VERSION, GraphStore
    from search.retriever import Retriever
    from search.service import SearchService

    text = "楼下烧烤店油烟大、占道摆桌子、半夜还吵"
    given = [("油烟和噪声扰民", "楼下烧烤店油烟大；楼下烧烤店半夜还吵"), ("占道经营", "楼下烧烤店占道摆桌子")]
    with open_store(sample_kb.model_copy(update={"query_cache": 0}), schema=False) as store:
        service = SearchService.open(sample_kb.model_copy(update={"query_cache": 0}), store)
        try:
            emb = service.index.get().tiers[0].embedder
            alone, reads = [], []
            monkeypatch.setattr(emb, "embed_query", lambda t, f=emb.embed_query: alone.append(t) or f(t))
            monkeypatch.setattr(store, "read", lambda q, p=None, f=store.read: reads.append(q) or f(q, p))

            def answers() -> list[dict]:
                out = [service.ask(text, "鲁安市", k=5, split=True).contract(),
                       service.ask(text, "鲁安市", k=5, aspects=given).contract()]
                return [{k: v for k, v in a.items() if k != "timings_ms"} for a in out]

            batched = answers()
            joined = [a for a in batched[0]["aspects"] if "；" in a["text"]]  # the words of each statement it joins
            assert len(batched[0]["aspects"]) >= 2 and joined  # the dispute's aspects, one of them joined
            assert len(alone) == len(joined) and all("；" in t for t in alone), alone  # every other text: the batches
            assert reads.count(_VERSION) == 2  # once per ask
            monkeypatch.setattr(Retriever, "embedded_together", lambda self, texts: contextlib.nullcontext())
            monkeypatch.setattr(GraphStore, "one_version", lambda self: contextlib.nullcontext())
            assert answers() == batched and len(alone) > 4 and reads.count(_VERSION) > 10
        finally:
            service.close()


@pytest.mark.slow
def test_a_split_ask_takes_the_indexes_once(sample_kb: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """A compound dispute's statements and aspects search the indexes the ask itself took: the index source (a
    server's stats the manifest, to see a rebuild) is asked once per ask, not once per statement and aspect, and
    the answer is the one each of them got taking the indexes again."""
    import contextlib

    from search.service import SearchService

    text = "楼下烧烤店油烟大、占道摆桌子、半夜还吵"
    with open_store(sample_kb, schema=False) as store:
        service = SearchService.open(sample_kb, store)
        try:
            taken: list[int] = []
            source = service.index
            monkeypatch.setattr(source, "get", lambda f=source.get: taken.append(1) or f())

            def answer() -> dict:
                return {k: v for k, v in service.ask(text, "鲁安市", k=5, split=True).contract().items()
                        if k != "timings_ms"}

            held = answer()
            assert len(held["aspects"]) >= 2 and len(taken) == 1
            assert answer() == held and len(taken) == 2  # the next ask takes them anew (a rebuild may have swapped them)
            monkeypatch.setattr(SearchService, "_one_index", lambda self: contextlib.nullcontext())
            taken.clear()
            assert answer() == held and len(taken) > 2
        finally:
            service.close()


@pytest.mark.slow
def test_asks_together_embed_in_one_batch_and_answer_as_alone(sample_kb: Settings,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Several asks handed to a search process at once (a split dispute, a plain one, one of an unknown place):
    every text the known ones embed goes through the encoder in one batch, the graph's version is read once for
    all, and each answer is the one it gets asked alone; the unknown place is still reported by its own ask."""
    from graph.errors import DutygraphError
    from graph.store.base import _VERSION
    from search.service import SearchService

    asks = [("楼下烧烤店油烟大、占道摆桌子、半夜还吵", "鲁安市", True), ("夜里有人在马路上摆摊卖烧烤", "鲁安市", False),
            ("噪音扰民谁来管", "没有这个地方", True)]
    s = sample_kb.model_copy(update={"query_cache": 0})
    with open_store(s, schema=False) as store:
        service = SearchService.open(s, store)
        try:
            def answer(text: str, place: str, split: bool) -> dict:
                out = service.ask(text, place, k=5, split=split).contract()
                return {k: v for k, v in out.items() if k != "timings_ms"}

            alone = [answer(*a) for a in asks[:2]]
            emb = service.index.get().tiers[0].embedder
            batches, reads = [], []
            monkeypatch.setattr(emb, "embed_queries", lambda ts, f=emb.embed_queries: batches.append(ts) or f(ts))
            monkeypatch.setattr(store, "read", lambda q, p=None, f=store.read: reads.append(q) or f(q, p))
            with service.asks_together(asks):
                together = [answer(*a) for a in asks[:2]]
                with pytest.raises(DutygraphError, match="没有这个地方"):
                    answer(*asks[2])
            assert together == alone and len(alone[0]["aspects"]) >= 2
            assert len(batches) == 1 and len(batches[0]) >= 4 and "夜里有人在马路上摆摊卖烧烤" in batches[0]
            assert reads.count(_VERSION) == 1
        finally:
            service.close()
