"""Splitting a compound dispute into its statements (search.aspects): framing dropped, the shared subject
restored where a statement is too short to stand alone, lists of places kept with what they describe."""

from __future__ import annotations

import math

import pytest

from graph.settings import Settings
from graph.store import open_store
from search.aspects import OWN_FLOOR, RULINGS_WEIGHT, _unframed, in_context, sides, split, statements, weighed
from search.owners import Candidate, Evidence
from search.service import SearchService


def _texts(text: str) -> list[str]:
    return [s.text for s in statements(text)]


def test_each_statement_with_the_subject_where_it_is_too_short_alone() -> None:
    assert _texts("楼下烧烤店油烟大、占道摆桌子、半夜还吵") == ["楼下烧烤店油烟大", "楼下烧烤店占道摆桌子", "楼下烧烤店半夜还吵"]


def test_a_and_b_after_a_shared_head_are_two_statements() -> None:
    assert _texts("剧本杀店的消防和内容谁管") == ["剧本杀店的消防", "剧本杀店的内容"]


@pytest.mark.parametrize("text", [
    "城管说归环保管，环保说归城管管：楼下饭店的油烟机正对着我家窗户排",
    "几个部门互相推：楼下饭店的油烟机正对着我家窗户排，希望尽快处理",
    "物业说归城管管，城管说让找物业：楼下饭店的油烟机正对着我家窗户排",
])
def test_the_framing_of_a_dispute_is_no_statement(text: str) -> None:
    assert _texts(text) == ["楼下饭店的油烟机正对着我家窗户排"]



def test_being_sent_on_is_framing() -> None:
    """跑了审批局又让去市场监管所 names bodies, not a matter; 得去卫健局备案 names one (备案)."""
    assert _texts("跑了审批局又让去市场监管所，批发的西红柿超市要合格证") == ["批发的西红柿超市要合格证"]
    assert _texts("血站说这个得去卫健问，献的血家里人用不了") == ["献的血家里人用不了"]
    assert _texts("街道说这种得去卫健局备案，他说用不着") == ["街道说这种得去卫健局备案", "他说用不着"]
    assert _texts("孩子说去学校路上没有公交站，小区门口的路灯也坏了") == ["孩子说去学校路上没有公交站", "小区门口的路灯也坏了"]


def test_someone_still_doing_it_is_no_new_statement() -> None:
    """还有人放炮 is "someone still lets off firecrackers", not "and also: 人放炮"."""
    assert _texts("小区超市偷偷卖烟花爆竹，过年那几天楼下半夜还有人放炮") == ["小区超市偷偷卖烟花爆竹", "过年那几天楼下半夜还有人放炮"]
    assert _texts("工地晚上打桩，还有工人讨薪") == ["工地晚上打桩", "工地工人讨薪"]


def test_also_inside_a_clause_says_what_there_is() -> None:
    """还有 cuts where a clause begins; inside one (办公室还有几台旧电脑) it is read as written."""
    assert _texts("档案堆在走廊里，办公室还有几台存过涉密文件的旧电脑") == [
        "档案堆在走廊里", "办公室还有几台存过涉密文件的旧电脑"]
    assert _texts("税务局说还有八千块的税没交，滞纳金天天涨") == ["税务局说还有八千块的税没交", "滞纳金天天涨"]

def test_time_only_and_filler_statements_are_dropped() -> None:
    assert _texts("工地的振动棒还在响，晚上十点多了，已经连着一个星期了，影响休息") == ["工地的振动棒还在响"]


def test_a_list_of_places_stays_with_what_it_describes() -> None:
    got = _texts("电线杆上、楼道墙上、单元门上全是开锁办证的小广告")
    assert got == ["电线杆上、楼道墙上、单元门上全是开锁办证的小广告"]


def test_a_long_statement_is_asked_without_the_subject() -> None:
    got = _texts("新开的密室逃脱店，里面消防通道堵死了，另外营业执照好像也没有")
    assert got[1:] == ["里面消防通道堵死了", "营业执照好像也没有"]


def test_the_subject_said_alone_is_a_statement_too() -> None:
    """The subject is often where the caller names the matter (公租房): it is asked as well as lent."""
    assert _texts("申请了两年公租房，排号一直排不上") == ["申请了两年公租房", "排号一直排不上"]
    assert _texts("新开的密室逃脱店，里面消防通道堵死了")[0] == "新开的密室逃脱店"


