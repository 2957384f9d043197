"""Law citations inside an article: 《…》第…条, 本法 / 本条例第…条, 前条, 前款.

Each citation is (title or None for this statute, article number or None for 前款, the cited text).
Runs of numbers share their anchor: 《中华人民共和国行政处罚法》第十条、第十一条 → two citations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.numerals import NUMERAL_CHARS, article_number

SELF_NAMES = ("本法", "本条例", "本办法", "本规定", "本细则", "本规则", "本决定", "本实施办法", "本实施细则")
_NUM = rf"第[{NUMERAL_CHARS}]+条(?:之[{NUMERAL_CHARS}]+)?"
_RUN = rf"{_NUM}(?:第[{NUMERAL_CHARS}]+款)?(?:(?:、|和|及|或者|至|，){_NUM}(?:第[{NUMERAL_CHARS}]+款)?)*"
_ANCHORED = re.compile(rf"(?:《(?P<title>[^》]{{2,60}})》|(?P<self>{'|'.join(SELF_NAMES)}))(?P<run>{_RUN})")
_BARE = re.compile(rf"(?<![》法例规则定])(?P<run>{_RUN})")
_ONE = re.compile(_NUM)
_PRIOR = re.compile(r"前(?:[两三四五六七八九]|[一二三四五六七八九]+)?(?P<kind>款|条)")


@dataclass(frozen=True)
class Citation:
    title: str | None  # None = the citing statute itself
    number: str | None  # None with relative='前款' = the same article
    text: str
    relative: str | None = None  # '前条' / '前款'


def _numbers(run: str) -> list[str]:
    out: list[str] = []
    for m in _ONE.finditer(run):
        try:
            out.append(article_number(m.group(0)))
        except ValueError:
            continue
    return out


def extract_citations(text: str) -> list[Citation]:
    """Every citation in the text, in order, without duplicates."""
    found: dict[tuple[str | None, str | None, str | None], Citation] = {}
    taken: list[tuple[int, int]] = []
    for m in _ANCHORED.finditer(text):
        title = m.group("title")
        if title and any(title.startswith(s) for s in ("本", "该")):
            continue
        for n in _numbers(m.group("run")):
            c = Citation(title, n, m.group(0)[:80])
            found.setdefault((c.title, c.number, None), c)
        taken.append(m.span())
    for m in _BARE.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        for n in _numbers(m.group("run")):
            found.setdefault((None, n, None), Citation(None, n, m.group(0)[:80]))
    for m in _PRIOR.finditer(text):
        kind = "前条" if m.group("kind") == "条" else "前款"
        found.setdefault((None, None, kind), Citation(None, None, m.group(0), relative=kind))
    return list(found.values())


def title_key(title: str) -> str:
    """A citation names a statute with or without 中华人民共和国; compare without it."""
    t = re.sub(r"[\s《》]", "", title)
    return t.removeprefix("中华人民共和国")
