"""The owner walks' graph rows are read once per unit and graph version: the same rows, fewer reads, and a
write by anyone is seen by the next ask."""

from __future__ import annotations

import pytest

from graph.ontology.edges import ResponsibleFor
from graph.queries.evidence import matter_owners
from graph.settings import Settings
from graph.store.base import GraphStore
from search.embedders import make_embedder
from search.index_build import build_indexes
from search.owners.rows import UNIT_ROWS, UnitRows
from search.retriever import Retriever
from search.service import OpenIndex, SearchService
from tests import search_kb as kb


class Counted:
    """matter_owners, counting the units it is asked to read."""

    __name__ = "matter_owners"

    def __init__(self) -> None:
        self.asked: list[list[str]] = []

    def __call__(self, store: GraphStore, ids: list[str]) -> list[dict]:
        self.asked.append(list(ids))
        return matter_owners(store, ids)


def test_rows_are_read_once_per_graph_version(store: GraphStore) -> None:
    kb.build_kb(store)
    cache, fetch = UnitRows(), Counted()
    ids = [kb.M_STALL.id, kb.M_UNOWNED.id]
    first = cache.rows(store, store.version(), "m", fetch, "unit", ids)
    assert first == matter_owners(store, ids)
    assert {r["department_id"] for r in first} == {kb.ENFORCE.id, kb.STREET.id}
    # both units are kept, the one without owners too: asked again, nothing is read
    assert cache.rows(store, store.version(), "m", fetch, "unit", ids[::-1]) == matter_owners(store, ids[::-1])
    assert fetch.asked == [ids] and (cache.hits, cache.misses) == (2, 2)
    # a unit not seen before is read alone
    cache.rows(store, store.version(), "m", fetch, "unit", [kb.M_STALL.id, "matter:none"])
    assert fetch.asked[-1] == ["matter:none"]
    # a write moves the graph's version: the next read sees the new owner
    store.upsert_edges([ResponsibleFor(src=kb.MARKET.id, dst=kb.M_UNOWNED.id, source=kb.SRC)], actor=kb.SRC)
    after = cache.rows(store, store.version(), "m", fetch, "unit", ids)
    assert fetch.asked[-1] == ids
    assert [r["department_id"] for r in after if r["unit"] == kb.M_UNOWNED.id] == [kb.MARKET.id]


def test_size_zero_reads_every_time(store: GraphStore) -> None:
    kb.build_kb(store)
    cache, fetch = UnitRows(0), Counted()
    for _ in range(2):
        assert cache.rows(store, store.version(), "m", fetch, "unit", [kb.M_STALL.id]) == matter_owners(store, [kb.M_STALL.id])
    assert len(fetch.asked) == 2


@pytest.mark.slow
def test_asks_answer_the_same_with_and_without_kept_rows(store: GraphStore, settings: Settings,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    kb.build_kb(store)
    build_indexes(store, settings, embedder=make_embedder("e5q4", settings), static_tier=False)
    service = SearchService(store, OpenIndex(Retriever.open(settings)), settings)
    questions = ["路边有人摆摊卖东西占了人行道，该找谁", "夜市摊点没人管", "共享单车堆在盲道上"]

    def answers() -> list[dict]:
        out = []
        for q in questions:
            c = service.ask(q, kb.LUAN.id, k=5).contract()
            c.pop("timings_ms", None)
            out.append(c)
        return out
    try:
        monkeypatch.setattr(UNIT_ROWS, "size", 0)
        plain = answers()
        monkeypatch.setattr(UNIT_ROWS, "size", 1000)
        UNIT_ROWS.clear()
        assert answers() == plain  # rows read from the graph
        reads = UNIT_ROWS.misses
        assert answers() == plain  # rows kept from the asks before
        assert UNIT_ROWS.misses == reads and UNIT_ROWS.hits > 0
    finally:
        service.close()
