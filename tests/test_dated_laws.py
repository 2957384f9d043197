"""An ask as of a date answers with the law of that date (search.dated): the article text of the version then in
force, a statute repealed after the date counting fully, one not yet in force not at all; an ask of today as before
(real FalkorDB, FAISS, BM25, e5)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from graph.ontology import ActsAs, Article, Authority, Designates, HasArticle, Law
from graph.queries.temporal import in_force_on
from graph.store.base import GraphStore
from ingest.laws.loader import apply_versions
from ingest.laws.repeals import apply_repeals
from search import ask
from search.ask import AskResult, BasisArticle
from search.dated import DatedLaws
from search.retriever import Hit, Retriever
from search.service import OpenIndex, SearchService
from search.units import TextUnit
from tests import owners_kb as kb
from tests.indexed_kb import indexed_kb
from tests.pigeons import AGRI, AGRI_AU, CITY_RULE, PIGEON_ASK
from tests.places import CN, LUAN, WF

SRC = "test:dated"
THEN, NOW = "2019-06-01", "2026-01-01"

# a national law amended in 2022: its article 8 names another body in the new text
NOISE = "中华人民共和国示例噪声污染防治法"
NOISE_2010 = Law(title=NOISE, version="2010-01-01", effective=dt.date(2010, 1, 1), level="法律", status="现行有效",
                 jurisdiction=CN.id)
NOISE_2022 = Law(title=NOISE, version="2022-06-05", effective=dt.date(2022, 6, 5), level="法律", status="现行有效",
                 jurisdiction=CN.id)
ENV_OLD = Authority(name="环境保护主管部门")
ENV_NEW = Authority(name="生态环境主管部门")
N8_2010 = Article(law=NOISE_2010.id, number="8", ordinal=8,
                  text="建筑施工单位在夜间进行产生环境噪声污染的建筑施工作业的，由环境保护主管部门责令改正，可以并处罚款。")
N8_2022 = Article(law=NOISE_2022.id, number="8", ordinal=8,
                  text="建筑施工单位在夜间进行产生噪声的建筑施工作业的，由生态环境主管部门责令改正，处一万元以上罚款。")

# a city's rules on pigeons, repealed on 2021-01-01 by its poultry regulation, which names another body
PIGEONS = Law(title="潍坊市养鸽管理办法", version="2008-03-01", effective=dt.date(2008, 3, 1), level="规章",
              status="现行有效", jurisdiction=WF.id)
POULTRY = Law(title="潍坊市家禽饲养管理条例", version="2021-01-01", effective=dt.date(2021, 1, 1), level="地方性法规",
              status="现行有效", jurisdiction=WF.id)
P6 = Article(law=PIGEONS.id, number="6", ordinal=6, text=CITY_RULE)
Q9 = Article(law=POULTRY.id, number="9", ordinal=9,
             text="在居民区楼顶饲养鸽子等禽类，粪便污染环境、影响他人的，由农业农村主管部门责令改正。")
Q50 = Article(law=POULTRY.id, number="50", ordinal=50, text="本条例自2021年1月1日起施行。《潍坊市养鸽管理办法》同时废止。")

NOISE_ASK = "晚上工地建筑施工噪声太吵了，夜里还在施工作业"


def _write(store: GraphStore) -> None:
    kb.build_kb(store)
    store.upsert_nodes([NOISE_2010, NOISE_2022, ENV_OLD, ENV_NEW, N8_2010, N8_2022, PIGEONS, POULTRY, AGRI_AU, AGRI,
                        P6, Q9, Q50])
    store.upsert_edges([
        *(HasArticle(src=a.law, dst=a.id, source=SRC) for a in (N8_2010, N8_2022, P6, Q9, Q50)),
        Designates(src=N8_2010.id, dst=ENV_OLD.id, role="lead", source=SRC, valid_from=dt.date(2010, 1, 1)),
        Designates(src=N8_2022.id, dst=ENV_NEW.id, role="lead", source=SRC, valid_from=dt.date(2022, 6, 5)),
        Designates(src=P6.id, dst=kb.CITY_MGMT.id, role="lead", source=SRC, valid_from=dt.date(2008, 3, 1)),
        Designates(src=Q9.id, dst=AGRI_AU.id, role="lead", source=SRC, valid_from=dt.date(2021, 1, 1)),
        ActsAs(src=AGRI.id, dst=AGRI_AU.id, source=SRC),
        ActsAs(src=kb.MARKET.id, dst=ENV_OLD.id, source=SRC),
        ActsAs(src=kb.MARKET.id, dst=ENV_NEW.id, source=SRC),
    ], actor=SRC)
    # as `ingest laws` does after a load: the older version closed at the newer one's start, the repeal applied
    apply_versions(store, [NOISE])
    assert apply_repeals(store, today=dt.date(2026, 1, 1)) == 1


@pytest.fixture(scope="module")
def dated_kb(falkor_server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[GraphStore, Retriever]]:
    with indexed_kb(falkor_server, tmp_path_factory.mktemp("dated"), "dated", _write) as (_, store, retriever):
        yield store, retriever


def _ask(kb_: tuple[GraphStore, Retriever], text: str, as_of: str | None) -> AskResult:
    store, retriever = kb_
    return SearchService(store, OpenIndex(retriever)).ask(text, jurisdiction="鲁安市", as_of=as_of)


def _basis(res: AskResult, title: str, number: str) -> BasisArticle:
    found = [a for a in res.articles if a.law_title == title and a.article == number]
    assert len(found) == 1, [(a.law_title, a.article) for a in res.articles]
    return found[0]


def _validity(res: AskResult, article_id: str) -> list[float]:
    return [e.factors["validity"] for c in res.candidates for e in c.evidence if e.unit == article_id]


def test_an_amended_articles_text_is_the_version_in_force_on_the_date(dated_kb) -> None:
    then, now = _ask(dated_kb, NOISE_ASK, THEN), _ask(dated_kb, NOISE_ASK, None)
    old, new = _basis(then, NOISE, "8"), _basis(now, NOISE, "8")
    assert (old.id, old.valid) == (N8_2010.id, True) and "环境保护主管部门" in old.text
    assert (new.id, new.valid) == (N8_2022.id, True) and "生态环境主管部门" in new.text
    # the body the version of the day names is the one its article makes competent then
    assert _validity(then, N8_2010.id) and set(_validity(then, N8_2010.id)) == {1.0}
    assert not any(_validity(then, N8_2022.id)) and set(_validity(now, N8_2022.id)) == {1.0}


def test_a_statute_repealed_after_the_date_was_in_force_then(dated_kb) -> None:
    then, now = _ask(dated_kb, PIGEON_ASK, THEN), _ask(dated_kb, PIGEON_ASK, NOW)
    assert _basis(then, PIGEONS.title, "6").valid
    assert not _basis(now, PIGEONS.title, "6").valid
    assert set(_validity(then, P6.id)) == {1.0}
    assert not any(_validity(now, P6.id))
    # the statute that repealed it had not started in 2019: it names no owner then, and is no basis in force
    assert not any(_validity(then, Q9.id)) and set(_validity(now, Q9.id)) == {1.0}
    assert all(not a.valid for a in then.articles if a.law_title == POULTRY.title)
    assert then.candidates[0].name == kb.ENFORCE.name
    assert now.candidates[0].name == AGRI.name


def test_an_ask_of_today_reads_the_status_as_before(dated_kb) -> None:
    """No date: the answer is the one given as of today's date left implicit (the stored status speaks)."""
    now = _ask(dated_kb, PIGEON_ASK, None)
    assert not _basis(now, PIGEONS.title, "6").valid and _basis(now, POULTRY.title, "9").valid


