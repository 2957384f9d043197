"""Duty lists: .csv/.xlsx readers, column mapping, roles, matters, basis links, bad rows and files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from graph.errors import IngestError
from graph.ontology import Duty
from ingest.departments import load_departments
from ingest.dutylists import load_duty_list, parse_basis, parse_overrides
from ingest.matters import load_matters

SAMPLE = Path(__file__).resolve().parents[1] / "ingest" / "samples" / "luan"
HEADER = ["事项编码", "大类", "小类", "情形", "事项名称", "事项类型", "实施依据", "责任部门", "配合部门", "属地责任"]


@pytest.fixture
def base(store):
    load_departments(store, SAMPLE / "departments.yaml")
    load_matters(store, SAMPLE / "matters.yaml")
    return store


def _csv(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    path.write_text("\n".join(",".join(r) for r in [header, *rows]) + "\n", encoding="utf-8")
    return path


def _one(store, cypher: str, **params):
    rows = store.read(cypher, params)
    return rows[0] if rows else None


def test_sample_list_loads_roles_matters_and_territory(base):
    report = load_duty_list(base, SAMPLE / "duty_list.csv", list_id="luan-2026", list_date=dt.date(2026, 9, 30))
    assert report.skipped == 0, report.errors[:5]
    assert report.read >= 300
    domains = base.read("MATCH (d:Duty)-[:ABOUT]->(m:Matter) RETURN count(DISTINCT m.path[0]) AS n")[0]["n"]
    assert domains >= 15
    row = _one(base, "MATCH (p:Department)-[h:HOLDS]->(d:Duty {code: 'LA-ZS-001'}) WHERE h.role = 'lead' "
                     "RETURN p.name AS p, h.valid_from AS since")
    assert row == {"p": "鲁安市公安局", "since": "2026-09-30"}
    roles = base.read("MATCH (p:Department)-[h:HOLDS]->(:Duty {code: 'LA-ZS-001'}) RETURN h.role AS r, count(p) AS n")
    counts = {r["r"]: r["n"] for r in roles}
    assert counts["cooperate"] == 1 and counts["territorial"] >= 8, "各镇（街道） expands to every town and street"
    owner = base.read(
        "MATCH (p:Department)-[r:RESPONSIBLE_FOR {role: 'lead'}]->(m:Matter {name: '广场舞噪声'}) RETURN DISTINCT p.name AS p"
    )
    assert owner == [{"p": "鲁安市公安局"}]
    # a path the taxonomy already holds is matched, not duplicated: one PART_OF edge up from each matter
    dup = base.read("MATCH (m:Matter)-[e:PART_OF]->(:Matter) WITH m, count(e) AS n WHERE n > 1 RETURN count(m) AS c")
    assert dup[0]["c"] == 0
    created = _one(base, "MATCH (m:Matter {name: '食品经营许可'})-[:PART_OF]->(p:Matter) RETURN p.name AS p")
    assert created == {"p": "餐饮服务"}, "a 情形 the taxonomy lacks is created under its 小类"
    no_lead = _one(base, "MATCH (d:Duty {code: 'LA-XY-004'}) OPTIONAL MATCH (p)-[h:HOLDS {role: 'lead'}]->(d) "
                         "RETURN count(p) AS n")
    assert no_lead == {"n": 0}, "待明确 leaves the lead empty"


def test_reload_is_idempotent(base):
    load_duty_list(base, SAMPLE / "duty_list.csv", list_id="luan-2026", list_date=dt.date(2026, 9, 30))
    before = base.counts()
    head = base.changelog.head()
    load_duty_list(base, SAMPLE / "duty_list.csv", list_id="luan-2026", list_date=dt.date(2026, 9, 30))
    assert base.counts() == before
    assert base.changelog.head() == head, "unchanged assignments are not logged again"


def test_bad_rows_are_named_and_skipped(base, tmp_path):
    f = _csv(tmp_path / "list.csv", [
        ["A-1", "噪声", "社会生活噪声", "广场舞噪声", "好的事项", "行政处罚", "", "市公安局", "", ""],
        ["A-2", "噪声", "社会生活噪声", "广场舞噪声", "", "行政处罚", "", "市公安局", "", ""],
        ["A-3", "噪声", "社会生活噪声", "广场舞噪声", "部门不存在", "行政处罚", "", "市宇宙局", "", ""],
        ["A-4", "噪声", "社会生活噪声", "广场舞噪声", "没有部门", "行政处罚", "", "", "", ""],
        ["A-1", "噪声", "社会生活噪声", "广场舞噪声", "好的事项", "行政处罚", "", "市公安局", "", ""],
        ["A-5", "噪声", "社会生活噪声", "广场舞噪声", "配合部门写错", "行政检查", "", "市公安局", "市火星局", ""],
    ])
    report = load_duty_list(base, f, list_id="t")
    assert report.read == 6 and report.skipped == 5
    errs = "\n".join(report.errors)
    assert "list.csv, row 3, field '事项名称'" in errs
    assert "row 4, field '责任部门': unknown department '市宇宙局'" in errs
    assert "row 5, field '责任部门'" in errs and "no responsible department" in errs
    assert "row 6, field '事项编码': duplicate item" in errs
    assert "row 7, field '配合部门'" in errs
    assert base.get_node("Duty", Duty.derive_id("t", "A-1", "好的事项")) is not None


def test_unreadable_files_raise_and_lose_nothing(base, tmp_path):
    load_duty_list(base, SAMPLE / "duty_list.csv", list_id="luan-2026")
    before = base.counts()
    bad = {  # file: (its bytes, what its error says)
        "a.csv": ("甲,乙\nx,y\n".encode(), "a.csv: no header row"),
        "b.csv": ("事项名称\n对某事的处罚\n".encode(), "field 'lead'"),
        "c.csv": (b"\xff\xfe\x00\x81\x82" * 50, "c.csv"),
        "d.xlsx": (b"PK\x03\x04 broken", "d.xlsx"),
    }
    for name, (content, says) in bad.items():
        (tmp_path / name).write_bytes(content)
        with pytest.raises(IngestError, match=says):
            load_duty_list(base, tmp_path / name)
    assert base.counts() == before


def test_xlsx_with_title_rows_and_mapped_headers(base, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "清单"
    ws.append(["某县权责清单"])
    ws.append([])
    ws.append(["序号", "权力名称", "权力类型", "设定依据", "实施机关", "协办部门", "事项分类"])
    ws.append([1, "对占道经营的查处", "行政处罚", "《城市市容和环境卫生管理条例》第十四条", "城管局", "市场监管局",
               "占道经营/流动摊贩/流动摊贩占道"])
    ws.append([2, "对某事项的检查", "行政检查", None, "市场监管局", None, "市场监管/计量/缺斤短两"])
    f = tmp_path / "list.xlsx"
    wb.save(f)
    with pytest.raises(IngestError, match="field 'lead'"):
        load_duty_list(base, f, sheet="清单")  # 实施机关 is not a default header
    report = load_duty_list(base, f, sheet="清单", columns=parse_overrides(["责任部门=实施机关"]))
    assert report.skipped == 0, report.errors
    row = _one(base, "MATCH (p:Department)-[:HOLDS {role: 'lead'}]->(d:Duty {name: '对占道经营的查处'})-[:ABOUT]->"
                     "(m:Matter) RETURN p.name AS p, d.type AS t, d.code AS c, m.id AS m")
    assert row == {"p": "鲁安市综合行政执法局", "t": "处罚", "c": "1", "m": "matter:占道经营/流动摊贩/流动摊贩占道"}


def test_column_mapping_errors():
    with pytest.raises(ValueError, match="FIELD=HEADER"):
        parse_overrides(["事项名称"])
    assert parse_overrides(["name=权力名称", "配合部门 = 协办"]) == {"name": "权力名称", "配合部门": "协办"}


def test_basis_text_is_parsed_into_citations():
    cits = parse_basis("《中华人民共和国噪声污染防治法》第六十五条、第八十二条；《物业管理条例》第四十九条第一款")
    assert [(c.title, c.number) for c in cits] == [
        ("中华人民共和国噪声污染防治法", "65"), ("中华人民共和国噪声污染防治法", "82"), ("物业管理条例", "49")]
    assert parse_basis("") == []


STATUTE = """# 中华人民共和国示例管理法