@pytest.mark.parametrize("text", [
    "审计局说这事该财政管，财政局说该审计查：村里修路的钱花到哪去了没人说得清",
    "超市说找厂家，厂家说找超市：在超市买的电饭锅用了一个星期就烧了",
    "住建说那个证明是综执开的：村里修路的钱花到哪去了没人说得清",
])
def test_a_header_where_the_sides_speak_is_no_statement_however_worded(text: str) -> None:
    """Before a dispute's first colon the sides say who should act, in any wording (该审计查, 说找厂家, 是综执开的):
    the header names bodies, not a matter, and asks nothing of its own."""
    assert _texts(text) == [text.split("：", 1)[1]]


def test_a_colon_without_sides_speaking_is_kept() -> None:
    assert _texts("楼下饭店油烟大：天天往我家窗户里灌") == ["楼下饭店油烟大：天天往我家窗户里灌"]
    assert _unframed("有人在小区门口推销保健品：天天拉着老人去听课").startswith("有人在小区门口推销保健品")  # review7b M3
    assert _unframed("邻居说他家狗不咬人：结果把孩子咬了").startswith("邻居说")


FORMS = [("鲁安市公安局交通警察大队", "jj"), ("鲁安市城市管理服务中心", "cgfw"), ("城管局", "zf"), ("住建局", "zj"),
         ("市场监管局", "sj"), ("鲁安市东关街道办事处", "dg"), ("鲁安市安平街道办事处", "ap"), ("鲁安市西湖街道办事处", "xh")]


@pytest.mark.parametrize(("text", "named"), [
    ("交警说归城管管，城管说归交警管：路边一辆面包车停了两年", {"jj", "zf"}),
    ("物业说归城管管，城管说让找物业：楼上业主装修", {"zf"}),
    ("市场监管局说归城管管：小区门口有人卖凉皮", {"sj", "zf"}),
    ("住建说归街道管，街道说归住建管：楼道灯坏了", {"zj"}),  # 街道 fits three offices: none
    ("路边一辆面包车停了两年，交警也不管", set()),
])
def test_the_sides_of_a_dispute_name_bodies_by_their_short_forms(text: str, named: set[str]) -> None:
    assert sides(text, FORMS) == named


def _candidate(cid: str, score: float) -> Candidate:
    return Candidate.model_construct(id=cid, name=cid, kind="department", role="lead", score=score, evidence=[])


def test_a_side_of_the_dispute_leads_an_aspect_it_nearly_leads_alone() -> None:
    """卫生也看不出来 (of a street stall's food): 卫健 first on the words alone, 市监 — a side — close behind."""
    own = [_candidate("wj", 1.22), _candidate("sj", 0.85), _candidate("hb", 0.37)]
    whole = [_candidate("sj", 0.52), _candidate("zf", 0.44), _candidate("hb", 0.41)]
    assert [c.id for c in in_context(own, whole)][:2] == ["wj", "sj"]
    assert [c.id for c in in_context(own, whole, named={"sj", "zf"})][:2] == ["sj", "wj"]
    # a side far behind on the words does not lead
    assert in_context([_candidate("wj", 1.22), _candidate("sj", 0.3)], whole, named={"sj"})[0].id == "wj"


def test_weak_evidence_of_an_aspect_is_not_read_at_full_strength() -> None:
    """出苗不到一半 (of seeds sold at a farm-supply shop): its words reach little, and the dispute's lead is not the
    best of that little scaled up to full strength; an aspect whose owners score above the floor reads as before."""
    whole = [_candidate("ny", 1.0), _candidate("sj", 0.4)]
    weak = [_candidate("sj", 0.5), _candidate("ny", 0.4)]
    assert in_context(weak, whole)[0].id == "sj"
    assert in_context(weak, whole, floor=1.0)[0].id == "ny"
    strong = [_candidate("sj", 1.5), _candidate("ny", 0.9)]
    assert [c.id for c in in_context(strong, whole, floor=1.0)] == [c.id for c in in_context(strong, whole)] == ["sj", "ny"]



