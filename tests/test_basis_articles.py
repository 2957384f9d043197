"""Basis articles behind an answer: the duty list's 实施依据 of the proposed owner, and a statute's own
administration clause where extraction found no designation in it (real FalkorDB, FAISS, BM25, e5)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from graph.ontology import About, Article, BasedOn, HasArticle, Law
from graph.queries.evidence import designating_articles, opening_articles, owner_bases, owners_bases
from graph.store.base import GraphStore
from search.ask import OPENING_ARTICLES, _bases, _designating, _opening
from search.owners.rows import UNIT_ROWS
from search.owners.weights import administers
from search.retriever import Retriever
from search.service import OpenIndex, SearchService
from tests import owners_kb as kb
from tests.indexed_kb import indexed_kb

SRC = "test:basis"
# the penalty article the stall duty rests on: statute wording, nothing a citizen would say
A_PENALTY = Article(law=kb.STALL_RULES.id, number="38", ordinal=38,
                    text="违反本条例第二十一条规定的，责令限期改正，可以处五十元以上五百元以下罚款。")
# the dog statute's administration clause; no DESIGNATES edge is planted for it (as when extraction misses one)
A_DOGS_ADMIN = Article(law=kb.JN_DOGS.id, number="4", ordinal=4,
                       text="市公安机关负责全市养犬管理工作。区县人民政府应当加强对养犬管理工作的领导。")
# the dog statute's rules that a dog-walking complaint matches more closely than the clause in charge
DOG_RULES = [
    Article(law=kb.JN_DOGS.id, number=str(n), ordinal=n, text=t) for n, t in (
        (18, "携犬出户的，应当为犬只束犬链，由成年人牵领，主动避让他人。"),
        (19, "携犬出户时犬只在小区、道路等公共场所排泄粪便的，携犬人应当立即清除。"),
        (20, "不得携犬进入商场、饭店、学校、医院等公共场所，不得在小区公共区域遛狗不拴绳。"),
        (36, "违反本条例第十八条规定，携犬出户未束犬链的，责令改正，可以处二百元以下罚款。"),
        (37, "违反本条例第十九条规定，携犬人未立即清除犬只粪便的，由城市管理部门责令改正，可以处五十元罚款。"),
    )
]
A_DOG_DROPPINGS = DOG_RULES[-1]
DOG_RULES_EDGES = [HasArticle(src=kb.JN_DOGS.id, dst=a.id, source=SRC) for a in DOG_RULES]
# a national statute on the same subject, worded closer to the complaint than the city's own
CN_DOGS = Law(title="中华人民共和国犬只管理法", version="2020-01-01", level="法律", status="现行有效", jurisdiction=kb.CN.id)
CN_DOGS_ARTICLES = [
    Article(law=CN_DOGS.id, number="3", ordinal=3, text="县级以上人民政府公安机关负责本行政区域内的犬只管理工作。"),
    Article(law=CN_DOGS.id, number="20", ordinal=20,
            text="在小区里遛狗必须拴绳，遛狗不拴绳、狗粪不清理的，由公安机关处罚；小区里遛狗不拴绳吓到孩子的，从重处罚。"),
]
# a dispute between two bodies, each sending the matter to the other (this KB's authorities carry no short forms)
DOG_DISPUTE = "城市管理部门说狗粪归公安机关管，公安机关说归城市管理部门管：小区里遛狗不拴绳，狗粪没人清理"


def _write(store: GraphStore) -> None:
    kb.build_kb(store)
    store.upsert_nodes([A_PENALTY, A_DOGS_ADMIN, *DOG_RULES, CN_DOGS, *CN_DOGS_ARTICLES])
    store.upsert_edges([
        HasArticle(src=kb.STALL_RULES.id, dst=A_PENALTY.id, source=SRC),
        HasArticle(src=kb.JN_DOGS.id, dst=A_DOGS_ADMIN.id, source=SRC),
        *DOG_RULES_EDGES,
        *(HasArticle(src=CN_DOGS.id, dst=a.id, source=SRC) for a in CN_DOGS_ARTICLES),
        About(src=kb.D_STALL.id, src_label="Duty", dst=kb.M_STALL.id, source=SRC),
        BasedOn(src=kb.D_STALL.id, dst=A_PENALTY.id, source=SRC),
        BasedOn(src=kb.D_STALL.id, dst=kb.A_STALL.id, source=SRC),
    ], actor=SRC)


@pytest.fixture(scope="module")
def basis_kb(falkor_server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[GraphStore, Retriever]]:
    with indexed_kb(falkor_server, tmp_path_factory.mktemp("basis"), "basis", _write) as (_, store, retriever):
        yield store, retriever


def test_owner_bases_follow_the_departments_own_duties(basis_kb: tuple[GraphStore, Retriever]) -> None:
    store, _ = basis_kb
    via_matter = {(r["unit"], r["id"]) for r in owner_bases(store, [], [kb.M_STALL.id], kb.ENFORCE.id)}
    assert via_matter == {(kb.M_STALL.id, A_PENALTY.id), (kb.M_STALL.id, kb.A_STALL.id)}
    via_duty = {r["id"] for r in owner_bases(store, [kb.D_STALL.id], [], kb.ENFORCE.id)}
    assert via_duty == {A_PENALTY.id, kb.A_STALL.id}
    # the street is responsible for the matter too, but holds no duty about it: no basis through it
    assert owner_bases(store, [], [kb.M_STALL.id], kb.STREET.id) == []


def test_basis_reads_kept_per_statute_and_unit_are_what_one_read_gives(basis_kb: tuple[GraphStore, Retriever]) -> None:
    store, _ = basis_kb
    UNIT_ROWS.clear()
    laws = [kb.JN_DOGS.id, CN_DOGS.id, kb.STALL_RULES.id]
    authorities = [kb.POLICE_AU.id, kb.CITY_MGMT.id]
    asks = [(kb.ENFORCE.id, [kb.D_STALL.id], [kb.M_STALL.id]), (kb.STREET.id, [], [kb.M_STALL.id])]
    for _ in range(2):  # read, then kept: the same rows without a read
        misses = UNIT_ROWS.misses
        designating = _designating(store, laws, authorities)
        assert designating == designating_articles(store, laws, authorities)
        assert {r["id"] for r in designating} >= {kb.A_DOGS.id, kb.A_STALL.id}
        assert _opening(store, laws) == opening_articles(store, laws, OPENING_ARTICLES) != []
        assert _bases(store, asks) == owners_bases(store, asks) != {}
    assert UNIT_ROWS.misses == misses


def test_duty_list_basis_of_the_proposed_owner_leads(basis_kb: tuple[GraphStore, Retriever]) -> None:
    store, retriever = basis_kb
    res = SearchService(store, OpenIndex(retriever)).ask("夜市有人占着马路摆摊卖东西，到底归谁管？", jurisdiction="鲁安市")
    assert res.candidates[0].name == kb.ENFORCE.name
    top = [a.id for a in res.articles[:3]]
    assert A_PENALTY.id in top, [(a.id, a.score) for a in res.articles]
    ids = [a.id for a in res.articles]
    assert len(ids) == len(set(ids)), "an article reached two ways is listed once"
    penalty = next(a for a in res.articles if a.id == A_PENALTY.id)
    assert penalty.law_title == kb.STALL_RULES.title and penalty.article == "38" and penalty.text


def test_administration_clause_without_a_designation(basis_kb: tuple[GraphStore, Retriever]) -> None:
    store, retriever = basis_kb
    res = SearchService(store, OpenIndex(retriever)).ask("小区里遛狗不拴绳，狗粪没人清理", jurisdiction="济南")
    assert res.mode == "authority"
    # the sanction articles on the two conducts (第36条, 第37条) settle the complaint more precisely and lead
    # (with the national one that names who sanctions both, 第20条); the clause in charge of the field follows
    ids = [a.id for a in res.articles]
    assert set(ids[:3]) == {DOG_RULES[3].id, A_DOG_DROPPINGS.id, CN_DOGS_ARTICLES[1].id}, [(a.id, a.score) for a in res.articles]
    assert A_DOGS_ADMIN.id in ids[3:5], [(a.id, a.score) for a in res.articles]


def test_the_places_own_statute_leads(basis_kb: tuple[GraphStore, Retriever]) -> None:
    store, retriever = basis_kb
    res = SearchService(store, OpenIndex(retriever)).ask("小区里遛狗不拴绳，狗粪没人清理", jurisdiction="济南")
    ids = [a.id for a in res.articles]
    national = CN_DOGS_ARTICLES[0].id
    assert A_DOGS_ADMIN.id in ids and national in ids, ids
    assert ids.index(A_DOGS_ADMIN.id) < ids.index(national), [(a.id, a.score) for a in res.articles]


def test_the_breach_article_of_the_rule_the_question_matches(basis_kb: tuple[GraphStore, Retriever]) -> None:
    """The complaint matches the rule (第19条, clear the droppings); the article on its breach (第37条) names
    who acts. It is offered as basis, and the body it names gets evidence through that link."""
    store, retriever = basis_kb
    res = SearchService(store, OpenIndex(retriever)).ask("遛狗的人从来不清除狗的粪便，小区里到处都是", jurisdiction="济南")
    assert A_DOG_DROPPINGS.id in [a.id for a in res.articles[:3]], [(a.id, a.score) for a in res.articles]
    city = next(c for c in res.candidates if c.name == kb.CITY_MGMT.name)
    via = [e for e in city.evidence if "REFERRED_BY" in e.path]
    assert via and via[0].unit == A_DOG_DROPPINGS.id and via[0].path[0] == "第19条", city.evidence
    # 济南's own statute is the specific rule in 济南: its evidence counts more than a national statute's
    from search.owners.weights import DEFAULT_WEIGHTS

    assert via[0].factors["local"] == DEFAULT_WEIGHTS.local_statute > 1
    elsewhere = [e for c in res.candidates for e in c.evidence if e.kind == "article" and e.law_title != kb.JN_DOGS.title]
    assert all("local" not in e.factors for e in elsewhere)


def test_administers_tells_the_clause_in_charge_from_a_penalty() -> None:
    assert administers("县级以上地方人民政府市场监督管理部门负责本行政区域的食品安全监督管理工作。")
    assert administers("国务院负责特种设备安全监督管理的部门对全国特种设备安全实施监督管理。")
    assert administers("国务院林业草原、渔业主管部门分别主管全国陆生、水生野生动物保护工作。")
    assert not administers("违反本法规定的，由县级以上人民政府水行政主管部门责令停止违法行为，处二万元以上罚款。")
    assert not administers("县级以上人民政府应当加强对供热工作的领导。")


def test_one_entry_per_article_whatever_versions_were_reached() -> None:
    """Two versions of one statute's article take one place: the version in force, at the best score."""
    from search.ask import BasisArticle, _one_per_article

    old = BasisArticle(id="law:a2015#第5条", law_title="示例条例", article="5", valid=False, score=0.9,
                       text="县级以上人民政府工商行政管理部门负责本行政区域内的广告监督管理工作。")
    new = BasisArticle(id="law:a2021#第5条", law_title="示例条例", article="5", valid=True, score=0.4,
                       text="县级以上人民政府市场监督管理部门负责本行政区域内的广告监督管理工作。")
    other = BasisArticle(id="law:b#第5条", law_title="另一条例", article="5", text="", valid=True, score=0.5)
    only_old = BasisArticle(id="law:a2015#第9条", law_title="示例条例", article="9", valid=False, score=0.2)
    unnamed = [BasisArticle(id=f"x{i}", law_title="", article="", score=0.1) for i in range(2)]
    kept = {a.id: a for a in _one_per_article([old, new, other, only_old, *unnamed])}
    assert set(kept) == {"law:a2021#第5条", "law:b#第5条", "law:a2015#第9条", "x0", "x1"}
    assert kept["law:a2021#第5条"].score == 0.9 and kept["law:a2021#第5条"].text.startswith("县级以上人民政府市场")


