"""Idempotency by content: a source file's id is its content hash, so the same bytes from another path or upload
name are the same source, and an edited file restates the facts it keeps rather than adding them twice; a knowledge
base whose source ids were paths migrates when its files are loaded again. A duty list without item codes, loaded
again with a row inserted at the top, adds that row's facts and nothing else."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import ingest.departments
import ingest.departments.loader
import ingest.dutylists.loader
import ingest.mandates.loader
from api.web.app import create_app
from graph.settings import Settings
from graph.store.base import GraphStore
from ingest.departments.loader import load_departments, source_id
from ingest.dutylists import load_duty_list
from ingest.mandates import load_mandates
from ingest.matters.taxonomy import load_matters

pytest_plugins = ["tests.test_api_uploads"]  # its admin fixture
SAMPLES = Path(__file__).resolve().parents[1] / "ingest" / "samples" / "luan"
HEADER = "事项名称,事项类型,责任部门,配合部门,大类,小类,情形\n"
ROWS = ["对广场舞噪声的处罚,行政处罚,鲁安市公安局,鲁安市综合行政执法局,噪声,社会生活噪声,广场舞噪声\n",
        "对占道经营的处罚,行政处罚,鲁安市综合行政执法局,,市容环境,占道经营,流动摊贩占道经营\n"]
INSERTED = "对夜间广场舞音响的处罚,行政处罚,鲁安市综合行政执法局,,噪声,社会生活噪声,广场舞噪声\n"


def test_a_row_inserted_into_a_list_without_codes_adds_only_itself(store: GraphStore, tmp_path: Path) -> None:
    load_departments(store, SAMPLES / "departments.yaml")
    load_matters(store, SAMPLES / "matters.yaml")
    f = tmp_path / "清单.csv"
    f.write_text(HEADER + "".join(ROWS), encoding="utf-8")
    load_duty_list(store, f, list_id="nocode-2026", jurisdiction="jur:全国/山东省/潍坊市/鲁安市")
    before = store.counts()
    f.write_text(HEADER + INSERTED + "".join(ROWS), encoding="utf-8")
    load_duty_list(store, f, list_id="nocode-2026", jurisdiction="jur:全国/山东省/潍坊市/鲁安市")
    after = store.counts()
    assert after["Duty"] == before["Duty"] + 1
    assert after["[:HOLDS]"] == before["[:HOLDS]"] + 1  # the inserted item's one holder, nothing duplicated
    holders = store.read("MATCH ()-[h:HOLDS]->() RETURN DISTINCT h.source AS s")
    assert [h["s"] for h in holders] == [source_id(f)] and store.changelog.verify().ok


def _legacy_source_id(path: Path) -> str:
    """How source ids were made before they were content hashes: the file's folder and name."""
    return f"file:{path.parent.name}/{path.name}"


def _no_restating(store: GraphStore, rel: str, s: str, d: str, discriminators: tuple[str, ...], rows: list,
                  actor: str | None = None, head: tuple[int, str] | None = None) -> tuple[int, str] | None:
    """How the store wrote before it restated other files' facts: every edge under its own key, nothing moved."""
    return head


def _file_sources(store: GraphStore) -> set[str]:
    return {r["s"] for r in store.read("MATCH ()-[e]->() WHERE e.source STARTS WITH 'file:' RETURN DISTINCT e.source AS s")}


def _load_luan(store: GraphStore, folder: Path) -> None:
    load_departments(store, folder / "departments.yaml")
    load_matters(store, folder / "matters.yaml")
    load_mandates(store, folder / "mandates")
    load_duty_list(store, folder / "duty_list.csv", list_id="luan-2026", list_date=dt.date(2026, 9, 30))


