"""Each statute reader on files written for the tests: LawRefBook Markdown, plain text, .docx, SQLite."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

import pytest

from graph.errors import IngestError
from ingest.laws.chinalaw import database_path, iter_china_law
from ingest.laws.files import iter_statutes, read_statute
from ingest.laws.text_parser import parse_statute

DATA = Path(__file__).parent / "data" / "laws"
LRB = DATA / "lrb"
DONGYING_2023 = LRB / "DLC/山东地方法规/地方性法规/山东/东营市文明养犬条例(2023-06-01).md"


def test_lawrefbook_markdown_header_headings_and_numbers() -> None:
    doc = read_statute(LRB / "行政法规/示例水域管理条例(2019-01-01).md")
    assert doc.title == "示例水域管理条例"
    assert doc.version == "2019-01-01"
    assert doc.level == "行政法规"
    assert doc.issuer == "国务院"
    assert doc.promulgated == dt.date(2018, 12, 1)
    assert doc.effective == dt.date(2019, 3, 1)  # from 本条例自…起施行
    assert [a.number for a in doc.articles] == ["1", "10", "10之1", "101", "200"]
    first = doc.articles[0]
    assert first.chapter == "第一编 通则 / 第一章 一般规定"
    assert first.section == "第一节 范围"
    assert doc.articles[3].chapter == "第一编 通则 / 第二章 附则" and doc.articles[3].section is None
    assert doc.jurisdiction == [("全国", "全国")]


def test_local_regulation_jurisdiction_issuer_and_paragraphs() -> None:
    doc = read_statute(DONGYING_2023)
    assert doc.level == "地方性法规"
    assert doc.jurisdiction == [("全国", "全国"), ("山东省", "省"), ("东营市", "市")]
    assert doc.issuer == "东营市人民代表大会常务委员会"
    art2 = next(a for a in doc.articles if a.number == "2")
    assert len(art2.paragraphs) == 3  # three 款
    assert art2.chapter == "第一章 总则"


def test_plain_text_statute_with_items() -> None:
    doc = read_statute(DATA / "plain_statute.txt")
    assert doc.title == "示例街巷管理办法"
    assert [a.number for a in doc.articles] == ["1", "2", "3"]
    art2 = doc.articles[1]
    assert art2.items == ["（一）占道经营的；", "（二）乱堆乱放的。"]
    assert art2.chapter == "第一章 总则"
    assert doc.effective == dt.date(2021, 5, 1)
    assert doc.version == "2021-04-02"


def test_docx_statute(tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    for line in (DATA / "plain_statute.txt").read_text(encoding="utf-8").splitlines():
        d.add_paragraph(line)
    path = tmp_path / "示例街巷管理办法.docx"
    d.save(str(path))
    doc = read_statute(path)
    assert doc.title == "示例街巷管理办法"
    assert [a.number for a in doc.articles] == ["1", "2", "3"]


def test_reference_inside_a_paragraph_does_not_open_an_article() -> None:
    text = "示例办法\n第一条 总则。\n第二条 内容。\n第十条规定的情形除外。\n第三条 其他。\n"
    doc = parse_statute(text, "mem", "示例办法")
    assert [a.number for a in doc.articles] == ["1", "2", "3"]
    assert doc.articles[1].paragraphs == ["内容。", "第十条规定的情形除外。"]


def test_duplicate_article_is_reported_with_line() -> None:
    text = "示例办法\n第一条 甲。\n第一条 乙。\n第二条 丙。\n"
    doc = parse_statute(text, "dup.txt", "示例办法")
    assert [a.number for a in doc.articles] == ["1", "2"]
    assert doc.errors == ["dup.txt, line 3: article 第1条 appears twice; kept the first"]


def test_bad_files_become_errors_not_crashes(tmp_path: Path) -> None:
    shutil.copytree(LRB, tmp_path / "lrb")
    (tmp_path / "lrb" / "坏文件.md").write_text("# 只有标题\n\n没有任何条文。\n", encoding="utf-8")
    (tmp_path / "lrb" / "乱码.txt").write_bytes(b"\xff\xfe\xfa" * 10)
    out = list(iter_statutes(tmp_path / "lrb"))
    errors = [x for x in out if isinstance(x, IngestError)]
    assert len(out) == 5 and len(errors) == 2
    by_name = {Path(e.file).name: e for e in errors}
    assert "no article" in by_name["坏文件.md"].reason and by_name["坏文件.md"].row == 3
    assert by_name["乱码.txt"].row == 1


def test_china_law_database() -> None:
    docs = [d for d in iter_china_law() if not isinstance(d, IngestError)]
    assert len(docs) > 300  # 378 rows; amendment decisions without articles are reported
    patent = next(d for d in docs if d.title == "中华人民共和国专利法")
    assert patent.level == "法律" and patent.status == "现行有效" and patent.issuer
    assert patent.articles[0].number == "1" and patent.articles[0].chapter
    assert {d.status for d in docs} >= {"现行有效", "已修改", "已废止"}
    assert any("之" in a.number for d in docs for a in d.articles)


def test_china_law_bad_rows_reported(tmp_path: Path) -> None:
    db = tmp_path / "laws.db"
    shutil.copy(database_path(), db)
    con = sqlite3.connect(db)
    law_id = con.execute("SELECT law_id FROM laws WHERE law_name = '中华人民共和国专利法'").fetchone()[0]
    rowid = con.execute("SELECT min(id) FROM articles WHERE law_id = ?", (law_id,)).fetchone()[0]
    con.execute("UPDATE articles SET article_no = '第X条' WHERE id = ?", (rowid,))
    con.commit()
    con.close()
    patent = next(d for d in iter_china_law(db) if not isinstance(d, IngestError) and d.title == "中华人民共和国专利法")
    assert patent.articles[0].number == "2"
    assert patent.errors and f"row {rowid}" in patent.errors[0] and "article_no" in patent.errors[0]


@pytest.mark.parametrize("name", ["_index.md", "README.md"])
def test_folder_metadata_is_not_a_statute(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_text("---\nbookCollapseSection: true\n---\n", encoding="utf-8")
    assert list(iter_statutes(tmp_path)) == []


def test_effective_date_from_a_header_line_with_two_dates() -> None:
    """One header line can carry the publication and the start date; the start is the one before 施行."""
    text = ("# 示例夜市管理办法\n\n（2024年6月1日鲁安市人民政府令第3号公布　自2024年8月1日起施行）\n\n"
            "第一条　为了规范夜市经营，制定本办法。\n\n第二条　市场监督管理部门负责夜市经营的监督管理工作。\n")
    doc = parse_statute(text, "示例夜市管理办法.md", "示例夜市管理办法")
    assert doc.promulgated == dt.date(2024, 6, 1)
    assert doc.effective == dt.date(2024, 8, 1)
