"""How the wording of a designation weighs (real FalkorDB, FAISS, BM25, e5): a 乡镇人民政府 or 街道办事处 that a
statute names as the one sanctioning a conduct leads on it, one named to help or to see to its area stays a
territorial body; the police named only in a statute's public-order catch-all count for less than the body it makes
sanction the conduct itself."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from api.vocabulary import path_text
from graph.ontology import Article, Authority, Designates, HasArticle, Law
from graph.store.base import GraphStore
from search.owners.weights import DEFAULT_WEIGHTS, sanctioning
from search.retriever import Retriever
from search.service import OpenIndex, SearchService
from tests.indexed_kb import indexed_kb
from tests.places import CN, JN, SD

SRC = "test:territorial"
STREET, CITY, POLICE, HEALTH = (Authority(name=n) for n in ("街道办事处", "城市管理部门", "公安机关", "卫生健康主管部门"))


def _law(title: str, version: str) -> Law:
    return Law(title=title, version=version, level="地方性法规", status="现行有效", jurisdiction=JN.id)


def _article(law: Law, number: int, text: str) -> Article:
    return Article(law=law.id, number=str(number), ordinal=number, text=text)


# a city's appearance regulation, written for the test: the street acts on poultry in town itself; on
# shop-front clutter it only helps the city managers, who sanction it
JN_LOOKS = _law("济南市城镇容貌管理规定", "2021-01-01")
POULTRY = _article(JN_LOOKS, 46, "城市建成区内禁止饲养鸡、鸭、鹅等家禽。违反前款规定的，由所在地街道办事处责令饲养人限期处理。")
CLUTTER = _article(JN_LOOKS, 20, "临街商铺不得在门前堆放杂物。违反规定的，由城市管理部门责令改正，处二百元罚款；"
                                 "街道办事处应当配合城市管理部门做好门前秩序的劝导工作。")
# an emergency-care regulation in the shape of a city's: the health department sanctions the misuse of the
# ambulance sign; the police act on obstruction under their own laws
JN_CARE = _law("济南市急救服务条例", "2020-12-01")
SIGN = _article(JN_CARE, 42, "未纳入急救体系的车辆违法使用急救标志图案的，由卫生健康主管部门责令改正，处一万元以上三万元以下罚款。")
CATCH_ALL = _article(JN_CARE, 45, "有下列行为之一的，由公安机关依照有关法律、法规的规定予以处罚：（一）恶意拨打急救电话的；"
                                  "（二）阻碍急救车辆通行的。")

def _write(store: GraphStore) -> None:
    store.upsert_nodes([CN, SD, JN, STREET, CITY, JN_LOOKS, POULTRY, CLUTTER, POLICE, HEALTH, JN_CARE, SIGN, CATCH_ALL])
    store.upsert_edges([
        *(HasArticle(src=JN_LOOKS.id, dst=a.id, source=SRC) for a in (POULTRY, CLUTTER)),
        *(HasArticle(src=JN_CARE.id, dst=a.id, source=SRC) for a in (SIGN, CATCH_ALL)),
        Designates(src=SIGN.id, dst=HEALTH.id, role="lead", duty_text="责令改正，处一万元以上三万元以下罚款", source=SRC),
        Designates(src=CATCH_ALL.id, dst=POLICE.id, role="lead", duty_text="依照有关法律、法规的规定予以处罚", source=SRC),
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


@pytest.mark.slow
def test_the_police_of_a_public_order_catch_all_are_marked_down_and_a_sanctioning_body_is_not(
        territorial_kb: tuple[GraphStore, Retriever]) -> None:
    store, retriever = territorial_kb
    res = SearchService(store, OpenIndex(retriever)).ask("医院门口停着喷了急救标志的面包车，拉病人要三千，还堵着急救车",
                                                        jurisdiction="济南市", split=False)
    by_name = {c.name: c for c in res.candidates}
    police = next(e for e in by_name[POLICE.name].evidence if e.unit == CATCH_ALL.id)
    health = next(e for e in by_name[HEALTH.name].evidence if e.unit == SIGN.id)
    assert police.factors["deferred"] == DEFAULT_WEIGHTS.deferred < 1.0 and "治安兜底" in police.note
    assert "deferred" not in health.factors and not health.note
