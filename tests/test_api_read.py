"""The read endpoints: rulings, gaps, trace and lookups — pages, filters that filter, 404 and 422 problems.

Most tests run on the small owner-ranking graph (tests/owners_kb.py) plus a few planted facts (a second
statute version with an amendment link, a duty on a repealed article, a boundary clause, work orders);
the slow ones run on the shared 鲁安市 sample and check that every id an /ask answer cites opens.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from api.web.app import create_app
from graph.ontology import (
    About,
    Amends,
    Applies,
    Article,
    BasedOn,
    BoundaryWith,
    Cites,
    Decides,
    HasArticle,
    HasClause,
    HasMandate,
    Jurisdiction,
    Law,
    Mandate,
    MandateClause,
    Principle,
    ResponsibleFor,
    ReturnedBy,
    WorkOrder,
)
from graph.settings import Settings
from graph.store.base import GraphStore
from tests import owners_kb as kb

SRC = "test:api-read"
FOOD_2015 = Law(title=kb.FOOD_LAW.title, version="2015-04-24", level="法律", status="已修改", jurisdiction=kb.CN.id)
A_FOOD_2015 = Article(law=FOOD_2015.id, number="6", ordinal=6, text="县级以上地方人民政府食品药品监督管理部门负责食品安全监督管理。")
NEAR = Principle(name="职责就近")
M_MANDATE = Mandate(department=kb.MARKET.id, issued=dt.date(2019, 3, 1), title="鲁安市市场监督管理局职能配置")
BOUNDARY = MandateClause(mandate=M_MANDATE.id, department=kb.MARKET.id, number="职责分工", kind="boundary",
                         text="与市综合行政执法局的职责分工：占道经营的食品摊贩，由市综合行政执法局负责查处占道行为。")
ORDERS = [WorkOrder(number=f"WO-{i}", text="夜市摊贩占道", received_at=dt.datetime(2024, 5, i + 1)) for i in range(3)]


def _plant(store: GraphStore) -> None:
    kb.build_kb(store)
    store.upsert_nodes([FOOD_2015, A_FOOD_2015, NEAR, M_MANDATE, BOUNDARY, *ORDERS])
    store.upsert_edges([
        HasArticle(src=FOOD_2015.id, dst=A_FOOD_2015.id, source=SRC),
        Amends(src=kb.FOOD_LAW.id, dst=FOOD_2015.id, source=SRC),
        Decides(src=kb.R_HOME.id, dst=kb.M_STALL.id, source=SRC),
        Applies(src=kb.R_HOME.id, dst=NEAR.id, source=SRC),
        Cites(src=kb.R_HOME.id, src_label="Ruling", dst=kb.A_STALL.id, dst_label="Article", source=SRC),
        Cites(src=kb.R_HOME.id, src_label="Ruling", dst=kb.CLAUSE.id, dst_label="MandateClause", source=SRC),
        BasedOn(src=kb.D_STALL.id, dst=kb.A_OLD.id, source=SRC),  # a duty resting on a repealed rule
        About(src=kb.D_STALL.id, src_label="Duty", dst=kb.M_STALL.id, source=SRC),
        HasMandate(src=kb.MARKET.id, dst=M_MANDATE.id, source=SRC),
        HasClause(src=M_MANDATE.id, dst=BOUNDARY.id, source=SRC),
        BoundaryWith(src=BOUNDARY.id, dst=kb.ENFORCE.id, source=SRC),
        ResponsibleFor(src=kb.MARKET.id, dst=kb.M_STALL.id, source=SRC, role="lead"),  # a second lead: overlap
        *(About(src=o.id, dst=kb.M_STALL.id, src_label="WorkOrder", source=SRC) for o in ORDERS),
        ReturnedBy(src=ORDERS[0].id, dst=kb.MARKET.id, at=dt.datetime(2024, 5, 2), reason="不属于本部门", source=SRC),
    ], actor=SRC)


@pytest.fixture
def client(settings: Settings, store: GraphStore) -> Iterator[TestClient]:
    _plant(store)
    with TestClient(create_app(settings)) as c:
        yield c


def _path(*parts: str) -> str:
    """An API path with each id percent-encoded ('#' and '/' inside ids included)."""
    return "/api/v1/" + "/".join(quote(p, safe="") for p in parts)


def _problem(r, status: int) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    return r.json()


# -- rulings -----------------------------------------------------------------------------------------

def test_rulings_list_newest_first_and_paged(client: TestClient) -> None:
    r = client.get("/api/v1/rulings", params={"limit": 2})
    body = r.json()
    assert r.status_code == 200 and body["total"] == 3 and body["next_offset"] == 2
    dates = [i["decided_on"] for i in body["items"]]
    assert dates == ["2023-06-01", "2021-10-15"]
    assert body["items"][0]["lead"] == [kb.ENFORCE.name] and body["items"][0]["principle"] == "职责就近"
    assert body["items"][0]["similarity"] is None
    last = client.get("/api/v1/rulings", params={"limit": 2, "offset": 2}).json()
    assert [i["id"] for i in last["items"]] == [kb.R_OLD.id] and last["next_offset"] is None


def test_rulings_filter_by_jurisdiction(client: TestClient) -> None:
    home = client.get("/api/v1/rulings", params={"jurisdiction": "鲁安市"}).json()
    assert {i["id"] for i in home["items"]} == {kb.R_HOME.id, kb.R_OLD.id} and home["total"] == 2
    assert all(i["home"] for i in home["items"])
    province = client.get("/api/v1/rulings", params={"jurisdiction": "山东省"}).json()
    assert province["total"] == 3, "a province holds its counties' rulings"
    assert _problem(client.get("/api/v1/rulings", params={"jurisdiction": "火星市"}), 404)["detail"].find("火星市") >= 0


def test_ruling_search_needs_the_index(client: TestClient) -> None:
    assert _problem(client.get("/api/v1/rulings", params={"q": "夜市摆摊谁管"}), 503)["title"] == "Search index unavailable"


def test_ruling_detail(client: TestClient) -> None:
    d = client.get(_path("rulings", kb.R_HOME.id)).json()
    assert d["title"] == kb.R_HOME.title and d["jurisdiction_name"] == "鲁安市"
    assert {(p["name"], p["role"], p["kind"]) for p in d["parties"]} == {
        (kb.ENFORCE.name, "lead", "Department"), (kb.STREET.name, "territorial", "Department")}
    assert [m["id"] for m in d["matters"]] == [kb.M_STALL.id]
    assert [p["name"] for p in d["principles"]] == ["职责就近"]
    cites = {c["id"]: c for c in d["cites"]}
    assert cites[kb.A_STALL.id]["law_title"] == kb.STALL_RULES.title and cites[kb.A_STALL.id]["number"] == "21"
    assert cites[kb.CLAUSE.id]["kind"] == "MandateClause" and cites[kb.CLAUSE.id]["department_name"] == kb.ENFORCE.name
    assert [s["id"] for s in d["supersedes"]] == [kb.R_OLD.id] and d["superseded_by"] == []
    old = client.get(_path("rulings", kb.R_OLD.id)).json()
    assert [s["id"] for s in old["superseded_by"]] == [kb.R_HOME.id] and old["status"] == "superseded"
    assert "ruling:nope" in _problem(client.get(_path("rulings", "ruling:nope")), 404)["detail"]


# -- lookups -----------------------------------------------------------------------------------------

def test_departments_search_by_name_alias_and_place(client: TestClient) -> None:
    by_name = client.get("/api/v1/departments", params={"q": "综合行政执法"}).json()
    assert [d["id"] for d in by_name["items"]] == [kb.ENFORCE.id]
    by_alias = client.get("/api/v1/departments", params={"q": "市市场监管"}).json()
    assert [d["id"] for d in by_alias["items"]] == [kb.MARKET.id]
    town = client.get("/api/v1/departments", params={"jurisdiction": "鲁城街道"}).json()
    assert [d["id"] for d in town["items"]] == [kb.STREET.id]
    county = client.get("/api/v1/departments", params={"jurisdiction": "鲁安市", "limit": 3}).json()
    assert county["total"] == 5 and len(county["items"]) == 3 and county["next_offset"] == 3
    assert client.get("/api/v1/departments", params={"jurisdiction": "济南市"}).json()["total"] == 0


def test_department_detail(client: TestClient) -> None:
    d = client.get(_path("departments", kb.ENFORCE.id)).json()
    assert d["aliases"] == ["市综合执法局"] and d["jurisdiction_name"] == "鲁安市"
    assert [a["name"] for a in d["authorities"]] == ["城市管理部门"]
    assert d["duties_total"] == 1 and d["duties"][0]["code"] == "CF-001" and d["duties"][0]["role"] == "lead"
    owned = {(m["id"], m["role"]): m for m in d["matters"]}
    assert owned[(kb.M_MARKET.id, "lead")]["valid_from"] == "2022-01-01" and owned[(kb.M_MARKET.id, "lead")]["in_force"]
    assert [c["id"] for c in d["mandate_clauses"]] == [kb.CLAUSE.id]
    # the market bureau's boundary paragraph names the enforcement bureau: it shows on both pages
    assert [(b["id"], b["department"]) for b in d["boundaries"]] == [(BOUNDARY.id, kb.MARKET.id)]
    m = client.get(_path("departments", kb.MARKET.id)).json()
    assert {(x["id"], x["in_force"]) for x in m["matters"]} >= {(kb.M_MARKET.id, False), (kb.M_STALL.id, True)}
    assert [b["boundary_with"][0]["id"] for b in m["boundaries"]] == [kb.ENFORCE.id]
    capped = client.get(_path("departments", kb.ENFORCE.id), params={"duties_limit": 0}).json()
    assert capped["duties"] == [] and capped["duties_total"] == 1
    assert "dept:nope" in _problem(client.get(_path("departments", "dept:nope")), 404)["detail"]


def test_matters(client: TestClient) -> None:
    found = client.get("/api/v1/matters", params={"q": "占道"}).json()
    assert [m["id"] for m in found["items"]] == [kb.M_STALL.id]
    assert client.get("/api/v1/matters").json()["total"] == 2
    d = client.get(_path("matters", kb.M_STALL.id)).json()
    assert d["path"] == ["占道经营", "占道摆摊"]
    assert {(o["name"], o["role"]) for o in d["owners"]} == {
        (kb.ENFORCE.name, "lead"), (kb.STREET.name, "territorial"), (kb.MARKET.name, "lead")}
    assert [r["id"] for r in d["rulings"]] == [kb.R_HOME.id]
    assert d["duties"][0]["id"] == kb.D_STALL.id and d["duties"][0]["holders"][0]["name"] == kb.ENFORCE.name
    assert d["work_orders"] == {"total": 3, "returned": 1, "returns": 1, "last_received": "2024-05-03T00:00:00"}
    assert _problem(client.get(_path("matters", "matter:没有/这个")), 404)["detail"] == "no matter 'matter:没有/这个'"


def test_laws_filters_versions_and_links(client: TestClient) -> None:
    food = client.get("/api/v1/laws", params={"q": "食品安全"}).json()
    assert [(x["id"], x["version"]) for x in food["items"]] == [(kb.FOOD_LAW.id, "2021-04-29"), (FOOD_2015.id, "2015-04-24")]
    repealed = client.get("/api/v1/laws", params={"status": "已废止"}).json()
    assert [x["id"] for x in repealed["items"]] == [kb.OLD_RULES.id]
    local = client.get("/api/v1/laws", params={"level": "地方性法规"}).json()
    assert {x["id"] for x in local["items"]} == {kb.STALL_RULES.id, kb.JN_DOGS.id}
    bad = _problem(client.get("/api/v1/laws", params={"level": "圣旨"}), 422)
    assert bad["errors"][0]["field"] == "query.level"
    d = client.get(_path("laws", kb.FOOD_LAW.id)).json()
    assert d["article_count"] == 1 and d["articles"][0]["id"] == kb.A_FOOD.id
    assert [(v["id"], v["status"]) for v in d["versions"]] == [(FOOD_2015.id, "已修改")]
    assert d["links"] == [{"type": "AMENDS", "direction": "out", "id": FOOD_2015.id, "title": FOOD_2015.title,
                           "version": "2015-04-24", "status": "已修改", "valid_from": None}]
    old = client.get(_path("laws", FOOD_2015.id)).json()
    assert old["links"][0]["direction"] == "in" and old["versions"][0]["id"] == kb.FOOD_LAW.id
    _problem(client.get(_path("laws", "law:nope")), 404)


def test_article_with_other_versions(client: TestClient) -> None:
    r = client.get(_path("articles", kb.A_FOOD.id))
    assert r.status_code == 200, r.text
    a = r.json()
    assert a["id"] == kb.A_FOOD.id and a["text"] == kb.A_FOOD.text and a["number"] == "6"
    assert (a["law_title"], a["law_status"], a["law_version"]) == (kb.FOOD_LAW.title, "现行有效", "2021-04-29")
    assert [(d["name"], d["role"]) for d in a["designates"]] == [("市场监督管理部门", "lead")]
    assert [(v["law_id"], v["id"], v["status"]) for v in a["other_versions"]] == [(FOOD_2015.id, A_FOOD_2015.id, "已修改")]
    # the raw '#' form (as a browser sends it once it is encoded only as far as the path needs) works too
    assert client.get("/api/v1/articles/" + kb.A_FOOD.id.replace("#", "%23")).status_code == 200
    assert kb.A_FOOD.id + "9" in _problem(client.get(_path("articles", kb.A_FOOD.id + "9")), 404)["detail"]


def test_clause_and_duty(client: TestClient) -> None:
    c = client.get(_path("clauses", BOUNDARY.id)).json()
    assert c["department_name"] == kb.MARKET.name and c["boundary_with"] == [{"id": kb.ENFORCE.id, "name": kb.ENFORCE.name}]
    d = client.get(_path("duties", kb.D_STALL.id)).json()
    assert d["holders"][0]["name"] == kb.ENFORCE.name and d["matters"][0]["id"] == kb.M_STALL.id
    assert d["articles"] == [{"id": kb.A_OLD.id, "number": "3", "law_title": kb.OLD_RULES.title, "law_status": "已废止"}]
    _problem(client.get(_path("clauses", "mandate:x#1")), 404)
    _problem(client.get(_path("duties", "duty:x")), 404)


def test_jurisdictions(client: TestClient) -> None:
    body = client.get("/api/v1/jurisdictions").json()
    places = {j["name"]: j for j in body["items"]}
    assert body["total"] == len(body["items"]) == 7
    assert places["鲁安市"]["has_directory"] and places["鲁安市"]["departments"] == 4
    assert places["鲁安市"]["parent"] == kb.WF.id and places["鲁城街道"]["level"] == "乡镇"
    assert not places["潍坊市"]["has_directory"]


def test_jurisdictions_carry_the_hierarchy(client: TestClient, store: GraphStore) -> None:
    places = {j["id"]: j for j in client.get("/api/v1/jurisdictions").json()["items"]}
    assert places[kb.CN.id]["parent"] is None
    assert places[kb.SD.id]["children"] == sorted([kb.WF.id, kb.JN.id, kb.ZC.id])
    assert places[kb.LUAN.id]["children"] == [kb.TOWN.id] and places[kb.TOWN.id]["children"] == []
    for pid, p in places.items():  # parent and children agree, both ways
        assert all(places[c]["parent"] == pid for c in p["children"]), pid
        assert p["parent"] is None or pid in places[p["parent"]]["children"], pid
    # a village whose town is not loaded hangs under the nearest place above it that is
    village = Jurisdiction(name="某村", level="村", parent=f"{kb.TOWN.parent}/未录入镇")
    store.upsert_nodes([village])
    places = {j["id"]: j for j in client.get("/api/v1/jurisdictions").json()["items"]}
    assert places[village.id]["parent"] == kb.LUAN.id and village.id in places[kb.LUAN.id]["children"]


def test_vocabulary_labels_the_codes_without_a_key(settings: Settings, store: GraphStore) -> None:
    _plant(store)
    with TestClient(create_app(settings.model_copy(update={"api_anonymous_read": False}))) as c:
        v = c.get("/api/v1/vocabulary").json()
    assert v["roles"] == {"lead": "牵头", "cooperate": "配合", "territorial": "属地"}
    assert v["relations"]["HOLDS"] == "承担权责" and v["relations"]["ACTS_AS"] == "履行职权"
    assert v["gap_kinds"]["ping_pong"] == "推诿热点" and v["nodes"]["Duty"] == "权责事项"
    assert list(v["dispute_states"].values()) == ["研判", "审核", "协调", "裁决", "反馈"], "in the ladder's order"
    assert v["ladder_steps"]["approve"] == "审核通过" and v["answers"]["objected"] == "有异议"


# -- trace -------------------------------------------------------------------------------------------

def test_trace(client: TestClient) -> None:
    t = client.get("/api/v1/trace", params={"matter": kb.M_MARKET.name, "as_of": "2021-06-01"}).json()
    assert t["target"] == kb.M_MARKET.id and t["as_of"] == "2021-06-01"
    now = {p["department"]: p["in_force"] for p in t["paths"]}
    assert now == {kb.MARKET.id: True, kb.ENFORCE.id: False}, "before the 2022 hand-over"
    assert t["timeline"] and t["integrity"]["ok"]
    duty = client.get("/api/v1/trace", params={"duty": "CF-001", "department": kb.ENFORCE.name}).json()
    assert duty["target"] == kb.D_STALL.id and duty["target_kind"] == "Duty"
    assert duty["paths"][0]["duties"][0]["articles"][0]["article"] == kb.A_OLD.id


def test_trace_problems(client: TestClient) -> None:
    neither = _problem(client.get("/api/v1/trace"), 422)
    assert {e["field"] for e in neither["errors"]} == {"query.matter", "query.duty"}
    _problem(client.get("/api/v1/trace", params={"matter": "x", "duty": "y"}), 422)
    assert "无此事项" in _problem(client.get("/api/v1/trace", params={"matter": "无此事项"}), 404)["detail"]
    _problem(client.get("/api/v1/trace", params={"duty": "XX-999"}), 404)
    _problem(client.get("/api/v1/trace", params={"matter": kb.M_STALL.id, "department": "不存在局"}), 404)
    _problem(client.get("/api/v1/trace", params={"matter": kb.M_STALL.id, "as_of": "2024-13-01"}), 422)


# -- gaps --------------------------------------------------------------------------------------------

CHEAP = ["overlap", "stale_basis", "push_down", "ping_pong"]  # kinds that need no embedding model


def test_gaps_filter_page_and_cache(client: TestClient, store: GraphStore) -> None:
    r = client.get("/api/v1/gaps", params={"kind": CHEAP, "limit": 1})
    body = r.json()
    assert r.status_code == 200, r.text
    assert body["total"] >= 2 and body["next_offset"] == 1 and len(body["items"]) == 1
    everything = client.get("/api/v1/gaps", params={"kind": CHEAP, "limit": 200}).json()["items"]
    kinds = {i["kind"] for i in everything}
    assert {"overlap", "stale_basis"} <= kinds
    overlap = next(i for i in everything if i["kind"] == "overlap")
    assert overlap["subject"] == kb.M_STALL.id
    stale = next(i for i in everything if i["kind"] == "stale_basis")
    assert stale["subject"] == kb.D_STALL.id
    cache = client.app.state.gaps
    assert cache.computed == 1, "paging reads the cached list"
    only = client.get("/api/v1/gaps", params={"kind": "stale_basis"}).json()
    assert {i["kind"] for i in only["items"]} == {"stale_basis"} and only["total"] == kinds_count(everything, "stale_basis")
    summary = client.get("/api/v1/gaps/summary", params={"kind": CHEAP}).json()
    assert summary["counts"] == {k: kinds_count(everything, k) for k in CHEAP} and summary["total"] == len(everything)
    computed = cache.computed
    client.get("/api/v1/gaps", params={"kind": CHEAP, "offset": 1})
    assert cache.computed == computed
    # a write to the graph makes a new key: the next read recomputes and sees the change
    store.upsert_edges([ResponsibleFor(src=kb.CULTURE.id, dst=kb.M_MARKET.id, source=SRC)], actor=SRC)
    again = client.get("/api/v1/gaps", params={"kind": "overlap"}).json()
    assert kb.M_MARKET.id in {i["subject"] for i in again["items"]} and cache.computed == computed + 1


def kinds_count(items: list[dict], kind: str) -> int:
    return sum(1 for i in items if i["kind"] == kind)


def test_gaps_problems(client: TestClient) -> None:
    bad = _problem(client.get("/api/v1/gaps", params={"kind": ["overlap", "blank"]}), 422)
    assert bad["errors"][0]["field"] == "query.kind" and "'blank'" in bad["errors"][0]["message"]
    _problem(client.get("/api/v1/gaps/summary", params={"kind": "nothing"}), 422)
    _problem(client.get("/api/v1/gaps", params={"kind": "overlap", "jurisdiction": "火星市"}), 404)
    _problem(client.get("/api/v1/gaps", params={"kind": "overlap", "limit": 0}), 422)


def test_reads_need_a_key_when_anonymous_reading_is_off(settings: Settings, store: GraphStore) -> None:
    _plant(store)
    with TestClient(create_app(settings.model_copy(update={"api_anonymous_read": False}))) as c:
        for path in ("/api/v1/rulings", "/api/v1/gaps/summary", "/api/v1/jurisdictions", _path("laws", kb.FOOD_LAW.id)):
            assert c.get(path).status_code == 401, path


def test_openapi_examples(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()["paths"]
    for path in ("/api/v1/rulings", "/api/v1/gaps", "/api/v1/trace", "/api/v1/departments", "/api/v1/articles/{article_id}"):
        assert path in spec, path
        assert "example" in str(spec[path]["get"]["parameters"]), path
    assert "Page_RulingItem_" in str(spec["/api/v1/rulings"]["get"]["responses"]["200"])
    assert "application/problem+json" in spec["/api/v1/matters/{matter_id}"]["get"]["responses"]["404"]["content"]


# -- over the sample ---------------------------------------------------------------------------------

_BY_PREFIX = {"law:": "articles", "mandate:": "clauses", "duty:": "duties", "matter:": "matters", "ruling:": "rulings"}


def _lookup(unit: str) -> str:
    kind = next(v for k, v in _BY_PREFIX.items() if unit.startswith(k))
    return _path(kind, unit)


@pytest.mark.slow
def test_every_cited_unit_opens(sample_kb: Settings) -> None:
    with TestClient(create_app(sample_kb)) as c:
        ids: set[str] = set()
        for text in ("我们街上新开了一家剧本杀店，消防和剧本内容到底谁来管？",
                     "小区旁边的停车场每天夜里货车进进出出，噪音吵得睡不着"):
            body = c.post("/api/v1/ask", json={"text": text, "jurisdiction": "鲁安市", "top": 8}).json()
            ids |= {e["unit"] for cand in body["candidates"] for e in cand["evidence"]}
            ids |= {a["id"] for a in body["articles"]} | {r["id"] for r in body["rulings"]}
        assert any("#第" in i for i in ids) and any(i.startswith("ruling:") for i in ids)
        for unit in sorted(ids):
            r = c.get(_lookup(unit))
            assert r.status_code == 200, (unit, r.text)
            assert r.json()["id"] == unit
            if "#第" in unit and unit.startswith("law:"):
                a = r.json()
                assert a["text"] and a["law_title"] and a["law_status"]


@pytest.mark.slow
def test_ruling_search_and_lists_on_the_sample(sample_kb: Settings) -> None:
    with TestClient(create_app(sample_kb)) as c:
        r = c.get("/api/v1/rulings", params={"q": "密室逃脱剧本杀店谁来监管", "jurisdiction": "鲁安市", "limit": 5})
        body = r.json()
        assert r.status_code == 200, r.text
        assert body["items"] and body["total"] >= len(body["items"])
        sims = [i["similarity"] for i in body["items"]]
        assert all(s is not None for s in sims) and any("剧本杀" in i["title"] or "密室" in i["title"] for i in body["items"])
        every = c.get("/api/v1/rulings", params={"limit": 200}).json()
        for item in every["items"][:10]:
            d = c.get(_path("rulings", item["id"])).json()
            for cite in d["cites"]:
                assert c.get(_lookup(cite["id"])).status_code == 200, cite
        for dept in c.get("/api/v1/departments", params={"jurisdiction": "鲁安市", "limit": 5}).json()["items"]:
            assert c.get(_path("departments", dept["id"])).status_code == 200
        laws = c.get("/api/v1/laws", params={"q": "食品安全法"}).json()
        assert laws["total"] >= 1
        summary = c.get("/api/v1/gaps/summary", params={"kind": CHEAP, "jurisdiction": "鲁安市"}).json()
        assert summary["counts"]["overlap"] >= 1 and summary["counts"]["stale_basis"] >= 1
