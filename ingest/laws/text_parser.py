"""The article grammar shared by LawRefBook Markdown, plain .txt/.md and .docx statutes.

A statute is a title (and maybe a subtitle), a header of dated events (通过 / 修正 / 公布 / 施行), then
编/章/节 headings and articles `第X条` whose following lines are its 款 (paragraphs); 项 items
（一）… stay inside the article. Lines are numbered from 1 so errors can name them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from graph.errors import IngestError
from graph.numerals import NUMERAL_CHARS, cn_to_int, number_sort_key
from ingest.dates import DATE, date_of, parse_date
from ingest.laws.units import ArticleUnit, LawDoc

_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\ufeff\u00a0]")
_COMMENT = re.compile(r"<!--.*?-->")
INFO_END = "<!-- INFO END -->"
_HEADING = re.compile(rf"^(第[{NUMERAL_CHARS}]+(?:分编|编|章|节))(?:[\s\u3000]+(.*))?$")
_ARTICLE = re.compile(rf"^第([{NUMERAL_CHARS}]+)条(?:之([{NUMERAL_CHARS}]+))?([\s\u3000]*)(.*)$")
_FILE_DATE = re.compile(r"\((\d{4}-\d{2}-\d{2})\)$")
_IN_FORCE = re.compile(rf"自\s*(?:{DATE.pattern})\s*起施行")  # 自2023年5月1日起施行, 自一九九三年一月一日起施行
_CONGRESS = re.compile(r"([\u4e00-\u9fa5]*?)(?:第[一二三四五六七八九十]+届)?((?:全国)?人民代表大会(?:常务委员会)?)")
_MINISTRY = re.compile(r"([\u4e00-\u9fa5]{2,14}?(?:部|总局|委员会|署|银行|办公厅))(?:令|第)")


def _effective_in(event: str) -> dt.date | None:
    """The date a header line says the statute takes effect: the last date before 施行, since one line can
    carry several (`（2024年6月1日…公布　自2024年8月1日起施行）`)."""
    cut = event.index("施行") if "施行" in event else len(event)
    found = [m for m in DATE.finditer(event) if m.start() < cut]
    return next((d for m in reversed(found) if (d := date_of(m))), None)


def file_version(stem: str) -> str | None:
    """The version date a LawRefBook file name ends with: `物业管理条例(2018-03-19)` → '2018-03-19'."""
    m = _FILE_DATE.search(stem)
    return m.group(1) if m else None


def clean(line: str) -> str:
    return _COMMENT.sub("", _INVISIBLE.sub("", line)).strip()


def _issuer(events: list[str]) -> str | None:
    for event in sorted(events, key=lambda s: "通过" not in s):
        line = DATE.sub(" ", event)
        m = _CONGRESS.search(line)
        if m:
            return m.group(1) + m.group(2)
        if "国务院" in line:
            return "国务院"
        m = _MINISTRY.search(line)
        if m:
            return m.group(1)
    return None


def _header(lines: list[tuple[int, str]]) -> tuple[str | None, str | None, list[str]]:
    titles: list[str] = []
    events: list[str] = []
    for _, line in lines:
        if line.startswith("#"):
            titles.append(line.lstrip("#").strip())
        elif DATE.search(line):
            events.append(line)
        elif not titles and line and not line.startswith(("---", "book")):
            titles.append(line)
    title = titles[0] if titles else None
    subtitle = titles[1] if len(titles) > 1 else None
    return title, subtitle, events


def _split_header(lines: list[tuple[int, str]]) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """Header ends at `<!-- INFO END -->`, or (plain files) at the first heading or article."""
    for i, (_, raw) in enumerate(lines):
        if INFO_END in raw:
            return lines[:i], lines[i + 1 :]
    for i, (_, raw) in enumerate(lines):
        body = clean(raw).lstrip("#").strip()
        if i > 0 and (_HEADING.match(body) or _ARTICLE.match(body)):
            return lines[:i], lines[i:]
    return lines, []


def parse_statute(text: str, source: str, stem: str) -> LawDoc:
    """Parse one statute's text. Raises IngestError for a file with no title or no article."""
    numbered = list(enumerate(text.splitlines(), start=1))
    if numbered and clean(numbered[0][1]) == "---":  # front matter (bookHidden: true)
        end = next((i for i, (_, ln) in enumerate(numbered[1:], 1) if clean(ln) == "---"), 0)
        numbered = numbered[end + 1 :]
    head, body = _split_header(numbered)
    title, subtitle, events = _header([(n, clean(ln)) for n, ln in head if clean(ln)])
    if not title:
        raise IngestError(source, "no title line before the articles", row=1)
    version = file_version(stem)
    dates = [d for d in (parse_date(e) for e in events) if d]
    doc = LawDoc(
        title=re.sub(r"\s+", "", title), subtitle=subtitle, source=source,
        version=version or (max(dates).isoformat() if dates else "undated"),
        promulgated=min(dates) if dates else None, issuer=_issuer(events),
        checksum=hashlib.sha1(text.encode("utf-8")).hexdigest(),
    )
    for e in events:
        if "施行" in e and (when := _effective_in(e)):
            doc.effective = when
    doc.articles = _articles(body, source, doc.errors)
    if not doc.articles:
        raise IngestError(source, "no article (第X条) found", row=body[0][0] if body else len(numbered))
    if doc.effective is None:
        texts = [a.text for a in reversed(doc.articles[-5:])] + events
        m = next((m for t in texts if (m := _IN_FORCE.search(t))), None)
        if m:
            doc.effective = date_of(m)
    return doc


