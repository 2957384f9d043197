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
SRC = "test:owner-statute"


def _build(store: GraphStore) -> None:
    kb.build_kb(store)
    store.upsert_nodes([STALLS, LICENCE, PENALTY])
    store.upsert_edges([HasArticle(src=STALLS.id, dst=LICENCE.id, source=SRC),
                        HasArticle(src=STALLS.id, dst=PENALTY.id, source=SRC),
                        Designates(src=LICENCE.id, dst=kb.MARKET_AU.id, role="lead", source=SRC),
                        Designates(src=PENALTY.id, dst=kb.CITY_MGMT.id, role="lead", source=SRC)])


@pytest.fixture(scope="module")
def store(falkor_server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    with indexed_kb(falkor_server, tmp_path_factory.mktemp("owner-statute"), "owner_statute", _build) as built:
        yield built[1]


def _unit(a: Article) -> TextUnit:
    return TextUnit(id=a.id, kind="Article", jurisdiction=CN.id, title=f"{STALLS.title} 第{a.number}条", text=a.text)


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
