"""三定 mandates: .md/.txt/.docx readers, clause kinds, boundary edges, superseding, bad files."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from graph.errors import IngestError
from ingest.departments import DepartmentResolver, load_departments
from ingest.mandates import load_mandates, parse_mandate, read_paragraphs

SAMPLE = Path(__file__).resolve().parents[1] / "ingest" / "samples" / "luan"

SHORT = """# 鲁安市水利局职能配置、内设机构和人员编制规定

（{date}印发）

第一条 为明确职责，制定本规定。

第二条 主要职责

（一）负责水资源的合理开发利用。

（二）负责河道采砂的统一管理，
查处非法采砂行为。

第三条 内设机构

（一）水政监察大队。负责水事违法案件的查处。

第四条 职责分工

1. 与市自然资源和规划局的有关职责分工。河道管理范围内的采砂由市水利局负责，范围以外的由市自然资源和规划局负责。
"""


@pytest.fixture
def loaded(store):
    load_departments(store, SAMPLE / "departments.yaml")
    return store


def test_parse_numbered_duties_internal_bodies_and_boundaries():
    paragraphs, meta = read_paragraphs(SAMPLE / "mandates" / "01_市场监督管理局.md")
    m = parse_mandate(paragraphs, meta)
    assert m.department == "鲁安市市场监督管理局"
    assert m.issued is not None and m.issued.isoformat() == "2019-02-28"
    kinds = [c.kind for c in m.clauses]
    assert kinds.count("main") == 13 and kinds.count("internal") == 6 and kinds.count("boundary") == 4
    first = m.clauses[0]
    assert first.number == "主要职责(1)" and first.text.startswith("负责全市市场综合监督管理")
    boundary = [c for c in m.clauses if c.kind == "boundary"][0]
    assert "食用农产品" in boundary.text and boundary.heading.startswith("与市农业农村局")


def test_continuation_lines_join_their_item(tmp_path):
    f = tmp_path / "m.md"
    f.write_text(SHORT.format(date="2020年1月2日"), encoding="utf-8")
    m = parse_mandate(*read_paragraphs(f))
    second = [c for c in m.clauses if c.kind == "main"][1]
    assert second.text == "负责河道采砂的统一管理，\n查处非法采砂行为。"


def test_load_sample_mandates_with_boundary_edges(loaded):
    report = load_mandates(loaded, SAMPLE / "mandates")
    assert report.skipped == 0, report.errors
    assert report.read >= 15
    depts = loaded.read("MATCH (d:Department)-[:HAS_MANDATE]->(:Mandate) RETURN count(DISTINCT d) AS n")
    assert depts[0]["n"] >= 15
    rows = loaded.read(
        "MATCH (:Department {name: '鲁安市市场监督管理局'})-[:HAS_MANDATE]->(:Mandate)-[:HAS_CLAUSE]->"
        "(c:MandateClause {kind: 'boundary'})-[:BOUNDARY_WITH]->(o:Department) RETURN c.text AS t, o.name AS o"
    )
    assert any(r["o"] == "鲁安市农业农村局" and "食用农产品" in r["t"] for r in rows)
    rows = loaded.read(
        "MATCH (:Department {name: '鲁安市综合行政执法局'})-[:HAS_MANDATE]->(:Mandate)-[:HAS_CLAUSE]->"
        "(c:MandateClause {kind: 'boundary'})-[:BOUNDARY_WITH]->(o:Department) RETURN c.number AS n, o.name AS o"
    )
    pairs = {(r["n"], r["o"]) for r in rows}
    assert ("职责分工(1)", "鲁安市住房和城乡建设局") in pairs  # 违法建设 vs 施工许可
    towns = {o for n, o in pairs if n == "职责分工(5)"}
    assert len(towns) >= 8 and "鲁安市人民政府" not in towns, "各镇、街道 binds every township office"
    docx_loaded = loaded.read(
        "MATCH (:Department {name: '鲁安市卫生健康局'})-[:HAS_MANDATE]->(m:Mandate)-[:HAS_CLAUSE]->(c) "
        "RETURN count(c) AS n"
    )
    assert docx_loaded[0]["n"] >= 10


def test_mandates_are_idempotent(loaded):
    load_mandates(loaded, SAMPLE / "mandates")
    before = loaded.counts()
    load_mandates(loaded, SAMPLE / "mandates")
    assert loaded.counts() == before


def test_docx_reader_and_newer_mandate_supersedes_older(loaded, tmp_path):
    old = tmp_path / "old.md"
    old.write_text(SHORT.format(date="2019年3月1日"), encoding="utf-8")
    load_mandates(loaded, old)
    new = tmp_path / "new.docx"
    document = docx.Document()
    for line in SHORT.format(date="2024年5月6日").splitlines():
        if line.strip():
            document.add_paragraph(line.lstrip("# "))
    document.save(str(new))
    load_mandates(loaded, new)
    rows = loaded.read(
        "MATCH (:Department {name: '鲁安市水利局'})-[e:HAS_MANDATE]->(m:Mandate) "
        "RETURN m.issued AS issued, e.valid_to AS to ORDER BY issued"
    )
    assert rows == [{"issued": "2019-03-01", "to": "2024-05-06"}, {"issued": "2024-05-06", "to": None}]


def test_bad_files_name_the_file_and_lose_nothing(loaded, tmp_path):
    load_mandates(loaded, SAMPLE / "mandates")
    before = loaded.counts()
    bad = {  # file: (its bytes, what its error names)
        "a.md": (SHORT.replace("鲁安市水利局", "鲁安市月球开发局").format(date="2020年1月1日").encode(),
                 ("a.md", "department")),
        "b.txt": ("鲁安市水利局职能配置、内设机构和人员编制规定\n第一条 总则。\n".encode(), ("main duties",)),
        "c.docx": (b"PK\x03\x04 not really a zip", ("c.docx",)),
    }
    for name, (content, names) in bad.items():
        (tmp_path / name).write_bytes(content)
        with pytest.raises(IngestError) as exc:
            load_mandates(loaded, tmp_path / name)
        assert all(n in str(exc.value) for n in names), exc.value
    report = load_mandates(loaded, tmp_path)  # the folder: every bad file reported, none stops the rest
    assert report.skipped == 3 and len(report.errors) >= 3
    assert loaded.counts() == before


def test_resolver_finds_boundary_parties_without_a_store():
    r = DepartmentResolver.from_directory(SAMPLE / "departments.yaml")
    text = "城市规划区内违反城乡规划的违法建设，由市综合行政执法局查处；市自然资源和规划局负责出具规划认定意见。"
    assert {r.name_of(d) for d, _, _ in r.find_mentions(text)} == {"鲁安市综合行政执法局", "鲁安市自然资源和规划局"}