def test_which_version_was_in_force_on_a_day(dated_kb) -> None:
    store, _ = dated_kb
    dated = DatedLaws(store, THEN)
    assert dated.in_force(NOISE_2010.id)
    assert not dated.in_force(NOISE_2022.id)
    assert dated.in_force(PIGEONS.id) and not dated.in_force(POULTRY.id)
    later = DatedLaws(store, "2023-01-01")
    assert later.in_force(NOISE_2022.id) and not later.in_force(NOISE_2010.id)
    assert not later.in_force(PIGEONS.id) and later.in_force(POULTRY.id)
    assert dated.in_force("law:not-in-graph") and not dated.in_force("law:not-in-graph", default=False)
    assert not DatedLaws(store, "2005-01-01").in_force(PIGEONS.id)


def test_in_force_on_reads_dates_before_status() -> None:
    assert in_force_on({"effective": "2010-01-01", "status": "已修改", "ended": "2022-06-05"}, THEN)
    assert not in_force_on({"effective": "2010-01-01", "status": "已修改", "ended": "2018-06-05"}, THEN)
    assert not in_force_on({"effective": "2021-01-01", "status": "现行有效"}, THEN)
    assert in_force_on({"effective": "2018-01-01", "status": "尚未生效"}, THEN)
    assert not in_force_on({"status": "尚未生效"}, THEN)
    assert not in_force_on({"effective": "2010-01-01", "status": "已废止"}, THEN)  # repealed on a date not known
    assert in_force_on({"version": "2010-01-01", "status": "未知"}, THEN)
    # the earliest version held counts from its statute's effective date: a text amended in 2018 of a statute in
    # force since 2004 was the statute of 2010 in a wording not held; a new law not before it takes effect
    amended_2018 = {"effective": "2004-01-01", "version": "2018-01-23", "status": "现行有效"}
    assert in_force_on(amended_2018, "2010-01-01", first=True) and not in_force_on(amended_2018, "2010-01-01")
    assert not in_force_on({"effective": "2023-01-01", "version": "2022-09-02", "status": "现行有效"}, "2022-10-01",
                           first=True)


