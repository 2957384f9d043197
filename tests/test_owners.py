"""Candidate owners and analogous rulings on a small real graph with real indexes (FalkorDB, FAISS, BM25, e5)."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from graph.places import UnknownPlace, resolve_place
from graph.settings import Settings, get_settings
from graph.store.base import GraphStore
from search.ask import AskResult
from search.embedders import make_embedder
from search.owners.crossrefs import Settled
from search.owners.rank import rank_owners
from search.owners.weights import (
    DEFAULT_WEIGHTS,
    competence,
    detains_only,
    interval_validity,
    law_validity,
)
from search.retriever import Retriever
from search.service import OpenIndex, SearchService
from tests import owners_kb as kb
from tests.indexed_kb import indexed_kb


@pytest.fixture(scope="module")
def owners_kb(falkor_server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, GraphStore, Retriever]]:
    """One graph and index for the module: ask() only reads, so the tests can share them."""
    with indexed_kb(falkor_server, tmp_path_factory.mktemp("owners"), "owners", kb.build_kb) as built:
        yield built


@pytest.fixture
def store(owners_kb: tuple[Settings, GraphStore, Retriever]) -> GraphStore:
    return owners_kb[1]


@pytest.fixture
def settings(owners_kb: tuple[Settings, GraphStore, Retriever]) -> Settings:
    return owners_kb[0]


@pytest.fixture
def retriever(owners_kb: tuple[Settings, GraphStore, Retriever]) -> Retriever:
    return owners_kb[2]


def _by_name(result: AskResult) -> dict[str, object]:
    return {c.name: c for c in result.candidates}


def test_scores_are_the_sum_of_their_evidence(store: GraphStore, retriever: Retriever) -> None:
    res = SearchService(store, OpenIndex(retriever)).ask("夜市有人占着马路摆摊卖东西，到底归谁管？", jurisdiction="鲁安市")
    assert res.mode == "department" and res.jurisdiction == kb.LUAN.id
    assert res.candidates and res.candidates[0].name == kb.ENFORCE.name and res.candidates[0].role == "lead"
    for c in res.candidates:
        assert c.evidence
        assert math.isclose(c.score, sum(e.contribution for e in c.evidence), rel_tol=1e-9)
        for e in c.evidence:
            assert math.isclose(e.contribution, math.prod(e.factors.values()), rel_tol=1e-9)
            assert e.path and e.citation and e.unit
    kinds = {e.kind for e in res.candidates[0].evidence}
    assert {"matter", "duty", "ruling", "mandate_clause"} <= kinds
    # the streets' territorial share is one candidate, in the territorial role
    terr = [c for c in res.candidates if c.role == "territorial"]
    assert terr and terr[0].name == "属地镇（街道）"


def test_repealed_law_and_superseded_ruling_count_for_little(store: GraphStore, retriever: Retriever) -> None:
    res = SearchService(store, OpenIndex(retriever)).ask("夜市摆摊设点归谁管", jurisdiction="鲁安市")
    market = _by_name(res).get(kb.MARKET.name)
    evidence = [e for c in res.candidates for e in c.evidence]
    old_art = [e for e in evidence if e.unit == kb.A_OLD.id]
    old_ruling = [e for e in evidence if e.unit == kb.R_OLD.id]
    assert old_art and all(e.contribution == 0.0 and "已废止" in e.note for e in old_art)
    assert old_ruling and all(e.factors["validity"] == pytest.approx(0.1) and "已被取代" in e.note for e in old_ruling)
    # the market bureau's case rests on the repealed article and the superseded ruling: far behind
    assert market is None or market.score < 0.2 * res.candidates[0].score


def test_as_of_reads_the_owner_of_that_date(store: GraphStore, retriever: Retriever) -> None:
    text = "马路早市摊位乱、卫生差，谁来管早市"
    before = SearchService(store, OpenIndex(retriever)).ask(text, jurisdiction="鲁安市", as_of="2021-06-01")
    after = SearchService(store, OpenIndex(retriever)).ask(text, jurisdiction="鲁安市", as_of="2024-06-01")

    def matter_share(res: AskResult, name: str) -> float:
        c = _by_name(res).get(name)
        return sum(e.contribution for e in c.evidence if e.unit == kb.M_MARKET.id) if c else 0.0

    assert matter_share(before, kb.MARKET.name) > 0 and matter_share(before, kb.ENFORCE.name) == 0
    assert matter_share(after, kb.ENFORCE.name) > 0
    ended = [e for e in _by_name(after)[kb.MARKET.name].evidence if e.unit == kb.M_MARKET.id]
    assert ended and ended[0].note.startswith("已于2022-01-01终止")
    assert matter_share(after, kb.MARKET.name) < matter_share(before, kb.MARKET.name)


def test_authorities_where_the_place_has_no_directory(store: GraphStore, retriever: Retriever) -> None:
    res = SearchService(store, OpenIndex(retriever)).ask("小区里遛狗不拴绳，狗粪没人清理", jurisdiction="济南")
    assert res.jurisdiction == kb.JN.id and res.mode == "authority"
    names = [c.name for c in res.candidates]
    assert names and set(names[:2]) == {"公安机关", "城市管理部门"}
    assert all(c.kind == "authority" for c in res.candidates)
    ev = res.candidates[0].evidence[0]
    assert ev.kind == "article" and ev.law_title == kb.JN_DOGS.title and ev.article == "5"
    # 潍坊市's statutes do not apply in 济南市
    assert not any(e.law_title == kb.STALL_RULES.title for c in res.candidates for e in c.evidence)


def test_named_refusing_departments_do_not_steer_the_ranking(store: GraphStore, retriever: Retriever) -> None:
    text = "夜市占道摆摊，市市场监管局说不归他们管，让找别人，到底谁管"
    res = SearchService(store, OpenIndex(retriever)).ask(text, jurisdiction="鲁安市")
    assert res.named_departments == ["市市场监管局"]
    assert res.candidates[0].name == kb.ENFORCE.name
    market = _by_name(res).get(kb.MARKET.name)
    assert market is None or (market.named_in_dispute and market.score < res.candidates[0].score)


def test_precedent_elsewhere_maps_to_the_local_department(store: GraphStore, retriever: Retriever) -> None:
    # without the colloquial lexicon: its statute terms for 密室逃脱 (剧本娱乐经营场所) share only generic words
    # (经营, 场所) with this toy graph's units, which would test the toy, not the mapping
    res = SearchService(store, OpenIndex(retriever)).ask("新开了一家密室逃脱，内容吓人，谁来监管", jurisdiction="鲁安市", expand=False)
    top = res.candidates[0]
    assert top.name == kb.CULTURE.name
    assert top.evidence[0].kind == "precedent" and "ACTS_AS" in top.evidence[0].path
    r = res.rulings[0]
    assert r.id == kb.R_ESCAPE.id and not r.home and r.lead == ["文化和旅游主管部门"]


def test_rulings_home_first_and_superseded_last(store: GraphStore, retriever: Retriever) -> None:
    res = SearchService(store, OpenIndex(retriever)).ask("夜市占道摆摊管理职责", jurisdiction="鲁安市")
    ids = [r.id for r in res.rulings]
    assert ids[0] == kb.R_HOME.id and res.rulings[0].home
    assert kb.R_ESCAPE.id not in ids[:1]
    old = next(r for r in res.rulings if r.id == kb.R_OLD.id)
    assert old.status == "superseded" and old.similarity < res.rulings[0].similarity
    assert "已被取代，权重很低" in old.why and res.rulings[0].why[0].startswith("文本相似度 "), (old.why, res.rulings[0].why)


def test_discount_notes_are_chinese_with_their_dates() -> None:
    """The notes are read by officials: Chinese, and the dates that explain the discount stay in them."""
    w = DEFAULT_WEIGHTS
    assert interval_validity("2025-03-01", None, "2024-06-01", w) == (0.0, "截至2024-06-01尚未生效（2025-03-01起生效）")
    assert interval_validity("2020-01-01", "2023-06-12", "2024-06-01", w) == (w.ended, "已于2023-06-12终止")
    assert interval_validity("2020-01-01", "2025-01-01", "2024-06-01", w) == (1.0, "")
    assert law_validity("已废止", w) == (w.repealed, "该法律法规已废止")
    assert law_validity("已修改", w) == (w.amended, "该法律法规已修改（此为旧版本）")
    assert law_validity("现行有效", w) == (1.0, "")


def test_an_article_naming_who_sanctions_a_conduct_makes_that_body_competent() -> None:
    """Whatever the body's name: a penalty naming 公安机关 counts as one naming 卫生健康主管部门 does (the
    latter's 主管 made it count before), and an article that only mentions a body in passing does not."""
    w = DEFAULT_WEIGHTS
    assert competence("违反本条例第十条规定，饲养犬只干扰他人正常生活的，由公安机关责令改正，处二百元以下罚款。", w) == 1.0
    assert competence("在城市道路上设置地锁的，由城市管理部门责令限期拆除。", w) == 1.0
    assert competence("养犬人应当自取得养犬登记证之日起三十日内，向公安机关申请年检。", w) == w.incidental
    # 予以 counts where a sanction follows it, not where a body publishes, commends or disciplines its staff
    assert competence("违反本条例规定的，由公安机关予以警告。", w) == 1.0
    assert competence("评定结果由市场监督管理部门予以公布。", w) == w.incidental


