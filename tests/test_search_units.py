"""Text units read from a real graph: one per node, with place, status and the text to index."""

from __future__ import annotations

from graph.store.base import GraphStore
from search.units import count_units, read_units
from tests import search_kb as kb


def test_units_of_every_kind_with_place_and_status(store: GraphStore) -> None:
    kb.build_kb(store)
    units = {u.id: u for u in read_units(store)}
    assert count_units(store) == {"Article": 3, "MandateClause": 1, "Duty": 3, "Matter": 2, "Ruling": 2}
    assert len(units) == 11

    road = units[kb.A_ROAD.id]
    assert road.kind == "Article" and road.jurisdiction == "jur:全国"  # a 法律 with no place applies everywhere
    assert road.text.startswith("中华人民共和国道路交通安全法 第5条") and "交通管理部门" in road.text
    assert road.valid and road.meta["law_title"] == kb.ROAD_LAW.title and road.meta["article"] == "5"
    assert units[kb.A_STALL.id].jurisdiction == kb.WF.id
    old = units[kb.A_OLD.id]
    assert old.status == "已废止" and not old.valid

    clause = units[kb.CLAUSE.id]
    assert clause.jurisdiction == kb.LUAN.id and clause.meta["department"] == kb.ENFORCE.name
    assert clause.text.startswith(kb.ENFORCE.name)

    duty = units[kb.D_STALL.id]
    assert duty.jurisdiction == kb.LUAN.id and duty.meta["departments"] == [kb.ENFORCE.id]
    assert "行政处罚" in duty.text and "占道经营" in duty.text
    assert units[kb.D_NIGHT.id].jurisdiction == kb.TOWN.id

    stall = units[kb.M_STALL.id]
    assert stall.jurisdiction == kb.LUAN.id  # county and town both responsible: rolls up to the county
    assert stall.title == "城市管理 > 市容秩序 > 占道经营" and "人行道" in stall.text
    assert units[kb.M_UNOWNED.id].jurisdiction == ""

    assert units[kb.R_HOME.id].valid and units[kb.R_HOME.id].jurisdiction == kb.LUAN.id
    assert "牵头查处" in units[kb.R_HOME.id].text
    assert not units[kb.R_OLD.id].valid


def test_paging_reads_the_same_units(store: GraphStore) -> None:
    kb.build_kb(store)
    assert [u.id for u in read_units(store, page=1)] == [u.id for u in read_units(store, page=1000)]


def test_paging_neither_repeats_nor_skips_chinese_article_ids(store: GraphStore) -> None:
    """FalkorDB's id-index range scan and ORDER BY disagree on '…#第20条' vs '…#第2条': paging on our
    string ids repeated ten articles and skipped others at a page boundary (seen on a 139k-article KB)."""
    from graph.ontology import Article, Law

    law = Law(title="示例献血条例", version="2019-02-12", level="地方性法规")
    arts = [Article(law=law.id, number=str(n), ordinal=n, text=f"第{n}条的内容。") for n in range(1, 40)]
    store.upsert_nodes([law, *arts])
    for page in (3, 7, 10, 11):
        ids = [u.id for u in read_units(store, ("Article",), page=page)]
        assert sorted(ids) == sorted(a.id for a in arts), page
        assert ids == sorted(ids)


def test_unit_store_keeps_the_units_it_last_read(tmp_path) -> None:
    """Units fetched again come from memory, the same as read from the file; beyond KEPT the oldest go."""
    from search.unit_store import UnitStore, write_units
    from search.units import TextUnit

    units = [TextUnit(id=f"u{i}", kind="Duty", text=f"第{i}项", meta={"n": i}) for i in range(6)]
    write_units(tmp_path / "units.sqlite", units)
    store = UnitStore(tmp_path / "units.sqlite")
    store.KEPT = 3
    try:
        first = store.get([0, 1, 5])
        assert {p: u.id for p, u in first.items()} == {0: "u0", 1: "u1", 5: "u5"} and first[5] == units[5]
        again = store.get([5, 2])
        assert again[5] is first[5] and again[2] == units[2]  # 5 kept; 2 read
        assert store.get([0, 1, 2, 3, 4, 5, 9]) == dict(enumerate(units))  # 0 and 1 went: read again; 9 is none
        assert len(store._kept) == 3
    finally:
        store.close()


def test_unit_positions_are_kept_and_unknown_ids_left_out(tmp_path) -> None:
    """Positions by id, the same from memory as from the file; ids the index lacks are left out, also when asked
    again; past KEPT_IDS the kept ones are dropped and read again."""
    from search.unit_store import UnitStore, write_units
    from search.units import TextUnit

    write_units(tmp_path / "units.sqlite", [TextUnit(id=f"u{i}", kind="Duty", text=f"第{i}项") for i in range(6)])
    store = UnitStore(tmp_path / "units.sqlite")
    store.KEPT_IDS = 4
    try:
        assert store.positions(["u3", "nope", "u1", "u3"]) == {"u3": 3, "u1": 1}
        assert store.positions(["nope", "u1"]) == {"u1": 1}  # from memory
        assert len(store._positions) == 3
        assert store.positions(["u5", "u4"]) == {"u5": 5, "u4": 4}  # 3 kept + 2 new > 4: emptied first
        assert len(store._positions) == 2 and store.positions([]) == {}
    finally:
        store.close()