def test_a_renumbered_article_is_another_provision() -> None:
    """After a renumbering 第5条 of the new text is not 第5条 of the old: both keep their place, each its score."""
    from search.ask import BasisArticle, _one_per_article

    old = BasisArticle(id="law:a2015#第5条", law_title="示例条例", article="5", valid=False, score=0.9,
                       text="违反本条例规定，擅自占用城市绿地的，由城市绿化行政主管部门责令限期退还。")
    new = BasisArticle(id="law:a2021#第5条", law_title="示例条例", article="5", valid=True, score=0.4,
                       text="本条例所称养犬人，是指饲养犬只的单位和个人。")
    kept = {a.id: a for a in _one_per_article([old, new])}
    assert set(kept) == {"law:a2015#第5条", "law:a2021#第5条"}
    assert kept["law:a2015#第5条"].score == 0.9 and kept["law:a2021#第5条"].score == 0.4


def test_a_national_questions_runner_up_statutes_keep_their_best_fitting_article_in_view() -> None:
    """The first statute's many articles do not push the best fit of the next statutes out of the first
    RUNNER_UP_TOP: each is moved up to just inside them, the articles it passes one place down."""
    from search.ask import RUNNER_UP_LAWS, RUNNER_UP_TOP, BasisArticle, _keep_runners_up, _runners_up
    from search.focus import Focused
    from search.units import TextUnit

    def art(law: str, n: int, score: float, jur: str = "jur:全国") -> BasisArticle:
        return BasisArticle(id=f"{law}#第{n}条", law_title=law, article=str(n), jurisdiction=jur, score=score)

    first = [art("实施条例", n, 1.0 - n / 100) for n in range(1, 13)]  # the first statute fills the list
    law, neighbour = art("本法", 126, 0.3), art("邻法", 9, 0.2)
    ranked = [*first[:11], law, first[11], neighbour]
    # the next statutes after the first two runners-up fill the other runner-up places; 远法 ranks beyond them
    rank = {"实施条例": 0, "本法": 1, "邻法": 2, **{f"别法{i}": 2 + i for i in range(1, RUNNER_UP_LAWS - 1)},
            "远法": RUNNER_UP_LAWS + 1}
    focused = [(Focused(0, TextUnit(id=a.id, kind="Article", text="", meta={"law_id": a.law_title}), 1.0, place), a)
               for a, place in ((first[0], 0), (law, 0), (art("本法", 57, 0.5), 1), (neighbour, 0),
                                (art("远法", 3, 0.1), 0))]
    runners = _runners_up(rank, focused)
    assert RUNNER_UP_LAWS >= 2 and [a.id for a in runners] == [law.id, neighbour.id]  # each one's best fit only
    kept = _keep_runners_up(ranked, runners, RUNNER_UP_TOP)
    assert kept[:RUNNER_UP_TOP] == [*first[:RUNNER_UP_TOP - 2], law, neighbour]
    assert kept[RUNNER_UP_TOP:] == [*first[RUNNER_UP_TOP - 2:11], first[11]]  # nothing lost, order kept
    assert _keep_runners_up(kept, runners, RUNNER_UP_TOP) == kept  # already in view: left where they are
    assert _keep_runners_up(ranked, [], RUNNER_UP_TOP) == ranked
    # a runner-up statute no longer in force (repealed, still ranked) lifts nothing
    repealed = [(Focused(0, f.unit.model_copy(update={"valid": False}), 1.0, f.place), a) if a is neighbour else (f, a)
                for f, a in focused]
    assert [a.id for a in _runners_up(rank, repealed)] == [law.id]


