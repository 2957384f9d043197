"""Work orders: event parsing, .csv/.xlsx readers, streaming, idempotence, bad rows, the planted sample."""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from devtools.workorders import (
    HOTLINE,
    NEW_BUSINESS,
    PING_PONG,
    TERRITORIAL,
    generate_rows,
    matter_specs,
    write_csv,
)
from graph.store.base import GraphStore
from ingest.departments.loader import load_departments
from ingest.matters.taxonomy import load_matters
from ingest.workorders import load_work_order_rows, load_work_orders, parse_events
from ingest.workorders.records import HEADERS, EventError

SAMPLES = Path(__file__).resolve().parents[1] / "ingest" / "samples" / "luan"


@pytest.fixture
def home(store: GraphStore) -> GraphStore:
    load_departments(store, SAMPLES / "departments.yaml")
    load_matters(store, SAMPLES / "matters.yaml")
    return store


def _edge_count(store: GraphStore, rel: str) -> int:
    return store.counts().get(f"[:{rel}]", 0)


def test_parse_events() -> None:
    ev = parse_events("2025-03-01T09:10 派单 市住建局 | 2025-03-02T10:00 退回 市住建局：不属于本部门职责 | "
                      "2025-03-02T11:30 改派 市综合执法局 | 2025-03-05T09:00 办结 市综合执法局")
    assert [(e.action, e.department, e.reason) for e in ev] == [
        ("dispatch", "市住建局", ""), ("return", "市住建局", "不属于本部门职责"),
        ("dispatch", "市综合执法局", ""), ("other", "市综合执法局", "")]
    assert ev[1].at == dt.datetime(2025, 3, 2, 10, 0)
    with pytest.raises(EventError, match="hop 2: unknown action"):
        parse_events("2025-03-01T09:10 派单 市住建局 | 2025-03-02T10:00 踢皮球 市住建局")
    with pytest.raises(EventError, match="bad time"):
        parse_events("昨天 派单 市住建局")


def test_csv_counts_match_the_file(home: GraphStore, tmp_path: Path) -> None:
    path = tmp_path / "wo.csv"
    write_csv(path, 300, seed=11)
    dispatches = returns = 0
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            dispatches += len(re.findall(r" (?:派单|改派) ", row["流转记录"]))
            returns += len(re.findall(r" 退回 ", row["流转记录"]))
    report = load_work_orders(home, path)
    assert (report.read, report.written, report.skipped, report.errors) == (300, 300, 0, [])
    assert home.counts()["WorkOrder"] == 300
    assert _edge_count(home, "DISPATCHED_TO") == dispatches
    assert _edge_count(home, "RETURNED_BY") == returns
    back = home.read("MATCH (w:WorkOrder)-[r:RETURNED_BY]->(d:Department) RETURN r.reason AS reason, r.at AS at LIMIT 1")
    if returns:
        assert back[0]["reason"] and back[0]["at"].startswith("20")
    placed = home.read("MATCH (w:WorkOrder) RETURN count(DISTINCT w.jurisdiction) AS n")
    assert placed[0]["n"] > 1  # orders sit in their township, not all at the city


def test_xlsx_and_idempotence(home: GraphStore, tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["鲁安市12345热线工单导出"])  # a title row above the header, as exports have
    ws.append(list(HEADERS))
    for row in generate_rows(40, seed=3):
        ws.append(row)
    path = tmp_path / "wo.xlsx"
    wb.save(path)
    first = load_work_orders(home, path)
    assert first.written == 40 and not first.errors
    before = home.counts()
    load_work_orders(home, path)
    assert home.counts() == before


def test_bad_rows_named_and_nothing_lost(home: GraphStore, tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    write_csv(good, 30, seed=5)
    load_work_orders(home, good)
    before = home.counts()

    bad = tmp_path / "bad.csv"
    rows = list(generate_rows(4, seed=9))
    rows[1][3] = ""  # no text
    rows[2][7] = "2025-03-01T09:10 派单 市住建局 | 前天 退回 市住建局"
    rows[3][7] = "2025-03-01T09:10 派单 不存在的局"
    with bad.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADERS)
        w.writerows(rows)
    report = load_work_orders(home, bad)
    assert report.read == 4 and report.written == 2 and report.skipped == 2
    text = "\n".join(report.errors)
    assert re.search(r"bad\.csv, row 3, field '诉求内容'", text)
    assert re.search(r"bad\.csv, row 4, field '流转记录': hop 2: bad time", text)
    assert re.search(r"bad\.csv, row 5, field '流转记录': department '不存在的局'", text)
    after = home.counts()
    assert after["WorkOrder"] == before["WorkOrder"] + 2
    assert all(after.get(k, 0) >= v for k, v in before.items())

    missing = tmp_path / "nocols.csv"
    missing.write_text("工单编号,受理时间\nX1,2025-01-01\n", encoding="utf-8")
    rep = load_work_orders(home, missing)
    assert rep.written == 0 and "missing column(s) 诉求内容" in rep.errors[0]


