"""Idempotency by content: a duty list without item codes, loaded again with a row inserted at the top, adds that
row's facts and nothing else (its items were keyed by row number, so every row below the insert was new)."""

from __future__ import annotations

from pathlib import Path

from graph.store.base import GraphStore
from ingest.departments.loader import load_departments
from ingest.dutylists import load_duty_list
from ingest.matters.taxonomy import load_matters

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