def test_the_articles_that_made_the_owners_stay_among_the_ten() -> None:
    """The first candidate's OWNER_ARTICLES strongest evidence articles and the second's strongest are moved up to
    just inside the first OWNER_ARTICLES_TOP where the leading statute's other articles outscored them; its third, a
    piece that did not count (a dispute's other statute, × 0) and the third candidate's are not."""
    from search.ask import OWNER_ARTICLES, OWNER_ARTICLES_TOP, BasisArticle, _keep_runners_up, _owner_articles
    from search.owners import Candidate
    from search.owners.model import Evidence

    def ev(law: str, n: int, weight: float) -> Evidence:
        return Evidence(kind="article", unit=f"{law}#第{n}条", citation=f"《{law}》第{n}条", law_title=law, article=str(n),
                        path=["Article", "DESIGNATES lead", "Authority"], role="lead", factors={"similarity": weight},
                        contribution=weight)

    def body(name: str, *evidence: Evidence) -> Candidate:
        return Candidate(id=f"au:{name}", name=name, kind="authority", role="lead",
                         score=sum(e.contribution for e in evidence), evidence=list(evidence))

    def art(law: str, n: int, score: float) -> BasisArticle:
        return BasisArticle(id=f"{law}#第{n}条", law_title=law, article=str(n), score=score)

    assert OWNER_ARTICLES == 2 and OWNER_ARTICLES_TOP == 10
    first = [art("甲条例", n, 1.0 - n / 100) for n in range(1, 11)]  # the leading statute's sanctions fill the ten
    duty, penalty, third = art("甲条例", 20, 0.3), art("乙办法", 5, 0.2), art("甲条例", 21, 0.15)
    set_aside, seconds, thirds = art("丙法", 7, 0.12), art("丁条例", 9, 0.11), art("戊条例", 3, 0.1)
    ranked = [*first, duty, penalty, third, set_aside, seconds, thirds]
    owners = [body("公安机关", ev("甲条例", 20, 0.5), ev("乙办法", 5, 0.3), ev("甲条例", 21, 0.1), ev("丙法", 7, 0.0)),
              body("城市管理部门", ev("丁条例", 9, 0.4), ev("丁条例", 2, 0.2)), body("市场监督管理部门", ev("戊条例", 3, 0.3))]
    made = _owner_articles(owners, ranked)
    assert made == [duty, penalty, seconds]
    kept = _keep_runners_up(ranked, made, OWNER_ARTICLES_TOP)
    assert kept[:OWNER_ARTICLES_TOP] == [*first[:7], duty, penalty, seconds]
    assert kept[OWNER_ARTICLES_TOP:] == [*first[7:], third, set_aside, thirds]  # nothing lost, order kept
    assert _owner_articles([], ranked) == [] and _owner_articles(owners, first) == []  # not reached: nothing to keep
    # a national runner-up kept in view by the first lift is not pushed out by the second (review6b L1)
    runner = first[7]
    both = _keep_runners_up(ranked, made, OWNER_ARTICLES_TOP, kept=[runner])
    assert both[:OWNER_ARTICLES_TOP] == [*first[:6], runner, duty, penalty, seconds]
    assert both[OWNER_ARTICLES_TOP:] == [*first[6:7], *first[8:], third, set_aside, thirds]


