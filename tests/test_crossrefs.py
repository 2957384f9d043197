"""Breach articles read per paragraph: what they refer to, who acts, and how well it fits a question."""

from __future__ import annotations

from search.owners.crossrefs import (
    AuthorityMatcher,
    authority_fit,
    bigrams,
    item_text,
    overlap,
    parse_referrals,
)

AUTHORITIES = [
    {"id": "authority:公安机关", "name": "公安机关", "aliases": ["公安部门", "公安"]},
    {"id": "authority:城市管理部门", "name": "城市管理部门", "aliases": ["城管执法部门", "城管", "城市管理主管部门"]},
    {"id": "authority:动物卫生监督机构", "name": "动物卫生监督机构", "aliases": []},
    {"id": "authority:住房和城乡建设主管部门", "name": "住房和城乡建设主管部门", "aliases": ["住房城乡建设部门"]},
]
POLICE = ("authority:公安机关", "公安机关")
CITY = ("authority:城市管理部门", "城市管理部门")
HOUSING = ("authority:住房和城乡建设主管部门", "住房和城乡建设主管部门")

# written for the test in the shape of a municipal dog-keeping regulation's penalty article
PENALTY = (
    "第四十三条 违反本条例第二十二条第一、二、三项规定的，由公安部门责令改正，可以处二十元以上二百元以下罚款。\n"
    "违反本条例第二十二条第四项规定的，由物业服务企业予以劝阻。\n"
    "违反本条例第二十二条第六项规定的，由城管执法部门责令改正；拒不改正的，处二十元以上二百元以下罚款。"
)
RULE = (
    "第二十二条 携犬出户的，应当遵守下列规定：\n（一）束犬链；\n（二）由成年人牵领；\n（三）避让老年人、残疾人、孕妇和儿童；"
    "\n（四）乘坐电梯的，避开高峰时间；\n（五）不得携犬进入禁止场所；\n（六）对犬只在户外排泄的粪便，应当即时清除。"
)


def test_a_breach_article_is_read_per_paragraph() -> None:
    m = AuthorityMatcher(AUTHORITIES)
    refs = parse_referrals("law:x#第43条", PENALTY, m)
    # the paragraph on item (四) names no authority (a property company), so it is no referral
    assert [(r.refs, r.authorities) for r in refs] == [
        ((("22", (1, 2, 3)),), (POLICE,)),
        ((("22", (6,)),), (CITY,)),
    ]


def test_several_articles_and_paragraphs_in_one_reference() -> None:
    m = AuthorityMatcher(AUTHORITIES)
    text = "违反本条例第二十六条第一款、第二十七条第一款规定，未将犬只送交的，由公安部门责令改正。"
    (ref,) = parse_referrals("law:x#第42条", text, m)
    assert ref.refs == (("26", ()), ("27", ())) and ref.authorities == (POLICE,)
    # item ranges and 之 articles
    (ref,) = parse_referrals("law:x#第9条", "违反本办法第十条之一第二项至第四项规定的，由城管执法部门处罚。", m)
    assert ref.refs == (("10之1", (2, 3, 4)),) and ref.authorities == (CITY,)
    assert parse_referrals("law:x#第1条", "违反本条例规定的，由公安部门处理。", m) == []  # nothing referred to


def test_an_article_range_names_the_articles_between_its_ends() -> None:
    """第十条至第十二条 refers to 第十一条 too (review6b L3); a range from an item or a 之 article is left as written."""
    m = AuthorityMatcher(AUTHORITIES)
    (ref,) = parse_referrals("law:x#第40条", "违反本条例第十条至第十二条规定的，由公安部门责令改正。", m)
    assert ref.refs == (("10", ()), ("11", ()), ("12", ()))
    (ref,) = parse_referrals("law:x#第41条", "违反本条例第十条、第十二条规定的，由公安部门责令改正。", m)
    assert ref.refs == (("10", ()), ("12", ()))  # a list is no range
    (ref,) = parse_referrals("law:x#第42条", "违反本条例第二十条之一至第二十二条规定的，由公安部门责令改正。", m)
    assert ref.refs == (("20之1", ()), ("22", ()))