def test_a_body_name_holding_zhuguan_makes_no_article_competent() -> None:
    """主管 inside a body's name (自然资源主管部门) said nothing of competence, yet counted: an article where a licence is
    issued or a 主管部门 is told of a project weighed as the clause in charge of the field. 主管 as a verb or as what a
    body is still counts, and so does a sanction named after the law it applies."""
    w = DEFAULT_WEIGHTS
    assert competence("乡村建设规划许可证由自然资源主管部门核发或者委托镇人民政府核发。", w) == w.incidental
    assert competence("建设项目确需占用、挖掘环城绿道的，应当告知林业和绿化主管部门。", w) == w.incidental
    assert competence("国务院林业草原主管部门主管全国林木种子工作。", w) == 1.0
    assert competence("市林业和绿化部门是环城绿道的主管部门。", w) == 1.0
    assert competence("收购粮食压级压价的，由市场监督管理部门依照有关法律、法规的规定予以处罚。", w) == 1.0
    # 主管 as a noun: the staff a liability clause names, the owners' or the people's management, a tax office
    assert competence("物业服务企业违反本条例的，对其直接负责的主管人员依法给予处分。", w) == w.incidental
    assert competence("业主大会决定小区的业主管理规约，报街道办事处备案。", w) == w.incidental
    assert competence("纳税人应当向主管税务机关办理纳税申报。", w) == w.incidental
    # 是否 / 是指 / 但是 before a 主管部门 say nothing of what the body is
    assert competence("审查建筑是否具有保护价值，应当征求文物行政主管部门的意见。", w) == w.incidental
    assert competence("本条例所称古树，是指经林业行政主管部门鉴定的树木。", w) == w.incidental
    assert competence("可以不经批准，但是应当告知自然资源主管部门。", w) == w.incidental
    assert competence("凡是涉及本单位的，应当报告上级主管部门。", w) == w.incidental
    assert competence("两个系统是在主管部门的指导下建设的。", w) == w.incidental
    # a penalty article whose items carry the sanctions
    assert competence("违反本条例规定，有下列行为之一的，由城市管理行政执法机关按照下列规定处理:\n（一）侵占楼道养犬的，责令改正；"
                      "拒不改正的，处二百元罚款。", w) == 1.0


