"""Parse a 三定 document into its parts: department, issue date, numbered main duties (（一）（二）…),
internal bodies and their duties, and 职责分工 paragraphs that settle a boundary with another
department.

The layout follows how 三定 provisions are written: a title "<department>职能配置、内设机构和人员编制规定",
articles (第X条) or headings that open each part, and items numbered （一） / 1. inside each part.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Literal

from ingest.dates import parse_date
from ingest.markers import DUTY_ITEM, NUMBERED_ITEM, TOP_ITEM

Section = Literal["main", "internal", "boundary", "other", "preamble"]

# what a 三定 provision is called after its department's name, and its short name (a ruling cites it so too)
MANDATE_TITLES = r"职能配置、内设机构和人员编制规定|主要职责、内设机构和人员编制规定|机构职能编制规定|职能配置内设机构和人员编制规定"
MANDATE_NICKNAME = r"[“\"]?三定[”\"]?规定"
_TITLE = re.compile(rf"^(?P<dept>.+?)(?:{MANDATE_TITLES}|{MANDATE_NICKNAME})")
_CN_ITEM = re.compile(rf"^{DUTY_ITEM}\s*")
_AR_ITEM = re.compile(rf"^{NUMBERED_ITEM}\s*")
_CN_TOP = re.compile(rf"^{TOP_ITEM}\s*")
_ARTICLE = re.compile(r"^第[一二三四五六七八九十百]+条\s*")
_SECTIONS: tuple[tuple[Section, re.Pattern[str]], ...] = (
    ("boundary", re.compile(r"职责分工|有关职责分工|职责边界")),
    ("internal", re.compile(r"内设机构")),
    ("main", re.compile(r"主要职责|职能转变.*主要职责|^职责$")),
    ("other", re.compile(r"人员编制|领导职数|编制和领导|附则|其他事项|事业单位|本规定")),
)


@dataclass
class ParsedClause:
    kind: Section
    ordinal: int
    text: str
    line: int
    heading: str = ""

    @property
    def number(self) -> str:
        label = {"main": "主要职责", "internal": "内设机构", "boundary": "职责分工"}.get(self.kind, "其他")
        return f"{label}({self.ordinal})"


@dataclass
class ParsedMandate:
    title: str
    department: str
    issued: dt.date | None
    clauses: list[ParsedClause] = field(default_factory=list)
    text: str = ""


def _section_of(line: str, current: Section) -> Section | None:
    """The part a heading line opens, if it is a heading (an article start or a short line)."""
    head = _ARTICLE.sub("", line)
    is_heading = bool(_ARTICLE.match(line)) or len(line) <= 24 or bool(_CN_TOP.match(line))
    if not is_heading or _CN_ITEM.match(line) or _AR_ITEM.match(line):
        return None
    for section, pattern in _SECTIONS:
        if pattern.search(head[:30]):
            return section
    return "other" if _ARTICLE.match(line) and current != "preamble" else None


def parse_mandate(paragraphs: list[str], meta: dict[str, str] | None = None) -> ParsedMandate:
    """Split paragraphs into clauses; raises ValueError naming what is missing."""
    meta = meta or {}
    if not paragraphs:
        raise ValueError("empty document")
    title = meta.get("title") or paragraphs[0]
    dept = meta.get("department") or meta.get("部门")
    if not dept:
        m = _TITLE.match(title)
        if not m:
            raise ValueError(f"cannot tell the department from the title {title!r}; add a 'department:' front-matter line")
        dept = m.group("dept").strip()
    issued = parse_date(meta.get("issued") or meta.get("印发日期") or "")
    if issued is None:
        for line in paragraphs[:6]:
            if "印发" in line or "日" in line and len(line) < 40:
                issued = parse_date(line)
                if issued:
                    break
    out = ParsedMandate(title=title, department=dept, issued=issued, text="\n".join(paragraphs))
    section: Section = "preamble"
    counters: dict[str, int] = {}
    current: ParsedClause | None = None
    for i, line in enumerate(paragraphs[1:], start=2):
        new_section = _section_of(line, section)
        if new_section is not None:
            section = new_section
            current = None
            # "第三条 主要职责：（一）…" keeps its first item on the heading line
            rest = _ARTICLE.sub("", line)
            m = _CN_ITEM.search(rest)
            if m is None or section not in ("main", "internal", "boundary"):
                continue
            line = rest[m.start():]
        if section not in ("main", "internal", "boundary"):
            continue
        m = _CN_ITEM.match(line) or _AR_ITEM.match(line) or (_CN_TOP.match(line) if section == "boundary" else None)
        if m:
            counters[section] = counters.get(section, 0) + 1
            body = line[m.end():].strip()
            heading = re.split(r"[。：:]", body, maxsplit=1)[0] if section != "main" else ""
            current = ParsedClause(section, counters[section], body, i, heading)
            out.clauses.append(current)
        elif current is not None:
            current.text += "\n" + line
        elif section == "boundary" and len(line) > 24:
            counters[section] = counters.get(section, 0) + 1
            current = ParsedClause(section, counters[section], line, i, re.split(r"[。：:]", line, maxsplit=1)[0])
            out.clauses.append(current)
    if not any(c.kind == "main" for c in out.clauses):
        raise ValueError("no numbered main duties （一）（二）… under a 主要职责 heading")
    return out