def test_streams_a_generator(home: GraphStore) -> None:
    """Batches are written while the input is still being read: a generator, never a list."""
    seen_in_store: list[int] = []

    def rows() -> Iterator[tuple[int, dict[str, Any]]]:
        for i, row in enumerate(generate_rows(130, seed=2), start=2):
            if i - 2 == 100:  # two batches of 50 are in; the rest of the input is not yet read
                seen_in_store.append(home.counts().get("WorkOrder", 0))
            yield i, dict(zip(HEADERS, row, strict=True))

    report = load_work_order_rows(home, rows(), source="gen", batch_size=50)
    assert seen_in_store == [100]
    assert report.written == 130 and home.counts()["WorkOrder"] == 130


def test_generator_finals_follow_its_owner_table() -> None:
    """A bounced ping-pong order ends with its matter's owner in the generator's table; a new-business order
    is sent back by every department and closed by the hotline centre with no final department."""
    owners = {s.path[-1]: s.owner for s in matter_specs()}
    pings = {p.matter for p in PING_PONG}
    seen = {"ping_pong_bounced": 0, "new_business": 0}
    for row in generate_rows(1500, seed=21):
        r = dict(zip(HEADERS, row, strict=True))
        events = parse_events(r["流转记录"])
        took = [e.department for e in events if e.verb == "签收"]
        matter = r["事项分类"].split("/")[-1]
        if not matter:
            assert r["最终承办单位"] == "" and not took, r
            sent = [e.department for e in events if e.action == "dispatch"]
            assert sent == [e.department for e in events if e.action == "return"], "every one sent it back"
            assert events[-1].verb == "办结" and events[-1].department == HOTLINE
            seen["new_business"] += 1
            continue
        owner = r["所属镇街"] if owners[matter] == TERRITORIAL else owners[matter]
        assert took == [r["最终承办单位"]], r
        if matter in pings and any(e.action == "return" for e in events):
            assert r["最终承办单位"] == owner, r
            seen["ping_pong_bounced"] += 1
    assert min(seen.values()) >= 20, seen


@pytest.mark.slow
def test_sample_file_has_the_planted_gaps(home: GraphStore) -> None:
    report = load_work_orders(home, SAMPLES / "workorders.csv")
    assert report.written >= 3000 and not report.errors
    rates = {
        r["m"]: r["returned"] / r["n"]
        for r in home.read(
            "MATCH (w:WorkOrder)-[:ABOUT]->(m:Matter) OPTIONAL MATCH (w)-[x:RETURNED_BY]->() "
            "WITH m, w, count(x) AS k RETURN m.name AS m, count(w) AS n, sum(CASE WHEN k > 0 THEN 1 ELSE 0 END) AS returned"
        )
        if r["n"] >= 10
    }
    for pp in PING_PONG:
        assert rates[pp.matter] > 0.5
    assert sorted(rates.values())[-3] < 0.3  # apart from the two planted, return rates are low
    unclassified = home.read(
        "MATCH (w:WorkOrder) WHERE NOT (w)-[:ABOUT]->() RETURN w.text AS t, w.received_at AS at"
    )
    assert len(unclassified) >= 60
    assert all(any(term in r["t"] for term in NEW_BUSINESS.terms) for r in unclassified)
    assert min(r["at"] for r in unclassified) >= "2026-06-01"


def test_broken_xlsx_and_cli(home: GraphStore, settings, monkeypatch, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from api.cli import app
    from graph.settings import get_settings

    (tmp_path / "broken.xlsx").write_bytes(b"not a workbook")
    write_csv(tmp_path / "ok.csv", 25, seed=4)
    report = load_work_orders(home, tmp_path)
    assert report.written == 25 and report.skipped == 1
    assert re.search(r"broken\.xlsx: cannot open workbook", "\n".join(report.errors))

    for key, value in {"DUTYGRAPH_DATA_DIR": str(settings.data_dir), "DUTYGRAPH_GRAPH_URI": settings.graph_uri,
                       "DUTYGRAPH_GRAPH_NAME": settings.graph_name}.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    try:
        write_csv(tmp_path / "more.csv", 10, seed=8)
        out = CliRunner().invoke(app, ["ingest", "workorders", str(tmp_path / "more.csv"), "--json"])
    finally:
        get_settings.cache_clear()
    assert out.exit_code == 0, out.output
    assert home.counts()["WorkOrder"] == 35