def _piece(kind: str, unit: str, similarity: float, role: str = "lead", dim: float = 1.0) -> Evidence:
    factors = {"similarity": similarity, "kind": 1.0, "role": 0.4 if role == "cooperate" else 1.0, "diminishing": dim}
    return Evidence(kind=kind, unit=unit, citation=unit, path=[unit], role=role, factors=factors,  # type: ignore[arg-type]
                    contribution=math.prod(factors.values()))


def _owner(cid: str, *evidence: Evidence) -> Candidate:
    scores: dict[str, float] = {}
    for e in evidence:
        scores[e.role] = scores.get(e.role, 0.0) + e.contribution
    return Candidate(id=cid, name=cid, kind="department", role=max(scores, key=scores.__getitem__), score=math.fsum(
        e.contribution for e in evidence), role_scores=scores, evidence=list(evidence))


def test_an_aspect_s_rulings_are_weighed_up_from_the_evidence_its_owners_carry() -> None:
    """打玻尿酸: 市监 leads on a duty item of beauty salons; a ruling says 卫健 leads such a matter. Re-scored with
    rulings weighed up, the ruling piece comes first, is no longer diminished, and 卫健 leads; every number
    still traces (score = sum of contributions, contribution = product of factors)."""
    sj = _owner("sj", _piece("duty", "d:美容院", 0.8))
    wj = _owner("wj", _piece("matter", "m:美容", 1.0, role="cooperate"), _piece("ruling", "r:玻尿酸", 0.35, dim=0.6))
    assert [c.id for c in [sj, wj]] == ["sj", "wj"] and sj.score > wj.score and wj.role == "cooperate"
    got = weighed([sj, wj])
    assert [c.id for c in got] == ["wj", "sj"]
    top = Candidate.model_validate(got[0].model_dump())  # the contract's checks
    assert [e.unit for e in top.evidence] == ["r:玻尿酸", "m:美容"]
    assert top.evidence[0].factors["kind"] == RULINGS_WEIGHT and top.evidence[0].factors["diminishing"] == 1.0
    assert top.score == pytest.approx(0.35 * RULINGS_WEIGHT + 0.4 * 0.6) and top.role == "lead"
    assert got[1] is sj  # no ruling or precedent on it: as ranked


def _resting_on(cid: str, score: float, duty: str, kind: str = "duty") -> Candidate:
    """A lead whose best evidence is the duty (or matter) `duty`."""
    cited = f"权责清单：{duty}" if kind == "duty" else f"事项：{duty}"
    ev = Evidence.model_construct(kind=kind, unit=f"{kind}:{duty}", citation=cited, text="", contribution=1.0)
    return Candidate.model_construct(id=cid, name=cid, kind="department", role="lead", score=score, evidence=[ev])


@pytest.mark.parametrize("swap", [False, True])
def test_owners_nearly_tied_on_a_statement_split_it_the_same_whichever_is_first(swap: bool) -> None:
    """半夜还吵: 环保 on 露天焚烧 (its words share nothing) and 城管 on 夜间噪声 nearly tie. Whichever of the two a
    hair's difference puts first, the statement is the same aspect, named by the matter the dispute leads with."""
    noise = [_resting_on("hb", 0.80, "对露天焚烧的处罚"), _resting_on("zf", 0.79, "对半夜噪声扰民的处罚")]
    if swap:
        noise = [noise[1].model_copy(update={"score": 0.80}), noise[0].model_copy(update={"score": 0.79})]
    own = {"楼下烧烤店油烟大": [_resting_on("hb", 1.0, "对餐饮油烟超标排放的处罚")], "楼下烧烤店半夜还吵": noise}
    whole = [_candidate("zf", 0.9), _candidate("hb", 0.8)]
    got = split("楼下烧烤店油烟大，半夜还吵", lambda s: own[s], whole)
    assert [(name, [m.words for m in members]) for name, _, members in got] == [
        ("对餐饮油烟超标排放的处罚", ["楼下烧烤店油烟大"]), ("对半夜噪声扰民的处罚", ["半夜还吵"])]