def test_references_written_without_breach_of_this_statute() -> None:
    """Statutes also refer as 有本条例第N条…之一的, 违反第N条, 未按照本条例第N条, or name the article only after
    违反本条例规定; each is a referring paragraph. An article of another statute (《…》第N条) is not referred to."""
    m = AuthorityMatcher(AUTHORITIES)
    cases = {
        "违反本条例规定，有第二十五条规定行为之一的，由公安部门责令限期改正，给予警告。": (("25", ()),),
        "有本条例第十八条所列行为之一的，由城管执法部门责令改正。": (("18", ()),),
        "未按照本条例第九条规定办理登记的，由公安部门责令改正。": (("9", ()),),
        "违反第二十条第一款，第二十四条第（四）、（五）项的，由公安部门没收其非法所得。": (("20", ()), ("24", (4, 5))),
    }
    for text, refs in cases.items():
        (ref,) = parse_referrals("law:x#第50条", text, m)
        assert ref.refs == refs, text
    # a second form before anyone is named acting does not start a paragraph of its own
    (ref,) = parse_referrals("law:x#第52条", "违反本条例第十条规定，未按照本条例第九条规定办理登记的，由公安部门责令改正。", m)
    assert ref.refs == (("10", ()),) and ref.authorities == (POLICE,)
    (ref,) = parse_referrals("law:x#第51条", "违反本条例规定，携犬人未清除粪便的，由公安部门依照《中华人民共和国治安管理"
                                            "处罚法》第二十三条处罚。", m)
    assert ref.refs == () and ref.conduct == "携犬人未清除粪便"


def test_a_paragraph_listing_its_conducts_after_who_acts_gives_one_per_item() -> None:
    """"…有下列行为之一的，由X…：（一）…（二）…": each item is a conduct X acts on; the lead-in is none."""
    m = AuthorityMatcher(AUTHORITIES)
    text = ("违反本条例规定，有下列行为之一的，由城管执法部门责令改正，处五十元罚款：\n（一）携犬进入公园、广场的；\n"
            "（二）对犬只在户外排泄的粪便不即时清除的；\n（三）其他")
    refs = parse_referrals("law:x#第44条", text, m)
    assert [(r.refs, r.authorities, r.conduct) for r in refs] == [
        ((), (CITY,), "携犬进入公园、广场"), ((), (CITY,), "对犬只在户外排泄的粪便不即时清除")]


def test_the_matcher_takes_the_longest_name_and_the_item_lines() -> None:
    m = AuthorityMatcher(AUTHORITIES)
    assert m.find("由城管执法部门或者公安部门依照职责") == [CITY, POLICE]
    assert item_text(RULE, 6).startswith("（六）对犬只在户外排泄的粪便") and item_text(RULE, 9) == ""
    question = "遛狗的人从来不清除狗的粪便，人行道上到处都是"
    assert overlap(question, item_text(RULE, 6)) > overlap(question, item_text(RULE, 1)) == 0.0


def test_the_body_whose_sentence_fits_the_question_fits_best() -> None:
    m = AuthorityMatcher(AUTHORITIES)
    text = "养犬人携犬出户未即时清除犬只粪便的，由城管执法部门责令改正。犬只未登记的，由公安部门责令限期改正。"
    fit = authority_fit(text, "遛狗不清除犬只粪便", m)
    assert fit[CITY[0]] > fit[POLICE[0]]


def test_a_body_is_fitted_on_the_words_its_sentence_alone_shares_with_the_question() -> None:
    """A duty-split article (written for the test): the police's long list of duties holds the conduct asked
    about, the city managers' short sentence only the words both sentences share (饲养犬只) and one common
    word (影响). Bigrams every sentence uses do not tell the bodies apart, and the long list is not marked
    down for its length (as a share of each sentence's bigrams, the city managers fitted better)."""
    m = AuthorityMatcher(AUTHORITIES)
    text = ("公安机关负责养犬登记，建立养犬管理信息系统，监管犬只收容场所，捕捉无主犬和狂犬，依法查处无证养犬、"
            "携带犬只出户未束犬链、饲养犬只干扰他人生活、放任犬只恐吓他人等违法行为。\n"
            "城市管理部门负责查处饲养犬只影响市容的行为。")
    question = "邻居饲养的犬只一直叫，干扰他人生活，影响休息"
    fit = authority_fit(text, question, m)
    assert fit[POLICE[0]] > 2 * fit[CITY[0]] > 0
    police, city = (overlap(question, s) for s, _ in m.naming_sentences(text))
    assert city > police  # what a share of the sentence said


def test_the_names_a_sentence_holds_do_not_fit_it_to_a_dispute_naming_them() -> None:
    """Both sides of the dispute name both bodies; the longer name, 城市管理部门, shares more bigrams with the
    question than the conduct of either sentence does. Without the names the conduct decides (圈占)."""
    m = AuthorityMatcher(AUTHORITIES)
    text = "违反规定，在公共绿地内堆放杂物的，由城市管理部门责令改正。\n违反规定，擅自圈占绿地停放车辆的，由公安机关责令改正。"
    question = "城市管理部门说归公安机关管，公安机关说归城市管理部门管：小区绿地被人圈占了"
    fit = authority_fit(text, question, m)
    assert fit[POLICE[0]] > fit[CITY[0]] > 0
    assert m.unnamed("由城市管理部门或者公安部门处理") == "由" + "_" * 6 + "或者" + "_" * 4 + "处理"
    assert "由责" not in bigrams(m.unnamed("由公安部门责令改正"))  # no bigram across a blanked name


