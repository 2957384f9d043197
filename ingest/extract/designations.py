"""Who an article makes responsible, in what role: rule components for the spaCy pipeline.

`authority_mentions` finds authority names (with their level prefix, and lists such as
发展改革、财政、民政等部门) from the normalisation table's vocabulary; `role_cues` marks role words with a
token Matcher (配合 / 协助 / 会同 / 各自职责 / 不得); `designations` decides, clause by clause, which
mentions are designated — the subject of the clause, or introduced by 由 / 会同 — and in which role:

- 乡镇人民政府 / 街道办事处 → territorial;
- introduced by 会同, or followed by 配合 / 协助 / 协同 / 参与 / 按照各自职责 → cooperate;
- otherwise (主管 / 负责 / 应当 … / 由…责令) → lead.

Objects (向公安机关报告, 经…批准, 配合城市管理部门), attributes (公安机关出具的) and staff
(…部门工作人员) designate nobody.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.util import filter_spans

from ingest.extract.authorities import (
    LEVEL_PREFIX,
    PLACE_ENDS,
    RELATIVE_BODY,
    STANDALONE,
    SUFFIXES,
    ZONE_BODY,
    AuthorityTable,
    as_written,
    core,
    load_table,
    split_level,
    zone_body,
)
from ingest.markers import ITEM_MARKER

TERRITORIAL = {"乡镇人民政府", "街道办事处"}
_BOUNDARY = re.compile(r"[，,；;。：:\n]")
_SENTENCE_END = re.compile(r"[；;。\n]")
_ITEM = re.compile(rf"^{ITEM_MARKER}")
# the verbs of one reported to, applied to or notified: 向所在地的…部门报告, 报…审批, 抄送…
_REPORT_VERB = "向|报|经|到|通知|请求|抄送"
_SUBJECT_PRE = re.compile(
    r"^(?:本市|本省|本区|全市|全省|各级|其中|同时|此外|另外|并且?|但是?|县级以上|本行政区域内的?|"
    rf"(?:(?!{_REPORT_VERB})[\u4e00-\u9fa5]){{0,6}}所在地的?|"
    r"(?:(?!向|报(?!社|刊)|经(?!济|营|贸)|执行|提请)[^，。；]){0,24}?(?:人民政府|国务院)"
    r"(?:及其有关部门)?(?:或者|和|、|以及|及其|及))?$"  # not one reported to, approving or ordering: 报…人民政府及其X部门
)
_AGENT_PRE = ("由", "并由", "应当由", "可以由", "分别由", "统一由", "交由", "均由", "由其", "由有关", "由相关")
_AGENT_OR = re.compile(r"由[^，。；]{0,24}?(?:或者|和|、|以及|及)$")
# 由 + a level the prefix table does not spell (由区、县（市）房产主管部门, 由市、区县（自治县）…)
# …, and the riparian or coastal ones of a river's or a coast's statute (由市、沿河县（市、区）环境保护主管部门)
_LEVEL_WORDS = r"[区县市省乡镇旗辖、（）()]|自治|人民政府|级|以上|地方|各|沿[河江湖海岸线]"
_AGENT_PLACE = re.compile(rf"由(?:{_LEVEL_WORDS}|政府|本级){{1,16}}$")
# a level the prefix table does not spell, opening the clause: 市、县（市、区)文化和旅游主管部门应当…, 市和相关区…
_PLACE_PRE = re.compile(rf"^(?=.*[区县市省]|沿)(?:{_LEVEL_WORDS}|和|或者?|相关|设区的)+的?$")  # 县、自治县、市、市辖区的兵役机关
# the bodies a government or a department organises to act: (由)…人民政府(应当 / 定期 …)组织 X部门、Y部门…查处; not
# 单位组织人事部门 or 县级以上组织人事部门 (组织人事 is a field), nor 不得组织
_ORGANISED = re.compile(
    r"(?:^|人民政府|国务院|政府|部门|机构|机关|管委会|[）)])"
    r"(?:应当|应|可以|要|定期|及时|立即|统一|负责|并|每年|每[一二三四五]年|根据本地实际)*组织$"
)
# The agent of a sanction or a charge: 由 + a body (or two, 由X或者Y) + what it does (责令 / 处 / 给予 / 没收 /
# 吊销 / 查处) — also "由负责X的部门", the X department — or a body opening its sentence + 负责 / 主管. It names
# the body even where the table does not know it (由无线电管理机构责令改正, 由人民防空部门处…罚款),
# and where a modifier the table does not know stands before a name it knows (由规划自然资源主管部门责令: the
# table's 自然资源主管部门 alone does not follow 由).
_BODY = r"[\u4e00-\u9fa5]{2,14}?(?:部门|机构|机关|执法组织|局)"  # 北京's 城市管理综合执法组织, 上海市酒类专卖局
_LOOSE_LEVEL = r"(?:[县省乡镇旗辖、（）()]|市(?![场容政])|区(?!域)|自治[县州区旗]?|人民政府|级以上|级|地方|各级|本)*"
# the body a government sets up to manage a protected area or a water work, opening its clause with a duty (风景名胜区
# 条例 第四条: 风景名胜区所在地县级以上地方人民政府设置的风景名胜区管理机构); named as the statute names it — and a
# zone's 管理委员会 / 管委会 / 管理机构 (泰山景区管委会, 长岛试验区管理机构), opening its clause or imposing a sanction
_NAME_CHAR = r"(?:(?![由向对经和、])[\u4e00-\u9fa5])"
_ZONE = rf"{_NAME_CHAR}{{1,24}}?{ZONE_BODY}"
_AREA_BODY = rf"(?:{_NAME_CHAR}{{0,8}}?(?:风景名胜区|风景区|自然保护区|保护区|水库|流域)管理机构|{_ZONE})"
# … or a charge it is given: 由城市园林绿化主管部门负责查处 (not 负责人, its head)
_SANCTIONS = (r"(?:依法|(?:依照|按照)[^，。；]{0,30}?规定)?(?:责令|处以?|给予|没收|吊销|查处|予以(?:处罚|处理|警告|取缔|没收|查处))"
              r"|(?:统一|具体)?负责(?!人)")
_AGENT_NAME = re.compile(
    rf"由(?P<fprefix>{_LOOSE_LEVEL})负责(?P<field>[\u4e00-\u9fa5]{{2,12}}?)(?:工作)?的(?:部门|机构)(?={_SANCTIONS})|"
    rf"由(?P<prefix>{_LOOSE_LEVEL})(?P<name>{_BODY})(?:(?:或者|或|和|、)(?P<prefix2>{_LOOSE_LEVEL})(?P<name2>{_BODY}))?"
    rf"(?={_SANCTIONS})"
    rf"|由(?P<zprefix>{_LOOSE_LEVEL})(?P<zname>{_ZONE})(?={_SANCTIONS})"
    rf"|(?:^|(?<=[。；;\n]))(?P<sprefix>{_LOOSE_LEVEL})(?P<sname>{_BODY})(?=(?:统一|具体)?(?:负责|主管))"
    rf"|(?:^|(?<=[。；;，,\n]))(?P<aprefix>{_LOOSE_LEVEL})(?P<aname>{_AREA_BODY})"
    rf"(?=应当|可以|依法|负责|会同|按照|根据|对|在其|统一|具体|组织)"
)
# not the name of an administrative body: the issuing / registering / approving organ of a licence, a
# superior or supervisory organ, a person's unit, a generic body, a count or a list to come (几个部门, 下列部门), a
# cooperative's unit (合作经济联合社审计机构)
_NOT_AGENT = re.compile(
    r"的|或|和|及|、|与|^其|^原|^该|^本|^各|^上述|^前述|^下述|^前款|^军队|^军事|^同级|有关|相关|其他|上级|上一级|所在|发证|登记|审批|许可|批准|任免|监察|有权|"
    r"作出|决定|单位|法院|检察|公司|企业|合作社|联合社|查处|处罚|结算|仲裁|公证|训练|办案|机场管理|土地储备|(?<!自)由|^相应|^下列|^内设|^指定|设置|^(?:一|两|几|多|各)个|^行政|^主管|^执法|^管理|^监督|^政府|^(?:由|经|向|对|在|按|依|根据|如|凡|未)|^(?:国家|区域|当地)(?:主管|行政)|"
    r"(?:商业|保险|金融|医疗|培训|中介|服务|专业|检测|检验|认证|鉴定|评估|教育|养老|托育|经营|运营|学术)机构$"
)
_JOINT_PRE = ("会同", "并会同", "应当会同", "可以会同")
_ATTRIBUTE = re.compile(
    r"^(?:的|之|及其|和其|工作人员|执法人员|辖区|区域|所在地|管辖|范围|职责|以外|之外|内设|"
    r"(?:依法)?(?:出具|作出|制定|规定|发布|公布|核发|颁发|批准|认定|确定|指定|委托|设立|提供|公告|通报|任命|聘用|"
    r"登记|审批|许可|备案|划定|确认|签发|组织实施)的)"
)
# the rest of a list after a named item: 、财政部门, 和其他有关部门, 及其他负有环境保护监督管理职责的部门
_LIST_TAIL = re.compile(
    r"^(?:(?:、|和|及|与|以及|或者)(?:[\u4e00-\u9fa5]{1,14}?(?:部门|机关|机构|办事处|人民政府|协会|组织|单位|企业)|"
    r"(?:其他)?负有[^，。；、]{1,30}?职责的(?:其他)?(?:有关)?(?:部门|机关|机构)))+"
)
# an alternative agent a government names after the body (由城市管理部门或者当地人民政府确定的监督管理部门责令…): the
# 确定的 is the other body's, not an attribute of the list
_ALTERNATIVE = re.compile(r"^(?:或者|或)[\u4e00-\u9fa5]{0,16}?(?:人民政府|部门)(?:确定|指定)的[\u4e00-\u9fa5]{0,10}?(?:部门|机构|机关)")
# a sanction the body imposes before the failure words: "责令改正，拒不改正的，…" is the party's failure
_ORDERS = re.compile(r"责令|处以?[^理置分]|给予|没收|吊销")
# … and what the agents of a sanction 按照各自职责 do: impose it, decide it (消防法: 由住建、消防救援机构按照各自职权
# 决定), or deal with the breach (依法处理)
_OWN_SANCTION = re.compile(r"责令|处以?[^理置分于]|给予|没收|吊销|决定|依法处理|予以处理")
_FAILURE = re.compile(r"未|不依法|不履行|不予|滥用|玩忽|徇私|违反|拒不|失职|渎职")
_STAFF_SANCTION = re.compile(  # after a condition naming the body, a sanction on its staff: …对直接负责的主管人员…
    r"直接负责的主管人员|直接责任人员|负有责任的(?:领导|主管)人员|给予[^，。；]{0,6}处分"
)
_DUTY_LEAD = re.compile(
    r"^(?:等?有关部门|等部门|等|应当|应|要|可以|依法|依照|按照|根据|在|各自的?|职责范围内|职责|职责分工|负责|主管|积极|予以|"
    r"做好|是|为|共同|统一|分别|，|,|、)+"
)
# bodies whose duty is to supply another body (向税务机关提供…信息): they support that body's work
_SUPPLIES = re.compile(r"^(?:应当|应|要|并|还)?(?:及时|定期|主动|按照规定|按规定|依法)*向(?P<to>[^，。；向并]{2,24}?)"
                       r"(?:提供|通报|报送|抄送|推送|共享)")
_GENERIC_SUFFIX = re.compile(r"(?:行政主管部门|主管部门|行政部门)")
_GENERIC_STOP = re.compile(
    r".*(?:人民政府|国务院|由|会同|的|、|和|与|及|对|向|经|同|等|其他|有关|相关|各|或者|或|应当|是|本级|上级|所在地|负责|报|请|在|为|"
    r"到|并|配合|协助|接受|）|\)|以上|以下)"
)

_PREFIX_TAIL = re.compile(f"(?:{LEVEL_PREFIX})+$")
_REPORTED_TO = re.compile(rf"(?:{_REPORT_VERB})[^，。；由]*$")
_BEFORE_RELATIVE = set("由和、及或者同的与府，,。；;：:\n（(")
_RELATIVE = re.compile(rf"(?P<prefix>(?:{LEVEL_PREFIX})*)(?P<body>{RELATIVE_BODY})")

Doc.set_extension("authority_mentions", default=None, force=True)
Doc.set_extension("plain_text", default=None, force=True)  # doc.text rebuilds from tokens on every call
Doc.set_extension("designations", default=None, force=True)


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    surface: str
    authority: str
    level: str | None


@dataclass(frozen=True)
class Designation:
    authority: str
    role: str
    level: str | None
    duty_text: str
    surface: str


_GENERIC_ITEM = r"(?:(?!是)[\u4e00-\u9fa5]){2,8}?"  # not a clause (物价局是行政性、事业性收费的主管部门)
_GENERIC_WORDS = re.compile(r"有关|相关|其他|所属|本级|同级|上级|各")
_LIST_JOIN = r"(?:、|和|及|以及|与)"
_LIST_END = r"(?:等有关|等相关|等其他有关|等其他相关|和其他有关|和其他相关|等行业|等)"  # …、体育等行业主管部门: each item's own trade
# a bracketed field or other title between a name and its suffix: 综合行政执法（城市管理）主管部门, 发展改革（能源）
# 主管部门, 交通运输（港口）主管部门 — one office, the body its outer name names
_ALSO = r"[（(][\u4e00-\u9fa5、]{2,10}[）)]"


def _mention_regex(table: AuthorityTable) -> re.Pattern[str]:
    """A mention: level prefixes, then either of two bare names the table knows before one suffix
    (住房和城乡建设或者房屋主管部门, 北京's), a list (发展改革、财政…等部门; its first item from the table), one
    name from the table with its suffix, a name + 等部门, or a standalone name (街道办事处, 海关)."""
    cores = "|".join(re.escape(c) for c in table.cores if len(c) >= 2)
    suffix = "|".join(SUFFIXES)
    bare = "|".join(re.escape(c) for c in table.cores if len(c) >= 2 and not c.endswith(SUFFIXES))
    stand = "|".join(re.escape(s) for s in sorted({*STANDALONE, *(a for a in table.aliases if a.endswith(("局", "委", "所", "室", "站")))}, key=len, reverse=True))
    first = rf"(?:{cores})(?:{_ALSO})?(?:{suffix})?"
    later = rf"(?:(?:{cores})(?:{_ALSO})?(?:{suffix})?|{_GENERIC_ITEM})"
    return re.compile(
        rf"(?P<prefix>(?:{LEVEL_PREFIX})*)(?:(?P<either>(?P<ea>{bare})(?:或者|或)(?P<eb>{bare})(?P<es>{suffix}))"
        rf"|(?P<list>{first}(?:{_LIST_JOIN}{later})*?{_LIST_JOIN}{later}{_LIST_END}?(?:{suffix}))"
        rf"|(?P<single>(?:{cores})(?:{_ALSO})?(?:{suffix})|(?:{cores}){_LIST_END}(?:{suffix})|{stand}))"
    )


def _item_regex(table: AuthorityTable) -> re.Pattern[str]:
    cores = "|".join(re.escape(c) for c in table.cores if len(c) >= 2)
    suffix = "|".join(SUFFIXES)
    return re.compile(rf"((?:{cores})(?:{_ALSO})?(?:{suffix})?|{_GENERIC_ITEM})(?:{_LIST_JOIN}|$)")


def _opens_name(text: str, m: re.Match[str]) -> bool:
    """The match starts a name: after its level, a non-CJK character, 由 or 会同 — not inside a longer one."""
    before = text[m.start() - 1] if m.start() else ""
    return bool(m.group("prefix")) or not before or not "\u4e00" <= before <= "\u9fa5" or before in "由同"


class AuthorityMentions:
    """Regex over the text with the table's vocabulary; spans go to doc.spans['authority'] too."""

    def __init__(self, table: AuthorityTable):
        self.table = table
        self.rx = _mention_regex(table)
        self.items = _item_regex(table)

    def __call__(self, doc: Doc) -> Doc:
        text = doc._.plain_text = doc.text
        mentions: list[Mention] = []
        pos = 0
        while m := self.rx.search(text, pos):
            pos = m.end()
            level, _ = split_level(m.group(0))
            if m.group("either"):
                if not _opens_name(text, m):
                    pos = m.start() + 1  # the tail of a longer name (住房与城乡建设或者…): only `either` can match here
                    continue
                mentions.extend(self._either(m, level))
            elif m.group("list"):
                items, pos = self._list_items(m, level)
                mentions.extend(items)
            else:
                surface = re.sub(f"(?:{_LIST_END}|{_ALSO})(?=" + "|".join(SUFFIXES) + ")", "", m.group("single"))
                name = self.table.normalise(surface)
                if name:
                    lv = "乡镇" if name == "乡镇人民政府" else level
                    mentions.append(Mention(m.start(), m.end(), m.group(0), name, lv))
        mentions.extend(self._relative(text, mentions))
        mentions = self._agents(text, mentions)
        mentions.extend(self._generic(text, mentions))
        mentions.sort(key=lambda x: x.start)
        doc._.authority_mentions = mentions
        spans = [doc.char_span(x.start, x.end, label=x.authority, alignment_mode="expand") for x in mentions]
        doc.spans["authority"] = [s for s in spans if s is not None]
        doc.ents = filter_spans(doc.spans["authority"])  # AUTHORITY-like entities, labelled by canonical name
        return doc

    def _either(self, m: re.Match[str], level: str | None) -> list[Mention]:
        """Each of two bodies that share one suffix, as one list of two (住房和城乡建设或者房屋主管部门)."""
        out = []
        for part, start, end in ((m.group("ea"), m.start(), m.end("ea")), (m.group("eb"), m.start("eb"), m.end())):
            if name := self.table.normalise(part + m.group("es")):
                out.append(Mention(start, end, part, name, level))
        return out

    def _list_items(self, m: re.Match[str], level: str | None) -> tuple[list[Mention], int]:
        """Split 发展改革、工业和信息化、市场监管等部门 into its items (table names first, so 工业和信息化 stays whole),
        and where to scan on: the list's end, or the item it stopped at (电力监管机构、有关地方人民政府、安全生产监督
        管理部门: the items after a generic one are read again as mentions of their own)."""
        body, base = m.group("list"), m.start("list")
        suffix = next(s for s in SUFFIXES if body.endswith(s))
        stem = re.sub(f"{_LIST_END}?{suffix}$", "", body)
        out: list[Mention] = []
        pos, generic = 0, False
        while pos < len(stem):
            im = self.items.match(stem, pos)
            if not im or im.end() == pos:
                break
            part = re.sub(_ALSO, "", im.group(1))
            if generic := bool(_GENERIC_WORDS.search(part)):
                break  # 和有关自然保护地管理机构: the list ends where generic words begin
            if part not in self.table.aliases and not suffix.endswith(("部门", "机关")):
                break  # 保险、科研机构: unknown items are only trusted before 部门 / 机关
            full = part if part.endswith(SUFFIXES) else part + suffix
            name = self.table.normalise(full)
            if name:
                start = base + im.start(1)
                out.append(Mention(m.start() if not out else start, base + im.end(1), part, name, level))
            pos = im.end()
        if generic:  # stopped at a generic item: the shared suffix is not the last item's
            return out, max(base + pos, m.start() + 1)
        if out:  # the last item's span runs to the shared suffix (…等部门)
            last = out[-1]
            out[-1] = Mention(last.start, m.end(), last.surface, last.authority, last.level)
        return out, m.end()

    def _relative(self, text: str, known: list[Mention]) -> list[Mention]:
        """Bodies named by the field they are in charge of (县级以上地方人民政府负责药品监督管理的部门, 管理专利工作的
        部门), read as the table reads that field; whether one is designated is decided as for any mention."""
        out: list[Mention] = []
        for m in _RELATIVE.finditer(text):
            if any(k.start < m.end() and m.start("body") < k.end for k in known):
                continue
            if m.start() and text[m.start() - 1] not in _BEFORE_RELATIVE:
                continue  # inside a phrase: 有管理权限的部门, 具有城市管理行政执法权的部门 (市 is no level there)
            if _REPORTED_TO.search(text, max(0, m.start() - 12), m.start()):
                continue  # one reported to or applied to: 向所在地的县级人民政府负责管理地震工作的机构报告
            name = self.table.normalise(m.group("body"))
            if name:
                level = split_level(m.group(0))[0] if m.group("prefix") else None
                out.append(Mention(m.start(), m.end(), m.group(0), name, level))
        return out

    def _agents(self, text: str, known: list[Mention]) -> list[Mention]:
        """`known` with the agents of sanctions and charges (`_AGENT_NAME`): a known mention that a modifier
        separates from its 由 is widened to start after the 由; a name the table does not know becomes a
        mention of its own."""
        out = list(known)
        for m in _AGENT_NAME.finditer(text):
            for pre, body in (("prefix", "name"), ("prefix2", "name2"), ("sprefix", "sname"), ("aprefix", "aname"),
                              ("zprefix", "zname"), ("fprefix", "field")):
                if m.group(body) is None:
                    continue
                start, end, name = m.start(pre), m.end(body), m.group(body)
                if body == "field":  # 由负责药品监督管理的部门 → 药品监督管理部门
                    end, name = m.end(), name + "部门"
                inside = [i for i, k in enumerate(out) if start <= k.start < end]
                if inside:
                    i = inside[-1]
                    modifier = text[start:out[i].start]
                    if out[i].end != end or len(inside) > 1 or not modifier or _NOT_AGENT.search(modifier):
                        continue
                    # a known name before it leads (交通运输综合执法机构 is transport's); else it only qualifies
                    authority = self.table.aliases.get(modifier, out[i].authority)
                    out[i] = Mention(start, end, text[start:end], authority, out[i].level)
                    continue
                if _NOT_AGENT.search(name):
                    continue
                excluded = name in self.table.exclude or split_level(name)[1] in self.table.exclude  # 当地司法机关
                canonical = zone_body(name) or self.table.normalise(name) or (None if excluded else _unknown(name))
                if canonical:
                    level = split_level(m.group(pre) + name)[0] if m.group(pre) else None
                    out.append(Mention(start, end, text[start:end], canonical, level))
        return out

    def _generic(self, text: str, known: list[Mention]) -> list[Mention]:
        """`X行政主管部门` whose X the table does not know (国务院标准化行政主管部门)."""
        out: list[Mention] = []
        for m in _GENERIC_SUFFIX.finditer(text):
            if any(k.start <= m.start() < k.end for k in known):
                continue
            window = _BOUNDARY.split(text[max(0, m.start() - 14) : m.start()])[-1]
            word = _GENERIC_STOP.sub("", window)
            if not 2 <= len(word) <= 6 or word in self.table.exclude or word.endswith(("管理", "监督")):
                continue
            name = self.table.normalise(word + m.group(0))
            if name:
                start = m.start() - len(word)
                head = window[: len(window) - len(word)]
                pm = _PREFIX_TAIL.search(head)
                level = split_level(pm.group(0) + word + m.group(0))[0] if pm else None
                out.append(Mention(start - (len(pm.group(0)) if pm else 0), m.end(), word + m.group(0), name, level))
        return out


def _unknown(name: str) -> str | None:
    """The canonical form of a body's name the table does not know, as an agent names it: 无线电管理机构 as
    written, 人民防空部门 → 人民防空主管部门 (as `AuthorityTable.normalise` forms it).
    A name that is a place (…区 / 县 / 市) and a suffix names nobody."""
    c = core(name)
    place = c.endswith(PLACE_ENDS) and not c.endswith(("景区", "名胜区", "保护区"))
    if c == name or len(c) < 2 or place:
        return None
    return as_written(name)


_CUES = {
    "COOP": [[{"ORTH": {"IN": ["配合", "协助", "协同", "参与", "支持", "协作", "协办"]}}]],
    "JOINT": [[{"ORTH": "会同"}]],
    "OWN": [[{"ORTH": "各自"}]],
    "NEG": [[{"ORTH": "不得"}]],
}


class RoleCues:
    """Token Matcher over jieba tokens; spans to doc.spans['role_cue'], labelled COOP / JOINT / OWN / NEG."""

    def __init__(self, nlp: Language):
        self.matcher = Matcher(nlp.vocab)
        for label, patterns in _CUES.items():
            self.matcher.add(label, patterns)

    def __call__(self, doc: Doc) -> Doc:
        doc.spans["role_cue"] = self.matcher(doc, as_spans=True)
        return doc


# generic items between two names of one list: 、相关行政管理部门和 (…部门、相关行政管理部门和镇人民政府)
_GENERIC_GAP = re.compile(
    r"(?:(?:、|和|及|与|以及|或者|或)[\u4e00-\u9fa5（）()]{0,12}?(?:有关|相关|其他)[\u4e00-\u9fa5]{0,8}?"
    r"(?:部门|机关|机构|人民政府))+(?:、|和|及|与|以及|或者|或)"
)


# A sentence that opens on the public-order escalation of a conduct stated elsewhere (…；构成违反治安管理行为的，由公安机关
# 依法给予治安管理处罚 / 违反本法规定，构成违反治安管理行为的，由… / 危害社会治安管理秩序的，由… / 违反治安管理规定的，由…):
# the body named right after the opening acts only where that conduct is also a public-order offence, under the
# public-order law, not as the statute's agent for it — so it cooperates, whether the article names the conduct's
# bodies before it or is the statute's catch-all article naming none. A sentence that states its own conduct first
# (违反本法第二十三条第二款规定，未取得持枪证持枪猎捕…，构成违反治安管理行为的，还应当由公安机关…; 盗窃热能等构成违反治安
# 管理行为的…; 违反本法规定，产生社会生活噪声…的，由公安机关…) is that body's own and does not match; nor does a body the
# sentence names later (…的，依法给予治安管理处罚，并由市场监督管理部门吊销营业执照: it acts on its own). The one
# definition of the opening (the rank side read a copy of it until extraction stored the role, review9a M2).
ESCALATION_OPENING = (r"^\s*(?:违反本(?:法|条例|办法|规定|细则|决定)(?:的)?(?:有关)?规定[，,])?"
                      r"(?:(?:有|其行为|行为人|当事人的?行为)?(?:构成|属于|危害|扰乱|违反)[^，,。；;：:\n]{0,24}?治安"
                      r"[^，,。；;：:\n]{0,12}|(?:应当|需要)?给予治安管理处罚[^，,。；;：:\n]{0,12})的[，,]\s*")
# … and the body it hands the conduct to, right after it (or after the referral to it: …的，移送公安机关，由公安机关…):
# text from the sentence's start to the mention
_ESCALATION = re.compile(rf"{ESCALATION_OPENING}(?:(?:移送|移交)[^，,。；;：:\n]{{1,10}}[，,])?"
                         rf"(?:依法|还应当|还|并)?(?:由|交由)?[^，,。；;：:\n]{{0,10}}$")


def _groups(mentions: list[Mention], text: str) -> list[list[Mention]]:
    """Mentions joined by 、/ 和 / 或者 (or by generic items between them) are one group: one list of names."""
    groups: list[list[Mention]] = []
    for m in mentions:
        gap = text[groups[-1][-1].end : m.start] if groups else ""
        if groups and (re.fullmatch(r"(?:、|和|及|与|以及|或者|或)?", gap) or _GENERIC_GAP.fullmatch(gap)):
            groups[-1].append(m)
        else:
            groups.append([m])
    return groups


def _is_subject(pre: str) -> tuple[bool, bool]:
    """(designated, joint): the mention opens its clause, or follows 由 / 会同 / …人民政府组织."""
    if pre.endswith(_JOINT_PRE):
        return True, True
    return bool(pre.endswith(_AGENT_PRE) or _AGENT_OR.search(pre) or _AGENT_PLACE.search(pre)
                or _SUBJECT_PRE.match(pre) or _PLACE_PRE.match(pre) or _ORGANISED.search(pre)), False


def designations_of(doc: Doc) -> list[Designation]:
    text = doc._.plain_text or doc.text
    mentions: list[Mention] = doc._.authority_mentions or []
    if not mentions:
        return []
    bounds = [b.end() for b in _BOUNDARY.finditer(text)]
    cues = [(c.label_, c.start_char, c.end_char) for c in doc.spans.get("role_cue", [])]
    out: dict[tuple[str, str, str], Designation] = {}
    groups = _groups(mentions, text)
    for gi, group in enumerate(groups):
        g_start, g_end = group[0].start, group[-1].end
        i = bisect.bisect_right(bounds, g_start)
        clause_start = bounds[i - 1] if i else 0
        clause_end = (b.start() if (b := _BOUNDARY.search(text, g_end)) else len(text))
        sentence_end = (b.start() if (b := _SENTENCE_END.search(text, g_end)) else len(text))
        next_start = groups[gi + 1][0].start if gi + 1 < len(groups) else len(text)
        pre = _ITEM.sub("", text[clause_start:g_start].strip())
        predicate = text[g_end:clause_end]
        if predicate.startswith(("）", ")")):
            continue  # a parenthetical after a name
        designated, joint = _is_subject(pre)
        if not designated:
            continue
        organised = bool(_ORGANISED.search(pre))
        if organised and text.startswith("人事", g_start):
            continue  # 组织人事部门: a field, not what is organised
        tail = _LIST_TAIL.sub("", predicate)
        if _ATTRIBUTE.match(tail) and not tail.startswith(("的职责", "的主管")) and not _ALTERNATIVE.match(predicate):
            continue
        cond = text[g_end:sentence_end].split("的，", 1)
        failure = _FAILURE.search(cond[0]) if len(cond) == 2 else None
        if failure and not _ORDERS.search(cond[0][: failure.start()]) and not re.search("应当|负责|可以", cond[0]):
            continue  # …部门未依法履行职责的，… : a condition for liability, not a duty
        if (len(cond) == 2 and _STAFF_SANCTION.search(cond[1][:40]) and not _ORDERS.search(cond[0])
                and not re.search("应当|负责|可以", cond[0])):
            continue  # …等有关部门有下列行为之一的，对直接负责的主管人员…给予处分
        # the window for role cues opens after the list's generic tail (、有关地方人民政府、…部门 / 和其他有关部门)
        head_end = min(sentence_end, next_start, g_end + len(predicate) - len(tail) + 16 + (2 if not predicate.strip() else 0))
        head = [lab for lab, s, _ in cues if g_end <= s < head_end]
        if head and head[0] == "NEG" and _LIST_TAIL.sub("", text[g_end:]).lstrip("等部门").startswith("不得"):
            continue
        named = len({m.authority for m in group})
        # a body that organises others leads them: 市场监督管理部门应当组织旅游、交通等部门制定…
        organiser = organised and any(clause_start <= k.start < g_start for k in mentions)
        # bodies that act 按照各自职责 share a duty and cooperate — unless they are a sanction's agents (由A、B按照各自
        # 职责责令改正 / 依法处罚): each then imposes it in its own field, as its lead
        # … in the agents' clause or the next (由A、B按照各自职责，责令…), not a later subject's
        sanction = pre.endswith(_AGENT_PRE) and _OWN_SANCTION.search("，".join(
            re.split(r"[，,]", text[g_end:sentence_end], maxsplit=2)[:2]))
        sentence_start = max(text.rfind(c, 0, g_start) for c in "；;。\n") + 1
        escalation = bool(_ESCALATION.match(text[sentence_start:g_start]))
        cooperative = (joint or organiser or escalation or "COOP" in head
                       or ("OWN" in head and named >= 2 and not sanction)
                       or _supplies_a_body(tail, g_end + len(predicate) - len(tail), mentions, group))
        duty = _DUTY_LEAD.sub("", _LIST_TAIL.sub("", text[g_end:sentence_end])).strip()[:80]
        for m in group:
            role = "territorial" if m.authority in TERRITORIAL else "cooperate" if cooperative else "lead"
            d = Designation(m.authority, role, m.level, duty, m.surface)
            out.setdefault((d.authority, d.role, d.duty_text), d)
    return list(out.values())


def _supplies_a_body(tail: str, at: int, mentions: list[Mention], group: list[Mention]) -> bool:
    """The clause after a list of bodies (`tail`, from offset `at`) gives them information to pass to another
    body: 教育、民政…等相关部门应当向税务机关提供…信息 supplies the tax office, whose duty it is (review7a L9).
    One body reporting or notifying (财政部门向上一级财政部门报送, 兽医主管部门向检验检疫机构通报) does its own
    duty, and so does a list reporting to a body of its own kind (review8a M1)."""
    listed = {k.authority for k in group}
    if len(listed) < 2 or not (m := _SUPPLIES.match(tail)):
        return False
    start, end = at + m.start("to"), at + m.end("to")
    return any(start <= k.start and k.end <= end and k.authority not in listed for k in mentions)


@Language.factory("authority_mentions", default_config={"table": ""})
def _make_mentions(nlp: Language, name: str, table: str) -> AuthorityMentions:
    return AuthorityMentions(load_table(Path(table)) if table else load_table(None))


@Language.factory("role_cues")
def _make_cues(nlp: Language, name: str) -> RoleCues:
    return RoleCues(nlp)


@Language.component("designations")
def _designations(doc: Doc) -> Doc:
    doc._.designations = designations_of(doc)
    return doc
