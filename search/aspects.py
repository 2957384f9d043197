"""Split a compound dispute into its aspects (问题拆分法), each with its own lead.

A caller says 楼下烧烤店油烟大、占道摆桌子、半夜还吵: three matters (油烟, 占道经营, 噪声) with three
owners. The text is cut into its statements (punctuation, 还有 / 另外 / 同时 …, "A和B" after a shared 的);
the dispute's framing (X说归Y管, 互相推, 到底谁管) and hotline filler are dropped; a statement without the
subject named first (烧烤店) gets it back. Each statement is ranked for owners with the ask's own recipe;
statements whose lead rests on the same duty or matter are one aspect. Statements whose best owner is weak
against the strongest statement's are words around the matter, not a matter of their own, and join no
aspect. Where one aspect is left, the dispute is single and answers as before.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from pydantic import BaseModel, Field

from search.owners import Candidate

# a statement counts as an aspect of its own when its best owner scores at least this share of the best
# statement's (tuned on the dev split of benchmarks/data/compound_disputes.yaml)
MIN_SHARE = 0.35
MAX_ASPECTS = 5
# an aspect's owners are ranked on its own words plus this share of the whole dispute's ranking: the
# dispute says what the statements are about (民宿: 床单也是上个客人用过的 is a lodging's hygiene)
CONTEXT_SHARE = 0.3  # dev split: per-aspect lead top-1 0.733 at 0, 0.747 at 0.15, 0.773 at 0.3, 0.76 at 0.4 and 0.6
MIN_CHARS = 3  # Chinese characters a statement needs, framing removed
STANDS_ALONE = 6  # … and from how many it is asked without the subject named before it

_CUT = re.compile(r"[，,；;。！？!?\n]+|还有|另外|同时|此外|以及|而且|并且|再加上|加上|顺便")
_PAIR = re.compile(r"^(?P<head>.{2,14}的)(?P<a>[^的，、]{1,8})(?:和|及|与|、)(?P<b>[^的，、]{1,8})$")
_FRAME = re.compile(
    r"[^，。；]{0,14}说[^，。；]{0,4}归[^，。；]{0,14}管|互相推诿?|互相踢皮球|踢皮球|推来推去|都说不归[^，。；]{0,6}管|都不管"
    r"|到底[该应]?[由归]?谁[来]?管|[由归]?谁[来]?管|该找谁|找谁|怎么办|有没有人管|没人管|管不管|请[求]?[相关]*部门[^，。；]*"
    r"|希望[^，。；]*处理[^，。；]*|要求[^，。；]*处理[^，。；]*|尽快[^，。；]*|几个部门|多个部门|各部门|到底|究竟"
    r"|[^，。；]{0,6}管不了|请[^，。；]{0,4}明确[^，。；]*|由谁负责|打了[^，。；]{0,6}电话[^，。；]*|[^，。；]{0,4}没人理"
    r"|[^，。；]{0,4}反映[：:]?|[^，。；]{0,6}说了[^，。；]{0,4}[回次遍]都不听")
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


class Statement(BaseModel):
    text: str = Field(description="the statement as asked: its words, with the subject named before it")
    words: str = Field(description="the caller's words of this statement")


def statements(text: str) -> list[Statement]:
    """The dispute's statements with the framing removed, each with the shared subject where it lacks one."""
    pieces: list[str] = []
    for part in _CUT.split(text):
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
        if len(_CJK.findall(words)) < MIN_CHARS or words in FILLER or words == subject or _ONLY_TIME.match(words):
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


def split(text: str, rank: Rank) -> list[tuple[str, str, list[Statement]]]:
    """(name, key, statements) per aspect, in the order the dispute raises them; one entry = not compound."""
    found = statements(text)
    if len(found) < 2:
        return []
    ranked = [(s, rank(s.text)) for s in found]
    best = max((c[0].score for _, c in ranked if c), default=0.0)
    groups: dict[tuple[str, str], tuple[str, list[Statement]]] = {}
    for s, cands in ranked:
        if not cands or cands[0].score < MIN_SHARE * best:
            continue
        _, name = _matter_key(cands[0])
        # one aspect per lead and kind of matter: 夜里货车进出 and 噪音吵得睡不着 are one noise complaint
        key = (cands[0].id, name.split(">")[0].strip() or s.words)
        groups.setdefault(key, (name or s.words, []))[1].append(s)
    if len(groups) < 2:
        return []
    return [(name, "|".join(key), members) for key, (name, members) in list(groups.items())[:MAX_ASPECTS]]


def in_context(own: list[Candidate], whole: list[Candidate], share: float | None = None) -> list[Candidate]:
    """`own` reordered by its normalised score plus `share` × the whole dispute's normalised score."""
    share = CONTEXT_SHARE if share is None else share
    if not own or share <= 0:
        return own
    top_own = max(c.score for c in own) or 1.0
    top_whole = max((c.score for c in whole), default=0.0) or 1.0
    whole_score = {c.id: c.score / top_whole for c in whole}
    return sorted(own, key=lambda c: -(c.score / top_own + share * whole_score.get(c.id, 0.0)))
