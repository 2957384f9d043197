"""The download endpoints: the case opinion (.docx / .md), gaps, ask answers and a department's duties
(.xlsx) — media types, UTF-8 file names (RFC 5987), the files read back, and problems for bad input."""

from __future__ import annotations

import io
from collections.abc import Iterator
from urllib.parse import quote, unquote

import docx
import openpyxl
import pytest
from fastapi.testclient import TestClient

from api.web.app import create_app
from graph.settings import Settings
from graph.store.base import GraphStore
from tests import owners_kb as kb
from tests.test_api_read import _plant
from tests.test_documents import _case, _proposal

API = "/api/v1"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def kb_store(store: GraphStore) -> GraphStore:
    _plant(store)  # the owner-ranking graph with gaps planted (two leads, a duty on a repealed article)
    return store


@pytest.fixture
def client(settings: Settings, kb_store: GraphStore) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as c:
        yield c


def _file_name(r) -> str:  # noqa: ANN001 - an httpx response
    cd = r.headers["content-disposition"]
    assert cd.startswith("attachment; filename=\"") and cd.split('"')[1].isascii(), cd
    return unquote(cd.split("filename*=UTF-8''", 1)[1])


def _rows(content: bytes, sheet: str) -> list[list]:
    return [list(r) for r in openpyxl.load_workbook(io.BytesIO(content))[sheet].iter_rows(values_only=True)]


def test_the_case_document_downloads_as_docx_and_markdown(client: TestClient, kb_store: GraphStore) -> None:
    did = _case(kb_store, _proposal(), decide=True)
    r = client.get(f"{API}/disputes/{quote(did)}/document")
    assert r.status_code == 200 and r.headers["content-type"] == DOCX
    assert _file_name(r) == "关于早市占道的职责分工意见.docx"
    d = docx.Document(io.BytesIO(r.content))
    text = "\n".join(p.text for p in d.paragraphs)
    assert kb.A_STALL.text in text and "早市占道由执法局牵头查处，市场监管局配合。" in text
    r = client.get(f"{API}/disputes/{quote(did)}/document", params={"format": "md"})
    assert r.status_code == 200 and r.headers["content-type"] == "text/markdown; charset=utf-8"
    assert _file_name(r).endswith(".md") and kb.A_STALL.text in r.text and "## 二、各方意见" in r.text

    assert client.get(f"{API}/disputes/dispute:nope/document").status_code == 404
    bad = client.get(f"{API}/disputes/{quote(did)}/document", params={"format": "pdf"})
    assert bad.status_code == 422 and bad.headers["content-type"].startswith("application/problem+json")
    assert bad.json()["errors"][0]["field"] == "query.format"


def test_gaps_and_duties_download_as_xlsx(client: TestClient) -> None:
    kinds = {"kind": ["overlap", "stale_basis"]}
    listed = client.get(f"{API}/gaps", params={**kinds, "limit": 200}).json()["items"]
    r = client.get(f"{API}/gaps.xlsx", params=kinds)
    assert r.status_code == 200 and r.headers["content-type"] == XLSX
    assert _file_name(r).startswith("空白发现-全部地区-")
    rows = _rows(r.content, "空白发现")
    assert len(rows) == 2 + len(listed) >= 4, "a caption, the header, one row per gap"
    assert [row[6] for row in rows[2:]] == [g["subject"] for g in listed], "the /gaps order"
    assert client.app.state.gaps.computed == 1, "the download reads the list GET /gaps computed"
    assert client.get(f"{API}/gaps.xlsx", params={"kind": "blank"}).status_code == 422
    mars = {"jurisdiction": "火星市", "kind": "overlap"}
    status = client.get(f"{API}/gaps.xlsx", params=mars).status_code
    assert 400 <= status < 500 and status == client.get(f"{API}/gaps", params=mars).status_code, "as GET /gaps answers"

    r = client.get(f"{API}/duties.xlsx", params={"department": kb.ENFORCE.id})
    assert r.status_code == 200 and _file_name(r).startswith(f"{kb.ENFORCE.name}权责清单-")
    rows = _rows(r.content, "权责清单")
    assert rows[1][:4] == ["序号", "事项编码", "职权类型", "事项名称"] and rows[2][1] == "CF-001"
    assert client.get(f"{API}/duties.xlsx", params={"department": "dept:nope"}).status_code == 404
    assert client.get(f"{API}/duties.xlsx").status_code == 422


def test_ask_xlsx_without_an_index_is_a_503(client: TestClient) -> None:
    r = client.post(f"{API}/ask.xlsx", json={"text": "夜市烧烤摊占道经营"})
    assert r.status_code == 503 and r.headers["content-type"].startswith("application/problem+json")
    assert client.post(f"{API}/ask.xlsx", json={"text": "x"}).status_code == 422


@pytest.mark.slow
def test_downloads_on_the_sample(sample_kb: Settings) -> None:
    """Read only: the shared sample is not written to."""
    with TestClient(create_app(sample_kb)) as c:
        q = "小区旁边的停车场每天夜里货车进进出出，噪音吵得睡不着"
        answer = c.post(f"{API}/ask", json={"text": q, "jurisdiction": "鲁安市", "top": 5}).json()
        r = c.get(f"{API}/ask.xlsx", params={"q": q, "jurisdiction": "鲁安市", "top": 5})
        assert r.status_code == 200 and r.headers["content-type"] == XLSX and _file_name(r).startswith("检索结果-")
        assert [row[1] for row in _rows(r.content, "候选部门")[2:]] == [x["name"] for x in answer["candidates"]]
        evidence = _rows(r.content, "证据")[2:]
        assert len(evidence) == sum(len(x["evidence"]) for x in answer["candidates"]) > 0
        assert [row[3] for row in evidence] == [e["citation"] for x in answer["candidates"] for e in x["evidence"]]

        total = c.get(f"{API}/gaps", params={"kind": ["overlap", "stale_basis"], "jurisdiction": "鲁安市"}).json()["total"]
        r = c.get(f"{API}/gaps.xlsx", params={"kind": ["overlap", "stale_basis"], "jurisdiction": "鲁安市"})
        assert r.status_code == 200 and len(_rows(r.content, "空白发现")) == 2 + total