def test_a_glossary_article_makes_no_body_competent_whatever_its_definitions_name() -> None:
    """种子法第九十条 defines its terms and in one of them names who fixes the list of main trees: that body is
    not competent for the conduct asked about, though the definition holds 主管 (which counted it before)."""
    w = DEFAULT_WEIGHTS
    gloss = ("中华人民共和国种子法 第90条 本法下列用语的含义是：（一）种质资源是指选育植物新品种的基础材料。"
             "（四）主要林木由国务院林业草原主管部门确定并公布。")
    assert competence(gloss, w) == w.glossary < w.incidental
    assert competence("本条例中下列用语的含义：（一）燃气，是指作为燃料使用的气体。", w) == w.glossary
    # the rarer wordings of a glossary's opening
    for opening in ("本法下列术语的含义：", "本条例下列用语的定义：", "本条例中下列名词的含义："):
        assert competence(opening + "（一）主要林木由国务院林业草原主管部门确定。", w) == w.glossary, opening
    # an article that refers to a defined term is no glossary
    assert competence("县级以上地方人民政府林业草原主管部门负责本行政区域内林木种子的管理工作，主要林木的含义见第九十条。", w) == 1.0
    assert competence("本条例所称燃气，是指作为燃料使用的气体。", w) == w.incidental


