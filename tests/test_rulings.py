"""Rulings: text extraction, structured and free-text readers, supersession, idempotence, bad input."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from graph.ontology import Article, HasArticle, Law
from graph.queries.assignments import owners_of_matter
from graph.store.base import GraphStore
from ingest.dates import parse_date
from ingest.departments.loader import load_departments
from ingest.departments.resolve import DepartmentResolver
from ingest.matters.taxonomy import load_matters
from ingest.rulings import PartyParser, extract_ruling, load_rulings
from ingest.rulings.extract import find_mandate_citations
from ingest.rulings.records import read_text_file

SAMPLES = Path(__file__).resolve().parents[1] / "ingest" / "samples" / "luan"
TEXTS = SAMPLES / "rulings" / "texts"


@pytest.fixture(scope="module")
def parser() -> PartyParser:
    resolver = DepartmentResolver.from_directory(SAMPLES / "departments.yaml")
    names = {n for r in resolver.records.values() for n in (r.name, *r.aliases)}
    names |= {"市" + n[3:] for n in names if n.startswith("鲁安市") and len(n) > 5}
    return PartyParser.with_names(names)


@pytest.fixture
def home(store: GraphStore) -> GraphStore:
    load_departments(store, SAMPLES / "departments.yaml")
    load_matters(store, SAMPLES / "matters.yaml")
    return store


def test_minutes_decision_not_positions(parser: PartyParser) -> None:
    ex = extract_ruling((TEXTS / "2023-06-密室逃脱-专题会议纪要.txt").read_text(encoding="utf-8"), parser)
    assert ex.roles() == {
        ("市文化和旅游局", "lead"), ("市公安局", "cooperate"), ("市消防救援大队", "cooperate"),
        ("市市场监管局", "cooperate"), ("属地镇街", "territorial"),
    }  # 市文化和旅游局 argued 市场监管 should own it: that position is not read as an assignment
    assert ex.matter == "密室逃脱经营场所"
    assert ex.decided_on == dt.date(2023, 6, 12) and ex.decided_by == "市政府专题会议"
    assert ex.principles == ["职责就近", "管理沿用", "有利有力", "参照类比"]
    assert ex.repeals == ["关于密室逃脱经营场所监管职责分工的意见"]


def test_docx_and_cues(parser: PartyParser) -> None:
    text = read_text_file(TEXTS / "2023-09-共享单车-专题会议纪要.docx")
    ex = extract_ruling(text, parser)
    assert ex.roles() == {("市交通运输局", "lead"), ("市综合执法局", "cooperate"), ("交警大队", "cooperate"),
                          ("属地镇街", "territorial")}
    ex = extract_ruling("货车超限超载治理由市交通运输局牵头，会同市公安局开展联合治超；公路中心负责检测站运行；"
                        "市自然资源和规划局不再承担该项职责。", parser)
    assert ex.roles() == {("市交通运输局", "lead"), ("市公安局", "cooperate"), ("公路中心", "cooperate")}


def test_authority_lists_and_generic_parties() -> None:
    ex = extract_ruling("露营地由文化和旅游部门牵头，自然资源、林业、消防救援等部门配合，各相关部门按职责做好配合，"
                        "属地乡镇（街道）负责日常巡查。")
    assert ex.roles() == {("文化和旅游部门", "lead"), ("自然资源部门", "cooperate"), ("林业部门", "cooperate"),
                          ("消防救援部门", "cooperate"), ("属地镇街", "territorial")}


def test_dates_and_citations() -> None:
    assert parse_date("二〇二三年五月十二日") == dt.date(2023, 5, 12)
    ex = extract_ruling((TEXTS / "2019-04-餐饮油烟-编办意见.txt").read_text(encoding="utf-8"))
    assert [(c.law_title, c.article) for c in ex.citations] == [("中华人民共和国大气污染防治法", "81")]
    assert ex.decided_by == "市委编办"


@pytest.mark.parametrize("cited", ["《鲁安市水利局职能配置、内设机构和人员编制规定》第三条主要职责第（三）项",
                                   "《鲁安市水利局主要职责、内设机构和人员编制规定》（三）", "鲁安市水利局“三定”规定（三）"])
def test_a_mandate_item_is_cited_by_any_name_the_mandate_goes_by(cited: str) -> None:
    assert [(c.department, c.ordinal) for c in find_mandate_citations(f"依据{cited}，")] == [("鲁安市水利局", 3)]


def test_load_sample_home_and_precedents(home: GraphStore) -> None:
    law = Law(title="中华人民共和国大气污染防治法", version="2018-10-26", effective=dt.date(2018, 10, 26), status="现行有效")
    art = Article(law=law.id, number="81", text="排放油烟的餐饮服务业经营者应当安装油烟净化设施。")
    home.upsert_nodes([law, art])
    home.upsert_edges([HasArticle(src=law.id, dst=art.id, source="test")])

    report = load_rulings(home, SAMPLES / "rulings")
    assert report.read == report.written >= 60 and report.skipped == 0
    rows = home.read("MATCH (r:Ruling) RETURN r.jurisdiction AS j, count(r) AS n")
    by_jur = {r["j"]: r["n"] for r in rows}
    assert by_jur["jur:全国/山东省/潍坊市/鲁安市"] >= 40
    assert sum(n for j, n in by_jur.items() if j != "jur:全国/山东省/潍坊市/鲁安市") >= 20

    # a precedent assigns authority types; a home ruling assigns departments and owns the matter
    prec = home.read("MATCH (r:Ruling)-[e:ASSIGNS {role: 'lead'}]->(a:Authority) WHERE r.title CONTAINS '剧本娱乐' "
                     "RETURN a.name AS a")
    assert [r["a"] for r in prec] == ["文化和旅游主管部门"]
    assert not home.read("MATCH (r:Ruling)-[:ASSIGNS]->(:Department) WHERE r.jurisdiction <> $j RETURN r.id AS id",
                         {"j": "jur:全国/山东省/潍坊市/鲁安市"})
    cites = home.read("MATCH (r:Ruling)-[:CITES]->(a:Article) RETURN r.title AS t, a.id AS a")
    assert {"t": "关于餐饮油烟扰民监管职责分工的意见", "a": art.id} in cites
    principles = home.read("MATCH (r:Ruling)-[:APPLIES]->(p:Principle {name: '参照类比'}) RETURN count(r) AS n")
    assert principles[0]["n"] >= 3


def _leads(store: GraphStore, matter: str, as_of: str) -> set[str]:
    return {r["department"] for r in owners_of_matter(store, matter, as_of) if r["role"] == "lead" and r["matter"] == matter}


def test_supersession_ends_old_assignments(home: GraphStore, tmp_path: Path) -> None:
    # the newer ruling sorts first: supersession is settled after the whole folder is read
    shutil.copy(TEXTS / "2022-03-餐饮油烟-编办意见.txt", tmp_path / "a-new.txt")
    shutil.copy(TEXTS / "2019-04-餐饮油烟-编办意见.txt", tmp_path / "b-old.txt")
    load_rulings(home, tmp_path, jurisdiction="全国/山东省/潍坊市/鲁安市")
    assert _leads(home, "餐饮油烟扰民", "2020-01-01") == {"潍坊市生态环境局鲁安分局"}
    assert _leads(home, "餐饮油烟扰民", "2023-01-01") == {"鲁安市综合行政执法局"}
    old = home.read("MATCH (n:Ruling)-[:SUPERSEDES]->(o:Ruling) RETURN o.status AS s, o.title AS t")
    assert old == [{"s": "superseded", "t": "关于餐饮油烟扰民监管职责分工的意见"}]
    ended = home.read("MATCH (o:Ruling {status: 'superseded'})-[e:ASSIGNS]->() RETURN collect(DISTINCT e.valid_to) AS v")
    assert ended[0]["v"] == ["2022-03-18"]
    log = [e for e in home.changelog.entries() if e.action == "supersede"]
    assert log and home.changelog.verify().ok


def test_idempotent(home: GraphStore) -> None:
    load_rulings(home, SAMPLES / "rulings")
    before, entries = home.counts(), len(home.changelog.entries())
    load_rulings(home, SAMPLES / "rulings")
    assert home.counts() == before
    assert len(home.changelog.entries()) == entries


def test_bad_files_are_named_and_nothing_is_lost(home: GraphStore, tmp_path: Path) -> None:
    good = tmp_path / "good"
    good.mkdir()
    (good / "r.yaml").write_text(
        "jurisdiction: 全国/山东省/潍坊市/鲁安市\ntitle: 关于出店经营查处职责的意见\ndecided_on: 2020-04-14\n"
        "matter: 出店经营\nparties: [{name: 市综合执法局, role: lead}]\n", encoding="utf-8")
    load_rulings(home, good)
    before = home.counts()

    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "_defaults.yaml").write_text("jurisdiction: 全国/山东省/潍坊市/鲁安市\n", encoding="utf-8")
    (bad / "list.yaml").write_text(
        "rulings:\n  - {title: 关于甲的意见, matter: 出店经营, parties: [{name: 市公安局, role: boss}]}\n"
        "  - {title: 关于乙的意见, matter: 出店经营, parties: [{name: 市公安局, role: lead}]}\n", encoding="utf-8")
    (bad / "broken.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    (bad / "empty.txt").write_text("", encoding="utf-8")
    (bad / "noparty.txt").write_text("关于某事项的意见\n各单位要高度重视。\n", encoding="utf-8")
    report = load_rulings(home, bad)
    assert report.written == 1 and report.skipped == 4
    joined = "\n".join(report.errors)
    assert re.search(r"list\.yaml, row rulings\[1\], field 'parties\.0\.role'", joined)
    assert "broken.yaml: cannot parse" in joined
    assert re.search(r"empty\.txt, field 'text'", joined)
    assert re.search(r"noparty\.txt, field 'parties'", joined)
    after = home.counts()
    assert all(after.get(k, 0) >= v for k, v in before.items())  # nothing stored before was lost
    assert home.read("MATCH (r:Ruling {title: '关于出店经营查处职责的意见'})-[:ASSIGNS]->(d) RETURN d.name AS d") == [
        {"d": "鲁安市综合行政执法局"}]


def test_manifest_reassigned_matters_trace(home: GraphStore) -> None:
    """The re-assigned matters listed in the sample manifest show the old lead before and the new one after."""
    import yaml

    manifest = yaml.safe_load((SAMPLES / "manifest.yaml").read_text(encoding="utf-8"))
    load_rulings(home, SAMPLES / "rulings")
    for item in manifest["gaps"]["reassigned"]:
        name = item["path"][-1]
        before, after = item["before"], item["after"]
        assert _leads(home, name, str(before["from"])) == {before["lead"]}
        assert _leads(home, name, str(after["from"])) == {after["lead"]}
        old = home.read("MATCH (r:Ruling {title: $t})-[e:ASSIGNS {role: 'lead'}]->(d:Department) "
                        "RETURN d.name AS d, e.valid_to AS to", {"t": before["ruling"]})
        assert old == [{"d": before["lead"], "to": str(before["to"])}]


def test_cites_mandate_clause(home: GraphStore) -> None:
    from ingest.mandates import load_mandates

    load_mandates(home, SAMPLES / "mandates" / "02_综合行政执法局.md")
    load_rulings(home, TEXTS / "2022-03-餐饮油烟-编办意见.txt", jurisdiction="全国/山东省/潍坊市/鲁安市")
    rows = home.read("MATCH (r:Ruling)-[:CITES]->(c:MandateClause) RETURN c.number AS n, c.text AS t")
    assert len(rows) == 1 and rows[0]["n"] == "主要职责(8)" and "油烟" in rows[0]["t"]


def test_supersession_across_loads_in_reverse_order(home: GraphStore) -> None:
    """The later ruling loaded first, the one it repeals in a later run: the link is still made."""
    load_rulings(home, TEXTS / "2023-06-密室逃脱-专题会议纪要.txt", jurisdiction="全国/山东省/潍坊市/鲁安市")
    load_rulings(home, TEXTS / "2021-03-密室逃脱-编办意见.txt", jurisdiction="全国/山东省/潍坊市/鲁安市")
    assert _leads(home, "密室逃脱", "2022-01-01") == {"鲁安市市场监督管理局"}
    assert _leads(home, "密室逃脱", "2024-01-01") == {"鲁安市文化和旅游局"}


def test_json_reader_and_broken_docx(home: GraphStore, tmp_path: Path) -> None:
    import json

    (tmp_path / "r.json").write_text(json.dumps({
        "jurisdiction": "全国/山东省/潍坊市/鲁安市", "title": "关于私打机井查处职责的意见", "decided_on": "2022-02-02",
        "matter": "水务河道/水资源/私打机井", "principles": ["谁主管、谁负责"],
        "parties": [{"name": "市水利局", "role": "lead"}, {"name": "各镇街", "role": "territorial"}],
    }, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    report = load_rulings(home, tmp_path)
    assert report.written == 1 and report.skipped == 1
    assert re.search(r"broken\.docx: cannot read text", "\n".join(report.errors))
    rows = home.read("MATCH (r:Ruling)-[e:ASSIGNS]->(d:Department) RETURN e.role AS role, count(d) AS n ORDER BY role")
    assert rows == [{"role": "lead", "n": 1}, {"role": "territorial", "n": 12}]  # 各镇街 = every town and street
    assert home.read("MATCH (:Ruling)-[:APPLIES]->(p:Principle) RETURN p.name AS p") == [{"p": "谁主管谁负责"}]


def test_cli_ingest_rulings(home: GraphStore, settings, monkeypatch) -> None:
    from typer.testing import CliRunner

    from api.cli import app
    from graph.settings import get_settings

    for key, value in {"DUTYGRAPH_DATA_DIR": str(settings.data_dir), "DUTYGRAPH_GRAPH_URI": settings.graph_uri,
                       "DUTYGRAPH_GRAPH_NAME": settings.graph_name}.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    try:
        out = CliRunner().invoke(app, ["ingest", "rulings", str(TEXTS / "2022-05-遛狗不牵绳-意见.txt"),
                                       "--jurisdiction", "全国/山东省/潍坊市/鲁安市", "--json"])
    finally:
        get_settings.cache_clear()
    assert out.exit_code == 0, out.output
    assert '"written": 1' in out.output
    assert home.counts()["Ruling"] == 1
