"""Free-text rulings (关于…职责分工的意见, 专题会议纪要, 协调会议纪要) → the facts a ruling states.

What is extracted: title, the matter (from the title or the “研究…职责分工问题” phrase), the parties
and their roles (see `parties`), the principles named, the date, the decider, cited law articles, and
rulings it repeals. Minutes record the departments' positions before the decision (“市住建局认为…”);
only the decision part (after 会议议定 / 会议明确 …) and sentences that are not someone's position
are read for parties, so a department that argued for another's duty is not made its owner.

Sentences come from spaCy's blank Chinese pipeline with the jieba segmenter and a sentencizer on
Chinese stops; role and name rules then work on characters (see `parties` for why).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

from graph.numerals import ARTICLE_NO, article_number, cn_to_int
from ingest.dates import DATE, date_of
from ingest.mandates.parser import MANDATE_NICKNAME, MANDATE_TITLES
from ingest.rulings.parties import PartyMention, PartyParser, normalise, resolve_roles
from ingest.rulings.principles import find_principles

_DECISION_MARK = re.compile(r"会议(?:研究)?(?:议定|明确|决定)|议定(?:如下|事项)|经研究，?(?:决定|明确)|明确如下|意见如下|现就[^。]{0,40}明确如下")
_DECIDE_VERB = re.compile(r"明确|确定|议定|决定")
_POSITION = re.compile(r"(?:认为|提出|表示|主张|反映|称|建议|坚持|要求由)")
# a note after a cited title: 《…条例》（2018年修正）
_TITLE_NOTE = r"(?:[（(][^）)]{0,30}[）)])?"
_CITE = re.compile(
    rf"《(?P<title>[^》]{{2,60}})》{_TITLE_NOTE}(?P<arts>(?:{ARTICLE_NO.pattern}"
    r"(?:第[一二三四五六七八九十\d]+款)?(?:第[（(]?[一二三四五六七八九十\d]+[）)]?项)?[、和及]?)+)"
)
_MANDATE = re.compile(
    rf"(?:《(?P<title>[^》]{{2,40}}?)(?:{MANDATE_TITLES})》|(?P<dept>[\u4e00-\u9fff]{{2,20}}?){MANDATE_NICKNAME})"
    r"(?:第三条)?(?:主要职责)?第?[（(](?P<n>[一二三四五六七八九十]+)[）)]项?"
)
_REPEAL = re.compile(
    rf"《(?P<title>关于[^》]{{2,80}})》{_TITLE_NOTE}[^。；]{{0,12}}?(?:同时|即行|自即日起|一并)?(?:废止|停止执行|不再执行|同时失效|失效)"
)
# what follows a matter's name where a ruling says whose it is: 占道经营(监管)(工作)职责(分工)(有关)问题
_DUTY_QUESTION = r"(?:监管|管理|执法|治理|处置|整治)?(?:工作)?(?:职责|职能|责任)(?:分工|划分|边界|界定|归属)?(?:有关)?"
_MATTER_TITLE = re.compile(rf"关于(?:进一步)?(?:明确|理顺|调整|厘清|划分)?(?P<m>.+?){_DUTY_QUESTION}(?:问题|事项)?的")
_MATTER_BODY = re.compile(rf"(?:研究|协调|明确|讨论)(?:解决|了)?(?P<m>[^，。；、]{{2,30}}?){_DUTY_QUESTION}(?:问题|事项)")
_DECIDERS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"常务会议"), "市政府常务会议"),
    (re.compile(r"专题会议"), "市政府专题会议"),
    (re.compile(r"协调会议|协调会"), "职责争议协调会议"),
    (re.compile(r"机构编制委员会(?!办公室)|编委会议|市编委"), "市委编委"),
    (re.compile(r"机构编制委员会办公室|编办"), "市委编办"),
    (re.compile(r"人民政府办公室|政府办公室"), "市政府办公室"),
    (re.compile(r"人民政府"), "市人民政府"),
)


@dataclass(frozen=True)
class Citation:
    law_title: str
    article: str  # arabic, e.g. "12" or "10之1"
    text: str = ""


@dataclass(frozen=True)
class MandateCitation:
    """A 三定 main-duty item: the department as written and the item's ordinal (（八） → 8)."""

    department: str
    ordinal: int
    text: str = ""


@dataclass
class ExtractedRuling:
    title: str
    matter: str | None = None
    parties: list[PartyMention] = field(default_factory=list)
    principles: list[str] = field(default_factory=list)
    decided_on: dt.date | None = None
    decided_by: str | None = None
    citations: list[Citation] = field(default_factory=list)
    mandate_citations: list[MandateCitation] = field(default_factory=list)
    repeals: list[str] = field(default_factory=list)
    summary: str = ""

    def roles(self) -> set[tuple[str, str]]:
        return {(p.name, p.role) for p in self.parties}