def test_a_body_named_only_to_add_detention_is_not_the_one_competent_for_the_conduct() -> None:
    fake = ("生产、销售假药的，没收违法生产、销售的药品和违法所得，并处罚款；情节严重的，吊销药品批准证明文件，"
            "并可以由公安机关处五日以上十五日以下的拘留。")
    assert detains_only(fake, "公安机关")
    assert not detains_only(fake, "药品监督管理部门")  # not named at all
    both = "违反本条例规定，饲养烈性犬的，由公安机关没收犬只，处二千元罚款；情节严重的，由公安机关处五日以下拘留。"
    assert not detains_only(both, "公安机关")  # it also confiscates and fines: competent
    assert not detains_only("由公安机关责令改正，处二百元以下罚款。", "公安机关")
    # the police detaining in their own right, or procedure where they are the subject: competent, not an add-on
    assert not detains_only("违反本法规定的，由公安机关处以警告或者十五日以下拘留。", "公安机关")
    assert not detains_only("由公安机关处十日以上十五日以下拘留；没收违法所得，处一万元以上罚款。", "公安机关")
    assert not detains_only("公安机关对被拘留的人，应当在拘留后二十四小时以内进行讯问。", "公安机关")
    # an add-on that fines as well is a penalty of the police's own
    assert not detains_only("由生态环境主管部门处十万元罚款，并由公安机关处五日以下拘留、五百元罚款。", "公安机关")
    assert detains_only("由生态环境主管部门处十万元以上罚款；情节严重的，还可以由公安机关处十日以上十五日以下拘留。",
                        "公安机关")


def test_unknown_place_is_an_error(store: GraphStore, retriever: Retriever) -> None:
    assert resolve_place(store, "山东").id == kb.SD.id
    assert resolve_place(store, None).id == kb.LUAN.id  # the place with the loaded directory
    with pytest.raises(UnknownPlace):
        resolve_place(store, "火星市")


def test_cli_json_contract(store: GraphStore, settings: Settings, retriever: Retriever,
                           monkeypatch: pytest.MonkeyPatch) -> None:
    from api.cli import app

    monkeypatch.setenv("DUTYGRAPH_GRAPH_URI", settings.graph_uri)
    monkeypatch.setenv("DUTYGRAPH_GRAPH_NAME", settings.graph_name)
    monkeypatch.setenv("DUTYGRAPH_DATA_DIR", str(settings.data_dir))
    get_settings.cache_clear()
    try:
        out = CliRunner().invoke(app, ["ask", "夜市有人占道摆摊谁管", "--jurisdiction", "鲁安市", "--json"])
        assert out.exit_code == 0, out.output
        data = json.loads(out.output)
        assert set(data) >= {"candidates", "rulings"}
        c = data["candidates"][0]
        assert set(c) >= {"name", "kind", "role", "score", "evidence"} and c["kind"] in ("department", "authority")
        assert c["role"] in ("lead", "cooperate", "territorial")
        for e in c["evidence"]:
            assert set(e) >= {"kind", "law_title", "article", "text", "source", "contribution"}
        assert math.isclose(c["score"], sum(e["contribution"] for e in c["evidence"]), rel_tol=1e-9)
        r = data["rulings"][0]
        assert set(r) >= {"id", "title", "jurisdiction", "lead", "principle", "similarity"}
        table = CliRunner().invoke(app, ["ask", "夜市有人占道摆摊谁管", "-j", "鲁安市"], env={"COLUMNS": "240"})
        assert table.exit_code == 0 and "候选责任部门" in table.output and "综合行政执法局" in table.output
        assert "类似裁决" in table.output and {"部门", "角色", "得分"} <= set(table.output.split())
        # evidence paths are shown in Chinese: the JSON's relation codes never reach the table
        assert "承担权责" in table.output or "法定指定" in table.output or "裁决指定" in table.output
        assert not any(code in table.output for code in ("HOLDS", "DESIGNATES", "ASSIGNS", "ACTS_AS", "RESPONSIBLE_FOR"))
        bad = CliRunner().invoke(app, ["ask", "x", "--as-of", "yesterday"])
        assert bad.exit_code != 0
    finally:
        get_settings.cache_clear()