def test_a_duty_that_made_the_owner_keeps_its_basis_article_among_the_ten() -> None:
    """Where a duty list's item made the department the owner (the search KB's usual first evidence), the article
    the item rests on is what made it, not the department's weaker article evidence (review6b L2)."""
    from search.ask import OWNER_ARTICLES_TOP, BasisArticle, _keep_runners_up, _owner_articles
    from search.owners import Candidate
    from search.owners.model import Evidence

    def art(law: str, n: int, score: float) -> BasisArticle:
        return BasisArticle(id=f"{law}#第{n}条", law_title=law, article=str(n), score=score)

    duty = Evidence(kind="duty", unit="duty:x", citation="权责清单：犬只扰民的处罚", law_title="养犬条例", article="30",
                    path=["Duty 犬只扰民的处罚", "HOLDS lead"], role="lead", factors={"similarity": 0.8}, contribution=0.8,
                    basis=["养犬条例#30", "治安管理处罚法#75"])
    weak = Evidence(kind="article", unit="甲条例#第3条", citation="《甲条例》第3条", law_title="甲条例", article="3",
                    path=["Article", "DESIGNATES lead", "Authority"], role="lead", factors={"similarity": 0.1},
                    contribution=0.1)
    police = Candidate(id="dept:公安局", name="公安局", kind="department", role="lead", score=0.9, evidence=[weak, duty])
    first = [art("甲条例", n, 1.0 - n / 100) for n in range(1, 11)]
    rule, law = art("养犬条例", 30, 0.2), art("治安管理处罚法", 75, 0.15)
    ranked = [*first, rule, law]
    assert _owner_articles([police], ranked) == [rule, law]  # the duty's two basis articles, before the weak article
    kept = _keep_runners_up(ranked, _owner_articles([police], ranked), OWNER_ARTICLES_TOP)
    assert kept[OWNER_ARTICLES_TOP - 2 : OWNER_ARTICLES_TOP] == [rule, law]


def test_fact_articles_offer_the_designating_article_that_matches_the_facts() -> None:
    """Of the leading statutes' articles that designate a leading authority, those whose words match the
    question best are offered; a statute ranked too low, or a weak match, is not."""
    from search.ask import FACT_LAWS, _fact_articles

    def row(i: str, law: str, au: str = "au:公安机关") -> dict:
        return {"id": i, "law_id": law, "authority_id": au, "text": "", "number": i[-1], "law_title": law}

    rows = [row("a#1", "law:a"), row("a#2", "law:a"), row("a#3", "law:a"), row("b#1", "law:b"),
            row("far#1", "law:far")]
    rank = {"law:a": 0, "law:b": 1, "law:far": FACT_LAWS}
    scores = {"a#1": 2.0, "a#2": 8.0, "a#3": 1.0, "b#1": 6.0, "far#1": 9.0}
    out = _fact_articles(rows, rank, {"au:公安机关": 1.0}, lambda ids: {i: scores[i] for i in ids})
    got = [r["id"] for r in sorted(out, key=lambda r: -r["score"])]
    assert got == ["a#2", "b#1"]  # far#1 matches best but its statute ranks beyond the first ones
    assert _fact_articles(rows, rank, {"au:公安机关": 1.0}, None) == []


