"""The one place model: the divisions table, statute placement from any path, and the resolver."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.divisions import divisions, province_of_folder
from graph.ontology import Jurisdiction
from graph.places import NATIONAL, UnknownPlace, ancestors, contains, place_id, resolve_place
from graph.store.base import GraphStore
from ingest.laws.files import read_statute
from ingest.laws.jurisdiction import chain_for

STATUTE = "{title}\n\n第一条 为了规范管理，制定本条例。\n第二条 市公安机关负责本条例的实施。\n"


def test_divisions_table_names_provinces_prefectures_and_counties() -> None:
    t = divisions()
    assert [d.chain for d in t.lookup("济宁市")] == [("山东省", "济宁市")]
    assert [d.chain for d in t.lookup("济宁")] == [("山东省", "济宁市")]
    assert t.lookup("山东")[0].chain == ("山东省",)
    assert t.lookup("寿光市")[0].chain == ("山东省", "潍坊市", "寿光市")
    assert t.lookup("浦东新区")[0].chain == ("上海市", "浦东新区")
    assert t.lookup("莱芜市")[0].chain == ("山东省", "莱芜市")  # merged into 济南市 in 2019; its statutes remain
    assert len(t.named("鼓楼区")) > 1
    assert province_of_folder("山东地方法规") == "山东省"
    assert province_of_folder("山东") == "山东省" and province_of_folder("浙江省") == "浙江省"
    assert province_of_folder("地方性法规") is None and province_of_folder("DLC") is None


@pytest.mark.parametrize(("title", "folders", "chain"), [
    ("济宁市养犬管理条例", "DLC/山东地方法规/地方性法规/山东", ["山东省", "济宁市"]),
    ("济宁市养犬管理条例", "山东地方法规/地方性法规/山东", ["山东省", "济宁市"]),
    ("济宁市养犬管理条例", "我的文件", ["山东省", "济宁市"]),  # no folder says the province: the table does
    ("山东省供热条例", "地方性法规/山东", ["山东省"]),
    ("杭州西湖文化景观保护管理条例", "浙江", ["浙江省", "杭州市"]),  # a short city name, inside the folder's province
    ("上海市控制吸烟条例", "上海地方法规", ["上海市"]),
    ("鼓楼区市容管理办法", "我的文件", []),  # names five districts: not placed by the title
    ("中国（山东）自由贸易试验区条例", "DLC/山东地方法规", ["山东省"]),
])
def test_chain_from_folder_and_title(title: str, folders: str, chain: list[str]) -> None:
    got = chain_for(Path("/data") / folders / f"{title}.md", title)
    assert [n for n, _ in got] == ["全国", *chain]


def test_a_statute_is_placed_alike_whatever_root_the_user_gives(tmp_path: Path) -> None:
    folder = tmp_path / "DLC" / "山东地方法规" / "地方性法规" / "山东"
    folder.mkdir(parents=True)
    path = folder / "青岛市控制吸烟条例(2020-01-01).md"
    path.write_text(STATUTE.format(title="# 青岛市控制吸烟条例"), encoding="utf-8")
    loose = tmp_path / "上传" / path.name
    loose.parent.mkdir()
    loose.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    a, b = read_statute(path), read_statute(loose)
    assert a.jurisdiction == b.jurisdiction == [("全国", "全国"), ("山东省", "省"), ("青岛市", "市")]
    assert a.level == b.level == "地方性法规"


def test_national_statute_naming_a_place_stays_national(tmp_path: Path) -> None:
    path = tmp_path / "宪法相关法" / "香港特别行政区驻军法(1996-12-30).md"
    path.parent.mkdir()
    path.write_text(STATUTE.format(title="# 中华人民共和国香港特别行政区驻军法"), encoding="utf-8")
    doc = read_statute(path)
    assert doc.level == "法律" and doc.jurisdiction == [("全国", "全国")]


def test_ids_and_containment() -> None:
    jn = place_id(["山东省", "济南市"])
    assert jn == "jur:全国/山东省/济南市"
    assert ancestors(jn) == [NATIONAL, "jur:全国/山东省", jn]
    assert contains("jur:全国/山东省", jn) and contains(jn, jn)
    assert not contains("jur:全国/山东", jn) and not contains(jn, None)


@pytest.fixture
def placed(store: GraphStore) -> GraphStore:
    cn = Jurisdiction(name="全国", level="全国")
    sd = Jurisdiction(name="山东省", level="省", parent=cn.id)
    qd = Jurisdiction(name="青岛市", level="市", parent=sd.id)
    store.upsert_nodes([cn, sd, qd])
    return store


def test_resolver_takes_id_name_short_name_and_path(placed: GraphStore) -> None:
    want = "jur:全国/山东省/青岛市"
    for given in ("青岛市", "青岛", want, "山东省/青岛市", "全国/山东省/青岛市"):
        p = resolve_place(placed, given)
        assert (p.id, p.loaded, p.note) == (want, True, None), given
    assert resolve_place(placed, "全国").id == NATIONAL


def test_known_place_without_statutes_is_answered_from_above(placed: GraphStore) -> None:
    p = resolve_place(placed, "济宁市")
    assert p.id == "jur:全国/山东省/济宁市" and not p.loaded and p.nearest == "jur:全国/山东省"
    assert "山东省" in (p.note or "")
    county = resolve_place(placed, "寿光市")
    assert county.id == "jur:全国/山东省/潍坊市/寿光市" and county.nearest == "jur:全国/山东省"
    assert resolve_place(placed, "济宁市任城区").id == "jur:全国/山东省/济宁市/任城区"


def test_unknown_or_ambiguous_place_is_a_clear_error(placed: GraphStore) -> None:
    with pytest.raises(UnknownPlace, match="close matches: .*青岛"):
        resolve_place(placed, "青岛县")
    with pytest.raises(UnknownPlace, match="names .* places"):
        resolve_place(placed, "鼓楼区")
    with pytest.raises(UnknownPlace, match="no place"):
        resolve_place(placed, "火星基地")