def test_hybrid_weight_setting_changes_the_ranking(owners_kb: tuple[Settings, GraphStore, Retriever]) -> None:
    """DUTYGRAPH_HYBRID_WEIGHT, when set, is the vector share of ask's fusion (unset: derived from coverage)."""
    settings, store, _ = owners_kb
    emb = make_embedder("e5q4", settings)
    text = "夜市占道摆摊，到底谁管"
    scores = []
    for w in (0.0, 1.0):
        r = Retriever.open(settings.model_copy(update={"hybrid_weight": w}), embedder=emb)
        try:
            assert r.weight_set
            res = SearchService(store, OpenIndex(r)).ask(text, jurisdiction="鲁安市")
            scores.append([(c.name, round(c.score, 4)) for c in res.candidates])
        finally:
            r.close()
    assert scores[0] != scores[1]
    default = Retriever.open(Settings(data_dir=settings.data_dir, graph_uri=settings.graph_uri,
                                      graph_name=settings.graph_name), embedder=emb)
    assert not default.weight_set
    default.close()


def test_a_write_is_seen_by_the_next_ask(owners_kb: tuple[Settings, GraphStore, Retriever]) -> None:
    """What an ask derives from the graph (the place's department names) is kept only while the graph is
    unchanged: a department that gains a name is recognised in the very next ask, whoever wrote it."""
    from graph.ontology import Department

    _, store, retriever = owners_kb
    text = "鲁安城管大队说占道摆摊不归它管"
    service = SearchService(store, OpenIndex(retriever))  # one service, as a server process keeps it
    before = service.ask(text, jurisdiction="鲁安市")
    assert "鲁安城管大队" not in before.named_departments
    version = store.version()
    dept = Department.model_validate({**store.get_node("Department", kb.ENFORCE.id),
                                      "aliases": [*kb.ENFORCE.aliases, "鲁安城管大队"]})
    store.upsert_nodes([dept])
    assert store.version() != version
    try:
        after = service.ask(text, jurisdiction="鲁安市")
        assert "鲁安城管大队" in after.named_departments
    finally:
        store.upsert_nodes([kb.ENFORCE])


def test_a_breach_article_naming_several_bodies_counts_most_for_the_one_whose_sentence_fits(store: GraphStore) -> None:
    """Reached through the rules it cites, a breach article's bodies are weighed by their sentences as those of an
    article retrieved directly are: the body acting on the conduct the caller describes leads (the dead pigs'
    paragraph, not the litter one, of a rural refuse regulation). Without the rule the two tie and the name decides."""
    penalty = {"id": "law:t#第26条", "number": "26", "law_id": "law:t", "law_title": "测试条例", "law_status": "现行有效",
               "law_jurisdiction": kb.CN.id,
               "text": "违反本条例第十七条第一款规定，随意倾倒农村生活垃圾的，由公安机关责令改正。\n"
                       "违反本条例第十七条第三款规定，将病死畜禽尸体丢弃到公共区域的，由城市管理部门责令无害化处理。"}
    settled = [Settled(penalty, "law:t#第17条", au.id, au.name, 0.8) for au in (kb.POLICE_AU, kb.CITY_MGMT)]
    cands = rank_owners(store, [], kb.JN.id, "2025-01-01", mode="authority", referrals=settled,
                        query="有人把病死的猪扔在村口")
    assert [c.name for c in cands[:2]] == [kb.CITY_MGMT.name, kb.POLICE_AU.name]
    lead, other = cands[0].evidence[0], cands[1].evidence[0]
    assert lead.factors["sentence"] == 1.0 and other.factors["sentence"] == DEFAULT_WEIGHTS.sentence_floor