def test_vector_share_follows_the_transformer_tiers_coverage() -> None:
    from search.ask import AUTHORITY_VECTOR_WEIGHT, STATIC_ONLY_WEIGHT, VECTOR_WEIGHT, vector_share

    assert vector_share({"e5q4": 1.0}) == VECTOR_WEIGHT
    assert vector_share({"e5q4": 1.0, "static": 1.0}) == pytest.approx(VECTOR_WEIGHT)
    assert vector_share({"e5q4": 0.0, "static": 1.0}) == STATIC_ONLY_WEIGHT == vector_share({"static": 1.0})
    assert STATIC_ONLY_WEIGHT < vector_share({"e5q4": 0.5, "static": 1.0}) < VECTOR_WEIGHT
    # a place without a directory, where statute articles are the evidence, leans on BM25 and the lexicon
    assert vector_share({"e5q4": 1.0, "static": 1.0}, "authority") == pytest.approx(AUTHORITY_VECTOR_WEIGHT)
    assert AUTHORITY_VECTOR_WEIGHT < VECTOR_WEIGHT
    assert vector_share({"static": 1.0}, "authority") == STATIC_ONLY_WEIGHT


def test_within_a_statute_the_sanction_article_on_the_conduct_ranks_first(tmp_path) -> None:
    """A statute's opening clause and its rule share more words with the complaint than the article that
    sanctions the conduct: ranked within the statute, the sanction article comes first, then the best
    word match; a statute none of whose articles matches gives nothing."""
    import numpy as np

    from search.focus import focus, sanctions
    from search.unit_store import UnitStore, write_units
    from search.units import TextUnit

    def art(law: str, n: int, text: str) -> TextUnit:
        return TextUnit(id=f"{law}#第{n}条", kind="Article", jurisdiction="jur:全国", text=text,
                        meta={"law_id": law, "law_title": "示例渔业条例", "article": str(n)})

    units = [
        art("law:fish", 1, "为了保护渔业资源，加强渔业管理，制定本条例。"),
        art("law:fish", 6, "禁止使用炸鱼、毒鱼、电鱼等破坏渔业资源的方法进行捕捞。"),
        art("law:fish", 9, "渔船应当按照规定进行检验。"),
        art("law:fish", 38, "使用炸鱼、毒鱼、电鱼等方法进行捕捞的，由渔业主管部门没收渔获物，处五万元以下的罚款。"),
        art("law:other", 2, "本条例适用于城市供水。"),
    ]
    path = tmp_path / "units.sqlite"
    write_units(path, units)
    store = UnitStore(path)
    lexical = np.array([5.0, 4.0, 0.0, 2.0, 0.0])  # the complaint's BM25 over the five units
    got = focus(store, lexical, ["law:fish", "law:other"], per_law=2)
    assert [f.unit.id for f in got["law:fish"]] == ["law:fish#第38条", "law:fish#第1条"]
    assert [f.place for f in got["law:fish"]] == [0, 1]
    assert got["law:fish"][0].share == 1.0 > got["law:fish"][1].share
    assert "law:other" not in got
    assert sanctions(units[3].text) and not sanctions(units[1].text)
    assert sanctions("擅自占用城市道路的，由城市管理部门查处。")
    # disciplining an official for neglect is no sanction on the conduct a caller complains about
    assert not sanctions("渔业主管部门工作人员玩忽职守的，由其所在单位或者上级主管机关依法给予处分。")
    assert not sanctions("渔业主管部门工作人员玩忽职守的，由其所在单位依法予以处分。")
    store.close()


def test_a_sanction_that_cites_its_rule_fits_as_the_rule_does(tmp_path) -> None:
    """"违反本条例第二十六条规定的，由…" shares no word with the complaint; the rule it cites (第二十六条) does. Ranked
    within the statute, it fits as that rule does and comes before a sanction on another conduct that shares a
    word; a sanction citing nothing keeps its own fit."""
    import numpy as np

    from search.focus import focus
    from search.unit_store import UnitStore, write_units
    from search.units import TextUnit

    def art(n: int, text: str) -> TextUnit:
        return TextUnit(id=f"law:river#第{n}条", kind="Article", jurisdiction="jur:全国", text=text,
                        meta={"law_id": "law:river", "law_title": "示例河湖条例", "article": str(n)})

    units = [
        art(17, "任何单位和个人不得擅自移动、损毁堤防保护标志。"),
        art(26, "在堤防安全保护区内，禁止葬坟、取土、挖坑。"),
        art(40, "违反本条例第十七条规定，擅自移动堤防保护标志的，由水行政主管部门责令改正，处一千元罚款。"),
        art(44, "违反本条例第二十六条规定的，由水行政主管部门责令停止违法行为，处五千元罚款。"),
    ]
    path = tmp_path / "units.sqlite"
    write_units(path, units)
    store = UnitStore(path)
    lexical = np.array([1.0, 6.0, 1.0, 0.0])  # "有人在大堤上埋了座新坟": the rule matches, its sanction does not
    got = focus(store, lexical, ["law:river"], per_law=4)["law:river"]
    assert [f.unit.meta["article"] for f in got[:2]] == ["44", "40"]
    assert got[0].share == 1.0 and got[1].share < 0.8
    store.close()

