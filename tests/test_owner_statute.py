"""Which article of one statute settles the owner: the one that makes a body competent over one that names a body in passing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from graph.ontology import Article, Designates, HasArticle, Law
from graph.store.base import GraphStore
from search.owners.rank import rank_owners
from search.owners.weights import DEFAULT_WEIGHTS
from search.units import TextUnit
from tests import owners_kb as kb
from tests.indexed_kb import indexed_kb
from tests.places import CN

STALLS = Law(title="测试摊点管理条例", version="2024-01-01", level="行政法规", status="现行有效", jurisdiction=CN.id)
# a licence article: it names who issues the permit, not who acts on a stall without one
LICENCE = Article(law=STALLS.id, number="8", ordinal=8, text="摆摊经营许可证由市场监督管理部门核发。")
PENALTY = Article(law=STALLS.id, number="30", ordinal=30,
                  text="违反本条例规定，未经许可摆摊经营的，由城市管理部门责令改正，处二百元以上一千元以下罚款。")
# two sanction articles of one statute, each for its own conducts (items) and body; a third names its conduct only by
# the rule it cites
DOGS = Law(title="测试养犬条例", version="2024-01-01", level="行政法规", status="现行有效", jurisdiction=CN.id)
POLICE_ITEMS = Article(law=DOGS.id, number="34", ordinal=34,
                       text="违反本条例规定，有下列行为之一的，由公安机关责令改正，处五百元罚款：\n（一）饲养烈性犬的；\n"
                            "（二）未经登记饲养犬只的。")
CITY_ITEMS = Article(law=DOGS.id, number="35", ordinal=35,
                     text="违反本条例规定，有下列行为之一的，由城市管理部门责令改正，处二百元罚款：\n（一）侵占楼道养犬的；\n"
                          "（二）携犬出户不清理犬粪的。")
RULE = Article(law=DOGS.id, number="10", ordinal=10, text="禁止在楼道内堆放杂物。")
CITING = Article(law=DOGS.id, number="36", ordinal=36, text="违反本条例第十条规定的，由城市管理部门责令改正，处罚款。")
SRC = "test:owner-statute"


def _build(store: GraphStore) -> None:
    kb.build_kb(store)
    store.upsert_nodes([STALLS, LICENCE, PENALTY, DOGS, POLICE_ITEMS, CITY_ITEMS, RULE, CITING])
    store.upsert_edges([HasArticle(src=STALLS.id, dst=LICENCE.id, source=SRC),
                        HasArticle(src=STALLS.id, dst=PENALTY.id, source=SRC),
                        Designates(src=LICENCE.id, dst=kb.MARKET_AU.id, role="lead", source=SRC),
                        Designates(src=PENALTY.id, dst=kb.CITY_MGMT.id, role="lead", source=SRC),
                        *(HasArticle(src=DOGS.id, dst=a.id, source=SRC) for a in (POLICE_ITEMS, CITY_ITEMS, RULE, CITING)),
                        Designates(src=POLICE_ITEMS.id, dst=kb.POLICE_AU.id, role="lead", source=SRC),
                        Designates(src=CITY_ITEMS.id, dst=kb.CITY_MGMT.id, role="lead", source=SRC),
                        Designates(src=CITING.id, dst=kb.CITY_MGMT.id, role="lead", source=SRC)])


@pytest.fixture(scope="module")
def store(falkor_server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    with indexed_kb(falkor_server, tmp_path_factory.mktemp("owner-statute"), "owner_statute", _build) as built:
        yield built[1]


def _unit(a: Article) -> TextUnit:
    law = DOGS if a.law == DOGS.id else STALLS
    return TextUnit(id=a.id, kind="Article", jurisdiction=CN.id, title=f"{law.title} 第{a.number}条", text=a.text,
                    meta={"law_title": law.title, "law_id": law.id, "article": a.number})


def test_a_passing_mention_counts_less_where_its_statute_says_who_acts(store: GraphStore) -> None:
    """The licence article ranked above the penalty article of its own statute (0.9 against 0.5): it names the body
    that issues the permit, the penalty names the body acting on the stall. Without the rule the licence's body
    leads (0.9 × 0.5 × 0.6 = 0.27 against 0.5 × 0.5 = 0.25)."""
    cands = rank_owners(store, [], kb.JN.id, "2025-01-01", mode="authority",
                        focused=[(_unit(LICENCE), 0.9), (_unit(PENALTY), 0.5)])
    assert [c.name for c in cands[:2]] == [kb.CITY_MGMT.name, kb.MARKET_AU.name]
    assert cands[1].evidence[0].factors["outranked"] == DEFAULT_WEIGHTS.outranked


def test_a_passing_mention_keeps_its_weight_where_the_competent_article_fits_far_worse(store: GraphStore) -> None:
    """A penalty article of the statute that came back with little similarity (under `outranked_share` of the
    licence article's) does not mark the licence article down: the statute's answer to this question is unknown."""
    low = DEFAULT_WEIGHTS.outranked_share * 0.9 * 0.5
    cands = rank_owners(store, [], kb.JN.id, "2025-01-01", mode="authority",
                        focused=[(_unit(LICENCE), 0.9), (_unit(PENALTY), low)])
    assert cands[0].name == kb.MARKET_AU.name
    assert "outranked" not in cands[0].evidence[0].factors


def test_the_sanction_article_whose_item_states_the_conduct_counts_most(store: GraphStore) -> None:
    """Two sanction articles of one statute, each listing its conducts as items and naming its body: the one whose
    item is the conduct asked about (侵占楼道养犬) keeps its weight, the other (饲养烈性犬, ranked higher on the
    statute's common words) counts × conduct_floor. Without the rule the police lead (0.6 against 0.4)."""
    cands = rank_owners(store, [], kb.JN.id, "2025-01-01", mode="authority", query="对门邻居占着楼道养了两条狗",
                        focused=[(_unit(POLICE_ITEMS), 0.6), (_unit(CITY_ITEMS), 0.4)])
    assert [c.name for c in cands[:2]] == [kb.CITY_MGMT.name, kb.POLICE_AU.name]
    assert cands[0].evidence[0].factors["conduct"] == 1.0
    assert cands[1].evidence[0].factors["conduct"] == DEFAULT_WEIGHTS.conduct_floor


def test_a_sanction_naming_its_conduct_by_the_rule_it_cites_is_fitted_on_that_rule(store: GraphStore) -> None:
    """违反本条例第十条规定的，由城市管理部门… shares no word with the question; the rule it cites (禁止在楼道内堆放杂物)
    is its conduct. Read on its own text alone it fits worse than the police article's 楼道 and the police lead."""
    cands = rank_owners(store, [], kb.JN.id, "2025-01-01", mode="authority", query="楼道里被人堆满了杂物",
                        focused=[(_unit(POLICE_ITEMS.model_copy(update={"text": POLICE_ITEMS.text + "在楼道内饲养烈性犬的，同样处理。"})), 0.5),
                                 (_unit(CITING), 0.4)])
    assert cands[0].name == kb.CITY_MGMT.name
    assert cands[0].evidence[0].factors["conduct"] == 1.0


def test_a_dispute_between_named_sides_is_not_weighed_by_conduct(store: GraphStore) -> None:
    """Between named sides (X说归Y管) each side is scored on its best statute and the claims are words of the
    question: the sanction articles keep their weight, and the police, ranked higher, lead."""
    cands = rank_owners(store, [], kb.JN.id, "2025-01-01", mode="authority", query="对门邻居占着楼道养了两条狗",
                        named={kb.POLICE_AU.id, kb.CITY_MGMT.id},
                        focused=[(_unit(POLICE_ITEMS), 0.6), (_unit(CITY_ITEMS), 0.4)])
    assert cands[0].name == kb.POLICE_AU.name
    assert all("conduct" not in e.factors for c in cands for e in c.evidence)



def test_departments_a_complaint_names_in_a_directory_place_leave_the_conduct_fit_on(store: GraphStore) -> None:
    """In a place with a department directory `named` holds the departments a complaint merely mentions (公安来看过):
    no dispute's sides, so the sanction articles are still weighed by their conduct (review6b M2)."""
    cands = rank_owners(store, [], kb.LUAN.id, "2025-01-01", mode="department", query="对门邻居占着楼道养了两条狗",
                        named={kb.POLICE.id}, focused=[(_unit(POLICE_ITEMS), 0.6), (_unit(CITY_ITEMS), 0.4)])
    assert cands[0].name == kb.ENFORCE.name, [(c.name, c.score) for c in cands]
    assert any(e.factors.get("conduct") == DEFAULT_WEIGHTS.conduct_floor for c in cands for e in c.evidence)
