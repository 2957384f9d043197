"""A 乡镇人民政府 or 街道办事处 that a statute names as the one sanctioning a conduct leads on it; one named to
help or to see to its area stays a territorial body (real FalkorDB, FAISS, BM25, e5)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from api.vocabulary import path_text
from graph.ontology import Article, Authority, Designates, HasArticle, Law
from graph.store.base import GraphStore
from search.owners.weights import sanctioning
from search.retriever import Retriever
from search.service import OpenIndex, SearchService
from tests.indexed_kb import indexed_kb
from tests.places import CN, JN, SD

SRC = "test:territorial"
STREET = Authority(name="街道办事处")
CITY = Authority(name="城市管理部门")
# a city's appearance regulation, written for the test: the street acts on poultry in town itself; on
# shop-front clutter it only helps the city managers, who sanction it
JN_LOOKS = Law(title="济南市城镇容貌管理规定", version="2021-01-01", level="地方性法规", status="现行有效", jurisdiction=JN.id)
POULTRY = Article(law=JN_LOOKS.id, number="46", ordinal=46,
                  text="城市建成区内禁止饲养鸡、鸭、鹅等家禽。违反前款规定的，由所在地街道办事处责令饲养人限期处理。")
CLUTTER = Article(law=JN_LOOKS.id, number="20", ordinal=20,
                  text="临街商铺不得在门前堆放杂物。违反规定的，由城市管理部门责令改正，处二百元罚款；"
                       "街道办事处应当配合城市管理部门做好门前秩序的劝导工作。")


def _write(store: GraphStore) -> None:
    store.upsert_nodes([CN, SD, JN, STREET, CITY, JN_LOOKS, POULTRY, CLUTTER])
    store.upsert_edges([
        *(HasArticle(src=JN_LOOKS.id, dst=a.id, source=SRC) for a in (POULTRY, CLUTTER)),
        Designates(src=POULTRY.id, dst=STREET.id, role="territorial", duty_text="责令饲养人限期处理", source=SRC),
        Designates(src=CLUTTER.id, dst=CITY.id, role="lead", duty_text="责令改正，处二百元罚款", source=SRC),
        Designates(src=CLUTTER.id, dst=STREET.id, role="territorial", duty_text="做好门前秩序的劝导工作", source=SRC),
    ], actor=SRC)


@pytest.fixture(scope="module")
def territorial_kb(falkor_server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[GraphStore, Retriever]]:
    with indexed_kb(falkor_server, tmp_path_factory.mktemp("territorial"), "territorial", _write) as (_, store, retriever):
        yield store, retriever


def test_a_duty_to_sanction_is_told_from_one_to_help() -> None:
    assert sanctioning("责令饲养人限期处理") and sanctioning("依法处五百元以上一千元以下罚款") and sanctioning(" 查处")
    assert not sanctioning("做好门前秩序的劝导工作") and not sanctioning("配合城市管理部门") and not sanctioning(None)


@pytest.mark.slow
def test_a_street_that_sanctions_the_conduct_leads_and_one_that_helps_does_not(
        territorial_kb: tuple[GraphStore, Retriever]) -> None:
    store, retriever = territorial_kb
    service = SearchService(store, OpenIndex(retriever))
    res = service.ask("城区楼下有人在院子里养了一群鸡鸭，天不亮就叫", jurisdiction="济南市", split=False)
    top = res.candidates[0]
    assert (top.name, top.role) == (STREET.name, "lead"), [(c.name, c.role, c.score) for c in res.candidates]
    poultry = next(e for e in top.evidence if e.unit == POULTRY.id)
    assert poultry.factors["role"] == 1.0
    # the chain says what the statute says (a territorial designation) and why it counts as the lead
    assert "法定指定（属地，依本条自行处罚，按牵头）" in path_text(poultry.path), poultry.path
    assert poultry.valid and not poultry.note
    res = service.ask("临街商铺在门口堆满了杂物", jurisdiction="济南市", split=False)
    assert res.candidates[0].name == CITY.name, [(c.name, c.role, c.score) for c in res.candidates]
    street = next(c for c in res.candidates if c.name == STREET.name)
    assert street.role == "territorial"
    assert next(e for e in street.evidence if e.unit == CLUTTER.id).factors["role"] == 0.25
