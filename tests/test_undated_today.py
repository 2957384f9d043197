"""An ask without a date reads the law in force today (search.dated.dated_laws): a statute's newest version, stored
现行有效 but taking effect later (农业法 from 2027-01-01), does not speak yet — the version it will replace does, in
the basis and the owners alike (real FalkorDB, FAISS, BM25, e5)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from graph.ontology import ActsAs, Article, Authority, Designates, HasArticle, Law
from graph.queries.temporal import today
from graph.store.base import GraphStore
from ingest.laws.loader import apply_versions
from search.ask import AskResult
from search.dated import dated_laws
from search.retriever import Retriever
from search.service import OpenIndex, SearchService
from tests import owners_kb as kb
from tests.indexed_kb import indexed_kb
from tests.pigeons import AGRI, AGRI_AU, CITY_RULE, PIGEON_ASK
from tests.places import WF

SRC = "test:today"
TODAY = today()  # China's date, the day an undated ask reads the law as of
LATER = TODAY + dt.timedelta(days=400)  # promulgated already, in force only next year

# a city's rules on pigeons: the text in force names 城市管理部门; the amended text, already published and stored
# 现行有效, names 农业农村主管部门 from LATER
PIGEONS = "潍坊市示例养鸽管理办法"
NOW_V = Law(title=PIGEONS, version="2008-03-01", effective=dt.date(2008, 3, 1), level="规章", status="现行有效",
            jurisdiction=WF.id)
NEXT_V = Law(title=PIGEONS, version=(TODAY - dt.timedelta(days=30)).isoformat(), effective=LATER, level="规章",
             status="现行有效", jurisdiction=WF.id)
P6_NOW = Article(law=NOW_V.id, number="6", ordinal=6, text=CITY_RULE)
P6_NEXT = Article(law=NEXT_V.id, number="6", ordinal=6, text=CITY_RULE.replace("城市管理部门", "农业农村主管部门"))
ASK = PIGEON_ASK


def _write(store: GraphStore) -> None:
    kb.build_kb(store)
    store.upsert_nodes([NOW_V, NEXT_V, AGRI_AU, AGRI, P6_NOW, P6_NEXT])
    store.upsert_edges([
        *(HasArticle(src=a.law, dst=a.id, source=SRC) for a in (P6_NOW, P6_NEXT)),
        # as `ingest laws` writes them: each version's designations start with the version
        Designates(src=P6_NOW.id, dst=kb.CITY_MGMT.id, role="lead", source=SRC, valid_from=dt.date(2008, 3, 1)),
        Designates(src=P6_NEXT.id, dst=AGRI_AU.id, role="lead", source=SRC, valid_from=LATER),
        ActsAs(src=AGRI.id, dst=AGRI_AU.id, source=SRC),
    ], actor=SRC)
    apply_versions(store, [PIGEONS])  # the text in force now closed at LATER, stored 已修改


@pytest.fixture(scope="module")
def today_kb(falkor_server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[GraphStore, Retriever]]:
    with indexed_kb(falkor_server, tmp_path_factory.mktemp("today"), "today", _write) as (_, store, retriever):
        yield store, retriever


def _ask(kb_: tuple[GraphStore, Retriever], as_of: str | None) -> AskResult:
    store, retriever = kb_
    return SearchService(store, OpenIndex(retriever)).ask(ASK, jurisdiction="鲁安市", as_of=as_of)


def _validity(res: AskResult, article_id: str) -> list[float]:
    return [e.factors["validity"] for c in res.candidates for e in c.evidence if e.unit == article_id]


def test_an_undated_ask_shows_and_weighs_the_version_in_force_today(today_kb) -> None:
    res = _ask(today_kb, None)
    six = [a for a in res.articles if a.law_title == PIGEONS and a.article == "6"]
    assert [(a.id, a.valid) for a in six] == [(P6_NOW.id, True)], [(a.id, a.valid) for a in res.articles]
    assert "城市管理部门" in six[0].text
    # the text in force counts fully for the body it names; the one not yet in force names nobody
    assert _validity(res, P6_NOW.id) and set(_validity(res, P6_NOW.id)) == {1.0}
    assert not any(_validity(res, P6_NEXT.id))
    assert res.candidates[0].name == kb.ENFORCE.name


def test_an_undated_ask_is_the_ask_as_of_today(today_kb) -> None:
    undated, today = _ask(today_kb, None), _ask(today_kb, TODAY.isoformat())
    assert [(c.name, c.score) for c in undated.candidates] == [(c.name, c.score) for c in today.candidates]
    assert [(a.id, a.valid, a.score) for a in undated.articles] == [(a.id, a.valid, a.score) for a in today.articles]
    # and once the amended text is in force, it speaks
    later = _ask(today_kb, LATER.isoformat())
    assert [a.id for a in later.articles if a.law_title == PIGEONS and a.article == "6"] == [P6_NEXT.id]


def test_the_dated_statutes_are_kept_per_graph_version_and_day(today_kb) -> None:
    store, _ = today_kb
    day = TODAY.isoformat()
    kept = dated_laws(store, day)
    assert dated_laws(store, day) is kept
    assert kept.in_force(NOW_V.id) and not kept.in_force(NEXT_V.id)
    assert dated_laws(store, LATER.isoformat()) is not kept
    assert dated_laws(store, LATER.isoformat()).in_force(NEXT_V.id)
    # asks of both days alternating read neither again
    assert dated_laws(store, day) is kept
    # a write to the graph (a new version, another statute) starts afresh
    store.upsert_nodes([Authority(name="示例档案主管部门")], actor=SRC)
    assert dated_laws(store, day) is not kept
