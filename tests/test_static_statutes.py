"""A national question on a KB whose e5 vectors are not filled in (none, or a few of its articles) ranks its basis
statutes by the static tier's mean cosines (search.ask STATIC_STATUTES, Retriever.statutes fallback), wired through
`answer()` (real FalkorDB, FAISS, BM25, the static tier; e5 for the few units a partly filled KB holds)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from graph.ontology import Article, Designates, HasArticle, Law
from graph.store.base import GraphStore
from search import ask
from search.ask import AskResult
from search.filters import UnitFilter
from search.retriever import Retriever
from search.service import OpenIndex, SearchService
from tests.indexed_kb import indexed_kb
from tests.owners_kb import CITY_MGMT as CITY_AU
from tests.owners_kb import MARKET_AU
from tests.places import CN

SRC = "test:static-statutes"


def _regulation(title: str, version: str) -> Law:
    return Law(title=title, version=version, level="行政法规", status="现行有效", jurisdiction=CN.id)


ROADS = _regulation("示例城市道路管理条例", "2019-01-01")
ADS = _regulation("示例户外广告管理条例", "2020-01-01")
STALLS = Article(law=ROADS.id, number="30", ordinal=30,
                 text="在城市道路上摆摊设点、堆放物品的，由城市管理部门责令改正，可以处五百元以下罚款。")
ROADS_2 = Article(law=ROADS.id, number="2", ordinal=2,
                  text="城市管理部门负责本行政区域内城市道路的管理工作。")
# the statute the question's words do not reach in its one searched article, only its administration clause offers
ADS_2 = Article(law=ADS.id, number="2", ordinal=2, text="市场监督管理部门负责本行政区域内户外广告的监督管理工作。")
ADS_9 = Article(law=ADS.id, number="9", ordinal=9, text="设置户外广告牌应当牢固安全，不得遮挡交通标志。")
# a third statute, never asked about: its articles make the one e5 holds in the partly filled KB an eighth of them
PARKS = _regulation("示例公园管理条例", "2018-01-01")
PARK_ARTICLES = [Article(law=PARKS.id, number=str(n), ordinal=n, text=f"公园第{n}区的开放时间由公园管理机构公布。")
                 for n in range(10, 14)]
ARTICLES = [STALLS, ROADS_2, ADS_2, ADS_9, *PARK_ARTICLES]
QUESTION = "马路边上有人摆摊卖菜，把人行道都占了"


def _write(store: GraphStore) -> None:
    store.upsert_nodes([CN, CITY_AU, MARKET_AU, ROADS, ADS, PARKS, *ARTICLES])
    store.upsert_edges([
        *(HasArticle(src=a.law, dst=a.id, source=SRC) for a in ARTICLES),
        Designates(src=STALLS.id, dst=CITY_AU.id, role="lead", source=SRC),
        Designates(src=ROADS_2.id, dst=CITY_AU.id, role="lead", source=SRC),
        Designates(src=ADS_2.id, dst=MARKET_AU.id, role="lead", source=SRC),
    ], actor=SRC)


def _kb(falkor_server, tmp_path_factory: pytest.TempPathFactory, name: str,
        embedded: frozenset[str]) -> Iterator[tuple[GraphStore, Retriever]]:
    with indexed_kb(falkor_server, tmp_path_factory.mktemp(name), name, _write, static_tier=True,
                    embed_only=lambda u: u.id in embedded) as (_, store, retriever):
        yield store, retriever


@pytest.fixture(scope="module")
def unfilled(falkor_server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[GraphStore, Retriever]]:
    """As the README's commands build a KB: every unit in the static tier, none in e5 yet."""
    yield from _kb(falkor_server, tmp_path_factory, "unfilled", frozenset())


@pytest.fixture(scope="module")
def filling(falkor_server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[GraphStore, Retriever]]:
    """`index fill` stopped early: e5 holds one statute's article, an eighth of them."""
    yield from _kb(falkor_server, tmp_path_factory, "filling", frozenset({STALLS.id}))


def _ask(kb: tuple[GraphStore, Retriever], monkeypatch: pytest.MonkeyPatch) -> AskResult:
    # one unit and one article searched: the other statute is reached by the statutes' ranking alone
    monkeypatch.setattr(ask, "UNITS_K", 1)
    monkeypatch.setattr(ask, "ARTICLES_K", 1)
    store, retriever = kb
    return SearchService(store, OpenIndex(retriever)).ask(QUESTION, jurisdiction="全国", split=False)


def _basis(res: AskResult) -> list[str]:
    return [a.id for a in res.articles]


@pytest.mark.slow
@pytest.mark.parametrize("kb", ["unfilled", "filling"])
def test_a_national_ask_ranks_its_basis_statutes_by_the_static_tier_where_e5_is_not_filled(
        kb: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    kb_ = request.getfixturevalue(kb)
    res = _ask(kb_, monkeypatch)
    assert res.candidates and res.candidates[0].name == CITY_AU.name, res.candidates
    # the static ranking brings the second statute in: its administration clause is offered
    assert ADS_2.id in _basis(res), [(a.id, a.score) for a in res.articles]
    monkeypatch.setattr(ask, "STATIC_STATUTES", False)
    assert ADS_2.id not in _basis(_ask(kb_, monkeypatch))


@pytest.mark.slow
def test_the_main_tiers_coverage_of_the_allowed_articles(unfilled, filling) -> None:
    national = UnitFilter(jurisdictions=frozenset({CN.id}))
    assert unfilled[1].main_coverage(national) == 0.0
    assert filling[1].main_coverage(national) == pytest.approx(1 / len(ARTICLES))
    assert filling[1].main_coverage(national) < ask.STATUTE_VECTOR_COVERAGE




@pytest.mark.slow
def test_the_static_ranking_steps_aside_once_e5_covers_enough(filling, monkeypatch: pytest.MonkeyPatch) -> None:
    """Above STATUTE_VECTOR_COVERAGE e5's own statute ranking serves; the static tier's is not even read."""
    retriever = filling[1]
    calls: list[bool] = []
    statutes = retriever.statutes

    def spy(*args, fallback: bool = False, **kw):  # noqa: ANN002, ANN003, ANN202
        calls.append(fallback)
        return statutes(*args, fallback=fallback, **kw)
    monkeypatch.setattr(retriever, "statutes", spy)
    _ask(filling, monkeypatch)
    assert True in calls  # an eighth in e5: below the threshold, the static tier ranks
    calls.clear()
    monkeypatch.setattr(ask, "STATUTE_VECTOR_COVERAGE", 0.1)
    _ask(filling, monkeypatch)
    assert calls and True not in calls
