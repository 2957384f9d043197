"""Chinese numerals as statutes write them: 第一百零一条, 第十条之一, 第二百条, 第1条.

Article numbers are stored in arabic form ("101", "10之1") because ids and citations compare them.
"""

from __future__ import annotations

import re

_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
NUMERAL_CHARS = "零〇○一二三四五六七八九十百千万两0-9０-９"
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


def cn_to_int(text: str) -> int:
    """Parse a Chinese (or arabic) numeral; raises ValueError on anything else.

    Handles 十 (=10), 十二, 一百零一, 二百, 一千零五, 两万, and digit strings such as 一〇一.
    """
    s = text.strip().translate(_FULLWIDTH)
    if not s:
        raise ValueError("empty numeral")
    if s.isdigit():
        return int(s)
    if all(c in _DIGITS for c in s):  # positional form: 一〇一
        return int("".join(str(_DIGITS[c]) for c in s))
    total, section, digit = 0, 0, None
    for c in s:
        if c in _DIGITS:
            digit = _DIGITS[c]
        elif c in _UNITS:
            section += (1 if digit is None else digit) * _UNITS[c]
            digit = None
        elif c == "万":
            total += (section + (digit or 0)) * 10000
            section, digit = 0, None
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    return total + section + (digit or 0)


ARTICLE_NO = re.compile(rf"第([{NUMERAL_CHARS}]+)条(?:之([{NUMERAL_CHARS}]+))?")


def article_number(text: str) -> str:
    """'第十条之一' → '10之1'; '第一百零一条' → '101'; also accepts the bare '十条之一' / '101'."""
    m = ARTICLE_NO.fullmatch(text.strip()) or re.fullmatch(
        rf"([{NUMERAL_CHARS}]+)(?:条)?(?:之([{NUMERAL_CHARS}]+))?", text.strip()
    )
    if not m:
        raise ValueError(f"not an article number: {text!r}")
    main = cn_to_int(m.group(1))
    return f"{main}之{cn_to_int(m.group(2))}" if m.group(2) else str(main)


def number_sort_key(number: str) -> tuple[int, int]:
    """Order '10' < '10之1' < '11'."""
    main, _, sub = number.partition("之")
    return int(main), int(sub or 0)
