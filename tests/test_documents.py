"""Documents out (api.documents): the case opinion as .docx and Markdown, gaps and ask answers and a
department's duties as .xlsx — each read back with the library that reads such files (python-docx,
openpyxl, the duty-list ingest), against the real FalkorDB server; and opened by LibreOffice where installed."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import docx
import openpyxl
import pytest
from typer.testing import CliRunner

from api.cli import app
from api.documents.dutylist import LAYOUT, duty_list_sheet, split_text
from api.documents.files import file_name
from api.documents.opinion import opinion
from api.documents.render_docx import to_docx
from api.documents.render_md import to_markdown
from api.documents.sheets import ask_sheets, gaps_sheet
from api.documents.xlsx import Sheet, workbook_bytes
from api.web.downloads import content_disposition
from cases import disputes as svc
from cases.models import (
    AcknowledgementCreate,
    DecisionCreate,
    DisputeCreate,
    PositionCreate,
    TransitionCreate,
)
from graph.store.base import GraphStore
from ingest.departments import load_departments, source_id
from ingest.dutylists import load_duty_list
from ingest.dutylists.columns import ColumnMap
from ingest.dutylists.loader import parse_row
from ingest.matters import load_matters
from ingest.tables import read_table
from tests import owners_kb as kb

SAMPLE = Path(__file__).resolve().parents[1] / "ingest" / "samples" / "luan"
ACTOR = "孙研判"
REVIEWER = "王审核"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def _proposal(aspects: list[dict] | None = None) -> dict:
    """A proposal as the /ask contract stores it (the fields the document reads)."""
    out = {
        "query": "早市占道摆摊", "jurisdiction": kb.LUAN.id, "jurisdiction_name": "鲁安市", "as_of": "2025-03-01",
        "candidates": [
            {"id": kb.ENFORCE.id, "name": kb.ENFORCE.name, "kind": "department", "role": "lead", "score": 0.9,
             "evidence": [{"kind": "article", "citation": "《潍坊市城市市容管理条例》第21条", "unit": kb.A_STALL.id,
                           "text": kb.A_STALL.text[:20], "path": ["Article", "DESIGNATES lead", "城市管理部门"],
                           "role": "lead", "contribution": 0.9, "factors": {"similarity": 0.9}}]},
            {"id": kb.MARKET.id, "name": kb.MARKET.name, "kind": "department", "role": "cooperate", "score": 0.4,
             "evidence": []},
            {"id": kb.STREET.id, "name": kb.STREET.name, "kind": "department", "role": "territorial", "score": 0.2,
             "evidence": []},
        ],
        "rulings": [{"id": kb.R_HOME.id, "title": kb.R_HOME.title, "jurisdiction": kb.LUAN.id, "home": True,
                     "decided_on": "2023-06-01", "lead": [kb.ENFORCE.name], "cooperate": [], "principle": "职责就近",
                     "basis": [], "similarity": 0.8, "why": ["同一事项：占道摆摊"]}],
        "articles": [{"id": kb.A_OLD.id, "law_title": kb.OLD_RULES.title, "article": "3", "text": "…", "valid": False,
                      "score": 0.9},
                     {"id": kb.A_STALL.id, "law_title": kb.STALL_RULES.title, "article": "21", "text": kb.A_STALL.text[:10],
                      "valid": True, "score": 0.8}],
    }
    if aspects is not None:
        out["aspects"] = aspects
    return out


def _case(store: GraphStore, proposal: dict | None, decide: bool,
          text: str = "鲁城街道早市占道摆摊，执法局和市场监管局互相推诿") -> str:
    did = svc.open_case(store, DisputeCreate(text=text, title="早市占道", matter=kb.M_STALL.id), kb.LUAN.id, ACTOR).id
    svc.add_position(store, did, PositionCreate(department=kb.ENFORCE.id, stance="refuses",
                                                position="早市是市场监管局批的，应由其管理"), ACTOR)
    svc.add_position(store, did, PositionCreate(department=kb.MARKET.id, stance="proposes",
                                                position="占道属于市容，应由执法局查处"), ACTOR)
    if proposal is not None:
        svc.attach_proposal(store, did, proposal, ACTOR)
    if decide:  # up the review ladder: submitted, approved by a reviewer, decided at coordination
        svc.transition(store, did, TransitionCreate(to="reviewing"), ACTOR, can=lambda role: True)
        svc.transition(store, did, TransitionCreate(to="coordinating"), REVIEWER, can=lambda role: True)
        svc.decide(store, did, DecisionCreate(lead=[kb.ENFORCE.id], cooperate=[kb.MARKET.id], principle="职责就近",
                                              basis=[kb.A_STALL.id], summary="早市占道由执法局牵头查处，市场监管局配合。",
                                              decided_by="鲁安市委编办", decided_on=dt.date(2025, 4, 1)), ACTOR)
    return did


def _docx_text(content: bytes) -> str:
    d = docx.Document(io.BytesIO(content))
    cells = [c.text for t in d.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in d.paragraphs] + cells)


# -- the case opinion --------------------------------------------------------------------------------
def test_a_decided_case_reads_back_with_quoted_articles_positions_and_decision(kb_store: GraphStore) -> None:
    did = _case(kb_store, _proposal(), decide=True)
    doc = opinion(kb_store, did)
    for text in (_docx_text(to_docx(doc)), to_markdown(doc)):
        assert "关于早市占道的职责分工意见" in text and "草案" not in text
        assert "鲁城街道早市占道摆摊" in text, "the facts"
        assert "早市是市场监管局批的，应由其管理" in text and "不认领" in text, "a position with its stance"
        assert "占道属于市容，应由执法局查处" in text and "建议由他部门负责" in text
        assert kb.A_STALL.text in text, "the settling article quoted in full from the graph, not the snapshot's opening"
        assert "《潍坊市城市市容管理条例》第21条 [1]" in text, "quoted with its citation"
        assert "[1] 《潍坊市城市市容管理条例》第21条（版本 2020-01-01，现行有效）" in text, "the note behind the citation"
        assert kb.A_OLD.text not in text, "a repealed article is not offered as the basis"
        assert f"牵头部门：{kb.ENFORCE.name}（依据：《潍坊市城市市容管理条例》第21条）" in text.replace("**", "")
        assert kb.STREET.name in text, "the territorial body"
        assert kb.R_HOME.title in text and "同一事项：占道摆摊" in text, "the analogous ruling and why"
        assert "早市占道由执法局牵头查处，市场监管局配合。" in text and "鲁安市委编办" in text and "2025-04-01" in text
        assert text.count(kb.A_STALL.text) == 2 and "[2]" not in text, "proposal and decision quote it, one note"
        assert "＿＿＿" not in text, "a decided case has no blank signature lines"


def test_the_departments_answers_follow_the_decision(kb_store: GraphStore) -> None:
    did = _case(kb_store, _proposal(), decide=True)
    svc.acknowledge(kb_store, did, AcknowledgementCreate(department=kb.MARKET.id, answer="objected",
                                                         reason="早市审批已取消"), ACTOR)
    md = to_markdown(opinion(kb_store, did))
    feedback = md.split("## 五、反馈")[1]
    assert f"| {kb.MARKET.name} | 配合 | 有异议 | 早市审批已取消 |" in feedback
    assert f"| {kb.ENFORCE.name} | 牵头 | 逾期未答复 | — |" in feedback, "decided 2025-04-01: past its limit"
    assert re.search(r"承办部门应于 2025-04-\d\d 前（\d+ 个工作日内）答复", feedback)
    assert "## 五、反馈" not in to_markdown(opinion(kb_store, _case(kb_store, None, decide=False, text="夜市占道")))


def test_an_undecided_case_is_a_draft_with_blank_signature_lines(kb_store: GraphStore) -> None:
    did = _case(kb_store, None, decide=False)
    text = _docx_text(to_docx(opinion(kb_store, did)))
    assert "关于早市占道的职责分工意见（草案）" in text
    assert "尚未附上系统建议。" in text and "（待裁决）" in text
    assert "决定机关：＿＿＿" in text and "签发人：＿＿＿" in text


def test_a_split_proposal_gives_one_division_per_aspect(kb_store: GraphStore) -> None:
    aspects = [  # as AskResult.contract() writes them (search.ask.Aspect)
        {"name": "占道摆摊", "text": "早市占道摆摊", "lead": [{"id": kb.ENFORCE.id, "name": kb.ENFORCE.name, "task": ""}],
         "cooperating": [{"id": kb.MARKET.id, "name": kb.MARKET.name, "task": "查处无证经营"}],
         "territorial": [{"id": kb.STREET.id, "name": kb.STREET.name, "task": ""}], "candidates": [],
         "articles": [{"id": kb.A_OLD.id, "law_title": kb.OLD_RULES.title, "article": "3", "valid": False},
                      {"id": kb.A_STALL.id, "law_title": kb.STALL_RULES.title, "article": "21", "valid": True}],
         "rulings": []},
        {"name": "食品安全", "text": "摊贩卖的熟食", "lead": [{"id": kb.MARKET.id, "name": kb.MARKET.name, "task": ""}],
         "cooperating": [], "territorial": [], "articles": [{"id": kb.A_FOOD.id, "valid": True}],
         "rulings": [{"title": kb.R_ESCAPE.title, "jurisdiction": kb.ZC.id}]},
    ]
    did = _case(kb_store, _proposal(aspects), decide=False)
    md = to_markdown(opinion(kb_store, did))
    assert "本争议涉及 2 个方面" in md
    first, second = md.split("### （一）占道摆摊")[1].split("### （二）食品安全")
    assert "**争议所述：**早市占道摆摊" in first and f"**属地：**{kb.STREET.name}" in first
    assert kb.A_STALL.text in first and f"{kb.MARKET.name}（查处无证经营）" in first and kb.A_FOOD.text not in first
    assert kb.A_FOOD.text in second and f"**牵头部门：**{kb.MARKET.name}" in second and kb.R_ESCAPE.title in second
    assert kb.A_OLD.text not in md, "a repealed article is no basis of an aspect either"


def test_file_names_and_the_utf8_content_disposition() -> None:
    assert file_name('关于"早市/占道"的意见', "docx") == "关于_早市_占道_的意见.docx"
    cd = content_disposition("空白发现-鲁安市.xlsx")
    assert cd == ("attachment; filename=\"download.xlsx\"; "
                  "filename*=UTF-8''%E7%A9%BA%E7%99%BD%E5%8F%91%E7%8E%B0-%E9%B2%81%E5%AE%89%E5%B8%82.xlsx")
    assert content_disposition("gaps 2026.xlsx").startswith('attachment; filename="gaps_2026.xlsx"; ')


# -- spreadsheets ------------------------------------------------------------------------------------
def _sheet_rows(content: bytes, title: str) -> list[list]:
    ws = openpyxl.load_workbook(io.BytesIO(content))[title]
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_cells_stay_values() -> None:
    rows = _sheet_rows(workbook_bytes([Sheet("x", ("a", "b"), [("=HYPERLINK(\"x\")", ["甲", "乙"]), ("a\x01b", None)])]), "x")
    assert rows == [["a", "b"], ['=HYPERLINK("x")', "甲、乙"], ["ab", None]]
    wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes([Sheet("x", ("a",), [("=1+1",)])])))
    assert wb["x"]["A2"].data_type == "s", "a leading '=' is text, never a formula"


def test_gaps_and_ask_sheets_carry_the_evidence(kb_store: GraphStore) -> None:
    items = [{"kind": "overlap", "subkind": "two_leads", "subject": kb.M_STALL.id, "title": "占道摆摊", "why": "两个部门都牵头",
              "impact": 12.0, "impact_note": "12 件工单", "next_step": "提请编办明确牵头部门", "data": {"orders": 12},
              "refs": {"departments": [kb.ENFORCE.id, kb.MARKET.id], "articles": [kb.A_STALL.id]},
              "candidates": [{"name": kb.ENFORCE.name, "role": "lead", "score": 0.8}]}]
    rows = _sheet_rows(workbook_bytes([gaps_sheet(kb_store, items, caption="空白发现")]), "空白发现")
    assert rows[0][0] == "空白发现"
    head, row = rows[1], dict(zip(rows[1], rows[2], strict=True))
    assert head[:4] == ["序号", "类型", "细类", "影响"]
    assert row["类型"] == "多头牵头（交叉）" and row["细类"] == "多个牵头部门" and row["影响"] == 12
    assert row["相关部门"] == f"{kb.ENFORCE.name}（{kb.ENFORCE.id}）\n{kb.MARKET.name}（{kb.MARKET.id}）"
    assert row["相关法条"] == kb.A_STALL.id and row["建议责任部门"] == f"{kb.ENFORCE.name}（牵头） 0.80"

    content = workbook_bytes(ask_sheets(_proposal()))
    cands = _sheet_rows(content, "候选部门")
    assert cands[1][:4] == ["序号", "部门", "类型", "建议角色"] and cands[2][1:4] == [kb.ENFORCE.name, "部门", "牵头"]
    ev = dict(zip(*_sheet_rows(content, "证据")[1:3], strict=True))
    assert ev["依据"] == "《潍坊市城市市容管理条例》第21条" and ev["推理路径"] == "法条 → 法定指定（牵头） → 城市管理部门"
    assert ev["贡献"] == 0.9 and ev["单元标识"] == kb.A_STALL.id
    assert _sheet_rows(content, "类似裁决")[2][1] == kb.R_HOME.title
    assert "分项" not in openpyxl.load_workbook(io.BytesIO(content)).sheetnames
    split = ask_sheets(_proposal([{"name": "占道摆摊", "lead": [{"id": kb.ENFORCE.id, "name": kb.ENFORCE.name}],
                                   "cooperating": [{"name": kb.MARKET.name, "task": "配合"}]}]))
    assert [s.title for s in split][0] == "分项"
    assert list(split[0].rows)[0][1:5] == ("占道摆摊", "", kb.ENFORCE.name, f"{kb.MARKET.name}（配合）")


# -- a department's duty list, round trip through the duty-list reader -----------------------------
@pytest.fixture
def luan_list(store: GraphStore) -> GraphStore:
    load_departments(store, SAMPLE / "departments.yaml")
    load_matters(store, SAMPLE / "matters.yaml")
    report = load_duty_list(store, SAMPLE / "duty_list.csv", list_id="luan-2026", list_date=dt.date(2026, 9, 30))
    assert report.skipped == 0
    return store


def _holders(store: GraphStore, source: str) -> set[tuple[str, str, str]]:
    rows = store.read("MATCH (p:Department)-[h:HOLDS]->(u:Duty) WHERE h.source = $s RETURN p.id AS p, h.role AS r, u.id AS u",
                      {"s": source})
    return {(r["p"], r["r"], r["u"]) for r in rows}


def test_the_layout_is_what_the_duty_list_reader_reads() -> None:
    headers = [h for h, _ in LAYOUT]
    assert ColumnMap.build(headers).columns == {f: h for h, f in LAYOUT if f}
    assert split_text("名称\n责任事项：1.立案\n2.调查\n追责情形：不履行") == ("1.立案\n2.调查", "不履行")


def test_an_exported_duty_list_loads_back_as_the_same_list(luan_list: GraphStore, tmp_path: Path) -> None:
    store = luan_list
    police = store.read("MATCH (d:Department {name: '鲁安市公安局'}) RETURN d.id AS id, d.name AS name")[0]
    path = tmp_path / "公安局权责清单.xlsx"
    path.write_bytes(workbook_bytes([duty_list_sheet(store, police, "2026-10-01")]))

    table = read_table(path, required=[h for h, _ in LAYOUT])
    cmap = ColumnMap.build(table.headers)
    rows = [parse_row(path, n, raw, cmap, lambda f: f, {}) for n, raw in table]
    originals = {raw["事项编码"]: raw for _, raw in read_table(SAMPLE / "duty_list.csv", required=["事项编码"])}
    held = store.read("MATCH (:Department {id: $d})-[:HOLDS]->(u:Duty) RETURN DISTINCT u.code AS c", {"d": police["id"]})
    assert sorted(r.code for r in rows) == sorted(h["c"] for h in held) and len(rows) >= 10
    first = next(r for r in rows if r.code == "LA-ZS-001")
    orig = originals["LA-ZS-001"]
    assert (first.name, first.type, first.basis) == (orig["事项名称"], "处罚", orig["实施依据"])
    assert first.duties == orig["责任事项"] and first.accountability == orig["追责情形"]
    assert first.path == [orig["大类"], orig["小类"], orig["情形"]]
    assert first.territorial == ["各镇（街道）"], "every town and street is written back as the list wrote it"

    duties_before = store.read("MATCH (u:Duty) RETURN count(u) AS n")[0]["n"]
    matters_before = store.read("MATCH (m:Matter) RETURN count(m) AS n")[0]["n"]
    original = _holders(store, source_id(SAMPLE / "duty_list.csv"))
    holds_before = store.counts()["[:HOLDS]"]
    report = load_duty_list(store, path, list_id="luan-2026", list_date=dt.date(2026, 9, 30))
    assert report.skipped == 0 and report.read == len(rows), report.errors[:3]
    assert store.read("MATCH (u:Duty) RETURN count(u) AS n")[0]["n"] == duties_before, "the same duties (ids)"
    assert store.read("MATCH (m:Matter) RETURN count(m) AS n")[0]["n"] == matters_before, "the same matters"
    exported = _holders(store, source_id(path))  # the facts it restates are now its own, not added twice
    duty_ids = {u for _, _, u in exported}
    assert exported == {h for h in original if h[2] in duty_ids} and len(duty_ids) == len(rows), \
        "every holder in every role, as the original list"
    assert store.counts()["[:HOLDS]"] == holds_before


# -- the command line --------------------------------------------------------------------------------
def test_cli_exports_a_case_and_a_department(kb_store: GraphStore, cli_env, tmp_path: Path) -> None:
    did = _case(kb_store, _proposal(), decide=True)
    out = tmp_path / "意见.docx"
    r = CliRunner().invoke(app, ["dispute", "export", did, "--format", "docx", "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert kb.A_STALL.text in _docx_text(out.read_bytes())
    r = CliRunner().invoke(app, ["dispute", "export", did, "--format", "md", "--out", "-"])
    assert r.exit_code == 0 and kb.A_STALL.text in r.output and "## 四、裁决意见" in r.output
    r = CliRunner().invoke(app, ["dispute", "export", "dispute:nope", "--format", "md"])
    assert r.exit_code == 1 and "no dispute 'dispute:nope'" in r.output

    out = tmp_path / "执法局.xlsx"
    r = CliRunner().invoke(app, ["duties", "export", "市综合执法局", "--out", str(out)])
    assert r.exit_code == 0, r.output
    rows = _sheet_rows(out.read_bytes(), "权责清单")
    assert rows[2][1:4] == ["CF-001", "行政处罚", kb.D_STALL.name] and rows[2][6] == kb.ENFORCE.name
    r = CliRunner().invoke(app, ["duties", "export", "不存在的局"])
    assert r.exit_code == 1 and "names 0 departments" in r.output


def test_cli_writes_the_gaps_as_xlsx(kb_store: GraphStore, cli_env, tmp_path: Path) -> None:  # noqa: ANN001
    """`dutygraph gaps --xlsx FILE`: the 空白发现 sheet, one row per gap in the order `gaps --json` lists them."""
    from tests.test_api_read import _plant

    _plant(kb_store)  # gaps planted: two leads, a duty on a repealed article
    kinds = ["--kind", "overlap", "--kind", "stale_basis"]
    listed = CliRunner().invoke(app, ["gaps", *kinds, "--json"])
    assert listed.exit_code == 0, listed.output
    out = tmp_path / "空白发现.xlsx"
    r = CliRunner().invoke(app, ["gaps", *kinds, "--xlsx", str(out)])
    assert r.exit_code == 0, r.output
    rows = _sheet_rows(out.read_bytes(), "空白发现")
    subjects = [g["subject"] for g in json.loads(listed.stdout)]
    assert len(subjects) >= 2 and [row[6] for row in rows[2:]] == subjects


# -- LibreOffice opens them ----------------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: apt-get install "
                                            "libreoffice-writer-nogui libreoffice-calc-nogui to run this check")
def test_libreoffice_opens_the_files(kb_store: GraphStore, tmp_path: Path) -> None:
    did = _case(kb_store, _proposal(), decide=True)
    (tmp_path / "opinion.docx").write_bytes(to_docx(opinion(kb_store, did)))
    (tmp_path / "ask.xlsx").write_bytes(workbook_bytes(ask_sheets(_proposal())))
    (tmp_path / "duties.xlsx").write_bytes(workbook_bytes([duty_list_sheet(kb_store, {"id": kb.ENFORCE.id,
                                                                                      "name": kb.ENFORCE.name}, "2025-01-01")]))
    env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    for name in ("opinion.docx", "ask.xlsx", "duties.xlsx"):
        r = subprocess.run([SOFFICE, "--headless", "--norestore", "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"),
                            str(tmp_path / name)], capture_output=True, text=True, timeout=180, env=env)
        pdf = tmp_path / "pdf" / (Path(name).stem + ".pdf")
        assert r.returncode == 0 and pdf.is_file() and pdf.stat().st_size > 1000, (r.stdout, r.stderr)
