"""A body a statute names only in a catch-all sentence (由公安机关依照有关法律、法规的规定予以处罚) counts for less
than one it makes sanction the conduct itself (real FalkorDB, FAISS, BM25, e5)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from graph.ontology import Article, Authority, Designates, HasArticle, Law
from graph.store.base import GraphStore
from search.owners.weights import DEFAULT_WEIGHTS
from search.retriever import Retriever
from search.service import OpenIndex, SearchService
from tests.indexed_kb import indexed_kb
from tests.places import CN, JN, SD

SRC = "test:deferred"
POLICE = Authority(name="公安机关")
HEALTH = Authority(name="卫生健康主管部门")
# an emergency-care regulation, written for the test in the shape of a city's: the health department sanctions
# the misuse of the ambulance sign; the police act on obstruction under their own laws
JN_CARE = Law(title="济南市急救服务条例", version="2020-12-01", level="地方性法规", status="现行有效", jurisdiction=JN.id)
SIGN = Article(law=JN_CARE.id, number="42", ordinal=42,
               text="未纳入急救体系的车辆违法使用急救标志图案的，由卫生健康主管部门责令改正，处一万元以上三万元以下罚款。")
CATCH_ALL = Article(law=JN_CARE.id, number="45", ordinal=45,
                    text="有下列行为之一的，由公安机关依照有关法律、法规的规定予以处罚：（一）恶意拨打急救电话的；"
                         "（二）阻碍急救车辆通行的。")


def _write(store: GraphStore) -> None:
    store.upsert_nodes([CN, SD, JN, POLICE, HEALTH, JN_CARE, SIGN, CATCH_ALL])
    store.upsert_edges([
        *(HasArticle(src=JN_CARE.id, dst=a.id, source=SRC) for a in (SIGN, CATCH_ALL)),
        Designates(src=SIGN.id, dst=HEALTH.id, role="lead", duty_text="责令改正，处一万元以上三万元以下罚款", source=SRC),
        Designates(src=CATCH_ALL.id, dst=POLICE.id, role="lead", duty_text="依照有关法律、法规的规定予以处罚", source=SRC),
    ], actor=SRC)


@pytest.fixture(scope="module")
def care_kb(falkor_server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[GraphStore, Retriever]]:
    with indexed_kb(falkor_server, tmp_path_factory.mktemp("deferred"), "deferred", _write) as (_, store, retriever):
        yield store, retriever


@pytest.mark.slow
def test_a_catch_all_designation_is_marked_down_and_a_sanctioning_one_is_not(
        care_kb: tuple[GraphStore, Retriever]) -> None:
    store, retriever = care_kb
    res = SearchService(store, OpenIndex(retriever)).ask("医院门口停着喷了急救标志的面包车，拉病人要三千，还堵着急救车",
                                                        jurisdiction="济南市", split=False)
    by_name = {c.name: c for c in res.candidates}
    police = next(e for e in by_name[POLICE.name].evidence if e.unit == CATCH_ALL.id)
    health = next(e for e in by_name[HEALTH.name].evidence if e.unit == SIGN.id)
    assert police.factors["deferred"] == DEFAULT_WEIGHTS.deferred < 1.0
    assert "兜底" in police.note
    assert "deferred" not in health.factors and not health.note