def _hit(article: Article, title: str, jurisdiction: str) -> Hit:
    unit = TextUnit(id=article.id, kind="Article", jurisdiction=jurisdiction, title=title, text=article.text,
                    meta={"law_id": article.law, "law_title": title, "article": article.number})
    return Hit(unit=unit, score=1.0)


def test_a_statute_not_yet_in_force_ranks_for_the_owners_not_for_the_basis(dated_kb) -> None:
    """`upcoming`: the owners' statutes keep one not yet in force (its designations count for nothing there), the
    basis statutes drop it; once it is in force both rank it."""
    store, _ = dated_kb
    hits = [_hit(Q9, POULTRY.title, WF.id), _hit(P6, PIGEONS.title, WF.id)]
    then = DatedLaws(store, THEN)
    assert list(ask._law_rank(hits, WF.id, as_of=THEN, dated=then)) == [PIGEONS.id]
    assert set(ask._law_rank(hits, WF.id, as_of=THEN, dated=then, upcoming=True)) == {POULTRY.id, PIGEONS.id}
    now = DatedLaws(store, NOW)
    assert POULTRY.id in ask._law_rank(hits, WF.id, as_of=NOW, dated=now)


def test_the_basis_drops_an_article_whose_statute_is_not_yet_in_force(dated_kb) -> None:
    store, _ = dated_kb
    hits = [_hit(Q9, POULTRY.title, WF.id), _hit(P6, PIGEONS.title, WF.id)]
    then = ask._articles(store, hits, [], LUAN.id, {}, dated=DatedLaws(store, THEN))
    assert [a.id for a in then] == [P6.id]
    now = ask._articles(store, hits, [], LUAN.id, {}, dated=DatedLaws(store, NOW))
    assert {a.id for a in now} == {Q9.id, P6.id}
    # without the day's statutes (an ask before the dated path) the index's `valid` alone decides: both stay
    assert {a.id for a in ask._articles(store, hits, [], LUAN.id, {})} == {Q9.id, P6.id}
