"""The effect of a ruling: a handful of work orders around a decision date, every figure against hand-computed
values; the CLI and the API give the same figures; the sample's rulings show their effect."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from audit.effect import RulingNotFound, ruling_effect
from graph.store.base import GraphStore
from ingest.departments.loader import load_departments
from ingest.matters.taxonomy import load_matters
from ingest.rulings.loader import load_rulings
from ingest.workorders import load_work_order_rows
from ingest.workorders.records import HEADERS, format_events

SAMPLES = Path(__file__).resolve().parents[1] / "ingest" / "samples" / "luan"
MATTER = "噪声/社会生活噪声/广场舞噪声"
RULING = f"""
rulings:
  - title: 关于广场舞噪声处置职责的测试意见
    decided_on: 2024-06-01
    decided_by: 市委编办
    matter: {MATTER}
    parties:
      - {{name: 市公安局, role: lead, duty: 依法处理}}
      - {{name: 市综合执法局, role: cooperate, duty: 配合}}
    text: 广场舞噪声由市公安局牵头处置，市综合执法局配合。
"""


def _t(s: str) -> dt.datetime:
    return dt.datetime.fromisoformat(s)


def _order(number: str, received: str, hops: list[tuple[str, str, str]], matter: str = MATTER) -> dict:
    events = [(_t(at), verb, dept, "不属于本部门职责" if verb == "退回" else "") for at, verb, dept in hops]
    row = dict.fromkeys(HEADERS, None)
    row.update({"工单编号": number, "受理时间": received, "诉求内容": "广场舞音响声音太大", "事项分类": matter,
                "流转记录": format_events(events)})
    return row


ORDERS = [
    # before the decision (2023-06-01 … 2024-06-01)
    _order("A", "2024-03-01T09:00", [("2024-03-01T09:30", "派单", "市综合执法局"), ("2024-03-02T09:00", "退回", "市综合执法局"),
                                     ("2024-03-02T10:00", "改派", "市公安局"), ("2024-03-05T09:00", "办结", "市公安局")]),
    _order("B", "2024-04-01T09:00", [("2024-04-01T10:00", "派单", "市公安局"), ("2024-04-03T09:00", "办结", "市公安局")]),
    _order("C", "2024-05-01T09:00", [("2024-05-01T10:00", "派单", "市生态环境分局"), ("2024-05-02T10:00", "退回", "市生态环境分局"),
                                     ("2024-05-02T11:00", "改派", "市综合执法局"), ("2024-05-03T10:00", "退回", "市综合执法局"),
                                     ("2024-05-03T11:00", "改派", "市公安局")]),  # never closed
    _order("D", "2023-05-01T09:00", [("2023-05-01T10:00", "派单", "市住建局")]),  # before the window
    # after it (2024-06-01 … 2025-06-01)
    _order("E", "2024-07-01T09:00", [("2024-07-01T10:00", "派单", "市公安局"), ("2024-07-02T21:00", "办结", "市公安局")]),
    _order("F", "2024-08-01T09:00", [("2024-08-01T10:00", "派单", "市综合执法局"), ("2024-08-02T09:00", "退回", "市综合执法局"),
                                     ("2024-08-02T10:00", "改派", "市公安局"), ("2024-08-04T09:00", "办结", "市公安局")]),
    _order("G", "2024-09-01T09:00", [("2024-09-01T10:00", "派单", "市公安局"), ("2024-09-02T09:00", "办结", "市公安局")]),
    _order("H", "2024-07-10T09:00", [("2024-07-10T10:00", "派单", "市综合执法局")],
           matter="噪声/社会生活噪声/商业经营噪声"),  # another matter
]


@pytest.fixture
def ruled(store: GraphStore, tmp_path: Path) -> str:
    load_departments(store, SAMPLES / "departments.yaml")
    load_matters(store, SAMPLES / "matters.yaml")
    (tmp_path / "ruling.yaml").write_text(RULING, encoding="utf-8")
    report = load_rulings(store, tmp_path / "ruling.yaml", jurisdiction="全国/山东省/潍坊市/鲁安市")
    assert report.written and not report.skipped, report
    report = load_work_order_rows(store, enumerate(ORDERS, start=2), source="orders")
    assert report.written == len(ORDERS) and not report.errors, report.errors
    return store.read("MATCH (r:Ruling) RETURN r.id AS id")[0]["id"]


def test_figures_by_hand(store: GraphStore, ruled: str) -> None:
    e = ruling_effect(store, ruled, months=12)
    assert (e.before.since, e.before.until, e.after.until) == ("2023-06-01", "2024-06-01", "2025-06-01")
    assert [x["name"] for x in e.leads] == ["鲁安市公安局"]
    b, a = e.before.figures, e.after.figures
    # before: A (first elsewhere, returned, 2 departments, 4.0 days), B (first to lead, 1, 2.0 days), C (elsewhere,
    # returned twice, 3 departments, not closed)
    assert b.orders == 3 and b.first_to_lead == pytest.approx(1 / 3, abs=1e-4)
    assert b.returned == pytest.approx(2 / 3, abs=1e-4) and b.departments == pytest.approx(2.0)
    assert b.days_to_close == pytest.approx(3.0) and b.closed == 2
    # after: E (lead, 1.5 days), F (elsewhere, returned, 2 departments, 3.0 days), G (lead, 1.0 day)
    assert a.orders == 3 and a.first_to_lead == pytest.approx(2 / 3, abs=1e-4)
    assert a.returned == pytest.approx(1 / 3, abs=1e-4) and a.departments == pytest.approx(4 / 3, abs=1e-3)
    assert a.days_to_close == pytest.approx(5.5 / 3, abs=0.01) and a.closed == 3
    assert [m.name for m in e.by_matter] == ["广场舞噪声"] and e.by_matter[0].before == b and e.by_matter[0].after == a
    depts = {d.name: d for d in e.by_department}
    police, city = depts["鲁安市公安局"], depts["鲁安市综合行政执法局"]
    assert police.lead and e.by_department[0] is police
    assert (police.before.dispatched, police.before.first, police.before.returned, police.before.final) == (3, 1, 0, 3)
    assert (police.after.dispatched, police.after.first, police.after.final) == (3, 2, 3)
    assert (city.before.dispatched, city.before.first, city.before.returned, city.before.return_rate) == (2, 1, 2, 1.0)
    assert (city.after.dispatched, city.after.returned, city.after.return_rate) == (1, 1, 1.0)
    assert [(m.month, m.orders) for m in e.series] == [("2024-03", 1), ("2024-04", 1), ("2024-05", 1), ("2024-07", 1),
                                                       ("2024-08", 1), ("2024-09", 1)]
    narrow = ruling_effect(store, ruled, months=2)  # 2024-04-01 … 2024-08-01: B, C before; E after
    assert (narrow.before.figures.orders, narrow.after.figures.orders) == (2, 1)


def test_unknown_ruling(store: GraphStore) -> None:
    with pytest.raises(RulingNotFound):
        ruling_effect(store, "ruling:nope")


def test_cli_and_api(cli_env, ruled: str) -> None:
    from fastapi.testclient import TestClient

    from api.cli import app
    from api.web.app import create_app

    out = CliRunner().invoke(app, ["effect", ruled, "--json"])
    assert out.exit_code == 0, out.output
    assert '"first_to_lead": 0.3333' in out.stdout
    table = CliRunner().invoke(app, ["effect", ruled], env={"COLUMNS": "200"})
    assert "首派牵头部门" in table.stdout and "33.3%" in table.stdout and "66.7%" in table.stdout
    with TestClient(create_app(cli_env)) as client:
        got = client.get(f"/api/v1/rulings/{ruled}/effect", params={"months": 12})
        assert got.status_code == 200, got.text
        assert got.json()["after"]["figures"]["first_to_lead"] == pytest.approx(0.6667)
        assert client.get(f"/api/v1/rulings/{ruled}").status_code == 200  # the ruling route still answers
        missing = client.get("/api/v1/rulings/ruling:nope/effect")
        assert missing.status_code == 404 and missing.headers["content-type"].startswith("application/problem+json")


@pytest.mark.slow
def test_sample_rulings_show_their_effect(store: GraphStore) -> None:
    """On the sample's work orders, the home rulings' orders go to the ruled lead more often, bounce less, pass
    fewer departments and close sooner after the decision (pooled over the rulings with orders on both sides)."""
    from ingest.sample import load_sample

    load_sample(store, laws=False)
    ids = [r["id"] for r in store.read("MATCH (r:Ruling)-[:DECIDES]->(:Matter) WHERE r.jurisdiction ENDS WITH '鲁安市' "
                                       "RETURN DISTINCT r.id AS id")]
    effects = [e for e in (ruling_effect(store, rid) for rid in ids) if e.before.figures.orders and e.after.figures.orders]
    assert len(effects) >= 15

    def pooled(side: str, name: str) -> float:
        figs = [getattr(e, side).figures for e in effects]
        return sum(getattr(f, name) * f.orders for f in figs) / sum(f.orders for f in figs)

    assert pooled("after", "first_to_lead") > pooled("before", "first_to_lead") + 0.3
    assert pooled("after", "returned") < pooled("before", "returned") - 0.3
    assert pooled("after", "departments") < pooled("before", "departments")
    assert pooled("after", "days_to_close") < pooled("before", "days_to_close")
