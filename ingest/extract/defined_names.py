"""A zone's management body under the short name its statute defines for it.

A local regulation names the body once in full and gives it a short name (杭州市萧山湘湖旅游度假区管理委员会（以下简称
度假区管委会）负责…), then writes only the short name (由度假区管委会责令…); alone, 管委会 names no one body.
`resolve_short_names` writes the full name back in for the extractor, statute by statute, like a defined term.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ingest.extract.authorities import ZONE_BODY, zone_body

# the full name starts after a verb that sets it up, a government, a break or 的 (市人民政府设立X管理委员会（以下简称…）)
_DEFINITION = re.compile(
    r"(?:^|(?<=[^\u4e00-\u9fa5]|的)|(?<=设立|设置|成立|组建|政府))"
    rf"(?P<full>(?:(?!设立|设置|成立|组建|人民政府|的)[\u4e00-\u9fa5]){{1,24}}?{ZONE_BODY})"
    r"[（(]以下简称[“\"]?(?P<short>[\u4e00-\u9fa5]{2,12})[”\"]?[）)]"
)
_ZONE_END = "区城园"  # 开发区管委会 is the zone's full title cut short, not the defined 管委会
_NO_DEPARTMENT = r"(?![^，。；、的应可负由对按依会在]{1,8}(?:部门|机构))"


def definitions(texts: Sequence[str]) -> dict[str, str]:
    """Short name → full name of the zone bodies a statute's articles define (以下简称)."""
    out: dict[str, str] = {}
    for text in texts:
        for m in _DEFINITION.finditer(text):
            listed = m.start() and text[m.start() - 1] == "、"  # 郑州、洛阳、新乡…开发区管理委员会: several bodies
            if zone_body(m.group("full")) and m.group("short") != m.group("full") and not listed:
                out.setdefault(m.group("short"), m.group("full"))
    return out


def resolve_short_names(texts: Sequence[str]) -> list[str]:
    """The articles of one statute with each defined short name replaced by the full name, and the definitions'
    brackets dropped (the body's duty follows its name)."""
    found = definitions(texts)
    if not found:
        return list(texts)
    names = sorted(found, key=len, reverse=True)
    brackets = re.compile(r"[（(]以下简称[“\"]?(?:{})[”\"]?[）)]".format("|".join(map(re.escape, names))))
    fulls = sorted(set(found.values()), key=len, reverse=True)
    # a full name is kept as it is; a short name inside another name (开发区管委会 for 管委会) or before one of the
    # body's departments (由文昌湖区管委会水行政管理部门责令: that department acts) is left alone
    rx = re.compile("|".join([*map(re.escape, fulls),
                              *(rf"(?<![{_ZONE_END}]){re.escape(n)}{_NO_DEPARTMENT}" for n in names)]))
    return [rx.sub(lambda m: found.get(m.group(0), m.group(0)), brackets.sub("", t)) for t in texts]
