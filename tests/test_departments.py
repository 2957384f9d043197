"""Department directory: readers (.yaml/.csv/.xlsx), ACTS_AS suggestions, aliases, idempotence."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from graph.errors import IngestError
from graph.ontology import Department
from ingest.departments import DepartmentResolver, load_departments
from ingest.departments.suggest import suggest_authorities
from ingest.matters import load_matters

SAMPLE = Path(__file__).resolve().parents[1] / "ingest" / "samples" / "luan"
HOME = "jur:全国/山东省/潍坊市/鲁安市"


def _acts_as(store, dept_name: str) -> dict[str, str]:
    rows = store.read(
        "MATCH (d:Department {name: $n})-[e:ACTS_AS]->(a:Authority) RETURN a.name AS a, e.scope AS scope",
        {"n": dept_name},
    )
    return {r["a"]: r["scope"] or "" for r in rows}


def test_sample_directory_loads_with_jurisdictions_divisions_and_acts_as(store):
    report = load_departments(store, SAMPLE / "departments.yaml")
    assert report.errors == []
    counts = store.counts()
    assert counts["Department"] >= 30 + 8
    home = store.get_node("Jurisdiction", HOME)
    assert home and home["level"] == "县"
    towns = store.read(
        "MATCH (j:Jurisdiction)-[:PART_OF]->(:Jurisdiction {id: $h}) RETURN j.id AS id", {"h": HOME}
    )
    assert len(towns) >= 8
    street = store.read(
        "MATCH (d:Department {kind: 'township'})-[:IN]->(j:Jurisdiction {id: $j}) RETURN d.name AS n",
        {"j": f"{HOME}/鲁城街道"},
    )
    assert [r["n"] for r in street] == ["鲁安市鲁城街道办事处"]
    div = store.read(
        "MATCH (d:Department)-[:PART_OF]->(p:Department {name: '鲁安市公安局'}) RETURN d.name AS n"
    )
    assert "鲁安市公安局交通警察大队" in {r["n"] for r in div}
    acts = _acts_as(store, "鲁安市综合行政执法局")
    assert "城市管理部门" in acts or any("城市管理" in a for a in acts)
    assert any("违法建设" in s for s in acts.values()), "the taken-over planning powers carry a scope"
    assert _acts_as(store, "鲁安市石埠镇人民政府"), "towns get a suggested authority from their name"


def test_reload_changes_nothing(store):
    load_departments(store, SAMPLE / "departments.yaml")
    load_matters(store, SAMPLE / "matters.yaml")
    before = store.counts()
    head = store.changelog.head() if store.changelog else None
    load_departments(store, SAMPLE / "departments.yaml")
    load_matters(store, SAMPLE / "matters.yaml")
    assert store.counts() == before
    if head is not None:
        assert store.changelog.head() == head


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("工商局", "鲁安市市场监督管理局"),  # 简称 of a former name
        ("鲁安市食品药品监督管理局", "鲁安市市场监督管理局"),  # former name, full
        ("市质量技术监督局", "鲁安市市场监督管理局"),  # former name, short prefix
        ("市场监管局", "鲁安市市场监督管理局"),  # 简称
        ("城市管理局", "鲁安市综合行政执法局"),  # 机构改革 rename
        ("城管", "鲁安市综合行政执法局"),
        ("市住房和城乡建设局", "鲁安市住房和城乡建设局"),  # without the city name
        ("住房和城乡建设局", "鲁安市住房和城乡建设局"),
        ("市委编办", "中共鲁安市委机构编制委员会办公室"),
        ("市委机构编制委员会办公室", "中共鲁安市委机构编制委员会办公室"),
        ("鲁城街道", "鲁安市鲁城街道办事处"),
        ("石埠镇政府", "鲁安市石埠镇人民政府"),
        ("交警大队", "鲁安市公安局交通警察大队"),
        ("12345热线", "鲁安市社会治理服务中心"),
        ("市公安局交警大队", "鲁安市公安局交通警察大队"),  # parent + a division's 简称
        ("市住建局（物业科）", "鲁安市住房和城乡建设局物业管理科"),
    ],
)
def test_alias_resolution_from_the_directory(written, canonical):
    r = DepartmentResolver.from_directory(SAMPLE / "departments.yaml")
    got = r.resolve(written)
    assert got is not None, written
    assert r.name_of(got) == canonical


def test_resolver_from_store_agrees_with_directory(store):
    load_departments(store, SAMPLE / "departments.yaml")
    from_store = DepartmentResolver.from_store(store, HOME)
    from_file = DepartmentResolver.from_directory(SAMPLE / "departments.yaml")
    for name in ("工商局", "城市管理局", "卫健委", "鲁城街道", "市场监管局", "环保局"):
        assert from_store.resolve(name) == from_file.resolve(name) is not None
    assert from_store.resolve("鲁安市宇宙管理局") is None
    assert from_file.is_former("鲁安市城市管理局") and not from_file.is_former("鲁安市综合行政执法局")
    assert from_store.resolve("城市管理局") == Department.derive_id(HOME, "鲁安市综合行政执法局")


def test_find_mentions_in_running_text():
    r = DepartmentResolver.from_directory(SAMPLE / "departments.yaml")
    text = "由市市场监督管理局负责，市农业农村局配合，鲁城街道办事处做好属地巡查。"
    names = [r.name_of(i) for i, _, _ in r.find_mentions(text)]
    assert names == ["鲁安市市场监督管理局", "鲁安市农业农村局", "鲁安市鲁城街道办事处"]


def test_acts_as_suggestions_from_names():
    assert "市场监督管理部门" in suggest_authorities("某县市场监督管理局")
    assert "城市管理部门" in suggest_authorities("某市综合行政执法局")
    assert "公安机关" in suggest_authorities("某县公安局")
    assert "生态环境主管部门" in suggest_authorities("潍坊市生态环境局某某分局")
    assert suggest_authorities("某县档案馆") == []


def _write_csv(path: Path, rows: list[list[str]]) -> Path:
    path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_csv_directory_with_override_and_suggestion(store, tmp_path):
    f = _write_csv(tmp_path / "dir.csv", [
        ["某县部门名单（2024年）", "", "", "", "", ""],
        ["部门名称", "简称", "曾用名", "机构类型", "上级部门", "对应主管部门"],
        ["临河县市场监督管理局", "县市场监管局", "临河县工商行政管理局（2019）、临河县质量技术监督局", "政府", "", ""],
        ["临河县综合行政执法局", "县综合执法局", "临河县城市管理局", "政府", "", "城市管理部门；城乡规划主管部门：违法建设查处"],
        ["临河县园林环卫中心", "", "", "事业单位", "临河县综合行政执法局", ""],
        ["城关街道", "", "", "街道", "", ""],
    ])
    report = load_departments(store, f, jurisdiction="山东省/临沂市/临河县")
    assert report.errors == []
    r = DepartmentResolver.from_store(store, "jur:全国/山东省/临沂市/临河县")
    assert r.name_of(r.resolve("工商局") or r.resolve("临河县工商行政管理局")) == "临河县市场监督管理局"
    assert set(_acts_as(store, "临河县综合行政执法局")) >= {"城乡规划主管部门"}
    assert _acts_as(store, "临河县综合行政执法局").get("城乡规划主管部门") == "违法建设查处"
    assert _acts_as(store, "临河县市场监督管理局"), "no override: the name-based suggestion applies"
    part = store.read("MATCH (:Department {name: '临河县园林环卫中心'})-[:PART_OF]->(p:Department) RETURN p.name AS n")
    assert [x["n"] for x in part] == ["临河县综合行政执法局"]
    assert r.resolve("城关街道") is not None


def test_xlsx_directory(store, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["部门名称", "简称", "机构类型"])
    ws.append(["临河县公安局", "县公安局", "政府"])
    ws.append(["城关镇", None, "镇"])
    f = tmp_path / "dir.xlsx"
    wb.save(f)
    report = load_departments(store, f, jurisdiction="山东省/临沂市/临河县")
    assert report.errors == []
    assert "公安机关" in _acts_as(store, "临河县公安局")
    assert store.read("MATCH (d:Department {name: '临河县城关镇人民政府'}) RETURN d.kind AS k") == [{"k": "township"}]


def test_malformed_rows_are_named_and_skipped_and_nothing_is_lost(store, tmp_path):
    load_departments(store, SAMPLE / "departments.yaml")
    before = store.counts()
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "jurisdiction:\n  - {name: 全国, level: 全国}\n  - {name: 山东省, level: 省}\n"
        "  - {name: 潍坊市, level: 市}\n  - {name: 鲁安市, level: 县}\n"
        "departments:\n  - {name: 鲁安市档案馆, kind: institution}\n  - {short: [无名局]}\n"
        "  - {name: 鲁安市气象台, kind: 太空站}\n",
        encoding="utf-8",
    )
    report = load_departments(store, bad)
    assert report.skipped == 2
    assert any("departments[1]" in e and "name" in e for e in report.errors)
    assert any("departments[2]" in e and "kind" in e for e in report.errors)
    after = store.counts()
    assert after["Department"] == before["Department"] + 1
    assert all(after.get(k, 0) >= v for k, v in before.items())


def test_unreadable_file_raises_before_writing(store, tmp_path):
    load_departments(store, SAMPLE / "departments.yaml")
    before = store.counts()
    broken = tmp_path / "broken.yaml"
    broken.write_text("departments: [ {name: 鲁安市x局\n", encoding="utf-8")
    with pytest.raises(IngestError) as exc:
        load_departments(store, broken)
    assert "broken.yaml" in str(exc.value)
    no_jur = _write_csv(tmp_path / "nojur.csv", [["部门名称"], ["某局"]])
    with pytest.raises(IngestError, match="jurisdiction"):
        load_departments(store, no_jur)
    no_header = _write_csv(tmp_path / "nohead.csv", [["a", "b"], ["c", "d"]])
    with pytest.raises(IngestError, match="header"):
        load_departments(store, no_header, jurisdiction="山东省/x市")
    assert store.counts() == before


def test_matter_taxonomy(store):
    report = load_matters(store, SAMPLE / "matters.yaml")
    assert report.errors == []
    rows = store.read("MATCH (m:Matter) WHERE size(m.path) = 1 RETURN count(m) AS n")
    assert rows[0]["n"] >= 15
    leaf = store.read(
        "MATCH (m:Matter {name: '广场舞噪声'})-[:PART_OF]->(p:Matter)-[:PART_OF]->(q:Matter) "
        "RETURN p.name AS p, q.name AS q"
    )
    assert leaf == [{"p": "社会生活噪声", "q": "噪声"}]


def test_broken_workbook_and_bad_taxonomy_name_the_file(store, tmp_path):
    from ingest.matters import read_taxonomy

    broken = tmp_path / "dir.xlsx"
    broken.write_bytes(b"PK\x03\x04 not a workbook")
    with pytest.raises(IngestError, match="dir.xlsx"):
        load_departments(store, broken, jurisdiction="山东省/x市")
    bad = tmp_path / "m.yaml"
    bad.write_text("matters:\n  - name: 噪声\n    children:\n      - {description: 没有名字}\n", encoding="utf-8")
    with pytest.raises(IngestError) as exc:
        read_taxonomy(bad)
    assert "m.yaml" in str(exc.value) and "matters[0]" in str(exc.value) and "name" in str(exc.value)
    with pytest.raises(IngestError, match="x.yaml: cannot read YAML"):
        load_matters(store, _write_csv(tmp_path / "x.yaml", [["not: [a, list"]]))
    assert store.counts() == {}
