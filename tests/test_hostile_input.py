"""Hostile input never gets a 500: each case here once escaped as "Internal Server Error". Every answer is a
problem document naming what is wrong, and a refused upload stores nothing."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from urllib.parse import quote

import docx
import openpyxl
import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient

from api.web.app import create_app
from graph.ontology import Duty
from graph.settings import Settings
from graph.store.base import GraphStore
from tests.test_api_uploads import _upload

pytest_plugins = ["tests.test_api_uploads"]  # its admin fixture

API = "/api/v1"


@pytest.fixture
def client(settings: Settings, kb_store: GraphStore) -> Iterator[TestClient]:
    with TestClient(create_app(settings), raise_server_exceptions=False) as c:
        yield c


def _problem(r, status: int) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    return r.json()


def test_a_nul_character_in_an_id_is_a_problem_not_a_500(client: TestClient) -> None:
    for path in ("/duties/%00", "/departments/dept%00x", "/matters/%00", "/laws/law%00", "/rulings/%00"):
        r = client.get(API + path)
        assert r.status_code in (404, 422), (path, r.status_code, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
    body = _problem(client.get(f"{API}/departments", params={"q": "市\x00局"}), 422)
    assert "NUL" in body["detail"]


def test_a_duty_without_basis_articles_is_read(client: TestClient, kb_store: GraphStore) -> None:
    """The 500 an API fuzzer found: a duty with no BASED_ON article made FalkorDB fail on the law lookup."""
    duty = Duty(name="对无依据事项的检查", list="test-2024", code="X-1")
    kb_store.upsert_nodes([duty])
    r = client.get(f"{API}/duties/{quote(duty.id, safe='')}")
    assert r.status_code == 200, r.text
    assert r.json()["name"] == "对无依据事项的检查"


def test_an_unexpected_error_is_a_problem_document(settings: Settings, kb_store: GraphStore) -> None:
    app = create_app(settings)
    boom = APIRouter()

    @boom.get("/boom")
    def _boom() -> None:
        raise RuntimeError("secret internals")

    app.include_router(boom)
    with TestClient(app, raise_server_exceptions=False) as c:
        body = _problem(c.get("/boom"), 500)
    assert body["title"] == "Internal Server Error" and "secret internals" not in body["detail"]


@pytest.mark.parametrize(("content", "field"), [
    ("title: 关于夜市的裁决\ndecided_on: 2023-02-30\nparties: [{name: 鲁安市公安局}]\n", "file"),
    ("title: 关于夜市的裁决\nfile: /etc/passwd\nparties: [{name: 鲁安市公安局}]\n", "file"),
    ("title: 关于夜市的裁决\n1: 一\nparties: [{name: 鲁安市公安局}]\n", "file"),
])
def test_a_bad_rulings_yaml_is_a_422_naming_the_file(client: TestClient, kb_store: GraphStore,
                                                     admin: dict[str, str], content: str, field: str) -> None:
    before = kb_store.counts()
    body = _problem(_upload(client, "rulings", "坏裁决.yaml", content.encode(), admin), 422)
    assert "坏裁决.yaml" in body["detail"] and body["errors"][0]["field"].startswith(field)
    assert kb_store.counts() == before


def _workbook() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["事项编码", "事项名称", "事项类型", "实施依据", "责任部门", "配合部门", "事项分类", "关键词"])
    for i in range(200):
        ws.append([f"T-{i}", f"对占道经营的处罚{i}", "行政处罚", "", "鲁安市公安局", "", "占道经营", "占道"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _rezip(data: bytes, change) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, change(info.filename, src.read(info.filename)))
    return out.getvalue()


_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
           b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>')
# a workbook changed member by member: (change, the status it is answered with, what the detail names)
HOSTILE_WORKBOOKS = {
    "truncated-worksheet": (lambda n, b: b[: len(b) // 2] if n.startswith("xl/worksheets/") else b, 422, "清单.xlsx"),
    "zip-bomb": (lambda n, b: b + b" " * 50_000_000 if n == "xl/workbook.xml" else b, 415, "uncompressed"),
    "entity-expansion": (lambda n, b: _LAUGHS + b if n == "xl/worksheets/sheet1.xml" else b, 422, "清单.xlsx"),
}


@pytest.mark.parametrize(("change", "status", "named"), HOSTILE_WORKBOOKS.values(), ids=HOSTILE_WORKBOOKS)
def test_a_hostile_workbook_is_refused_and_nothing_is_stored(client: TestClient, kb_store: GraphStore,
                                                             admin: dict[str, str], change, status: int,  # noqa: ANN001
                                                             named: str) -> None:
    before = kb_store.counts()
    evil = _rezip(_workbook(), change)
    assert len(evil) < 1_000_000  # a small upload: the zip bomb is refused before it is expanded
    body = _problem(_upload(client, "dutylist", "清单.xlsx", evil, admin), status)
    assert named in body["detail"]
    assert kb_store.counts() == before


def test_a_long_chinese_file_name_is_measured_in_bytes(client: TestClient, kb_store: GraphStore,
                                                      admin: dict[str, str]) -> None:
    before = kb_store.counts()
    name = "鲁安市" * 30 + "职责清单.csv"  # 94 characters, 282 UTF-8 bytes: over a file system's 255
    body = _problem(_upload(client, "dutylist", name, b"a,b\n", admin), 415)
    assert "bytes" in body["detail"]
    assert kb_store.counts() == before


def test_a_case_with_control_characters_still_has_its_word_document(client: TestClient, kb_store: GraphStore,
                                                                   admin: dict[str, str]) -> None:
    """The 500 the stateful fuzzer found: a case whose text held a control character could not be written as .docx
    (XML cannot hold it); the document leaves the character out."""
    r = client.post(f"{API}/disputes", json={"text": "夜市烧烤摊\x01占道经营\x0b油烟扰民"}, headers=admin)
    assert r.status_code == 201, r.text
    case = r.json()["id"]
    r = client.post(f"{API}/disputes/{quote(case, safe='')}/positions",
                    json={"department": "鲁安市文化和旅游局", "stance": "refuses", "position": "不归\x1f我们"}, headers=admin)
    assert r.status_code in (200, 201), r.text
    r = client.get(f"{API}/disputes/{quote(case, safe='')}/document", params={"format": "docx"})
    assert r.status_code == 200, r.text
    document = docx.Document(io.BytesIO(r.content))
    text = "\n".join([p.text for p in document.paragraphs] + [c.text for t in document.tables for row in t.rows for c in row.cells])
    assert "夜市烧烤摊占道经营油烟扰民" in text and "不归我们" in text