def test_the_conduct_before_the_first_place_belongs_to_each_place_after_it() -> None:
    """One conduct split by where it happens (written for the test, after a city's parking rules): the conduct
    is stated once, in the police's sentence, and the places decide. A question set in a residential compound
    fits the housing department's sentence best, though the police's alone holds the words of the conduct."""
    m = AuthorityMatcher(AUTHORITIES)
    text = ("违反前款规定，擅自设置地锁、障碍物的，道路范围内由公安部门责令改正；居住小区公共区域内，由住房城乡建设部门"
            "依法处罚；其他公共场所内，由城管执法部门责令改正。")
    question = "小区里有人在车位上设置地锁和障碍物"
    fit = authority_fit(text, question, m)
    assert fit[HOUSING[0]] > fit[POLICE[0]] and fit[HOUSING[0]] > fit[CITY[0]]
    # a sentence stating its own conduct ("…的，由"), one that names no place before 由, or one in the next
    # paragraph keeps its own words only
    for other in ("情节严重的，由城管执法部门处罚。", "由城管执法部门依法处罚。",
                  "\n违反本条例第十条规定，由城管执法部门责令改正。", "\n城管执法部门应当加强日常巡查。"):
        own = authority_fit("违反规定，擅自设置地锁的，由公安部门责令改正；" + other, "小区里有人设置地锁", m)
        assert own[POLICE[0]] > own[CITY[0]] == 0.0, other


def test_extractions_designations_name_who_acts_where_the_names_differ() -> None:
    """A statute's old name for a body (食品药品监督管理部门) is read as extraction normalised it for the
    article, and a designation whose duty text sits in a paragraph counts there even when no name after 由
    was recognised."""
    m = AuthorityMatcher([*AUTHORITIES, {"id": "authority:药品监督管理部门", "name": "药品监督管理部门", "aliases": []}])
    text = ("违反本条例第二十九条规定的，由县（市、区）人民政府食品药品监督管理部门责令改正，处二千元罚款。"
            "违反本条例第三十条规定的，由城市综合执法机构责令限期整改。")
    market = {"id": "authority:市场监督管理部门", "name": "市场监督管理部门", "duty": "责令改正，处二千元罚款"}
    city = {"id": CITY[0], "name": CITY[1], "duty": "责令限期整改"}
    first, second = parse_referrals("law:x#第45条", text, m, [market, city])
    assert first.authorities == (("authority:市场监督管理部门", "市场监督管理部门"),)
    assert second.authorities == (CITY,)
    # without designations the names after 由 stand
    assert parse_referrals("law:x#第45条", text, m)[0].authorities == (("authority:药品监督管理部门", "药品监督管理部门"),)


def test_a_paragraph_that_restates_the_conduct_is_read_on_it() -> None:
    """Many statutes write "违反本条例规定，<conduct>的，由<body>…" without an article number: the restated
    conduct is what a question is matched against."""
    from search.owners.crossrefs import likeness

    m = AuthorityMatcher(AUTHORITIES)
    text = ("违反本条例规定，在居民楼内饲养烈性犬只的，由公安部门没收犬只。"
            "违反本条例规定，携犬人未即时清除犬只粪便的，由城管执法部门责令改正。")
    dogs, dirt = parse_referrals("law:x#第50条", text, m)
    assert dogs.refs == () and dogs.conduct == "在居民楼内饲养烈性犬只" and dogs.authorities == (POLICE,)
    assert dirt.conduct == "携犬人未即时清除犬只粪便" and dirt.authorities == (CITY,)
    question = "遛狗的人不清除犬只粪便"
    assert likeness(question, dirt.conduct) > likeness(question, dogs.conduct)


def test_a_matcher_keeps_the_sentences_of_a_text_that_name_bodies() -> None:
    m = AuthorityMatcher(AUTHORITIES)
    text = "携犬出户的，由公安机关责令改正。\n不清除犬只粪便的，由城市管理部门处罚。\n养犬人应当文明养犬。"
    sentences = m.naming_sentences(text)
    assert [ids for _, ids in sentences] == [tuple(a for a, _ in m.find(s)) for s, _ in sentences]
    assert len(sentences) == 2 and all(ids for _, ids in sentences)  # the sentence naming no body is left out
    assert m.naming_sentences(text) is sentences  # kept: read once per text
    fresh = AuthorityMatcher(AUTHORITIES)
    assert authority_fit(text, "遛狗不清除犬只粪便", m) == authority_fit(text, "遛狗不清除犬只粪便", fresh)
