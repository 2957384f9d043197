"""Ingest by upload for statutes (Markdown) and 三定 mandates (.docx), against the real FalkorDB server: a good
file is stored and readable through the lookup endpoints; a malformed one is refused with a message
naming what is wrong, and the graph is left as it was."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from urllib.parse import quote

import docx
import pytest
from fastapi.testclient import TestClient

from api.users import KeyStore
from api.web.app import create_app
from graph.settings import Settings
from graph.store.base import GraphStore
from tests import owners_kb as kb

API = "/api/v1"

STATUTE = """# 山东省夜市摊点管理办法

2024年6月1日 山东省人民政府令第901号公布

2024年8月1日 起施行

<!-- INFO END -->

## 第一章 总则

第一条 为了规范夜市摊点经营秩序，方便群众生活，制定本办法。

第二条 本办法适用于本省行政区域内夜市摊点的设置和管理。

## 第二章 监督管理

第三条 城市管理部门负责夜市摊点设置的监督管理。
市场监督管理部门负责夜市摊点食品安全的监督管理。

第四条 本办法自2024年8月1日起施行。
"""

MANDATE = [
    "鲁安市文化和旅游局职能配置、内设机构和人员编制规定",
    "（2023年4月10日印发）",
    "第一条 为明确本局职责，制定本规定。",
    "第二条 主要职责",
    "（一）负责全市文化市场的综合管理，指导文化市场综合执法。",
    "（二）负责剧本娱乐经营场所剧本内容的监督管理。",
    "（三）负责全市旅游市场秩序的监督管理。",
    "第三条 职责分工",
    "1. 与鲁安市公安局的有关职责分工。剧本娱乐经营场所的剧本内容由市文化和旅游局负责审查，"
    "场所的治安管理由鲁安市公安局负责。",
]


@pytest.fixture
def admin(settings: Settings) -> dict[str, str]:
    ks = KeyStore.for_data_dir(settings.data_dir)
    key = ks.add("钱管理", "admin")
    ks.close()
    return {"X-API-Key": key}


@pytest.fixture
def client(settings: Settings, kb_store: GraphStore) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as c:
        yield c


def _upload(c: TestClient, kind: str, name: str, content: bytes, headers: dict[str, str]):
    return c.post(f"{API}/ingest/{kind}", files={"file": (name, content)}, headers=headers)


def _docx(paragraphs: list[str]) -> bytes:
    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def test_a_statute_upload_is_readable_through_the_lookups(client: TestClient, kb_store: GraphStore,
                                                           admin: dict[str, str]) -> None:
    before = kb_store.counts()
    r = _upload(client, "laws", "山东省夜市摊点管理办法.md", STATUTE.encode(), admin)
    assert r.status_code == 200, r.text
    assert r.json()["report"]["read"] == 1 and r.json()["report"]["skipped"] == 0
    assert kb_store.counts()["Article"] == before["Article"] + 4

    page = client.get(f"{API}/laws", params={"q": "夜市摊点"}).json()
    assert page["total"] == 1
    (item,) = page["items"]
    assert item["title"] == "山东省夜市摊点管理办法" and item["effective"] == "2024-08-01"
    law = client.get(f"{API}/laws/{quote(item['id'], safe='')}").json()
    assert law["article_count"] == 4 and law["jurisdiction"] == "jur:全国/山东省"
    assert [a["number"] for a in law["articles"]] == ["1", "2", "3", "4"]

    third = next(a for a in law["articles"] if a["number"] == "3")
    art = client.get(f"{API}/articles/{quote(third['id'], safe='')}")
    assert art.status_code == 200, art.text
    body = art.json()
    assert body["law_title"] == "山东省夜市摊点管理办法" and body["chapter"] == "第二章 监督管理"
    assert "城市管理部门负责夜市摊点设置" in body["text"] and "食品安全" in body["text"]


def test_a_statute_without_articles_is_refused(client: TestClient, kb_store: GraphStore, admin: dict[str, str]) -> None:
    before = kb_store.counts()
    r = _upload(client, "laws", "空办法.md", "# 山东省空办法\n\n只有一段说明，没有条文。\n".encode(), admin)
    assert r.status_code == 422, r.text
    assert "空办法.md" in r.json()["detail"] and "no article" in r.json()["detail"]
    assert kb_store.counts() == before


def test_a_docx_mandate_upload_stores_its_clauses(client: TestClient, kb_store: GraphStore,
                                                  admin: dict[str, str]) -> None:
    before = kb_store.counts()
    r = _upload(client, "mandates", "文旅局三定.docx", _docx(MANDATE), admin)
    assert r.status_code == 200, r.text
    assert r.json()["report"]["read"] == 1 and r.json()["report"]["skipped"] == 0
    assert kb_store.counts()["MandateClause"] == before["MandateClause"] + 4

    rows = kb_store.read(
        "MATCH (:Department {id: $d})-[:HAS_MANDATE]->(m:Mandate)-[:HAS_CLAUSE]->(c:MandateClause) "
        "RETURN m.issued AS issued, c.kind AS kind, c.number AS number, c.text AS text ORDER BY c.number",
        {"d": kb.CULTURE.id})
    assert {r["issued"] for r in rows} == {"2023-04-10"}
    assert [(r["kind"], r["number"]) for r in rows] == [
        ("main", "主要职责(1)"), ("main", "主要职责(2)"), ("main", "主要职责(3)"), ("boundary", "职责分工(1)")]
    assert "剧本内容的监督管理" in rows[1]["text"]

    # the department page lists them, and the boundary paragraph is bound to the other department
    dept = client.get(f"{API}/departments/{quote(kb.CULTURE.id, safe='')}").json()
    boundary = [c for c in dept["mandate_clauses"] if c["kind"] == "boundary"]
    assert len(dept["mandate_clauses"]) == 4 and len(boundary) == 1
    assert [b["id"] for b in boundary[0]["boundary_with"]] == [kb.POLICE.id]


def test_malformed_docx_mandates_are_refused_and_store_nothing(client: TestClient, kb_store: GraphStore,
                                                               settings: Settings, admin: dict[str, str]) -> None:
    before = kb_store.counts()

    # a zip package that is not a Word document
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("notes.txt", "不是公文")
    r = _upload(client, "mandates", "三定.docx", buf.getvalue(), admin)
    assert r.status_code == 415, r.text
    assert "not a Word document" in r.json()["detail"] and r.json()["errors"][0]["field"] == "file"

    # the Word part is there but is not a document python-docx can open
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<w:document>broken")
    r = _upload(client, "mandates", "坏文件.docx", buf.getvalue(), admin)
    assert r.status_code == 422, r.text
    assert r.json()["type"].endswith("/ingest") and "坏文件.docx" in r.json()["detail"]
    assert "cannot open .docx" in r.json()["detail"]

    # a real Word document without the 三定 structure: no numbered main duties
    r = _upload(client, "mandates", "会议纪要.docx", _docx([MANDATE[0], "关于夜市管理的会议纪要。", "会议议定了有关事项。"]),
                admin)
    assert r.status_code == 422, r.text
    assert "会议纪要.docx" in r.json()["detail"] and "no numbered main duties" in r.json()["detail"]

    # a title no department answers to
    unknown = [MANDATE[0].replace("文化和旅游局", "月球开发局"), *MANDATE[1:]]
    r = _upload(client, "mandates", "月球局.docx", _docx(unknown), admin)
    assert r.status_code == 422, r.text
    assert "unknown department '鲁安市月球开发局'" in r.json()["detail"]
    assert r.json()["errors"][0]["field"] == "file, field department"

    assert kb_store.counts() == before
    stored = settings.data_dir / "uploads" / "mandates"
    assert not stored.exists() or not any(stored.iterdir()), "a refused file is not kept"