def _articles(body: list[tuple[int, str]], source: str, errors: list[str]) -> list[ArticleUnit]:
    out: list[ArticleUnit] = []
    seen: set[str] = set()
    part = chapter = section = None
    current: ArticleUnit | None = None
    for lineno, raw in body:
        line = clean(raw)
        if not line:
            continue
        is_md_heading = line.startswith("#")
        bare = line.lstrip("#").strip()
        h = _HEADING.match(bare)
        if h and (is_md_heading or len(bare) <= 40):
            name = " ".join(x for x in (h.group(1), (h.group(2) or "").strip()) if x)
            name = re.sub(r"[\s\u3000]+", " ", name)
            kind = h.group(1)[-1]
            if kind == "编":
                part, chapter, section = name, None, None
            elif kind == "章":
                chapter, section = name, None
            else:
                section = name
            current = None
            continue
        if is_md_heading:  # another heading (附则 without number, an annex title): ends the article
            current = None
            continue
        m = _ARTICLE.match(line)
        if m and _starts_article(m, current, out):
            try:
                main = cn_to_int(m.group(1))
                number = f"{main}之{cn_to_int(m.group(2))}" if m.group(2) else str(main)
            except ValueError as exc:
                errors.append(f"{source}, line {lineno}: bad article number {m.group(0)[:12]!r}: {exc}")
                current = None
                continue
            if number in seen:
                errors.append(f"{source}, line {lineno}: article 第{number}条 appears twice; kept the first")
                current = None
                continue
            seen.add(number)
            chap = " / ".join(x for x in (part, chapter) if x) or None
            current = ArticleUnit(number=number, ordinal=len(out) + 1, paragraphs=[m.group(4).strip()] if m.group(4).strip() else [],
                                  chapter=chap, section=section, line=lineno)
            out.append(current)
        elif current is not None:
            current.paragraphs.append(line)
    for a in out:
        if not a.paragraphs:
            errors.append(f"{source}, line {a.line}: article 第{a.number}条 has no text; skipped")
    return [a for a in out if a.paragraphs]


def _starts_article(m: re.Match[str], current: ArticleUnit | None, out: list[ArticleUnit]) -> bool:
    """A line `第十条…` opens an article when a space follows the number, or when it continues the sequence
    (plain text sometimes runs the number into the sentence; a paragraph citing 第十条规定 must not split)."""
    if m.group(3) or not m.group(4):
        return True
    if not out:
        return True
    try:
        nxt = (cn_to_int(m.group(1)), cn_to_int(m.group(2)) if m.group(2) else 0)
    except ValueError:
        return False
    prev = number_sort_key(out[-1].number)
    return nxt == (prev[0] + 1, 0) or (nxt[0] == prev[0] and nxt[1] == prev[1] + 1)