第一条 为了规范示例管理，制定本法。

第二条 县级以上地方人民政府城市管理部门负责本行政区域内的示例管理工作。

第三条 违反本法规定的，由城市管理部门责令改正，处一千元以下罚款。
"""


def test_basis_links_to_articles_in_the_graph(base, settings, tmp_path):
    from ingest.laws import load_laws

    statute = tmp_path / "示例管理法(2020-01-01).md"
    statute.write_text(STATUTE, encoding="utf-8")
    load_laws(base, statute, settings=settings)
    f = _csv(tmp_path / "l.csv", [
        ["S-1", "市容环卫", "户外广告", "违规设置户外广告", "对示例的处罚", "行政处罚",
         "《示例管理法》第三条、第二条；《不存在法》第一条", "市综合执法局", "", ""],
    ])
    report = load_duty_list(base, f, list_id="s", list_date=dt.date(2024, 1, 1))
    assert report.citations_linked == 2
    assert report.unresolved_citations == ["《不存在法》第1条"]
    arts = base.read("MATCH (:Duty {code: 'S-1'})-[:BASED_ON]->(a:Article) RETURN a.number AS n ORDER BY n")
    assert [a["n"] for a in arts] == ["2", "3"]


def test_bases_link_when_the_statute_lands_later(base, settings, tmp_path):
    from ingest.dutylists import link_duty_bases
    from ingest.laws import load_laws

    f = _csv(tmp_path / "l.csv", [
        ["S-2", "市容环卫", "户外广告", "违规设置户外广告", "对示例的检查", "行政检查", "《示例管理法》第二条",
         "市综合执法局", "", ""],
    ])
    report = load_duty_list(base, f, list_id="s", list_date=dt.date(2024, 1, 1))
    assert report.citations_linked == 0 and report.unresolved_citations == ["《示例管理法》第2条"]
    statute = tmp_path / "示例管理法(2020-01-01).md"
    statute.write_text(STATUTE, encoding="utf-8")
    load_laws(base, statute, settings=settings)
    assert link_duty_bases(base, "s") == 1
    assert link_duty_bases(base, "s") == 1  # re-linking rewrites the same edge
    assert base.counts()["[:BASED_ON]"] == 1


def test_a_new_list_supersedes_the_old_one(base, tmp_path):
    from graph.queries.temporal import valid_at

    old = _csv(tmp_path / "2024.csv", [
        ["A-1", "噪声", "社会生活噪声", "广场舞噪声", "对广场舞噪声的处理", "行政处罚", "", "鲁安生态环境分局", "", ""],
    ])
    new = _csv(tmp_path / "2026.csv", [
        ["B-1", "噪声", "社会生活噪声", "广场舞噪声", "对广场舞噪声的处理", "行政处罚", "", "市公安局", "", ""],
    ])
    load_duty_list(base, old, list_id="v2024", list_date=dt.date(2024, 1, 1))
    with pytest.raises(IngestError, match="list_date"):
        load_duty_list(base, new, list_id="v2026", supersedes="v2024")
    report = load_duty_list(base, new, list_id="v2026", list_date=dt.date(2026, 1, 1), supersedes="v2024")
    assert report.superseded == 2  # one HOLDS, one RESPONSIBLE_FOR

    def leads(on: str) -> list[str]:
        rows = base.read(
            "MATCH (p:Department)-[r:RESPONSIBLE_FOR {role: 'lead'}]->(:Matter {name: '广场舞噪声'}) "
            f"WHERE {valid_at('r')} RETURN DISTINCT p.name AS p",
            {"as_of": on},
        )
        return sorted(r["p"] for r in rows)

    assert leads("2025-06-01") == ["潍坊市生态环境局鲁安分局"]
    assert leads("2026-06-01") == ["鲁安市公安局"]
    assert base.counts()["[:HOLDS]"] == 2, "the old assignment is kept, with valid_to"


def test_all_townships_means_the_row_s_own_county(base, tmp_path):
    other = tmp_path / "dir.csv"
    other.write_text("部门名称,机构类型\n临河县公安局,政府\n城关镇,镇\n河西街道,街道\n", encoding="utf-8")
    load_departments(base, other, jurisdiction="山东省/临沂市/临河县")
    f = _csv(tmp_path / "l.csv", [
        ["T-1", "噪声", "社会生活噪声", "邻里生活噪声", "鲁安的事项", "行政处罚", "", "市公安局", "", "各镇（街道）"],
        ["T-2", "噪声", "社会生活噪声", "邻里生活噪声", "临河的事项", "行政处罚", "", "临河县公安局", "", "各镇（街道）"],
    ])
    assert load_duty_list(base, f, list_id="t").skipped == 0
    towns = {r["c"]: r["n"] for r in base.read(
        "MATCH (p:Department)-[:HOLDS {role: 'territorial'}]->(d:Duty) RETURN d.code AS c, count(p) AS n")}
    assert towns == {"T-1": 12, "T-2": 2}
    amb = _csv(tmp_path / "m.csv", [["U-1", "噪声", "社会生活噪声", "邻里生活噪声", "某事项", "行政处罚", "", "公安局", "", ""]])
    report = load_duty_list(base, amb, list_id="u")
    assert report.skipped == 1 and "ambiguous department '公安局' (2 matches)" in report.errors[0]
    report = load_duty_list(base, amb, list_id="u", jurisdiction="jur:全国/山东省/临沂市/临河县")
    assert report.skipped == 0
    holder = base.read("MATCH (p:Department)-[:HOLDS]->(:Duty {code: 'U-1'}) RETURN p.name AS n")
    assert holder == [{"n": "临河县公安局"}]
