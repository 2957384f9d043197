"""The calendar dates documents write, read by one rule for every parser (statutes, rulings, 三定).

A date stands as 2023年5月12日 (spaces allowed), in Chinese numerals as 二〇二三年五月十二日 (signature lines
of rulings are written so), or as 2023-05-12 (front matter, forms). A match that is no calendar date
(2023年2月30日) reads as no date, so a caller can go on to the next one. A date a source gives as a
value (a database column, a version) is ISO and read by `iso_date`.
"""

from __future__ import annotations

import datetime as dt
import re

from graph.numerals import cn_to_int

_NUM = "零〇○一二三四五六七八九十"
# a year of this or the last century, not the tail of a longer number (编号12023-05-123 is no date)
DATE = re.compile(
    rf"(?<!\d)((?:19|20)\d{{2}}|[{_NUM}]{{4}})\s*年\s*(\d{{1,2}}|[{_NUM}]{{1,3}})\s*月\s*(\d{{1,2}}|[{_NUM}]{{1,3}})\s*日"
    r"|(?<![\d-])((?:19|20)\d{2})-(\d{2})-(\d{2})(?![\d-])"
)


def date_of(m: re.Match[str]) -> dt.date | None:
    """The date a `DATE` match names, or None when it is no calendar date."""
    parts = m.group(1, 2, 3) if m.group(1) else m.group(4, 5, 6)
    try:
        return dt.date(*(cn_to_int(p) for p in parts))
    except ValueError:
        return None


def parse_date(text: str) -> dt.date | None:
    """The first date written in `text` (None when there is none, or the first is no calendar date)."""
    m = DATE.search(text)
    return date_of(m) if m else None


def iso_date(value: str | None) -> dt.date | None:
    """A date given as an ISO value (2023-05-12); None when it is empty or no date ('undated')."""
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None