@lru_cache(maxsize=1)
def _nlp():
    import spacy

    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.add_pipe("sentencizer", config={"punct_chars": ["。", "；", "！", "？", "\n"]})
    return nlp


def sentences(text: str) -> list[str]:
    """Sentences split on Chinese stops and line breaks (spaCy sentencizer over jieba tokens)."""
    out: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        out += [s.text.strip(" 。；") for s in _nlp()(line).sents if s.text.strip(" 。；")]
    return out


def _title(lines: list[str], matter: str | None) -> str:
    head = lines[0] if lines else "未命名裁决"
    if len(lines) > 1 and re.match(r"^[〔\[（(]?\d{4}[〕\]）)]?", lines[1]) and "纪要" in head:
        head += lines[1]  # 〔2023〕第15期
    if "关于" not in head and matter:
        head += f"（{matter}）"
    return head


def _matter(lines: list[str]) -> str | None:
    for line in lines[:3]:
        if m := _MATTER_TITLE.search(line):
            return m.group("m").strip("“”\"")
    for line in lines:
        if m := _MATTER_BODY.search(line):
            return m.group("m").strip("“”\"")
    return None


def _decided_on(lines: list[str]) -> dt.date | None:
    for line in reversed(lines):  # the signature date stands on its own line at the end
        if (m := DATE.fullmatch(line.strip())) and (d := date_of(m)):
            return d
    for line in lines:
        if (m := DATE.search(line)) and (d := date_of(m)):
            return d
    return None


def _decided_by(lines: list[str]) -> str | None:
    head = " ".join(lines[:4])
    tail = " ".join(lines[-3:])
    for text in (head, tail):
        for pat, name in _DECIDERS:
            if pat.search(text):
                return name
    return None


def find_citations(text: str) -> list[Citation]:
    out: list[Citation] = []
    for m in _CITE.finditer(text):
        title = m.group("title")
        if title.startswith("关于") and not title.endswith("决定"):
            continue
        for a in ARTICLE_NO.finditer(m.group("arts")):
            try:
                out.append(Citation(title, article_number(a.group(0)), m.group(0)))
            except ValueError:
                continue
    return list(dict.fromkeys(out))


def find_mandate_citations(text: str) -> list[MandateCitation]:
    out = []
    for m in _MANDATE.finditer(text):
        dept = re.split(r"依据|根据|按照|参照|对照|、|，", m.group("title") or m.group("dept") or "")[-1]
        out.append(MandateCitation(dept, cn_to_int(m.group("n")), m.group(0)))
    return list(dict.fromkeys(out))


def repealed_titles(text: str) -> list[str]:
    """Titles of earlier rulings a text repeals (《关于…的意见》…同时废止)."""
    return list(dict.fromkeys(m.group("title") for m in _REPEAL.finditer(text)))


def _decision_sentences(text: str) -> list[str]:
    mark = _DECISION_MARK.search(text)
    body = text[mark.start():] if mark else text
    out = []
    for s in sentences(body):
        head = s[:40]
        pos = _POSITION.search(head)
        if pos and not head[: pos.start()].startswith(("会议", "经研究", "经协调", "会商")):
            # someone's position, not the decision — unless the sentence goes on to decide (…认为…，明确由X牵头)
            dec = _DECIDE_VERB.search(s, pos.end())
            if not dec:
                continue
            s = s[dec.start():]
        out.append(s)
    return out


def extract_ruling(text: str, parser: PartyParser | None = None) -> ExtractedRuling:
    """Everything a free-text ruling states that the graph records."""
    parser = parser or PartyParser()
    mandate_citations = find_mandate_citations(text)  # before normalising: it drops （八）-style parentheses
    text = normalise(text) if "\n" not in text else "\n".join(normalise(line) for line in text.splitlines())
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    matter = _matter(lines)
    mentions: list[PartyMention] = []
    for sent in _decision_sentences(text):
        for clause in re.split(r"[，：]", sent):
            mentions += parser.parse_clause(clause)
    decision = text[m.start():] if (m := _DECISION_MARK.search(text)) else text
    return ExtractedRuling(
        title=_title(lines, matter),
        matter=matter,
        parties=resolve_roles(mentions),
        principles=find_principles(text),
        decided_on=_decided_on(lines),
        decided_by=_decided_by(lines),
        citations=find_citations(text),
        mandate_citations=mandate_citations,
        repeals=repealed_titles(text),
        summary=re.sub(r"\s+", "", decision)[:300],
    )