def test_the_sides_of_a_dispute_are_weighed_up_where_statutes_name_the_bodies(
        basis_kb: tuple[GraphStore, Retriever]) -> None:
    """Asked as a dispute between two bodies ("X说归Y管，Y说归X管：…") at a place answered from statutes, the
    two sides are flagged and each piece of their evidence carries the `party` weight; a third body does not."""
    from search.ask import dispute_sides
    from search.owners.weights import DEFAULT_WEIGHTS

    store, retriever = basis_kb
    names = dispute_sides(store, DOG_DISPUTE).names
    assert set(names) == {kb.CITY_MGMT.name, "公安机关"}, names
    assert dispute_sides(store, "小区里遛狗不拴绳，狗粪没人清理，城管和公安都来过") == ([], set(), [], [])
    res = SearchService(store, OpenIndex(retriever)).ask(
        DOG_DISPUTE, jurisdiction="济南")
    assert res.mode == "authority"
    sides = [c for c in res.candidates if c.name in names]
    assert len(sides) == 2 and all(c.named_in_dispute for c in sides), [(c.name, c.named_in_dispute) for c in res.candidates]
    assert all(e.factors["party"] == DEFAULT_WEIGHTS.party > 1 for c in sides for e in c.evidence)
    assert all("party" not in e.factors for c in res.candidates if c not in sides for e in c.evidence)
    assert [c.name for c in res.candidates[:2]] == [c.name for c in sides]


def test_a_sides_everyday_name_is_read_as_statutes_name_the_body_and_the_situation_names_no_side(
        basis_kb: tuple[GraphStore, Retriever]) -> None:
    """食药监 is no name statutes use: the side table reads it as 市场监督管理部门. A body named in the situation
    after the framing (邻居说是…的事) is no side of the dispute."""
    from search.ask import dispute_sides

    store, _ = basis_kb
    got = dispute_sides(store, "城市管理部门说狗粪归食药监管，食药监说归城市管理部门管：小区里遛狗不拴绳")
    assert set(got.names) == {kb.CITY_MGMT.name, kb.MARKET_AU.name} and got.others == [], got
    got = dispute_sides(store, DOG_DISPUTE + "，邻居说是市场监督管理部门的事")
    assert set(got.names) == {kb.CITY_MGMT.name, "公安机关"}, got
    # a heading before the framing is no framing's end (review6a M1), but a complaint's situation after a heading
    # names no side (review6b M1)
    got = dispute_sides(store, "群众反映：" + DOG_DISPUTE)
    assert set(got.names) == {kb.CITY_MGMT.name, "公安机关"}, got
    assert dispute_sides(store, "来电人反映：小区里遛狗不拴绳，狗粪没人清理，听说是公安机关管").names == []


def test_a_side_that_is_no_authority_is_named_so_and_no_side_is_weighed_up(
        basis_kb: tuple[GraphStore, Retriever]) -> None:
    """供电公司 is a firm: it is named in the answer as a side that is no authority, read as no regulator, and the
    other side, named alone, is flagged but not weighed up (`party`) — it would win for being named."""
    from search.ask import dispute_sides

    store, retriever = basis_kb
    text = "供电公司说狗粪归城市管理部门管，城市管理部门说归供电公司管：小区里遛狗不拴绳，狗粪没人清理"
    got = dispute_sides(store, text)
    assert got.names == [kb.CITY_MGMT.name] and got.others == ["供电公司"], got
    res = SearchService(store, OpenIndex(retriever)).ask(text, jurisdiction="济南")
    assert res.named_others == ["供电公司"] and res.contract()["named_others"] == ["供电公司"]
    side = next(c for c in res.candidates if c.name == kb.CITY_MGMT.name)
    assert side.named_in_dispute
    assert all(e.factors.get("party", 1.0) == 1.0 for c in res.candidates for e in c.evidence)


def test_a_side_no_regulator_oversees_or_a_firm_named_in_a_claim_leaves_the_authorities_weighed_up(
        basis_kb: tuple[GraphStore, Retriever]) -> None:
    """妇联 is no authority but no field regulator oversees it either: the authority it points to is weighed up. A
    firm named only inside a side's claim (…归物业公司和公安机关管) is no side: both speakers are authorities."""
    from search.ask import dispute_sides
    from search.owners.weights import DEFAULT_WEIGHTS

    store, retriever = basis_kb
    svc = SearchService(store, OpenIndex(retriever))
    for text, other in (("妇联说狗粪归城市管理部门管，城市管理部门说归妇联管：小区里遛狗不拴绳，狗粪没人清理", "妇联"),
                        ("城市管理部门说狗粪归公安机关管，公安机关说归物业公司和城市管理部门管：小区里遛狗不拴绳，狗粪没人清理",
                         "物业公司")):
        got = dispute_sides(store, text)
        assert got.others == [other] and got.overseen == [], got
        res = svc.ask(text, jurisdiction="济南", split=False)
        sides = [c for c in res.candidates if c.named_in_dispute]
        assert sides and all(e.factors["party"] == DEFAULT_WEIGHTS.party for c in sides for e in c.evidence)
    assert dispute_sides(store, "物业公司说狗粪归城市管理部门管，城市管理部门说归物业公司管：小区里遛狗不拴绳").overseen == ["物业公司"]


