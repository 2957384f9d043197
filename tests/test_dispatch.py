"""Bulk dispatch: hotline export columns, bad rows by number, the place an address narrows to, the proposal
read from an ask's answer, and (on the sample knowledge base) the CLI and the upload endpoint, answering as
single asks do."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from api.dispatch import Plan, assemble
from graph.address import AddressPlaces
from graph.errors import IngestError
from graph.places import resolve_place
from graph.settings import Settings
from graph.store.base import GraphStore
from ingest.departments.loader import load_departments
from ingest.dispatch_rows import BadRow, DispatchRow, read_orders
from search.dispatch import GAP_SCORE, Proposal, gap_features, gap_likelihood, propose, question

SAMPLES = Path(__file__).resolve().parents[1] / "ingest" / "samples" / "luan"
ROWS = [
    ["工单标题", "诉求内容", "事发地址", "受理时间"],
    ["广场舞扰民", "每天晚上广场舞音响声音太大，影响休息", "安平街道人民路广场", "2026-03-01 20:10"],
    ["", "", "东关街道", "2026-03-01"],  # row 3: neither title nor content
    ["饭店油烟", "楼下饭店油烟直冲我家窗户", "鲁城街道文化路", "三月一日"],  # row 4: not a time
    ["", "小区里有人占用消防通道停车", "西湖街道幸福路小区", ""],
]


def _csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def test_rows_columns_and_bad_rows(tmp_path: Path) -> None:
    got = list(read_orders(_csv(tmp_path / "day.csv", ROWS)))
    assert [type(r).__name__ for r in got] == ["DispatchRow", "BadRow", "BadRow", "DispatchRow"]
    first = got[0]
    assert isinstance(first, DispatchRow) and first.row == 2
    assert first.text == "广场舞扰民。每天晚上广场舞音响声音太大，影响休息" and first.address == "安平街道人民路广场"
    assert first.received_at == "2026-03-01T20:10"
    assert str(got[1]) == "row 3, 诉求内容: empty: the order has neither title nor content"
    assert got[2].row == 4 and got[2].field == "受理时间" and "三月一日" in got[2].message
    wb = openpyxl.Workbook()
    wb.active.append(["某某热线工单导出"])  # a title row above the header
    for r in [["备注", "来电详情", "地址"], ["噪音", "工地夜间施工噪音", "汶河街道"]]:
        wb.active.append(r)
    wb.save(tmp_path / "day.xlsx")
    with pytest.raises(IngestError, match="no title or content column"):
        list(read_orders(tmp_path / "day.xlsx"))
    mapped = list(read_orders(tmp_path / "day.xlsx", {"内容": "来电详情"}))
    assert mapped[0].row == 3 and mapped[0].text == "工地夜间施工噪音"
    with pytest.raises(IngestError, match="unsupported file type"):
        list(read_orders(tmp_path / "day.txt"))


def test_address_narrows_the_place(store: GraphStore) -> None:
    load_departments(store, SAMPLES / "departments.yaml")
    luan = AddressPlaces(store, resolve_place(store, "鲁安市"))
    got = luan.narrow("安平街道人民路公园")
    assert (got.place_name, got.township_name, got.office) == ("鲁安市", "安平街道", "鲁安市安平街道办事处")
    assert luan.narrow("北洛前王村东头").office == "鲁安市北洛镇人民政府"  # a short name (北洛) in the address
    assert luan.narrow("人民路口").township == "" and luan.narrow("", township="石埠镇").township_name == "石埠镇"
    city = AddressPlaces(store, resolve_place(store, "潍坊市"))
    assert city.narrow("寿光市圣城街道").place == "jur:全国/山东省/潍坊市/寿光市"  # a county from the divisions table
    province = AddressPlaces(store, resolve_place(store, "山东省"))
    assert province.narrow("济宁市任城区古槐路").place == "jur:全国/山东省/济宁市/任城区"
    assert province.narrow("济宁市某小区").place == "jur:全国/山东省/济宁市"
    assert province.narrow("济南市市中区").place == "jur:全国/山东省/济南市/市中区"
    assert province.narrow("市中区某路").place == "jur:全国/山东省"  # several cities have one: not narrowed
    inner = city.narrow("鲁安市汶河街道汶河大道")
    assert inner.place == "jur:全国/山东省/潍坊市/鲁安市" and inner.office == "鲁安市汶河街道办事处"


def _cand(cid: str, name: str, score: float, role: str = "lead", evidence: list | None = None) -> dict:
    return {"id": cid, "name": name, "score": score, "role": role, "evidence": evidence or []}


def test_proposal_from_an_answer() -> None:
    ev = [{"kind": "article", "citation": "《噪声法》第八十七条", "contribution": 0.2, "factors": {"similarity": 1.0}},
          {"kind": "duty", "citation": "权责清单 LA-ZS-001 广场舞噪声处罚", "contribution": 0.5,
           "factors": {"similarity": 0.9}}]
    local = [{"kind": "matter", "citation": "事项", "contribution": 0.1, "factors": {"similarity": 1.0}}]
    answer = {"candidates": [_cand("dept:police", "鲁安市公安局", 0.9, evidence=ev),
                             _cand("dept:city", "鲁安市综合行政执法局", 0.3, "cooperate"),
                             _cand("territorial:jur:x", "属地镇街", 0.25, "territorial"),
                             _cand("dept:edu", "鲁安市教育和体育局", 0.1, "cooperate")],
              "articles": [{"law_title": "中华人民共和国噪声污染防治法", "article": "87"}]}
    p = propose(answer)
    assert (p.lead, p.lead_id, p.confidence, p.flag) == ("鲁安市公安局", "dept:police", 0.75, "")
    assert p.cooperate == ["鲁安市综合行政执法局"] and p.territorial  # 0.1 < 0.25 × 0.9: not cooperating
    assert (p.basis, p.basis_kind) == ("权责清单 LA-ZS-001 广场舞噪声处罚", "duty")
    assert p.article == "《中华人民共和国噪声污染防治法》第87条"
    close = propose({"candidates": [_cand("dept:a", "甲", 0.5, evidence=local), _cand("dept:b", "乙", 0.45)]})
    assert close.flag == "low_confidence" and close.confidence == pytest.approx(0.5 / 0.95, abs=1e-3)
    assert propose({"candidates": []}).flag == "gap"
    assert propose({"candidates": [_cand("dept:a", "甲", GAP_SCORE / 2)]}).flag == "gap"
    town = propose({"candidates": [_cand("territorial:jur:x", "属地镇街", 0.8, "territorial", local)]})
    assert town.lead_territorial and town.lead == "" and town.confidence == 1.0 and town.flag == ""
    # no duty-list item, matter, 三定 clause or home ruling behind the lead, and a little evidence of everything
    # for everyone (what a new kind of business draws): a gap candidate, the lead still proposed
    def loose(i: int) -> list[dict]:
        return [{"kind": "article", "unit": f"art{i}-{j}", "citation": "条文", "contribution": 0.05,
                 "factors": {"similarity": 0.5}} for j in range(5)]

    scattered = [_cand(f"dept:{i}", "甲乙丙丁戊己"[i], 0.5 - 0.02 * i, evidence=loose(i)) for i in range(6)]
    unowned = propose({"candidates": scattered})
    assert (unowned.flag, unowned.lead) == ("gap", "甲")
    # the same answer with a well-matching duty item of the lead's own is not
    owned = [{**scattered[0], "evidence": [*loose(0), {**ev[1], "unit": "duty:x"}]}, *scattered[1:]]
    assert gap_likelihood(gap_features(owned)) < gap_likelihood(gap_features(scattered))
    assert propose({"candidates": owned}).flag != "gap"
    # a territorial lead becomes the office of the order's own town
    row = DispatchRow(row=5, text="无物业小区管理", address="西湖街道幸福路小区")
    from graph.address import AddressPlace

    ap = AddressPlace(place="jur:x", place_name="鲁安市", township="jur:x/西湖街道", township_name="西湖街道",
                      office_id="dept:xh", office="鲁安市西湖街道办事处")
    report = assemble(Plan(jurisdiction="jur:x", rows=[(row, ap, "无物业小区管理")],
                           bad=[BadRow(row=3, field="内容", message="empty")]),
                      {("无物业小区管理", "jur:x"): town}, "day.csv", 1.0)
    assert report.items[0].lead == "鲁安市西湖街道办事处" and report.items[0].lead_id == "dept:xh"
    assert (report.rows, report.answered, report.skipped, report.errors) == (2, 1, 1, ["row 3, 内容: empty"])


def test_question_leaves_out_the_address() -> None:
    assert question("市民反映：安平街道人民路公园夜市摊点管理问题。", "安平街道人民路公园") == "市民反映：夜市摊点管理问题。"
    assert question("噪音  扰民", "") == "噪音 扰民"


@pytest.mark.slow
def test_cli_and_upload_on_the_sample(sample_kb: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from fastapi.testclient import TestClient

    from api.cli import app
    from api.web.app import create_app
    from graph.settings import get_settings
    from graph.store import open_store
    from search.service import SearchService

    rows = [*ROWS, ["", "楼道里电动车充电，担心起火", "鲁城街道胜利街小区", "2026-03-02 08:00"],
            ["", "小区业主大会一直成立不了", "大王庄镇", ""]]
    day = _csv(tmp_path / "day.csv", rows)
    for key, value in {"DUTYGRAPH_DATA_DIR": str(sample_kb.data_dir), "DUTYGRAPH_GRAPH_URI": sample_kb.graph_uri,
                       "DUTYGRAPH_GRAPH_NAME": sample_kb.graph_name}.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    try:
        out = CliRunner().invoke(app, ["dispatch", str(day), "--jurisdiction", "鲁安市", "--json", str(tmp_path / "d.json"),
                                       "--workers", "1"])
    finally:
        get_settings.cache_clear()
    assert out.exit_code == 0, out.output
    assert "4 work orders answered of 6 rows (2 skipped" in out.output and "row 4, 受理时间" in out.output
    report = json.loads((tmp_path / "d.json").read_text(encoding="utf-8"))
    items = {i["row"]: i for i in report["items"]}
    assert set(items) == {2, 5, 6, 7}
    assert items[2]["lead"] == "鲁安市公安局" and items[2]["township"] == "安平街道"
    assert items[5]["lead"] == "鲁安市消防救援大队"
    for i in items.values():
        assert 0 < i["confidence"] <= 1 and (i["basis"] or i["article"] or i["flag"] == "gap")
    wb = openpyxl.load_workbook(tmp_path / "day.dispatch.xlsx", read_only=True)
    sheet = list(wb["派单建议"].iter_rows(values_only=True))
    assert sheet[1][:3] == ("行号", "工单编号", "诉求内容") and len(sheet) == 2 + 4
    assert [r[0] for r in wb["跳过的行"].iter_rows(values_only=True)][1:] == [
        "row 3, 诉求内容: empty: the order has neither title nor content",
        next(e for e in report["errors"] if e.startswith("row 4"))]
    # a batch answers as single asks do
    with open_store(sample_kb) as store:
        service = SearchService.open(sample_kb, store)
        try:
            single = propose(service.ask(question(rows[4][1], rows[4][2]), items[5]["place"], k=6).contract())
        finally:
            service.close()
    assert (single.lead, single.confidence, single.basis) == (items[5]["lead"], items[5]["confidence"], items[5]["basis"])

    with TestClient(create_app(sample_kb)) as c:
        with day.open("rb") as fh:
            r = c.post("/api/v1/dispatch", params={"jurisdiction": "鲁安市"}, files={"file": ("day.csv", fh, "text/csv")})
        assert r.status_code == 200, r.text
        body = r.json()
        assert [i["lead"] for i in body["items"]] == [items[k]["lead"] for k in sorted(items)]
        assert body["skipped"] == 2 and body["errors"][0].startswith("row 3")
        with day.open("rb") as fh:
            x = c.post("/api/v1/dispatch", params={"format": "xlsx"}, files={"file": ("day.csv", fh, "text/csv")})
        assert x.status_code == 200 and x.content[:2] == b"PK"
        bad = c.post("/api/v1/dispatch", files={"file": ("day.txt", b"hello", "text/plain")})
        assert bad.status_code == 415 and bad.headers["content-type"].startswith("application/problem+json")
        nocol = c.post("/api/v1/dispatch", files={"file": ("x.csv", "编号,备注\n1,无\n".encode(), "text/csv")})
        assert nocol.status_code == 422 and "no title or content column" in nocol.json()["detail"]
        place = c.post("/api/v1/dispatch", params={"jurisdiction": "火星市"}, files={"file": ("day.csv", day.read_bytes())})
        assert place.status_code in (400, 404)


def test_rows_with_their_own_place(store: GraphStore, tmp_path: Path) -> None:
    """A 辖区 column sets each row's place; an unknown one makes that row a bad row, not the file."""
    from api.dispatch import plan

    load_departments(store, SAMPLES / "departments.yaml")
    day = _csv(tmp_path / "multi.csv", [["内容", "辖区", "地址"], ["噪音扰民", "潍坊市", "寿光市圣城街道"],
                                        ["噪音扰民", "火星市", ""], ["噪音扰民", "", "汶河街道"]])
    p = plan(store, read_orders(day), "鲁安市")
    assert [(r.row, ap.place) for r, ap, _ in p.rows] == [(2, "jur:全国/山东省/潍坊市/寿光市"),
                                                         (4, "jur:全国/山东省/潍坊市/鲁安市")]
    assert [(b.row, b.field) for b in p.bad] == [(3, "辖区")]
    assert len(p.keys) == 2 and isinstance(Proposal(), Proposal)