def test_one_lead_s_matters_of_two_kinds_are_two_aspects_and_of_one_kind_one() -> None:
    """电梯坏了 and 涨物业费 both go to 市监 but are two 物业管理 matters; 打桩 and 拉土 are one 建筑施工 complaint."""
    own = {"小区电梯坏了一个月": [_resting_on("sj", 1.0, "物业管理 > 共用设施 > 电梯故障", "matter")],
           "小区又要涨物业费": [_resting_on("sj", 0.9, "物业管理 > 物业服务 > 物业收费", "matter")],
           "工地半夜打桩": [_resting_on("zf", 1.0, "噪声 > 建筑施工噪声 > 夜间施工噪声", "matter")],
           "工地白天拉土也不洒水": [_resting_on("zf", 0.9, "噪声 > 建筑施工噪声 > 施工扬尘", "matter")]}
    texts = list(own)

    def aspects(a: str, b: str) -> list[list[str]]:
        return [[m.text for m in members] for _, _, members in split(f"{a}，{b}", lambda s: own[s], [])]

    assert aspects(texts[0], texts[1]) == [[texts[0]], [texts[1]]]
    assert aspects(texts[2], texts[3]) == []  # one aspect: the dispute is answered whole


def _leading_on(cid: str, score: float, *duties: tuple[str, float]) -> Candidate:
    """A body of the whole dispute's ranking with evidence on each (duty, contribution), strongest first."""
    ev = [Evidence.model_construct(kind="duty", unit=f"duty:{d}", citation=f"权责清单：{d}", text="", contribution=w)
          for d, w in duties]
    return Candidate.model_construct(id=cid, name=cid, kind="department", role="lead", score=score, evidence=ev)


def test_words_naming_no_matter_join_the_matter_their_lead_already_has() -> None:
    """窗户都不敢开 lands on 城管's 违法搭建 item only because the whole dispute ranks 城管 first: its words name
    no matter, so it says more about the matter 城管 already has here (油烟). 半夜还吵 names none either, but it
    rests on the matter the whole dispute's lead rests on, so it is a matter of its own."""
    own = {"楼下烧烤店油烟大": [_resting_on("zf", 1.0, "对餐饮油烟扰民的处罚")],
           "窗户都不敢开": [_resting_on("zf", 0.6, "对小区内违法搭建的处罚")],
           "楼下烧烤店半夜还吵": [_resting_on("zf", 0.9, "对夜间烧烤噪声扰民的处罚")]}
    whole = [_leading_on("zf", 2.0, ("对夜间烧烤噪声扰民的处罚", 1.0), ("对餐饮油烟扰民的处罚", 0.8),
                         ("对小区内违法搭建的处罚", 0.2)), _candidate("hb", 0.5)]
    got = split("楼下烧烤店油烟大，窗户都不敢开，半夜还吵", lambda s: own[s], whole)
    assert [(name, [m.words for m in members]) for name, _, members in got] == [
        ("对餐饮油烟扰民的处罚", ["楼下烧烤店油烟大", "窗户都不敢开"]), ("对夜间烧烤噪声扰民的处罚", ["半夜还吵"])]


@pytest.mark.parametrize("rank", [2, 3])
def test_the_whole_dispute_vouches_for_words_naming_no_matter_through_its_first_two_owners(rank: int) -> None:
    """一路往下掉土 lands on 公路中心's 路面 item, whose name its words do not hold: it is a matter of its own only
    where the whole dispute ranks 公路中心 among its first two owners on that item, not third."""
    own = {"楼下饭店油烟大": [_resting_on("hb", 1.0, "对餐饮油烟超标排放的处罚")],
           "一路往下掉土": [_resting_on("gl", 0.8, "公路路面损坏的养护")]}
    road = _leading_on("gl", 1.0, ("公路路面损坏的养护", 0.5))
    whole = [_leading_on("hb", 2.0, ("对餐饮油烟超标排放的处罚", 1.0)), _candidate("zf", 1.5)]
    whole.insert(rank - 1, road)
    got = split("楼下饭店油烟大，一路往下掉土", lambda s: own[s], whole)
    assert [[m.words for m in members] for _, _, members in got] == (
        [["楼下饭店油烟大"], ["一路往下掉土"]] if rank == 2 else [])


