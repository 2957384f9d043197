"""Authority names: the level prefix a law puts before them and the normalised name they stand for.

`normalise_authority("县级以上地方人民政府市场监督管理部门") == "市场监督管理部门"`. The table is
`authority_names.yaml` beside this module, extended by the user table named in the setting
`authority_table` (DUTYGRAPH_AUTHORITY_TABLE). Other loaders import `normalise_authority`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

BUILTIN = Path(__file__).with_name("authority_names.yaml")

# Longest first, so 行政主管部门 wins over 部门.
SUFFIXES = ("行政主管部门", "行政管理部门", "主管部门", "行政部门", "主管机关", "管理机构", "工作机构", "主管机构",
            "部门", "机关", "机构")
STANDALONE = ("住房公积金管理中心", "街道办事处", "乡镇人民政府", "乡、镇人民政府", "乡（镇）人民政府", "乡(镇)人民政府", "镇（乡）人民政府",
              "镇人民政府", "乡人民政府", "乡级人民政府", "海关", "公安派出所", "派出所", "港务监督")

_LEVELS: tuple[tuple[str, str], ...] = (
    (r"国务院|国家", "国务院"),
    (r"(?:省、自治区、直辖市|省级|省|自治区|直辖市)(?:人民政府)?", "省级"),
    (r"城市人民政府|(?:设区的市、县（市、区）|设区的市、县（市）|设区的市、县（区）|设区的市、县级|设区的市、县|设区的市级?|城市、县|市级|市、县级?|市、县（市、区）|市、区（市）|市、区|市)"
     r"(?:人民政府)?", "市级"),
    (r"县级以上(?:地方)?(?:各级)?(?:人民政府)?", "县级以上地方"),
    (r"(?:县级|县（市、区）|县\(市、区\)|县（区）|区（市）|县、区|区、县|县|区)(?:人民政府)?", "县级"),
    (r"(?:乡镇|乡、镇)(?:人民政府)?", "乡镇"),
    (r"(?:所在地|当地|本级|同级|上级|地方各级|地方|各级|本市|本省|全市|全省)(?:人民政府)?", ""),
    # 市、区政府财政部门, 各级政府卫生行政部门: 政府 for 人民政府; not 政府采购 / 政府性基金 / 政府投资, which are fields
    (r"(?<!人民)政府(?!采购|性|行业|投资|信息|债|购买|定价|指导|网站)", ""),
)
LEVEL_PREFIX = "(?:" + "|".join(p for p, _ in _LEVELS) + ")"
_LEVEL_RES = [(re.compile(p), lv) for p, lv in _LEVELS]
_NOT_A_NAME = re.compile(
    r"的|^其|^或|^该|^时|^追究|^上一级|^指定|^政府|^辖|等|法院|检察院|联合会|总局|总署|协会|学校|企业|公司|单位|"
    r"生产|发行|播映|服务机|科研|保险|中介|项目|政策实施"
)


def split_level(name: str) -> tuple[str | None, str]:
    """'县级以上地方人民政府市场监督管理部门' → ('县级以上地方', '市场监督管理部门'); repeated prefixes are peeled."""
    level: str | None = None
    rest = name
    changed = True
    while changed and rest not in STANDALONE:
        changed = False
        for rx, lv in _LEVEL_RES:
            m = rx.match(rest)
            if m and m.end() < len(rest):
                candidate = rest[m.end():]
                if re.match("场|容|政(?!府)", candidate) and lv == "市级" and m.group(0) == "市":
                    continue  # 市场 / 市容 / 市政 are names, not the city prefix
                level = level or lv or None
                rest, changed = candidate, True
                break
    if rest in STANDALONE and rest.startswith(("乡", "镇")):
        level = "乡镇"
    return level, rest


# a body named by the field it is in charge of: 负责药品监督管理的部门, 管理专利工作的部门, 主管著作权的部门
RELATIVE_BODY = (r"(?:负责|主管|管理|监督管理){1,2}(?P<field>(?:(?!的|部门|机构|机关(?!事务)|政府|单位|企业|职责|或者|其他|有关|相关)"
                 r"[\u4e00-\u9fa5]){2,16})的"
                 r"(?P<suffix>行政主管部门|主管部门|行政部门|部门|机构|机关)")
RELATIVE = re.compile(RELATIVE_BODY)
# a procedure, not a field: 负责审批的部门, 负责处置的机构, 负责合法性审查的部门, 负责法规实施的机关
_NOT_A_FIELD = re.compile(r"^(?:该|本|此|其|具体|日常|统一|受理|组织|审批|办理|实施|审查|核发|颁发|技术侦查|处理|接受|事中事后)|"
                          r"(?:审批|登记|许可|受理|查处|处理|处罚|备案|核发|颁发|发证|认定|组织|实施|调查|"
                          r"审查|执行|办理|检查|处置|获取|核查|评估|监控|控制)$")
_DUTY_WORD = re.compile(r"(?:保护|执法|监督管理|管理|监管|督导)$")

PLACE_ENDS = ("区", "县", "市", "省", "镇", "乡")  # a core ending so is a place's name (浦东新区主管部门)
# An area's own body, named as the extractor emits it (风景名胜区管理机构, 自然保护区管理机构); a grade before the area
# (国家级, 省级) is the same body's.
_AREA_BODY = re.compile(r"(?:(?:国家|省|市|县)?级)?(?P<area>[\u4e00-\u9fa5]{0,8}?(?:风景名胜区|风景区|自然保护区|保护区|水库|流域))"
                        r"管理机构")  # 国家级…: split_level has peeled 国家 as the State Council's level

# The body a government sets up to run a zone (长岛试验区管理机构, 泰山景区管委会, XX旅游度假区管理委员会): the zone's
# name ends with one of these words — a firm's 管理委员会, 物业管理委员会 or a fund's 管委会 does not.
ZONE_WORDS = ("试验区", "实验区", "示范区", "开发区", "高新区", "新区", "度假区", "景区", "名胜区", "园区", "合作区", "保税区",
              "保税港区", "集聚区", "管理区", "片区", "知识城", "湿地公园")
ZONE_BODY = r"(?:{})(?:管理委员会|管委会|管理机构)".format("|".join(ZONE_WORDS))
_ZONE_NAME = re.compile(rf"[\u4e00-\u9fa5]{{1,24}}?{ZONE_BODY}")


def zone_body(name: str) -> str | None:
    """The canonical name of a zone's management body: the zone as the statute names it + 管理机构, whether the
    statute calls the body 管理委员会, 管委会 or 管理机构 — one body (泰山风景名胜区生态保护条例's 泰山风景名胜区管理委员会
    is 泰山风景名胜区保护管理条例's 泰山风景名胜区管理机构; 风景名胜区条例 calls every such body 管理机构)."""
    return re.sub("(?:管理委员会|管委会|管理机构)$", "管理机构", name) if _ZONE_NAME.fullmatch(name) else None


def as_written(name: str) -> str:
    """The canonical name of a body the table does not know: a …部门 is its field's 主管部门, others as written."""
    return f"{core(name)}主管部门" if name.endswith("部门") else name


def core(name: str) -> str:
    """The name without its suffix: 市场监督管理部门 → 市场监督管理, 公安机关 → 公安."""
    for s in SUFFIXES:
        if name.endswith(s) and len(name) > len(s):
            return name[: -len(s)]
    return name


@dataclass
class AuthorityTable:
    """alias (full name or core) → canonical name, plus names that designate nobody."""

    aliases: dict[str, str] = field(default_factory=dict)
    exclude: set[str] = field(default_factory=set)

    def merge_file(self, path: Path) -> AuthorityTable:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for canonical, names in (data.get("authorities") or {}).items():
            for n in [canonical, *(names or [])]:
                self.aliases[n] = canonical
                self.aliases.setdefault(core(n), canonical)
                for full in [n + s for s in SUFFIXES if n + s in self.aliases]:
                    self.aliases[full] = canonical  # a later table's short form wins for its full forms too
            self.aliases[core(canonical)] = canonical
        for short, canonical in list(self.aliases.items()):  # 燃气 → also 燃气管理 (燃气管理部门)
            if not short.endswith(("管理", *SUFFIXES)) and short not in STANDALONE:
                self.aliases.setdefault(short + "管理", canonical)
        self.exclude.update(data.get("exclude") or [])
        return self

    @property
    def cores(self) -> list[str]:
        """Every known short form, longest first (the extractor's vocabulary)."""
        return sorted({k for k in self.aliases if k not in STANDALONE}, key=len, reverse=True)

    def normalise(self, name: str, compound: bool = True) -> str | None:
        """`compound=False` reads only names the table knows or the name as written, never a known name's tail
        (a relative clause's field: 精神文明建设 is no 建设 body)."""
        name = name.strip()
        _, rest = split_level(name)
        if relative := RELATIVE.fullmatch(rest):
            return self._field(relative.group("field"), relative.group("suffix"))
        if not rest or rest in self.exclude or rest.startswith(("有关", "相关", "其他", "各", "负责", "上述", "前述", "前款")):
            return None
        if rest in self.aliases:
            return self.aliases[rest]
        whole = name[name.rfind("国家", 0, len(name) - len(rest)):]
        if whole.startswith("国家") and (whole in self.aliases or core(whole) in self.aliases):
            return self.aliases.get(whole) or self.aliases[core(whole)]  # 国家安全机关 / 部门: 国家 is its name, not the 国务院 level
        if area := _AREA_BODY.fullmatch(rest):
            return area.group("area") + "管理机构"  # 省级风景名胜区管理机构: the area's body, whatever its grade
        if zone := zone_body(rest):
            return zone  # as the extractor names it, so a duty list's or ruling's 泰山景区管委会 is the same body
        c = core(rest)
        if c == rest or c in self.exclude:
            return None  # a bare word with no authority suffix, or a generic name (有关部门)
        if c in self.aliases:
            return self.aliases[c]
        shorter = next((rest[: -len(s)] for s in SUFFIXES if rest.endswith(s) and rest[: -len(s)] in self.aliases), None)
        if shorter is not None:
            return self.aliases[shorter]  # 证券监督管理机构: the longest suffix, 管理机构, would cut its name short
        if _NOT_A_NAME.search(c) or c.endswith(PLACE_ENDS):
            return None  # 其派出机构, 上一级主管部门, 浦东新区主管部门, 人民法院…: not an authority's name
        return (self._compound(c) if compound else None) or as_written(rest)

    def _field(self, field: str, suffix: str) -> str | None:
        """The body a relative clause names by its field (负责药品监督管理的部门 → 药品监督管理部门, 管理专利工作的部门
        → 知识产权): the field's own body where the table knows it, else the field with its duty word cut
        (负责专利执法的部门 → 专利), else the field as written (负责报废机动车回收管理的部门 → 报废机动车回收管理主管部门) —
        never the known name a field ends with (负责精神文明建设工作的机构 is no 建设 body, 负责外商投资工作的部门 no 投资
        one: about 2–3 % of the snapshot's relative names had read so)."""
        field = field.removesuffix("工作")
        if len(field) < 2 or _NOT_A_FIELD.search(field):
            return None  # 负责审批的部门, 负责查处的机关: a procedure's organ, not a field's body
        body = field + suffix
        read = self.normalise(body, compound=False) if split_level(body)[1] == body else as_written(body)  # 地方志 is no level
        if read in self.aliases.values():
            return read
        cut = _DUTY_WORD.sub("", field)
        return self.aliases.get(cut) or read

    def _compound(self, c: str) -> str | None:
        """A known name after words the table does not know, read as the extractor reads it in a sentence: the
        known name it ends with (海洋发展和渔业 → 渔业, 城市园林绿化 → 园林绿化), unless a known name stands right before
        that one and leads it (交通运输综合行政执法 → 交通运输, 林业园林 → 林业)."""
        tail = next((c[i:] for i in range(1, len(c) - 1) if c[i:] in self.aliases and c[i:] not in STANDALONE), None)
        if tail is None:
            return None
        head = c[: -len(tail)]
        if head.startswith(("军队", "军事")):
            return None  # a military unit's (军队测绘部门), not the civil body the known name is
        lead = next((head[i:] for i in range(len(head) - 1) if head[i:] in self.aliases), None)
        return self.aliases[lead or tail]


@lru_cache(maxsize=8)
def load_table(user_table: Path | None = None) -> AuthorityTable:
    table = AuthorityTable().merge_file(BUILTIN)
    if user_table is not None:
        table.merge_file(Path(user_table))
    return table


def default_table() -> AuthorityTable:
    """The built-in table merged with the user's (setting `authority_table`), if any."""
    from graph.settings import get_settings

    return load_table(get_settings().authority_table)


def normalise_authority(name: str) -> str | None:
    """The canonical authority for a name as a law writes it, or None when it names no specific authority."""
    return default_table().normalise(name)
