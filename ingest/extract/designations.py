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

import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc

from ingest.extract.authorities import (
    LEVEL_PREFIX,
    STANDALONE,
    SUFFIXES,
    AuthorityTable,
    default_table,
    split_level,
)

TERRITORIAL = {"乡镇人民政府", "街道办事处"}
_BOUNDARY = re.compile(r"[，,；;。：:\n]")
_SENTENCE_END = re.compile(r"[；;。\n]")
_ITEM = re.compile(r"^(?:[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．]|[一二三四五六七八九十]+、)")
_SUBJECT_PRE = re.compile(r"^(?:本市|本省|本区|全市|全省|各级|其中|同时|此外|另外|并且?|但是?|县级以上|所在地|本行政区域内的?)?$")
_AGENT_PRE = ("由", "并由", "应当由", "可以由", "分别由", "统一由", "交由", "均由", "由其")
_JOINT_PRE = ("会同", "并会同", "应当会同", "可以会同")
_ATTRIBUTE = re.compile(r"^(?:的|及其|和其|工作人员|执法人员|负责人|辖区|区域|所在地|管辖|范围|职责|以外|之外|外|内|以上|以下|批准|同意|认定|[^，应负主是为对依按根会在可由共统组按分]{0,8}?的[^职])")
_DUTY_LEAD = re.compile(
    r"^(?:等?有关部门|等部门|等|应当|应|要|可以|依法|依照|按照|根据|在|各自的?|职责范围内|职责|职责分工|负责|主管|积极|予以|"
    r"做好|是|为|共同|统一|分别|，|,|、)+"
)
_GENERIC_SUFFIX = re.compile(r"(?:行政主管部门|主管部门|行政部门)")
_GENERIC_STOP = re.compile(
    r".*(?:人民政府|国务院|由|会同|的|、|和|与|及|对|向|经|同|等|其他|有关|相关|各|或者|应当|是|本级|上级|所在地|负责|报|请|在|为)"
)

Doc.set_extension("authority_mentions", default=None, force=True)
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


def _mention_regex(table: AuthorityTable) -> re.Pattern[str]:
    cores = "|".join(re.escape(c) for c in table.cores if len(c) >= 2)
    suffix = "|".join(SUFFIXES)
    stand = "|".join(re.escape(s) for s in sorted({*STANDALONE, *(a for a in table.aliases if a.endswith(("局", "委")))}, key=len, reverse=True))
    item = rf"(?:{cores})(?:{suffix})?"
    return re.compile(
        rf"(?P<prefix>(?:{LEVEL_PREFIX})*)(?:(?P<list>(?:{item}(?:、|和|及|以及|与))+(?:{cores})(?:等|等有关|和其他有关|等其他有关)?(?:{suffix}))"
        rf"|(?P<single>(?:{cores})(?:{suffix})|{stand}))"
    )


_ITEM_SPLIT = re.compile(r"(、|以及|和|及|与)")


class AuthorityMentions:
    """Regex over the text with the table's vocabulary; spans go to doc.spans['authority'] too."""

    def __init__(self, table: AuthorityTable):
        self.table = table
        self.rx = _mention_regex(table)

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        mentions: list[Mention] = []
        for m in self.rx.finditer(text):
            level, _ = split_level(m.group(0))
            if m.group("list"):
                mentions.extend(self._list_items(m, level))
            else:
                surface = m.group("single")
                name = self.table.normalise(surface)
                if name:
                    lv = "乡镇" if name == "乡镇人民政府" else level
                    mentions.append(Mention(m.start(), m.end(), m.group(0), name, lv))
        mentions.extend(self._generic(text, mentions))
        mentions.sort(key=lambda x: x.start)
        doc._.authority_mentions = mentions
        spans = [doc.char_span(x.start, x.end, label=x.authority, alignment_mode="expand") for x in mentions]
        doc.spans["authority"] = [s for s in spans if s is not None]
        return doc

    def _list_items(self, m: re.Match[str], level: str | None) -> list[Mention]:
        body, base = m.group("list"), m.start("list")
        suffix = next(s for s in SUFFIXES if body.endswith(s))
        stem = re.sub(r"(?:等|等有关|和其他有关|等其他有关)?" + suffix + "$", "", body)
        out: list[Mention] = []
        pos = 0
        for part in _ITEM_SPLIT.split(stem):
            if part and not _ITEM_SPLIT.fullmatch(part):
                full = part if part.endswith(SUFFIXES) else part + suffix
                name = self.table.normalise(full)
                start = base + pos
                if name:
                    out.append(Mention(m.start() if not out else start, start + len(part), part, name, level))
            pos += len(part)
        if out:  # the last item's span runs to the shared suffix (…等部门)
            last = out[-1]
            out[-1] = Mention(last.start, m.end(), last.surface, last.authority, last.level)
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
                level, _ = split_level(window)
                out.append(Mention(start, m.end(), word + m.group(0), name, level if window != word else None))
        return out