def test_words_anchoring_no_matter_do_not_set_the_bar_the_matters_must_reach() -> None:
    """门面房前面的人行道 scores high on 出店经营, an item its words only brush (they name no matter and the whole
    dispute vouches for none): the matters the dispute does name (公路, 罚单) are weighed against each other, not
    against it, and both stay aspects."""
    own = {"门面房前面的人行道": [_resting_on("zf", 1.35, "对临街门店出店经营的处罚")],
           "离公路也就两三米": [_resting_on("jt", 0.42, "公路建筑控制区的管理")],
           "交警来贴了罚单也不拖走": [_resting_on("jj", 0.20, "机动车违法停放罚单")]}
    got = split("门面房前面的人行道，离公路也就两三米，交警来贴了罚单也不拖走", lambda s: own[s], [])
    assert [[m.words for m in members] for _, _, members in got] == [["离公路也就两三米"], ["交警来贴了罚单也不拖走"]]


def test_words_naming_a_matter_in_the_lexicon_s_terms_are_a_matter_of_their_own() -> None:
    """狗整夜叫 shares no characters with 犬只扰民, but the lexicon the ranking searched with reads 狗 as 犬只: the
    statement names its matter and stays an aspect beside the party noise with the same lead."""
    party, dog = "楼上那家天天半夜开派对", "隔壁家的狗整夜叫个不停"
    own = {party: [_resting_on("ga", 1.0, "噪声 > 社会生活噪声 > 邻里生活噪声", "matter")],
           dog: [_resting_on("ga", 0.8, "养犬管理 > 文明养犬 > 犬只扰民", "matter")]}
    whole = [Candidate.model_construct(id="ga", name="ga", kind="department", role="lead", score=1.5, evidence=[
        e for c in (own[party][0], own[dog][0]) for e in c.evidence])]
    got = split(f"{party}，{dog}", lambda s: own[s], whole)
    assert [[m.words for m in members] for _, _, members in got] == [[party], [dog]]


def test_words_sharing_only_a_duty_s_body_of_text_name_no_matter() -> None:
    """大家只能往楼上拉线 lands on 公安's 邻里噪声 item, whose text says 楼上 as any text about a building does: its
    words name neither the item nor its matter, so it is no matter of its own beside the charging points."""
    ev = Evidence.model_construct(kind="duty", unit="duty:噪声", citation="权责清单：对邻里生活噪声扰民的处理",
                                  text="对楼上楼下住户生活噪声干扰他人的劝阻和处理", contribution=1.0)
    noise = Candidate.model_construct(id="ga", name="ga", kind="department", role="lead", score=0.7, evidence=[ev])
    own = {"小区里一直没有给电动车充电的地方": [_resting_on("zj", 1.0, "电动自行车充电设施建设")],
           "想申请用维修基金": [_resting_on("zj", 0.9, "专项维修资金使用")], "大家只能往楼上拉线": [noise]}
    whole = [_leading_on("zj", 2.0, ("电动自行车充电设施建设", 1.0), ("专项维修资金使用", 0.9))]
    got = split("想申请用维修基金，小区里一直没有给电动车充电的地方，大家只能往楼上拉线", lambda s: own[s], whole)
    assert [[m.words for m in members] for _, _, members in got] == [["想申请用维修基金"], ["小区里一直没有给电动车充电的地方"]]


def test_words_naming_only_the_citation_s_label_name_no_matter() -> None:
    """A duty's citation reads "权责清单：…", a matter's "事项：…": 收费清单 shares 清单 with the label, not with the
    item, and names no matter of its own."""
    beauty = "小区美容院给人打玻尿酸"
    ranked = {beauty: [_resting_on("wj", 1.0, "医疗美容 > 非法医疗美容", "matter")],
              "前台连张收费清单都不给": [_resting_on("other", 0.5, "对价格欺诈的处罚")]}
    got = split(f"{beauty}，前台连张收费清单都不给", lambda s: ranked[s], [_candidate("wj", 1.0)])
    assert got == []


@pytest.mark.parametrize(("words", "matter", "own"), [
    ("办的卡也不给退", "市场监管 > 消费维权 > 预付卡退费", True),  # 卡退 said with three words between
    ("门口停着的几辆跑车半夜一个劲轰油门", "交通出行 > 停车管理 > 乱停乱放", False)])  # 停…车: five between
