"""The markers documents number their list items with, written once for every parser and extractor that
reads or strips them: the mandate parser splits a 三定's duties at them, and the designation and ruling
extractors drop them before reading a clause's subject.
"""

from __future__ import annotations

_CN = "一二三四五六七八九十百"
DUTY_ITEM = rf"[（(][{_CN}]+[）)]"  # （一）: a numbered duty; (1) under it is part of its text
PAREN_ITEM = rf"[（(][{_CN}\d]+[）)]"  # （一） or (1)
NUMBERED_ITEM = r"\d{1,2}\s*[.．、]"  # 1.  2、 (a year or an amount such as 5000、 is none)
TOP_ITEM = r"[一二三四五六七八九十]+、"  # 一、: a part's heading, or an item of a 职责分工 list
ITEM_MARKER = rf"(?:{PAREN_ITEM}|{NUMBERED_ITEM}|{TOP_ITEM})"