def test_a_disputes_owners_are_ranked_on_a_smaller_vector_share_and_its_basis_on_the_fused_ranking(
        basis_kb: tuple[GraphStore, Retriever], monkeypatch: pytest.MonkeyPatch) -> None:
    """A dispute between departments at a place answered from statutes: its owners come from searches with the
    vector share × DISPUTE_OWNER_VECTOR_SHARE (more weight on BM25 with the lexicon), its basis articles from the fused ones; a
    complaint naming no sides searches once, fused. The searches are the real retriever's, recorded."""
    from search.ask import DISPUTE_OWNER_VECTOR_SHARE

    store, retriever = basis_kb
    shares: list[float] = []
    search = retriever.search

    def recorded(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        shares.append(kwargs["fusion"].weight)
        return search(*args, **kwargs)

    monkeypatch.setattr(retriever, "search", recorded)
    service = SearchService(store, OpenIndex(retriever))
    res = service.ask(DOG_DISPUTE, jurisdiction="济南", split=False)
    fused = max(shares)
    assert fused > 0 and DISPUTE_OWNER_VECTOR_SHARE < 1
    assert sorted(set(shares)) == sorted({fused * DISPUTE_OWNER_VECTOR_SHARE, fused}), shares
    assert res.candidates and res.articles
    shares.clear()
    service.ask("小区里遛狗不拴绳，狗粪没人清理", jurisdiction="济南", split=False)
    assert set(shares) == {fused}, shares


def test_a_dispute_whose_owner_searches_reach_no_body_is_answered_from_the_fused_ranking(
        basis_kb: tuple[GraphStore, Retriever], monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the searches a dispute's owners come from (on a smaller vector share) reach no article that names a
    body (its words are the sides' claims, matched by statutes that designate nobody), the owners come from the
    fused searches that found its basis articles, not an empty list. The retriever is the real one; its
    smaller-share searches are made to find nothing, as BM25 alone did for a real dispute (总工会说天天加班归人社管…)."""
    store, retriever = basis_kb
    search = retriever.search
    shares: list[float] = []

    def recorded(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        shares.append(kwargs["fusion"].weight)
        return search(*args, **kwargs)

    def owner_searches_find_nothing(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        return [] if kwargs["fusion"].weight < max(shares) else search(*args, **kwargs)

    service = SearchService(store, OpenIndex(retriever))
    monkeypatch.setattr(retriever, "search", recorded)
    fused = service.ask(DOG_DISPUTE, jurisdiction="济南", split=False)
    assert min(shares) < max(shares), shares  # the owners' searches are on the smaller share
    monkeypatch.setattr(retriever, "search", owner_searches_find_nothing)
    res = service.ask(DOG_DISPUTE, jurisdiction="济南", split=False)
    assert res.candidates, "no owner at all"
    assert {c.name for c in res.candidates} <= {c.name for c in fused.candidates} | {"公安机关", kb.CITY_MGMT.name}
    assert res.articles


def test_a_disputes_bodies_are_scored_on_one_statute_whatever_k_or_the_vector_weight(
        basis_kb: tuple[GraphStore, Retriever], monkeypatch: pytest.MonkeyPatch) -> None:
    """The one-statute scoring ranks a pool of bodies before cutting to k, so the first owner is the same for k=1
    (dispatch asks for a few) as for k=10; a caller's vector weight leaves the scoring on."""
    import search.ask
    from search.owners.rank import on_one_statute

    store, retriever = basis_kb
    svc = SearchService(store, OpenIndex(retriever))
    full = svc.ask(DOG_DISPUTE, jurisdiction="济南")
    assert [c.name for c in svc.ask(DOG_DISPUTE, jurisdiction="济南", k=1).candidates] == [full.candidates[0].name]
    scored: list[str] = []
    monkeypatch.setattr(search.ask, "on_one_statute", lambda c: scored.append(c.name) or on_one_statute(c))
    weighted = svc.ask(DOG_DISPUTE, jurisdiction="济南", vector_weight=0.5)
    assert scored and set(scored) >= {c.name for c in weighted.candidates}


def test_the_sides_are_not_weighed_up_where_the_situations_first_article_leads_with_another_body(
        basis_kb: tuple[GraphStore, Retriever], monkeypatch: pytest.MonkeyPatch) -> None:
    """Two sides that no dog article names (市场监督管理部门, 文化和旅游主管部门) argue over an unregistered dog: the
    first article the owner searches reach (the dog statute's 第五条) leads with other bodies, so the sides carry no
    `party` weight; with the rule off they do (DISPUTE_THIRD_LEADS)."""
    import search.ask
    from search.owners.weights import DEFAULT_WEIGHTS

    store, retriever = basis_kb
    text = ("市场监督管理部门说养狗不登记归文化和旅游主管部门管，文化和旅游主管部门说归市场监督管理部门管："
            "邻居养犬不办养犬登记，犬只粪便污染环境卫生")
    svc = SearchService(store, OpenIndex(retriever))
    monkeypatch.setattr(search.ask, "DISPUTE_THIRD_LEADS", False)
    weighed = svc.ask(text, jurisdiction="济南", split=False)
    sides = [c for c in weighed.candidates if c.named_in_dispute]
    assert sides and all(e.factors["party"] == DEFAULT_WEIGHTS.party for c in sides for e in c.evidence)
    monkeypatch.setattr(search.ask, "DISPUTE_THIRD_LEADS", True)
    res = svc.ask(text, jurisdiction="济南", split=False)
    assert {c.name for c in res.candidates if c.named_in_dispute} == {c.name for c in sides}
    assert all(e.factors.get("party", 1.0) == 1.0 for c in res.candidates for e in c.evidence)
    assert not res.candidates[0].named_in_dispute, [c.name for c in res.candidates]


def test_third_leads_reads_the_first_article_and_its_lead_bodies_only() -> None:
    """The rule's test: the first statute article among the owner searches' units (else the article search's)
    leads with some body and with no side; a side it names only as cooperating does not count."""
    from search.ask import _Evidence, _third_leads
    from search.owners import Candidate
    from search.owners.model import Evidence
    from search.retriever import Hit
    from search.units import TextUnit

    def hit(uid: str, kind: str = "Article") -> Hit:
        return Hit(unit=TextUnit(id=uid, kind=kind, text="…"), score=1.0)  # type: ignore[arg-type]

    def body(cid: str, unit: str, role: str) -> Candidate:
        e = Evidence(kind="article", unit=unit, citation=unit, path=[unit], role=role, factors={"similarity": 0.1},
                     contribution=0.1)
        return Candidate(id=cid, name=cid, kind="authority", role=role, score=0.1, role_scores={role: 0.1},
                         evidence=[e])

    def found(hits: list[Hit], extra: list[Hit] | None = None) -> _Evidence:
        return _Evidence(hits, extra or [], [], {}, None)

    third, side = body("生态环境", "a1", "lead"), body("城管", "a2", "lead")
    sides = {"城管", "住建"}
    assert _third_leads([side, third], found([hit("m1", "Matter"), hit("a1"), hit("a2")]), sides)
    assert not _third_leads([side, third], found([hit("a2"), hit("a1")]), sides)
    assert _third_leads([side, third], found([hit("m1", "Matter")], [hit("a1")]), sides)
    assert not _third_leads([side, third], found([]), sides)
    # the first article names a side as cooperating only, the third body as lead: it leads past the sides
    assert _third_leads([body("城管", "a1", "cooperate"), third], found([hit("a1")]), sides)
    # … and where it leads with a side as well as the third body, the sides keep their weight
    assert not _third_leads([body("城管", "a1", "lead"), third], found([hit("a1")]), sides)
    # an article that leads with no candidate says nothing
    assert not _third_leads([side, third], found([hit("a9")]), sides)


def test_a_designating_article_matched_on_words_alone_ranks_below_the_best_fit_of_its_statute(
        basis_kb: tuple[GraphStore, Retriever]) -> None:
    """The national dog statute's clause in charge (第3条) designates the police and shares the question's words;
    its article on the very conduct (第20条) fits best within the statute. Offered as a fact-matched article the
    clause stays below that best fit, which would otherwise fall out of a crowded ten."""
    from search.ask import _fact_articles, _focused, _relevance

    _, retriever = basis_kb
    prepared = retriever.prepare("小区里遛狗不拴绳，犬只管理没人管")
    rank = {CN_DOGS.id: 0}
    best = next(a for f, a in _focused(rank, retriever, prepared) if f.place == 0)
    assert best.id == CN_DOGS_ARTICLES[1].id
    clause = {"id": CN_DOGS_ARTICLES[0].id, "law_id": CN_DOGS.id, "authority_id": kb.POLICE_AU.id, "text": "",
              "number": "3", "law_title": CN_DOGS.title}
    fact = _fact_articles([clause], rank, {kb.POLICE_AU.id: 1.0}, _relevance(retriever, prepared))
    assert [r["id"] for r in fact] == [clause["id"]]  # offered: it matches the facts as well as any designation
    assert fact[0]["score"] < best.score, (fact[0]["score"], best.score)


def test_an_answer_shows_the_words_bm25_searched_beside_the_questions_own(
        basis_kb: tuple[GraphStore, Retriever]) -> None:
    """The lexicon's statute terms for the caller's words are in the answer (`searched_terms`, and its JSON)."""
    store, retriever = basis_kb
    svc = SearchService(store, OpenIndex(retriever))
    res = svc.ask("小区里遛狗不拴绳", jurisdiction="济南", split=False)
    assert res.searched_terms == ["未束犬链", "犬只"] and res.contract()["searched_terms"] == res.searched_terms


def test_feedback_words_are_searched_and_shown_unless_the_setting_turns_them_off(
        basis_kb: tuple[GraphStore, Retriever], monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the lexicon adds nothing, the words the first units share are searched and listed; with
    `retrieval_feedback` off (DUTYGRAPH_RETRIEVAL_FEEDBACK=false) the retriever opened from the settings adds none."""
    from graph.settings import Settings
    from search import feedback

    store, retriever = basis_kb
    monkeypatch.setattr(feedback, "FEEDBACK_MAX_DF", 1.0)  # a handful of units: every word is common here
    monkeypatch.setattr(feedback, "FEEDBACK_MIN_DOCS", 2)  # … and the KB holds few statutes
    question = "携犬出户时排泄的问题"  # nothing the lexicon knows
    on = SearchService(store, OpenIndex(retriever)).ask(question, jurisdiction="济南", split=False)
    assert "拴绳" in on.searched_terms and on.contract()["searched_terms"] == on.searched_terms
    off_retriever = Retriever.open(Settings(retrieval_feedback=False), embedder=retriever.embedder,
                                   folder=retriever.folder)
    try:
        assert off_retriever.feedback is False
        off = SearchService(store, OpenIndex(off_retriever)).ask(question, jurisdiction="济南", split=False)
        assert off.searched_terms == []
    finally:
        off_retriever.close()