def test_words_naming_a_matter_with_a_few_words_between_its_characters_name_it(words: str, matter: str,
                                                                               own: bool) -> None:
    """A caller says a name's two characters with a few words between (办的卡也不给退: 预付卡退费), and such words
    name the matter as 卡退 would; characters far apart (停着的几辆跑车) are any statement's, not the name's."""
    beauty = "小区美容院给人打玻尿酸"
    ranked = {beauty: [_resting_on("wj", 1.0, "医疗美容 > 非法医疗美容", "matter")],
              words: [_resting_on("other", 0.5, matter, "matter")]}
    got = split(f"{beauty}，{words}", lambda s: ranked[s], [_candidate("wj", 1.0)])
    assert [[m.words for m in members] for _, _, members in got] == ([[beauty], [words]] if own else [])


# single-matter disputes told in several statements (symptoms, hours, what was tried): words around the matter
ONE_MATTER = [
    "城管说归派出所管，派出所说归城管管：小区广场每天晚上跳广场舞，音箱开得震天响，一直跳到十点多，老人孩子都睡不了，跟领队说了也不关小",
    "物业说归环卫管，环卫说归物业管：我们小区3号楼后面的垃圾已经堆了半个月没人清，夏天臭得不敢开窗，招了好多苍蝇",
    "城管说归派出所管，派出所说归畜牧站管：小区周边有一群流浪狗，晚上成群结队地叫，早上孩子上学都得大人护着，前几天还追着骑车的人跑",
    "畜牧站说归农业农村局管，农业局说归镇上管：南台镇村口的沟里隔三岔五就有人扔死猪，天一热臭得不行，还招来一群野狗",
    # words that name no matter of their own, anchored only by the whole dispute's lead: they join its matter
    "水利说归自然资源管，自然资源说归水利管：双河镇河滩上一到晚上就有挖掘机挖沙子，一车一车往外拉，河床都挖出大坑了",
    "几个部门互相推：快过年了，东关农贸市场边上一家小卖部门口堆着十几箱烟花鞭炮在卖，没看见挂许可证，来买的小孩特别多",
]


@pytest.mark.slow
def test_words_around_one_matter_are_no_aspects_of_their_own(sample_kb: Settings) -> None:
    """A statement whose words share nothing with the duty its lead rests on, and whose lead the whole dispute
    does not rank near the top, is no matter of its own: a single-matter dispute answers whole, a compound
    one still splits."""
    with open_store(sample_kb) as store:
        service = SearchService.open(sample_kb, store)
        try:
            split = {text: [a.text for a in service.ask(text, "鲁安市", split=True).aspects] for text in ONE_MATTER}
            compound = service.ask("楼下烧烤店油烟大、占道摆桌子、半夜还吵", "鲁安市", split=True).aspects
        finally:
            service.close()
    assert split == {text: [] for text in ONE_MATTER}
    assert len(compound) >= 2


@pytest.mark.slow
def test_an_aspect_s_lead_weighs_its_rulings_up_and_the_split_does_not(sample_kb: Settings) -> None:
    """Which statements are aspects is decided on the ask's own ranking; each aspect's owners are then its
    statement's, re-scored with the rulings and precedents on it weighed up and read in the dispute's context."""
    text = "小区美容院给人打玻尿酸，还在门口占道摆摊卖东西"
    with open_store(sample_kb) as store:
        service = SearchService.open(sample_kb, store)
        try:
            res = service.ask(text, "鲁安市", split=True)
            alone = {s.text: service.owners(s.text, "鲁安市", limit=5) for s in statements(text)}
        finally:
            service.close()
    assert [[m.text for m in members] for _, _, members in split(text, lambda s: alone[s][:3], res.candidates)] == [
        [s.text for s in statements(text) if s.words in a.text] for a in res.aspects]
    assert len(res.aspects) == 2
    weighed_up = 0
    for aspect in res.aspects:
        own = next(cands for asked, cands in alone.items() if asked.endswith(aspect.text))
        kinds = {(c.id, e.unit): e.factors["kind"] for c in own for e in c.evidence}
        for c in aspect.candidates:
            Candidate.model_validate(c.model_dump())
            for e in c.evidence:
                times = RULINGS_WEIGHT if e.kind in ("ruling", "precedent") else 1.0
                assert e.factors["kind"] == pytest.approx(times * kinds[(c.id, e.unit)]), (aspect.name, c.name, e.unit)
                weighed_up += e.kind in ("ruling", "precedent")
        assert [c.id for c in aspect.candidates] == [c.id for c in in_context(weighed(own), res.candidates,
                                                                              floor=OWN_FLOOR)]
    assert weighed_up