_CUES = {
    "COOP": [[{"ORTH": {"IN": ["配合", "协助", "协同", "参与", "支持", "协作", "协办"]}}]],
    "JOINT": [[{"ORTH": "会同"}]],
    "OWN": [[{"ORTH": "各自"}], [{"ORTH": "职责分工"}], [{"ORTH": "分工"}]],
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


def _groups(mentions: list[Mention], text: str) -> list[list[Mention]]:
    groups: list[list[Mention]] = []
    for m in mentions:
        if groups and re.fullmatch(r"(?:、|和|及|与|以及|或者|或|，|,)?", text[groups[-1][-1].end : m.start]) and not (
            "，" in text[groups[-1][-1].end : m.start] or "," in text[groups[-1][-1].end : m.start]
        ):
            groups[-1].append(m)
        else:
            groups.append([m])
    return groups


def designations_of(doc: Doc) -> list[Designation]:
    text = doc.text
    mentions: list[Mention] = doc._.authority_mentions or []
    cues = [(c.label_, c.start_char, c.end_char) for c in doc.spans.get("role_cue", [])]
    out: dict[tuple[str, str, str], Designation] = {}
    groups = _groups(mentions, text)
    for gi, group in enumerate(groups):
        g_start, g_end = group[0].start, group[-1].end
        clause_start = max((b.end() for b in _BOUNDARY.finditer(text, 0, g_start)), default=0)
        clause_end = (b.start() if (b := _BOUNDARY.search(text, g_end)) else len(text))
        next_start = groups[gi + 1][0].start if gi + 1 < len(groups) else len(text)
        pre = _ITEM.sub("", text[clause_start:g_start].strip())
        predicate = text[g_end:clause_end]
        if predicate.startswith(("）", ")")):
            continue  # a parenthetical after a name
        joint = pre.endswith(_JOINT_PRE)
        if not joint and not pre.endswith(_AGENT_PRE) and not _SUBJECT_PRE.match(pre):
            continue
        if _ATTRIBUTE.match(predicate) and not predicate.startswith(("的职责", "的主管")):
            continue
        head_end = min(clause_end, next_start, g_end + 10)
        head = [lab for lab, s, _ in cues if g_end <= s < head_end]
        if head and head[0] == "NEG" and text[g_end:].lstrip("等部门").startswith("不得"):
            continue
        cooperative = joint or "COOP" in head or "OWN" in head
        sentence_end = (b.start() if (b := _SENTENCE_END.search(text, g_end)) else len(text))
        duty = _DUTY_LEAD.sub("", text[g_end:sentence_end]).strip()[:80]
        for m in group:
            role = "territorial" if m.authority in TERRITORIAL else "cooperate" if cooperative else "lead"
            d = Designation(m.authority, role, m.level, duty, m.surface)
            out.setdefault((d.authority, d.role, d.duty_text), d)
    return list(out.values())


@Language.factory("authority_mentions")
def _make_mentions(nlp: Language, name: str) -> AuthorityMentions:
    return AuthorityMentions(default_table())


@Language.factory("role_cues")
def _make_cues(nlp: Language, name: str) -> RoleCues:
    return RoleCues(nlp)


@Language.component("designations")
def _designations(doc: Doc) -> Doc:
    doc._.designations = designations_of(doc)
    return doc