@pytest.mark.slow
def test_a_kb_built_with_path_source_ids_migrates_on_reingest(store: GraphStore, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    # built the old way: source ids from folder and name, and the same duty list once more from another folder (as
    # an upload stored it), which made every one of its facts a second edge
    for module in (ingest.departments.loader, ingest.departments, ingest.dutylists.loader, ingest.mandates.loader):
        monkeypatch.setattr(module, "source_id", _legacy_source_id)
    monkeypatch.setattr(GraphStore, "_restate", _no_restating)
    _load_luan(store, SAMPLES)
    clean = store.counts()
    copy = tmp_path / "dutylist" / "duty_list.csv"
    copy.parent.mkdir()
    shutil.copy(SAMPLES / "duty_list.csv", copy)
    load_duty_list(store, copy, list_id="luan-2026", list_date=dt.date(2026, 9, 30))
    assert store.counts()["[:HOLDS]"] == 2 * clean["[:HOLDS]"], "the old way: one file from two paths, every fact twice"
    assert _file_sources(store) == {"file:luan/departments.yaml", "file:luan/matters.yaml", "file:luan/duty_list.csv",
                                    "file:dutylist/duty_list.csv", *(f"file:mandates/{f.name}" for f in
                                                                     (SAMPLES / "mandates").iterdir() if f.suffix in (".md", ".txt", ".docx"))}
    police_holds = store.read("MATCH (:Department {name: '鲁安市公安局'})-[h:HOLDS]->(:Duty {code: 'LA-ZS-001'}) "
                              "WHERE h.source = 'file:luan/duty_list.csv' RETURN h.key AS k")[0]["k"]
    assert store.changelog.verify().ok

    monkeypatch.undo()
    _load_luan(store, SAMPLES)  # the same files again, now with content-hash source ids
    after = store.counts()
    assert {k: v for k, v in after.items() if k != "ChangeLogEntry"} == \
        {k: v for k, v in clean.items() if k != "ChangeLogEntry"}, "migrated: nothing lost, nothing twice"
    new_ids = {source_id(SAMPLES / "departments.yaml"), source_id(SAMPLES / "matters.yaml"),
               source_id(SAMPLES / "duty_list.csv"),
               *(source_id(f) for f in (SAMPLES / "mandates").iterdir() if f.suffix in (".md", ".txt", ".docx"))}
    # every fact moves to its file's content id, where the duty list placed a matter the taxonomy lacks included
    assert _file_sources(store) == new_ids
    report = store.changelog.verify()
    assert report.ok, report.problems[:5]
    # the moved edge keeps its history: its first assertion under the old key, then the move
    new_key = store.read("MATCH (:Department {name: '鲁安市公安局'})-[h:HOLDS]->(:Duty {code: 'LA-ZS-001'}) "
                         "RETURN h.key AS k")[0]["k"]
    history = store.changelog.entries([new_key])
    assert [e.action for e in history][:1] == ["assert"] and history[0].edge_key == police_holds
    assert any(e.action == "rekey" and e.edge_key == new_key for e in history)

    _load_luan(store, SAMPLES)  # and once more: a no-op
    assert store.counts() == after


def test_an_edited_file_restates_its_facts(store: GraphStore, tmp_path: Path) -> None:
    load_departments(store, SAMPLES / "departments.yaml")
    f = tmp_path / "名录.yaml"
    f.write_text((SAMPLES / "departments.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    load_departments(store, f)  # the same bytes under another name: the same source
    before = store.counts()
    assert _file_sources(store) == {source_id(f)}
    f.write_text(f.read_text(encoding="utf-8") + "\n# 2026年修订\n", encoding="utf-8")
    load_departments(store, f)  # an edited version: a new source, the same facts
    assert store.counts() == before
    assert _file_sources(store) == {source_id(f)} != {source_id(SAMPLES / "departments.yaml")}
    assert store.changelog.verify().ok


@pytest.mark.slow
def test_a_file_loaded_by_the_cli_and_uploaded_is_one_source(settings: Settings, store: GraphStore,
                                                             admin: dict[str, str]) -> None:
    load_departments(store, SAMPLES / "departments.yaml")
    load_matters(store, SAMPLES / "matters.yaml")
    before = store.counts()
    taxonomy = (SAMPLES / "matters.yaml").read_bytes()
    with TestClient(create_app(settings)) as client:
        r = client.post("/api/v1/ingest/departments", files={"file": ("部门名录.yaml", (SAMPLES / "departments.yaml").read_bytes())},
                        headers=admin)
        assert r.status_code == 200, r.text
        after = store.counts()
        assert after.pop("ChangeLogEntry") == before.pop("ChangeLogEntry", 0) + 1 and after == before, "only its entry"
        r = client.post("/api/v1/ingest/matters", files={"file": ("事项.yaml", taxonomy)}, headers=admin)
        assert r.status_code == 200, r.text
        edited = taxonomy + "\n# 修订\n".encode()
        r = client.post("/api/v1/ingest/matters", files={"file": ("事项.yaml", edited)}, headers=admin)
        assert r.status_code == 200, r.text
    # stored by content: the later file of the same name did not replace the first
    stored = sorted(p.read_bytes() for p in (settings.data_dir / "uploads" / "matters").glob("*/事项.yaml"))
    assert stored == sorted([taxonomy, edited])
    assert {k: v for k, v in store.counts().items() if k != "ChangeLogEntry"} == before
    assert store.changelog.verify().ok


def _every_matter(store: GraphStore, list_id: str, source: str) -> set[str]:
    """How a duty list chose the matters to place before it placed its own again: any matter already there."""
    return {r["m"] for r in store.read("MATCH (m:Matter) RETURN m.id AS m")}


@pytest.mark.slow
def test_matters_a_list_placed_under_a_path_id_move_to_its_content_id(store: GraphStore,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A knowledge base migrated while a duty list did not place its known matters again kept those PART_OF edges
    under the list's old path id; loading the list once more moves them too, counts unchanged, the log clean."""
    for module in (ingest.departments.loader, ingest.departments, ingest.dutylists.loader, ingest.mandates.loader):
        monkeypatch.setattr(module, "source_id", _legacy_source_id)
    monkeypatch.setattr(GraphStore, "_restate", _no_restating)
    _load_luan(store, SAMPLES)
    clean = store.counts()
    monkeypatch.undo()
    monkeypatch.setattr(ingest.dutylists.loader, "placed_by_others", _every_matter)
    _load_luan(store, SAMPLES)
    old = "MATCH (:Matter)-[e:PART_OF]->(:Matter) WHERE e.source = 'file:luan/duty_list.csv' RETURN count(e) AS n"
    stranded = store.read(old)[0]["n"]
    assert stranded > 0 and _file_sources(store) - {"file:luan/duty_list.csv"} == {
        s for s in _file_sources(store) if s.startswith("file:sha256:")}, "the matters the list placed kept its old id"
    entries = len(store.changelog.entries())

    monkeypatch.undo()
    load_duty_list(store, SAMPLES / "duty_list.csv", list_id="luan-2026", list_date=dt.date(2026, 9, 30))
    assert store.read(old)[0]["n"] == 0
    moved = store.read("MATCH (:Matter)-[e:PART_OF]->(:Matter) WHERE e.source = $s RETURN count(e) AS n",
                       {"s": source_id(SAMPLES / "duty_list.csv")})[0]["n"]
    assert moved == stranded
    after = store.counts()
    assert {k: v for k, v in after.items() if k != "ChangeLogEntry"} == \
        {k: v for k, v in clean.items() if k != "ChangeLogEntry"}, "nothing lost, nothing twice"
    assert after["ChangeLogEntry"] == entries  # a PART_OF edge is not an assignment: moved without an entry
    report = store.changelog.verify()
    assert report.ok, report.problems[:5]
