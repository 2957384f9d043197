"""Who a ruling's sentence makes lead (牵头), cooperating (配合) or territorial (属地) party.

Chinese duty rulings state roles with a handful of verb cues around a list of bodies:
“由市文化和旅游局牵头，市公安局、市消防救援大队配合”, “以市农业农村局为主”, “属地镇街负责日常巡查”,
“市住建局会同市综合执法局…”. We parse one comma-clause at a time: find the cue, take the text on
its other side, and accept it only if it parses as a list of bodies. A body is accepted when a known
name list (the department directory, the authority table) contains it, or when it looks like one: it
ends with an organisational suffix and starts with a place or domain word. Rules, not a model: the
precision of a wrong owner matters more than recall here, and every decision can be explained.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from graph.ontology import Role
from ingest.markers import ITEM_MARKER

TERRITORIAL = "属地镇街"
"""The canonical name for a generic township party (各镇街 / 属地街道 / 所在镇（街道） …)."""

_CJK = "\u4e00-\u9fff"
_GOV_SUFFIX = re.compile(
    r"(?:办事处|委员会|管委会|人民政府|派出所|管理所|监管所|司法所|监督所|中心|公司|集团|主管部门|行政部门|部门|机关"
    r"|(?:救援|监督|执法|管理|主管|登记|预防控制)机构|大队|支队|中队|分局|局|委|办|厅|院|站|队|工作部|宣传部|组织部|统战部"
    r"|武装部|街道|镇街|镇|乡|社区|村委会|海关)$"
)
_NOT_PARTY = re.compile(
    r"(?:场所|经营者|经营单位|生产经营单位|培训机构|养老机构|医疗机构|服务机构|托育机构|企业|业主|物业|小区|市场|中心城区|商业中心"
    r"|购物中心)$"
)
def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_GENERIC_NAMES = frozenset(_words(
    "各相关部门 相关部门 有关部门 各有关部门 各部门 各成员单位 成员单位 各单位 职能部门 相关职能部门 行业主管部门 主管部门 责任部门 "
    "牵头部门 配合部门 执法部门 监管部门 管理部门 行政部门 各相关单位 有关单位 相关单位 责任单位 牵头单位 配合单位"
))
_DOMAIN_START = _words(
    "公安 消防 市场 文化 文旅 卫生 卫健 教育 教体 住房 住建 建设 城市 城管 城乡 综合 生态 环境 环保 自然 规划 交通 农业 畜牧 渔业 林业 "
    "水行政 水利 水务 商务 民政 应急 体育 人力 人社 劳动 税务 海关 邮政 网信 广播 广电 新闻 出版 电影 发展 发改 价格 工业 工信 通信 民航 "
    "气象 科技 司法 财政 审计 统计 医疗 医保 药品 食品 特种 知识产权 宗教 民族 退役 人防 人民防空 粮食 能源 烟草 金融 地方金融 旅游 乡镇 "
    "街道 县级 设区的市 地方各级 行政审批 审批 机构编制 编制 政法 社会工作 宣传 网络 大数据 数据 信访 公路 道路 动物 疾病 卫生监督 "
    "供电 供水 燃气 热力 电力 园林 环卫 国网 国家 中共 省 市 县 区 各 属地 所在 辖区 当地"
)
_PLACE_START = re.compile(rf"^[{_CJK}]{{2,4}}[省市县区](?=[{_CJK}])")
_GENERIC_TOWNSHIP = re.compile(
    r"^(?:各|属地|所在|辖区|当地|相关|沿河|沿线|涉及的?)?(?:乡镇街道|乡镇街|镇街道|乡镇|镇街|镇|街道|乡)(?:办事处|人民政府|政府)?$"
)
_TOWNSHIP = re.compile(r"(?:街道|街道办事处|镇|乡|镇人民政府|乡人民政府|镇街)$")

LEAD_CUES = r"牵头负责|牵头|为主(?!要)|主办|负总责|承担主体责任|承担牵头责任|主责|统筹"
COOP_CUES = (r"配合|协助|协同|协办|参与|提供(?:技术|数据|信息|业务|专业)?(?:支持|指导|保障)|给予支持|予以支持|支持配合")
RESP_CUES = r"负责|承担|落实属地(?:管理)?责任|履行属地(?:管理)?责任"
_CUE = re.compile(rf"(?P<lead>{LEAD_CUES})|(?P<coop>{COOP_CUES})|(?P<resp>{RESP_CUES})")
_BY = re.compile(r"(?<![自缘事])(?<![^管处治办护]理)由(?![于此])")
_BY_CUE = re.compile(
    r"会同|联合|牵头|负责|主办|为主|承担|统一|具体|依法|依职责|按职责|按照职责"
    r"|查处|处理|处置|实施|组织|监管|管理|统筹|协调|开展|受理|落实"
)
_WITH = re.compile(r"会同|联合")
_SUPERVISES = re.compile(r"对[^，；。]{2,40}?(?:实施|进行|依法)?(?:监督管理|监督检查)")
_TOWNSHIP_VERB = re.compile(r"做好|落实|开展|组织|加强")
_AFTER_VERB = re.compile(r"(?:做好|开展|制定|实施|进行|依法|研究|对|共同|加强|组织|查处|处置|处理|负责|落实|建立|做|按)")
_NEGATION = re.compile(r"不再|不属于|不承担|不负责|无需|并非|不作为|不宜由")
_LEAD_IN = re.compile(
    r"^(?:会议(?:研究)?(?:议定|明确|决定|认为|要求|同意|强调)?|议定事项|经研究(?:决定|明确|认为)?|经协调|经会商|现明确|明确|确定"
    rf"|议定|决定|其中|同时|并且|并由|并|另外|另|此外|今后|原则上|具体|统一|主要|即|[一二三四五六七八九十]+是|{ITEM_MARKER}"
    r"|对此|为此|对于?|以|然后|再由|仍由|改由|调整为由?|调整由|调整为|[：:，、\s])+"
)
_TRAIL = re.compile(
    r"(?:依法|依职责|按职责分工|按照职责分工|按照各自职责|按照职责|按职责|按各自职责|根据职责|积极|主动|全力|应当|应|要|共同|分别"
    r"|做好|切实|继续|仍|负责|作为|为|是|等部门|等单位|等|(?:按照|依照|根据|依据|结合)[^、，]{1,14})+$"
)
_SPLIT = re.compile(r"、|以及|及|与|和")
_PAREN_TOWNSHIP = re.compile(r"(乡镇|镇)[（(](?:街道|街道办事处|街)[）)]")
_PAREN = re.compile(r"[（(][^（()）]{0,30}[）)]")


@dataclass(frozen=True)
class PartyMention:
    """One body named in one role, with the clause it came from (kept as the duty text)."""

    name: str
    role: Role
    clause: str = ""
    cue: str = ""
    explicit_lead: bool = False


@dataclass
class PartyParser:
    """Parses role clauses; `known` names (departments, aliases, authorities) raise recall and precision."""

    known: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def with_names(cls, names: Iterable[str]) -> PartyParser:
        return cls(frozenset(n for n in names if n and len(n) >= 2))

    # -- names ----------------------------------------------------------------------------------
    def is_party(self, name: str, *, at_start: bool = False) -> bool:
        if not name or len(name) > 30:
            return False
        if name in self.known or _GENERIC_TOWNSHIP.match(name):
            return True
        if name in _GENERIC_NAMES or _NOT_PARTY.search(name) or not _GOV_SUFFIX.search(name):
            return False
        if name.startswith(_DOMAIN_START) or (_PLACE_START.match(name) and name[: name.find("市") + 1] in self.known):
            return True
        return at_start and len(name) <= 8

    def canonical(self, name: str) -> str:
        return TERRITORIAL if _GENERIC_TOWNSHIP.match(name) else name

    def is_township(self, name: str) -> bool:
        return name == TERRITORIAL or bool(_GENERIC_TOWNSHIP.match(name)) or bool(_TOWNSHIP.search(name))

    def parse_list(self, text: str, *, at_start: bool = False) -> list[str] | None:
        """'市公安局、市消防救援大队' → both names; None unless every item is a body."""
        text = text.strip()
        shared_suffix = ""
        m = re.search(r"等(部门|单位)(?=(?:依法|按职责分工|按照职责分工|按照各自职责|按照职责|按职责|按各自职责|积极|共同|分别|做好)*$)", text)
        if m:
            shared_suffix, text = ("部门" if m.group(1) == "部门" else ""), text[: m.start()]
        text = _TRAIL.sub("", text)
        if text in _GENERIC_NAMES or text + shared_suffix in _GENERIC_NAMES:
            return None
        pieces = [p for p in _split_items(text, self) if p]
        if not pieces:
            return None
        if not shared_suffix:
            last = _GOV_SUFFIX.search(pieces[-1])
            shared_suffix = last.group(0) if last and last.group(0) in ("部门", "主管部门", "机关") else ""
        out = []
        for i, p in enumerate(pieces):
            start = at_start and i == 0
            if self.is_party(p, at_start=start):
                out.append(self.canonical(p))
            elif shared_suffix and self.is_party(p + shared_suffix, at_start=start):
                out.append(self.canonical(p + shared_suffix))
            else:
                return None
        return out

    def find_list_at_end(self, text: str) -> list[str] | None:
        """The longest tail of `text` that is a list of bodies (text before it is context, not a party)."""
        text = _LEAD_IN.sub("", text.strip())
        for k in range(len(text)):
            got = self.parse_list(text[k:], at_start=(k == 0))
            if got:
                return got
        return None

    def find_list_at_start(self, text: str) -> tuple[list[str], str] | None:
        """The shortest head of `text` that is a list of bodies followed by a verb (…配合[市文旅局]做好…)."""
        for m in _AFTER_VERB.finditer(text):
            got = self.parse_list(text[: m.start()], at_start=True)
            if got:
                return got, text[m.start():]
        return None

    # -- clauses --------------------------------------------------------------------------------
    def parse_clause(self, clause: str) -> list[PartyMention]:
        """Role mentions in one comma-clause of a decision sentence."""
        clause = normalise(clause)
        if not clause or _NEGATION.search(clause):
            return []
        for by in _BY.finditer(clause):
            for cue in _BY_CUE.finditer(clause, by.end()):
                names = self.parse_list(_LEAD_IN.sub("", clause[by.end(): cue.start()]), at_start=True)
                if names:
                    return self._parse_by(clause, names, cue)
        if clause.startswith(("会同", "联合")):  # …牵头，会同市公安局开展…
            return self._parse_with(clause, 2)
        if (w := _WITH.search(clause)) and (names := self.find_list_at_end(clause[: w.start()])):
            out = [PartyMention(n, self._resp_role(n), clause, "会同") for n in names]
            return out + self._parse_with(clause, w.end())
        cue = _CUE.search(clause)
        if not cue:
            return self._parse_weak(clause)
        before = clause[: cue.start()]
        names = self.find_list_at_end(before)
        if not names and "对" in before:  # X对…负责 / X对…依法处理并配合…
            names = self.find_list_at_end(before.split("对", 1)[0])
        out: list[PartyMention] = []
        if names:
            kind = cue.lastgroup
            for n in names:
                if kind == "coop":
                    out.append(PartyMention(n, "cooperate", clause, cue.group(0)))
                elif kind == "lead":
                    out.append(PartyMention(n, "lead", clause, cue.group(0), explicit_lead=True))
                else:
                    role: Role = "territorial" if "属地" in cue.group(0) else self._resp_role(n)
                    out.append(PartyMention(n, role, clause, cue.group(0)))
        if cue.lastgroup == "coop" and (tail := self.find_list_at_start(clause[cue.end():])):
            out += [PartyMention(n, self._resp_role(n), clause, "配合…做好") for n in tail[0]]
        return out

    def _parse_weak(self, clause: str) -> list[PartyMention]:
        """Clauses without a role verb: “X对…实施监督管理” (lead), “各镇街做好排查” (territorial, townships only)."""
        if (m := _SUPERVISES.search(clause)) and (names := self.find_list_at_end(clause[: m.start()])):
            return [PartyMention(n, self._resp_role(n), clause, "对…监督管理") for n in names]
        if m := _TOWNSHIP_VERB.search(clause):
            names = self.find_list_at_end(clause[: m.start()])
            if names and all(self.is_township(n) for n in names):
                return [PartyMention(n, "territorial", clause, m.group(0)) for n in names]
        return []

    def _parse_by(self, clause: str, names: list[str], by_cue: re.Match[str]) -> list[PartyMention]:
        cue = by_cue.group(0)
        rest = clause[by_cue.start():]
        explicit = bool(re.match(rf"(?:依法|依职责|按职责|统一|具体)?(?:{LEAD_CUES})", rest))
        out = [
            PartyMention(n, "lead" if explicit else self._resp_role(n), clause, cue, explicit_lead=explicit)
            for n in names
        ]
        if cue in ("会同", "联合"):
            out += self._parse_with(clause, by_cue.end())
        return out

    def _parse_with(self, clause: str, pos: int) -> list[PartyMention]:
        got = self.find_list_at_start(clause[pos:])
        return [PartyMention(n, "cooperate", clause, "会同") for n in got[0]] if got else []

    def _resp_role(self, name: str) -> Role:
        return "territorial" if self.is_township(name) else "lead"


def _split_items(text: str, parser: PartyParser) -> list[str]:
    """Split on 、/及/与/和, but keep 和 inside names (市文化和旅游局, 住房和城乡建设局)."""
    items: list[str] = []
    pos = 0
    for m in _SPLIT.finditer(text):
        left = text[pos: m.start()]
        if m.group(0) == "、" or _GOV_SUFFIX.search(left) or left in parser.known:
            items.append(left)
            pos = m.end()
    items.append(text[pos:])
    return [i.strip() for i in items]


def normalise(text: str) -> str:
    """Uniform punctuation; 镇（街道） → 镇街; drops other short parentheticals (（以下简称…）)."""
    text = text.replace(",", "，").replace(";", "；").replace(":", "：").replace("\u3000", " ")
    text = _PAREN_TOWNSHIP.sub(lambda m: "乡镇街" if m.group(1) == "乡镇" else "镇街", text)
    text = _PAREN.sub("", text)
    return text.strip()


def resolve_roles(mentions: Iterable[PartyMention]) -> list[PartyMention]:
    """One mention per (name, role), in order; with an explicit lead (牵头/为主), other 负责 parties cooperate.

    That is 主次协同: once a ruling names the lead, a body that is 'responsible for' one part of the
    matter works under it.
    """
    mentions = list(mentions)
    explicit = {m.name for m in mentions if m.explicit_lead}
    out: dict[tuple[str, str], PartyMention] = {}
    for m in mentions:
        role = m.role
        if explicit and role == "lead" and m.name not in explicit:
            role = "cooperate"
        if role == "cooperate" and (m.name == TERRITORIAL or _TOWNSHIP.search(m.name)):
            role = "territorial"  # a town or street that assists acts in its territorial role
        if role == "cooperate" and m.name in explicit:
            continue
        key = (m.name, role)
        if key not in out:
            out[key] = PartyMention(m.name, role, m.clause, m.cue, m.explicit_lead)
    return list(out.values())
