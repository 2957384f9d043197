"""A ruling superseded later was in force before then: asked as of an earlier date it counts fully
(the sample's 密室逃脱 was re-assigned from market supervision to culture and tourism on 2023-06-12)."""

from __future__ import annotations

import pytest

from graph.settings import Settings
from graph.store import open_store
from search.retriever import Retriever
from search.service import OpenIndex, SearchService

pytestmark = pytest.mark.slow
QUERY = "小区楼下开了一家密室逃脱，晚上很吵，也担心消防，该找哪个部门"
OLD = "关于密室逃脱经营场所监管职责分工的意见"


def _ruling_validity(result, title: str) -> dict[str, float]:
    return {c.name: e.factors["validity"] for c in result.candidates for e in c.evidence
            if e.kind == "ruling" and title in e.citation}


def test_superseded_ruling_counts_on_dates_it_was_in_force(sample_kb: Settings) -> None:
    retriever = Retriever.open(sample_kb)
    try:
        with open_store(sample_kb) as store:
            then = SearchService(store, OpenIndex(retriever)).ask(QUERY, jurisdiction="鲁安市", as_of="2022-06-01", k=5)
            now = SearchService(store, OpenIndex(retriever)).ask(QUERY, jurisdiction="鲁安市", as_of="2025-01-01", k=5)
    finally:
        retriever.close()
    assert then.candidates[0].name == "鲁安市市场监督管理局"
    assert now.candidates[0].name == "鲁安市文化和旅游局"
    assert set(_ruling_validity(then, OLD).values()) == {1.0}
    assert _ruling_validity(now, OLD) and max(_ruling_validity(now, OLD).values()) < 0.5
